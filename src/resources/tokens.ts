import { exchangeToken, refreshToken, revokeToken, verifyToken } from '../../generated/sdk.gen.js';
import type {
  ExchangeTokenData,
  ExchangeTokenResponse,
  RefreshTokenData,
  RefreshTokenResponse,
  VerifyTokenResponse,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import type { DeepReadonly } from '../core/types.js';
import { discardBody } from '../internal/results.js';
import type { RequestOptions, Transport } from '../internal/transport.js';

/**
 * The body of `client.tokens.exchange`: the `code`, the `agentId`, and `codeVerifier` with PKCE.
 *
 * @example
 * ```ts
 * const params: ExchangeTokenParams = { code, agentId, codeVerifier: pkce.codeVerifier };
 * ```
 */
export type ExchangeTokenParams = ExchangeTokenData['body'];
/**
 * The body of `client.tokens.refresh`: the single-use `refreshToken` and the `agentId`.
 *
 * @example
 * ```ts
 * const params: RefreshTokenParams = { refreshToken, agentId };
 * ```
 */
export type RefreshTokenParams = RefreshTokenData['body'];

/**
 * Grant tokens: exchange an authorization code, refresh, check online, revoke. `client.tokens`.
 *
 * @example
 * ```ts
 * const { grantToken, refreshToken } = await client.tokens.exchange({ code, agentId });
 * const check = await client.tokens.verify(grantToken);
 * if (!check.valid) throw new Error('token no longer valid');
 * ```
 */
export class Tokens {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.tokens`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Exchanges an approved authorization `code` (plus `codeVerifier` with PKCE) for a grant token and
   * a refresh token, creating the grant. Each code works once; a used, expired or unknown code throws
   * `BadRequestError`.
   *
   * @example
   * ```ts
   * const { grantToken, refreshToken, grantId } = await client.tokens.exchange({ code, agentId });
   * ```
   */
  exchange(params: ExchangeTokenParams, options?: RequestOptions): ApiPromise<DeepReadonly<ExchangeTokenResponse>> {
    return this.#transport.call('exchangeToken', 'post', (o) => exchangeToken({ ...o, body: params }), options);
  }

  /**
   * Trades a single-use refresh token for a new grant token and a new refresh token. The grant's
   * expiry does not move.
   *
   * @example
   * ```ts
   * const { grantToken, refreshToken: next } = await client.tokens.refresh({ refreshToken, agentId });
   * ```
   */
  refresh(params: RefreshTokenParams, options?: RequestOptions): ApiPromise<DeepReadonly<RefreshTokenResponse>> {
    return this.#transport.call('refreshToken', 'post', (o) => refreshToken({ ...o, body: params }), options);
  }

  /**
   * Asks the API whether a grant token is currently valid. An invalid, expired or revoked token is
   * not an error: the result is `{ valid: false }`. For offline checks use `verifyGrantToken`.
   *
   * @example
   * ```ts
   * const check = await client.tokens.verify(grantToken);
   * if (check.valid) console.log(check.grantId, check.scopes);
   * ```
   */
  verify(token: string, options?: RequestOptions): ApiPromise<DeepReadonly<VerifyTokenResponse>> {
    return this.#transport.call('verifyToken', 'post', (o) => verifyToken({ ...o, body: { token } }), options, { secret: token });
  }

  /**
   * Revokes one token by its `jti` claim. Other tokens of the same grant stay valid (revoke the grant
   * to stop them all); an unknown `jti` throws `NotFoundError`.
   *
   * @example
   * ```ts
   * const { tokenId } = decodeGrantToken(grantToken); // the `jti` claim
   * await client.tokens.revoke(tokenId);
   * ```
   */
  revoke(jti: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('revokeToken', 'post', (o) => discardBody(revokeToken({ ...o, body: { jti } })), options);
  }
}
