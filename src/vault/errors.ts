/**
 * The two ways an authorized fetch refuses: before anything is sent (the URL, a header the caller
 * set, a missing grant token), or because the vault would not release the credential. Neither
 * error ever holds the credential or the grant token.
 */
import type { AuthorizedFetchErrorCode } from '../error-codes.js';
import { GrantexApiError, GrantexError, type ApiErrorInit } from '../errors.js';

export type { AuthorizedFetchErrorCode };

/**
 * An authorized fetch refused a request, in most cases before anything was sent: the URL's origin
 * is not allowed or is written ambiguously, or the caller set the header the credential belongs in.
 *
 * @example
 * ```ts
 * try {
 *   await github('https://api.github.com.evil.example/user');
 * } catch (error) {
 *   if (error instanceof AuthorizedFetchError && error.code === 'ORIGIN_NOT_ALLOWED') console.error(error.message);
 * }
 * ```
 */
export class AuthorizedFetchError extends GrantexError {
  override name = 'AuthorizedFetchError';
  declare readonly code: AuthorizedFetchErrorCode;

  constructor(code: AuthorizedFetchErrorCode, message: string) {
    super(message, code);
  }
}

/**
 * The vault refused to release the credential. `code` and `status` are the server's: `UNAUTHORIZED`
 * (401) for a revoked, expired or unknown grant token, `FORBIDDEN` (403) when the token's scopes do
 * not cover the service, `NOT_FOUND` (404) when nothing is stored for the user and service.
 *
 * @example
 * ```ts
 * try {
 *   await github('https://api.github.com/user/repos');
 * } catch (error) {
 *   if (error instanceof VaultExchangeError && error.code === 'UNAUTHORIZED') return askUserToReconnect();
 *   throw error;
 * }
 * ```
 */
export class VaultExchangeError extends GrantexApiError {
  override name = 'VaultExchangeError';
  /** The service whose credential was asked for. */
  readonly service: string;

  constructor(init: ApiErrorInit, service: string) {
    super(init);
    this.service = service;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), service: this.service };
  }
}
