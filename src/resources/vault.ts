import {
  deleteVaultCredential,
  exchangeVaultCredential,
  getVaultCredential,
  listVaultCredentials,
  storeVaultCredential,
} from '../../generated/sdk.gen.js';
import type {
  ListVaultCredentialsData,
  StoredVaultCredential,
  StoreVaultCredentialData,
  VaultCredential as WireVaultCredential,
  VaultExchangeResponse,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { paginate, singlePage } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { AuthenticationError, GrantTokenError, PermissionDeniedError } from '../errors.js';
import { decodeObjectFields } from '../internal/json-field.js';
import { discardBody, mapData } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

/**
 * The body of `client.vault.store`: user, `service`, the secret `accessToken` and optional extras.
 *
 * @example
 * ```ts
 * const params: StoreVaultCredentialParams = { principalId: 'user_123', service: 'github', accessToken, metadata: { login: 'ada' } };
 * ```
 */
export type StoreVaultCredentialParams = StoreVaultCredentialData['body'];
/**
 * Filters of `client.vault.list`: `principalId` and/or `service`.
 *
 * @example
 * ```ts
 * const params: ListVaultCredentialsParams = { principalId: 'user_123' };
 * ```
 */
export type ListVaultCredentialsParams = NonNullable<ListVaultCredentialsData['query']>;

/**
 * A stored credential's metadata (never the secret), with `metadata` decoded to an object.
 *
 * @example
 * ```ts
 * const credential: VaultCredential = await client.vault.get(credentialId);
 * console.log(credential.service, credential.tokenExpiresAt);
 * ```
 */
export type VaultCredential = DeepReadonly<Omit<WireVaultCredential, 'metadata'> & { metadata: Record<string, unknown> }>;

/**
 * The upstream credential released to an agent, with `metadata` decoded to an object.
 *
 * @example
 * ```ts
 * const { accessToken, tokenExpiresAt }: VaultExchange = await client.vault.exchange(grantToken, { service: 'github' });
 * ```
 */
export type VaultExchange = DeepReadonly<Omit<VaultExchangeResponse, 'metadata'> & { metadata: Record<string, unknown> }>;

/**
 * The credential vault keeps users' upstream tokens (GitHub, Slack, …) encrypted, and releases
 * them only to an agent holding a grant token scoped for that service. `client.vault`.
 *
 * @example
 * ```ts
 * await client.vault.store({ principalId: 'user_123', service: 'github', accessToken: upstreamToken });
 * // later, inside the agent, with its grant token:
 * const { accessToken } = await client.vault.exchange(grantToken, { service: 'github' });
 * ```
 */
export class Vault {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.vault`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Stores (or replaces) the credential of one user for one service, encrypted; storing again keeps
   * the id. The secret is redacted from errors and never returned by `list` or `get`.
   *
   * @example
   * ```ts
   * const { id } = await client.vault.store({ principalId: 'user_123', service: 'slack', accessToken: slackToken });
   * ```
   */
  store(params: StoreVaultCredentialParams, options?: RequestOptions): ApiPromise<DeepReadonly<StoredVaultCredential>> {
    return this.#transport.call('storeVaultCredential', 'post', (o) => storeVaultCredential({ ...o, body: params }), options, {
      secret: params.accessToken,
    });
  }

  /**
   * Lists stored credentials (metadata only), newest first, optionally for one user or service.
   *
   * @example
   * ```ts
   * const { credentials } = await client.vault.list({ service: 'github' });
   * ```
   */
  list(params?: ListVaultCredentialsParams, options?: RequestOptions): ApiPromise<{ readonly credentials: readonly VaultCredential[] }> {
    const operation = 'listVaultCredentials';
    return this.#transport.call(
      operation,
      'get',
      (o) =>
        mapData(listVaultCredentials({ ...o, ...(params ? { query: params } : {}) }), (data) => ({
          credentials: data.credentials.map((credential) => decodeMetadata(credential, operation)),
        })),
      options,
    );
  }

  /**
   * Every matching credential (metadata only; the API returns them in one page).
   *
   * @example
   * ```ts
   * for await (const credential of client.vault.listAll({ principalId: 'user_123' })) console.log(credential.service);
   * ```
   */
  listAll(params: ListVaultCredentialsParams = {}, options?: RequestOptions): AsyncGenerator<VaultCredential, void, undefined> {
    return paginate((p) => this.list(p, options), params, singlePage<{ readonly credentials: readonly VaultCredential[] }, 'credentials', ListVaultCredentialsParams>('credentials'));
  }

  /**
   * Fetches one credential's metadata. Throws `NotFoundError` for an unknown id.
   *
   * @example
   * ```ts
   * const { service, credentialType } = await client.vault.get(credentialId);
   * ```
   */
  get(credentialId: string, options?: RequestOptions): ApiPromise<VaultCredential> {
    const operation = 'getVaultCredential';
    return this.#transport.call(
      operation,
      'get',
      (o) => mapData(getVaultCredential({ ...o, path: { id: pathParam('credentialId', credentialId) } }), (data) => decodeMetadata(data, operation)),
      options,
    );
  }

  /**
   * Deletes a stored credential for good.
   *
   * @example
   * ```ts
   * await client.vault.delete(credentialId);
   * ```
   */
  delete(credentialId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteVaultCredential', 'delete', (o) => discardBody(deleteVaultCredential({ ...o, path: { id: pathParam('credentialId', credentialId) } })), options);
  }

  /**
   * Releases the stored upstream credential to an agent. Authenticated with the agent's grant
   * token, not the API key: the token's scopes must cover the service (e.g. `github:read`).
   *
   * A token the server refuses throws {@link GrantTokenError}: `TOKEN_INVALID` when it is revoked,
   * expired or unknown, `TOKEN_SCOPES_MISSING` when it does not cover the service (the API error is
   * kept as `cause`, with its status and request id). No credential stored for the user and
   * service throws `NotFoundError`.
   *
   * @example
   * ```ts
   * const { accessToken, metadata } = await client.vault.exchange(grantToken, { service: 'github' });
   * ```
   */
  exchange(grantToken: string, params: { readonly service: string }, options?: RequestOptions): ApiPromise<VaultExchange> {
    const operation = 'exchangeVaultCredential';
    return this.#transport.call(
      operation,
      'post',
      (o) =>
        mapData(exchangeVaultCredential({ ...o, body: { service: params.service } }).catch(grantTokenRejection), (data) =>
          decodeMetadata(data, operation),
        ),
      options,
      { bearer: grantToken },
    );
  }
}

/** The exchange authenticates with the grant token, so its 401 and 403 are verdicts on that token. */
function grantTokenRejection(error: unknown): never {
  if (error instanceof AuthenticationError) {
    throw new GrantTokenError('TOKEN_INVALID', 'The grant token was refused: it is revoked, expired or unknown', { cause: error });
  }
  if (error instanceof PermissionDeniedError) {
    throw new GrantTokenError('TOKEN_SCOPES_MISSING', `The grant token does not cover this service: ${error.message}`, { cause: error });
  }
  throw error;
}

function decodeMetadata<T extends { metadata: unknown }>(record: T, operation: string) {
  return decodeObjectFields(record, ['metadata'], operation);
}
