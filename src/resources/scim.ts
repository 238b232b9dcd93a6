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

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Issues a SCIM token for an identity provider. The token is in this response only. */
  createToken(params: CreateScimTokenParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreateScimTokenResponse>> {
    return this.#transport.call('createScimToken', 'post', (o) => createScimToken({ ...o, body: params }), options);
  }

  /** The SCIM tokens (without their secret values), newest first. */
  listTokens(options?: RequestOptions): ApiPromise<DeepReadonly<ListScimTokensResponse>> {
    return this.#transport.call('listScimTokens', 'get', (o) => listScimTokens(o), options);
  }

  deleteToken(tokenId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteScimToken', 'delete', (o) => discardBody(deleteScimToken({ ...o, path: { id: pathParam('tokenId', tokenId) } })), options);
  }

  /** What the SCIM service supports (public). */
  serviceProviderConfig(options?: RequestOptions): ApiPromise<DeepReadonly<GetScimServiceProviderConfigResponse>> {
    return this.#transport.call('getScimServiceProviderConfig', 'get', (o) => getScimServiceProviderConfig(o), options);
  }

  /** The SCIM data plane, authenticated with a SCIM token. The main client is not changed. */
  withToken(scimToken: string): { readonly users: ScimUsers } {
    return { users: new ScimUsers(this.#transport, scimToken) };
  }
}
