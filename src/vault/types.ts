/** The public types of `@grantex/sdk/vault`. */

/**
 * Where the credential goes in each request: a header (default `Authorization: Bearer <credential>`)
 * or a query parameter.
 *
 * @example
 * ```ts
 * const header: CredentialInjection = { header: 'x-api-key' };
 * const bearer: CredentialInjection = { header: 'authorization', scheme: 'token' };
 * const query: CredentialInjection = { query: 'access_token' };
 * ```
 */
export type CredentialInjection =
  | {
      /** The header name. */
      readonly header: string;
      /** A word before the credential (`Bearer`, `token`); omitted: the header holds the credential alone. */
      readonly scheme?: string | undefined;
    }
  | {
      /** The query parameter name. */
      readonly query: string;
    };

/**
 * Options of {@link createAuthorizedFetch}.
 *
 * @example
 * ```ts
 * const options: AuthorizedFetchOptions = {
 *   grantToken,
 *   service: 'github',
 *   allowedOrigins: ['https://api.github.com'],
 * };
 * ```
 */
export interface AuthorizedFetchOptions {
  /** The agent's grant token; its scopes must cover the service (e.g. `github:read`). */
  readonly grantToken?: string | undefined;
  /**
   * Called on every request for the current grant token, instead of `grantToken` (a token that is
   * refreshed, or one per user). Credentials are cached per grant token.
   */
  readonly getGrantToken?: (() => string | Promise<string>) | undefined;
  /** The vault service whose credential is injected (`github`, `google`, …). */
  readonly service: string;
  /**
   * The only origins (scheme, host and port) the credential may be sent to, e.g.
   * `https://api.github.com`. `https:` only, except loopback hosts (`localhost`, `127.x.x.x`,
   * `[::1]`) over `http:`, for tests. Hosts are written in ASCII (punycode for IDNs), without a
   * trailing dot.
   */
  readonly allowedOrigins: readonly string[];
  /**
   * The Grantex API (default: `GRANTEX_BASE_URL`, else `https://api.grantex.dev`, as the client).
   * Not an option of `client.vault.authorizedFetch`, which uses the client's.
   */
  readonly baseUrl?: string | undefined;
  /** Where the credential goes (default `{ header: 'Authorization', scheme: 'Bearer' }`). */
  readonly inject?: CredentialInjection | undefined;
  /** The fetch used for the exchange and the upstream requests (default: the global `fetch`, or the client's). */
  readonly fetch?: typeof fetch | undefined;
  /**
   * Follow redirects (default false: a 3xx is returned as it is). When true, a redirect within
   * `allowedOrigins` is followed with the credential; one that leaves them is followed without
   * it, and the credential is never added again on that chain.
   */
  readonly followRedirects?: boolean | undefined;
  /** The clock the cache reads (default `Date.now`); tests pass a fake one, or `server.clock.now`. */
  readonly now?: (() => Date | number) | undefined;
}

/**
 * A `fetch` that adds the vault credential to requests for the allowed origins. It takes the same
 * arguments as `fetch` and resolves with a `Response`; the credential itself is never returned.
 *
 * @example
 * ```ts
 * const response: Response = await github('https://api.github.com/user/repos', { headers: { accept: 'application/json' } });
 * ```
 */
export type AuthorizedFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
