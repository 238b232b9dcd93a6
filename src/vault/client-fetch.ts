/**
 * `client.vault.authorizedFetch` once loaded: the same authorized fetch, with the exchange sent
 * through the client (its base URL, retries, timeout, hooks and logger) and the client's refusals
 * turned into the same `VaultExchangeError` as the plain path's.
 */
import { GrantTokenError, isApiError } from '../errors.js';
import { buildAuthorizedFetch } from './authorized-fetch.js';
import { readAnswer, toExchangeError, type Exchange } from './exchange.js';
import { readAuthorizedFetchOptions } from './options.js';
import type { AuthorizedFetch, AuthorizedFetchOptions } from './types.js';

/** Runs the client's `vault.exchange` for one grant token and service; resolves with its answer. */
export type ClientExchange = (grantToken: string, service: string) => Promise<unknown>;

export function clientAuthorizedFetch(options: AuthorizedFetchOptions, call: ClientExchange, clientFetch: typeof fetch | undefined): AuthorizedFetch {
  const settings = readAuthorizedFetchOptions(options, true);
  const exchange: Exchange = async (grantToken) => {
    let answer: unknown;
    try {
      answer = await call(grantToken, settings.service);
    } catch (error) {
      // The client reports a refused grant token as GrantTokenError with the API error as cause.
      const apiError = error instanceof GrantTokenError && isApiError(error.cause) ? error.cause : isApiError(error) ? error : undefined;
      throw apiError ? toExchangeError(apiError, settings.service) : error;
    }
    return readAnswer(answer, 200);
  };
  const upstream = settings.fetch ?? clientFetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  return buildAuthorizedFetch(settings, exchange, upstream);
}
