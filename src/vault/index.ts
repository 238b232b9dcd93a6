/**
 * Calling third-party APIs with a user's vault credential that the calling code never sees:
 * `createAuthorizedFetch` returns a `fetch` that exchanges the agent's grant token for the
 * credential and adds it only to requests for the allowed origins. Uses `fetch` and nothing else,
 * so it runs on Node, Deno, Bun, Workers and browsers; it loads neither the HTTP client nor the
 * validators. On a client, the same is `client.vault.authorizedFetch(options)`.
 *
 * @module @grantex/sdk/vault
 */
export { createAuthorizedFetch } from './create.js';
export { AuthorizedFetchError, VaultExchangeError, type AuthorizedFetchErrorCode } from './errors.js';
export type { AuthorizedFetch, AuthorizedFetchOptions, CredentialInjection } from './types.js';
