/** `createAuthorizedFetch`: the entry point of `@grantex/sdk/vault`, over plain `fetch`. */
import { DEFAULT_BASE_URL } from '../core/options.js';
import { readEnv } from '../internal/env.js';
import { buildAuthorizedFetch } from './authorized-fetch.js';
import { plainExchange } from './exchange.js';
import { readAuthorizedFetchOptions } from './options.js';
import type { AuthorizedFetch, AuthorizedFetchOptions } from './types.js';

/**
 * Creates a `fetch` that calls a third-party API with a user's credential from the Grantex vault,
 * without the calling code ever seeing it. The credential is exchanged for the grant token on first
 * use, kept until its expiry (five minutes when it has none), shared by concurrent calls, and
 * exchanged again once when the upstream answers 401. It is sent only to `allowedOrigins`: any
 * other origin, a URL with userinfo, or a host written ambiguously (trailing dot, Unicode, escapes)
 * is refused with an `AuthorizedFetchError` before anything is sent. A refused exchange throws a
 * `VaultExchangeError` with the server's code. Bad options throw `GrantexConfigurationError` here.
 *
 * @example
 * ```ts
 * import { createAuthorizedFetch } from '@grantex/sdk/vault';
 *
 * const github = createAuthorizedFetch({ grantToken, service: 'github', allowedOrigins: ['https://api.github.com'] });
 * const repos = await (await github('https://api.github.com/user/repos')).json();
 * ```
 */
export function createAuthorizedFetch(options: AuthorizedFetchOptions): AuthorizedFetch {
  const settings = readAuthorizedFetchOptions(options, false);
  const fetchImpl = settings.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  // The client's default: GRANTEX_BASE_URL, else the public API (read here, so that the client's
  // lazily loaded copy of this code does not share the client's modules).
  const baseUrl = settings.baseUrl ?? (readEnv('GRANTEX_BASE_URL') ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  return buildAuthorizedFetch(settings, plainExchange(baseUrl, settings.service, fetchImpl), fetchImpl);
}
