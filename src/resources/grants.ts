import { delegateGrant, getGrant, listGrants, revokeGrant, verifyGrant } from '../../generated/sdk.gen.js';
import type {
  DelegateGrantData,
  DelegateGrantResponse,
  Grant,
  GrantList,
  ListGrantsData,
  VerifyGrantResponse,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { paginate, byPageNumber } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { toGrant } from '../jwt/claims.js';
import type { VerifiedGrant } from '../jwt/types.js';
import { BadRequestError, GrantTokenError, type GrantTokenErrorCode } from '../errors.js';
import { discardBody, mapData } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

/**
 * Filters of `client.grants.list`: `agentId`, `principalId`, `status`, plus `page`/`pageSize`.
 *
 * @example
 * ```ts
 * const params: ListGrantsParams = { principalId: 'user_123', status: 'active' };
 * ```
 */
export type ListGrantsParams = NonNullable<ListGrantsData['query']>;
/**
 * The body of `client.grants.delegate`: the parent token, the sub-agent, a subset of scopes and an optional `expiresIn`.
 *
 * @example
 * ```ts
 * const params: DelegateGrantParams = { parentGrantToken: grantToken, subAgentId, scopes: ['calendar:read'], expiresIn: '1h' };
 * ```
 */
export type DelegateGrantParams = DelegateGrantData['body'];

const INACTIVE_REASON_CODES: Record<string, GrantTokenErrorCode> = {
  revoked: 'TOKEN_REVOKED',
  expired: 'TOKEN_EXPIRED',
  not_found: 'TOKEN_UNKNOWN',
  wrong_developer: 'TOKEN_WRONG_DEVELOPER',
};

/**
 * Grants record which user let which agent do what. `client.grants`.
 *
 * @example
 * ```ts
 * const { grants } = await client.grants.list({ agentId, status: 'active' });
 * const child = await client.grants.delegate({ parentGrantToken, subAgentId, scopes: ['calendar:read'], expiresIn: '1h' });
 * await client.grants.revoke(grants[0].grantId); // also revokes grants delegated from it
 * ```
 */
export class Grants {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.grants`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Lists grants, newest first. The API currently returns every match in one page and sends no
   * totals, so `total`, `page` and `pageSize` are present only when the server provides them.
   *
   * @example
   * ```ts
   * const { grants } = await client.grants.list({ agentId, status: 'active' });
   * ```
   */
  list(params?: ListGrantsParams, options?: RequestOptions): ApiPromise<DeepReadonly<GrantList>> {
    return this.#transport.call('listGrants', 'get', (o) => listGrants({ ...o, ...(params ? { query: params } : {}) }), options);
  }

  /**
   * Every matching grant. The server answers in one page today; should it start paging (sending `total`), this walks the pages.
   *
   * @example
   * ```ts
   * for await (const grant of client.grants.listAll({ principalId: 'user_123' })) console.log(grant.grantId, grant.scopes);
   * ```
   */
  listAll(params: ListGrantsParams = {}, options?: RequestOptions): AsyncGenerator<DeepReadonly<Grant>, void, undefined> {
    return paginate((p) => this.list(p, options), params, byPageNumber<ListGrantsParams, DeepReadonly<GrantList>, 'grants'>('grants'));
  }

  /**
   * Fetches one grant; a revoked grant is returned with `status: 'revoked'` and `revokedAt`.
   *
   * @example
   * ```ts
   * const { status, scopes, expiresAt } = await client.grants.get(grantId);
   * ```
   */
  get(grantId: string, options?: RequestOptions): ApiPromise<DeepReadonly<Grant>> {
    return this.#transport.call('getGrant', 'get', (o) => getGrant({ ...o, path: { id: pathParam('grantId', grantId) } }), options);
  }

  /**
   * Revokes a grant and every grant delegated from it; their tokens stop verifying at once. A grant
   * that is already revoked or unknown throws `NotFoundError`.
   *
   * @example
   * ```ts
   * await client.grants.revoke(grantId);
   * ```
   */
  revoke(grantId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('revokeGrant', 'delete', (o) => discardBody(revokeGrant({ ...o, path: { id: pathParam('grantId', grantId) } })), options);
  }

  /**
   * Verifies a grant token online and returns the claims the server vouches for. An inactive
   * token throws {@link GrantTokenError} (`TOKEN_REVOKED`, `TOKEN_UNKNOWN`, `TOKEN_WRONG_DEVELOPER`,
   * or `TOKEN_INVALID` for a token the server cannot read, which includes an expired one). The token
   * is redacted from errors. For checks without a request use `verifyGrantToken`.
   *
   * @example
   * ```ts
   * const grant = await client.grants.verify(grantToken);
   * console.log(grant.grantId, grant.scopes);
   * ```
   */
  verify(token: string, options?: RequestOptions): ApiPromise<VerifiedGrant> {
    return this.#transport.call(
      'verifyGrant',
      'post',
      (o) => mapData(verifyGrant({ ...o, body: { token } }).catch(invalidTokenError), activeGrantOrThrow),
      options,
      { secret: token },
    );
  }

  /**
   * Issues a grant token for a sub-agent with a subset of the parent token's scopes; it never outlives
   * the parent. Too deep a chain throws `PermissionDeniedError` (`DELEGATION_DEPTH_EXCEEDED`).
   *
   * @example
   * ```ts
   * const { grantToken: childToken } = await client.grants.delegate({ parentGrantToken: grantToken, subAgentId, scopes: ['calendar:read'] });
   * ```
   */
  delegate(params: DelegateGrantParams, options?: RequestOptions): ApiPromise<DeepReadonly<DelegateGrantResponse>> {
    return this.#transport.call('delegateGrant', 'post', (o) => delegateGrant({ ...o, body: params }), options, {
      secret: params.parentGrantToken,
    });
  }
}

function activeGrantOrThrow(result: VerifyGrantResponse): VerifiedGrant {
  if (result.active) return toGrant(result.claims as Record<string, unknown>, true);
  const code = INACTIVE_REASON_CODES[result.reason] ?? 'TOKEN_INVALID';
  throw new GrantTokenError(code, `The grant token is not active (${result.reason})`);
}

function invalidTokenError(error: unknown): never {
  // The server answers 400 "Invalid token" for a malformed, badly signed or expired JWT.
  if (error instanceof BadRequestError && error.message === 'Invalid token') {
    throw new GrantTokenError('TOKEN_INVALID', 'The API rejected the grant token (malformed, badly signed or expired)');
  }
  throw error;
}
