/**
 * Where a credential may go. An origin is allowed only when its scheme, host and port equal one of
 * the allowed origins, and only when the URL is written the way it resolves: a host spelled in
 * Unicode, with percent-escapes or a trailing dot reaches a server other than the one it reads as
 * (or the one it was compared with), so it is refused rather than normalised.
 */
import { GrantexConfigurationError } from '../errors.js';
import { AuthorizedFetchError, type AuthorizedFetchErrorCode } from './errors.js';

/** `scheme://authority`, as written; the authority ends where the parser ends it (`\` included). */
const PREFIX = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#\\]*)/;
const LOOPBACK = /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;

type Verdict = { readonly url: URL } | { readonly code: AuthorizedFetchErrorCode; readonly reason: string };

/**
 * Parses an absolute http(s) URL and checks that it is written unambiguously: no userinfo, and a
 * host written exactly as the URL parser resolves it (ASCII, lower or upper case, no trailing dot).
 */
export function checkUrl(text: string): Verdict {
  const prefix = PREFIX.exec(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { code: 'URL_INVALID', reason: 'is not an absolute URL' };
  }
  if (!prefix || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return { code: 'URL_INVALID', reason: 'is not an absolute http(s) URL written as scheme://host/…' };
  }
  const authority = prefix[2]!;
  if (authority.includes('@') || url.username !== '' || url.password !== '') {
    return { code: 'URL_USERINFO', reason: 'carries a user name or password before the host' };
  }
  const bracket = authority.startsWith('[') ? authority.indexOf(']') + 1 : 0;
  const colon = authority.indexOf(':', bracket);
  const host = colon === -1 ? authority : authority.slice(0, colon);
  if (/[^\x21-\x7e]/.test(host)) {
    return { code: 'HOST_NOT_CANONICAL', reason: 'has a host written with non-ASCII characters (an IDN look-alike or a Unicode spelling); write the punycode form' };
  }
  if (host.toLowerCase() !== url.hostname) {
    return { code: 'HOST_NOT_CANONICAL', reason: `has a host written as ${JSON.stringify(host)}, which resolves to ${JSON.stringify(url.hostname)}` };
  }
  if (url.hostname.endsWith('.')) {
    return { code: 'HOST_NOT_CANONICAL', reason: 'has a host with a trailing dot' };
  }
  return { url };
}

/** The origin text of one `allowedOrigins` entry, or a configuration error naming the problem. */
export function readAllowedOrigin(value: unknown): string {
  if (typeof value !== 'string') throw new GrantexConfigurationError('allowedOrigins must hold origin strings such as "https://api.github.com"');
  const verdict = checkUrl(value);
  if ('code' in verdict) throw new GrantexConfigurationError(`allowedOrigins: ${JSON.stringify(value)} ${verdict.reason}`);
  const { url } = verdict;
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '' || /[?#]$/.test(value)) {
    throw new GrantexConfigurationError(`allowedOrigins: ${JSON.stringify(value)} is not an origin (scheme, host and port only, no path)`);
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    throw new GrantexConfigurationError(`allowedOrigins: ${JSON.stringify(value)} is not https; plain http is allowed only for loopback hosts`);
  }
  return url.origin;
}

/**
 * The parsed URL of a request when its origin is allowed; otherwise an `AuthorizedFetchError`
 * that says why (the message names the origin, never a path or query, which may hold secrets).
 */
export function allowedUrl(text: string, allowed: ReadonlySet<string>): URL {
  const verdict = checkUrl(text);
  if ('code' in verdict) throw new AuthorizedFetchError(verdict.code, `Refused to send the credential: the URL ${verdict.reason}`);
  const { url } = verdict;
  if (!allowed.has(url.origin)) {
    const samePlace = [...allowed].some((origin) => {
      const other = new URL(origin);
      return other.hostname === url.hostname && other.protocol === url.protocol;
    });
    const detail = samePlace ? ' (another port)' : '';
    throw new AuthorizedFetchError('ORIGIN_NOT_ALLOWED', `Refused to send the credential to ${url.origin}${detail}: allowed are ${[...allowed].join(', ')}`);
  }
  return url;
}
