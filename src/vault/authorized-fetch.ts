/**
 * The request path of an authorized fetch: check the URL and the caller's headers, get the
 * credential, send it only to allowed origins, renew it once on a 401, and handle redirects
 * without letting the credential leave the allowed origins. Failures are scrubbed of the
 * credential and the grant token before they reach the caller.
 */
import { GrantexAbortError, GrantexConnectionError } from '../errors.js';
import { CredentialCache, type Held } from './credentials.js';
import { AuthorizedFetchError } from './errors.js';
import type { Exchange } from './exchange.js';
import { isToken, type AuthorizedFetchSettings } from './options.js';
import { allowedUrl } from './origin.js';
import { detachResponse } from './response.js';
import type { AuthorizedFetch } from './types.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** As fetch itself: more hops than this is a loop. */
const MAX_REDIRECTS = 20;
const BODY_HEADERS = ['content-type', 'content-encoding', 'content-language', 'content-location', 'content-length'];
const REDACTED = '[redacted]';

/** Builds the authorized fetch over an exchange (plain fetch, or the client's transport). */
export function buildAuthorizedFetch(settings: AuthorizedFetchSettings, exchange: Exchange, upstream: typeof fetch): AuthorizedFetch {
  const cache = new CredentialCache(exchange, settings.now);
  const { injection, allowedOrigins } = settings;

  return async function authorizedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const isRequest = typeof input === 'object' && input !== null && !(input instanceof URL) && typeof (input as Request).url === 'string';
    const first = allowedUrl(isRequest ? (input as Request).url : String(input), allowedOrigins);
    const request = new Request(isRequest ? (input as Request) : first.href, init);
    if (request.headers.has('authorization')) {
      throw new AuthorizedFetchError('AUTHORIZATION_CONFLICT', 'The request already has an Authorization header; an authorized fetch adds its own credential and does not replace a caller\'s');
    }
    if (injection.kind === 'header' && request.headers.has(injection.name)) {
      throw new AuthorizedFetchError('AUTHORIZATION_CONFLICT', `The request already has a ${injection.name} header, which is where the credential goes`);
    }
    if (injection.kind === 'query' && first.searchParams.has(injection.name)) {
      throw new AuthorizedFetchError('AUTHORIZATION_CONFLICT', `The URL already has a ${injection.name} query parameter, which is where the credential goes`);
    }
    const signal = request.signal;
    // Buffered, so that the request can be sent again after a 401 or a 307/308.
    let body = request.body === null ? undefined : await request.arrayBuffer();
    const grantToken = await readGrantToken(settings.grantToken);
    const { headers: _h, body: _b, method: _m, signal: _s, redirect: _r, ...passThrough } = init ?? {};
    const headers = new Headers(request.headers);
    let method = request.method;
    let held: Held | undefined;
    let renewed = false;
    let tainted = false;
    let url = first;

    const send = async (credential: Held | undefined): Promise<Response> => {
      const target = new URL(url);
      const outgoing = new Headers(headers);
      if (credential && injection.kind === 'header') outgoing.set(injection.name, injection.scheme ? `${injection.scheme} ${credential.value}` : credential.value);
      if (credential && injection.kind === 'query') target.searchParams.set(injection.name, credential.value);
      try {
        return await upstream(target.href, { ...passThrough, method, headers: outgoing, body, redirect: 'manual', signal });
      } catch (error) {
        if (signal.aborted) throw new GrantexAbortError();
        const cause = scrubCause(error, secretsOf(credential?.value, grantToken));
        const code = (cause as { code?: unknown }).code;
        throw new GrantexConnectionError(`Could not reach ${url.origin}${typeof code === 'string' ? `: ${code}` : ''}`, { cause });
      }
    };

    for (let hop = 0; ; hop++) {
      if (!tainted) held = await abortable(held ? Promise.resolve(held) : cache.get(grantToken), signal);
      let response = await send(tainted ? undefined : held);
      if (!tainted && response.status === 401 && !renewed) {
        // The stored credential may have been rotated or revoked upstream: ask the vault once more.
        renewed = true;
        void response.body?.cancel().catch(() => undefined);
        held = await abortable(cache.renew(grantToken, held!), signal);
        response = await send(held);
      }
      if (response.type === 'opaqueredirect') {
        throw new AuthorizedFetchError('REDIRECT_HIDDEN', 'The upstream answered with a redirect that this runtime hides (a browser); it was not followed');
      }
      const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null;
      if (!settings.followRedirects || location === null) return detachResponse(response, url.href, hop > 0);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return detachResponse(response, url.href, hop > 0);
      }
      const echoed = held !== undefined && secretsOf(held.value, grantToken).some((secret) => location.includes(secret));
      if ((next.protocol !== 'https:' && next.protocol !== 'http:') || next.username !== '' || next.password !== '' || echoed) {
        return detachResponse(response, url.href, hop > 0);
      }
      if (hop >= MAX_REDIRECTS) throw new AuthorizedFetchError('TOO_MANY_REDIRECTS', `More than ${MAX_REDIRECTS} redirects; the last was not followed`);
      void response.body?.cancel().catch(() => undefined);
      // Once a chain leaves the allowed origins, the credential is not added again: a foreign
      // server could otherwise point an authenticated request at any path of an allowed origin.
      if (!allowedOrigins.has(next.origin) || next.hostname.endsWith('.')) tainted = true;
      if (next.origin !== url.origin) {
        headers.delete('cookie');
        headers.delete('proxy-authorization');
      }
      if ((response.status === 303 && method !== 'HEAD') || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        for (const name of BODY_HEADERS) headers.delete(name);
      }
      url = next;
    }
  };
}

async function readGrantToken(source: AuthorizedFetchSettings['grantToken']): Promise<string> {
  if (typeof source === 'string') return source;
  let token: unknown;
  try {
    token = await source();
  } catch {
    throw new AuthorizedFetchError('GRANT_TOKEN_UNAVAILABLE', 'getGrantToken threw; nothing was sent');
  }
  if (!isToken(token)) throw new AuthorizedFetchError('GRANT_TOKEN_UNAVAILABLE', 'getGrantToken did not return a token (a non-empty string without spaces)');
  return token;
}

/** Waits for `promise` unless the caller's signal fires first (the shared exchange goes on for others). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new GrantexAbortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new GrantexAbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Every form in which a secret could show up in a URL or a message. */
function secretsOf(...values: (string | undefined)[]): string[] {
  return values.flatMap((value) => (value ? [value, encodeURIComponent(value), new URLSearchParams({ s: value }).toString().slice(2)] : []));
}

/**
 * A stand-in for an error from the upstream fetch: name, system code and message, with every
 * occurrence of a secret replaced whatever its length, and its causes treated the same way.
 */
function scrubCause(error: unknown, secrets: readonly string[], depth = 0): Error {
  const source = error instanceof Error ? error : undefined;
  let message = source ? source.message : String(error);
  for (const secret of secrets) message = message.split(secret).join(REDACTED);
  const copy = new Error(message);
  copy.name = source?.name ?? 'Error';
  const nested = (source as { cause?: unknown } | undefined)?.cause;
  // Runtimes put the system code (ECONNREFUSED, …) on the error or on its cause.
  const code = (source as { code?: unknown } | undefined)?.code ?? (nested as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' || typeof code === 'number') Object.defineProperty(copy, 'code', { value: code, enumerable: true });
  if (nested !== undefined && depth < 4) Object.defineProperty(copy, 'cause', { value: scrubCause(nested, secrets, depth + 1) });
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}
