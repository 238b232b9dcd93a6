import { createScimToken, deleteScimToken, getScimServiceProviderConfig, listScimTokens } from '../../generated/sdk.gen.js';
import type {
  CreateScimTokenData,
  CreateScimTokenResponse,
  GetScimServiceProviderConfigResponse,
  ListScimTokensResponse,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import type { DeepReadonly } from '../core/types.js';
import { discardBody } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';
import { ScimUsers } from './scim-users.js';

/**
 * The body of `client.scim.createToken`: a `label` for the token.
 *
 * @example
 * ```ts
 * const params: CreateScimTokenParams = { label: 'Okta' };
 * ```
 */
export type CreateScimTokenParams = CreateScimTokenData['body'];

/**
 * SCIM 2.0 provisioning. Token management uses the API key; the SCIM data plane (`/scim/v2`)
 * uses a SCIM token, through a scoped view: `client.scim.withToken(token).users`.
 *
 * @example
 * ```ts
 * const { token } = await client.scim.createToken({ label: 'Okta' }); // shown once
 * const directory = client.scim.withToken(token);
 * for await (const user of directory.users.listAll()) console.log(user.userName);
 * ```
 */
export class Scim {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.scim`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Issues a SCIM token for an identity provider. The token is in this response only: store it now.
   *
   * @example
   * ```ts
   * const { id, token } = await client.scim.createToken({ label: 'Okta' });
   * ```
   */
  createToken(params: CreateScimTokenParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreateScimTokenResponse>> {
    return this.#transport.call('createScimToken', 'post', (o) => createScimToken({ ...o, body: params }), options);
  }

  /**
   * The SCIM tokens (without their secret values), newest first.
   *
   * @example
   * ```ts
   * const { tokens } = await client.scim.listTokens();
   * ```
   */
  listTokens(options?: RequestOptions): ApiPromise<DeepReadonly<ListScimTokensResponse>> {
    return this.#transport.call('listScimTokens', 'get', (o) => listScimTokens(o), options);
  }

  /**
   * Revokes a SCIM token at once; the identity provider's next call with it fails with 401.
   *
   * @example
   * ```ts
   * await client.scim.deleteToken(tokenId);
   * ```
   */
  deleteToken(tokenId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteScimToken', 'delete', (o) => discardBody(deleteScimToken({ ...o, path: { id: pathParam('tokenId', tokenId) } })), options);
  }

  /**
   * What the SCIM service supports (public): PATCH yes; bulk, filtering, sorting and ETags no.
   *
   * @example
   * ```ts
   * const { patch, filter } = await client.scim.serviceProviderConfig();
   * ```
   */
  serviceProviderConfig(options?: RequestOptions): ApiPromise<DeepReadonly<GetScimServiceProviderConfigResponse>> {
    return this.#transport.call('getScimServiceProviderConfig', 'get', (o) => getScimServiceProviderConfig(o), options);
  }

  /**
   * The SCIM data plane, authenticated with a SCIM token. The main client is not changed, and
   * nothing is sent until a method is called.
   *
   * @example
   * ```ts
   * const { users } = client.scim.withToken(scimToken);
   * const page = await users.list({ count: 100 });
   * ```
   */
  withToken(scimToken: string): { readonly users: ScimUsers } {
    return { users: new ScimUsers(this.#transport, scimToken) };
  }
}
