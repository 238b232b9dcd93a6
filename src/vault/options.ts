/**
 * Reads the options of an authorized fetch once, at creation: every bad value is a
 * `GrantexConfigurationError` naming the option, and the result is a frozen copy that later
 * changes to the caller's object cannot loosen.
 */
import { GrantexConfigurationError } from '../errors.js';
import { readAllowedOrigin } from './origin.js';
import type { AuthorizedFetchOptions } from './types.js';

/** The same rule as the vault's: a lower-case service name. */
const SERVICE = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
/** An HTTP token (RFC 9110), for header names and auth schemes. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const KNOWN = new Set(['grantToken', 'getGrantToken', 'service', 'allowedOrigins', 'baseUrl', 'inject', 'fetch', 'followRedirects', 'now']);

/** How the credential is written into a request. */
export type Injection = { readonly kind: 'header'; readonly name: string; readonly scheme: string | undefined } | { readonly kind: 'query'; readonly name: string };

/** The checked, normalised options. */
export interface AuthorizedFetchSettings {
  readonly grantToken: (() => string | Promise<string>) | string;
  readonly service: string;
  readonly allowedOrigins: ReadonlySet<string>;
  /** Without a trailing slash; `undefined` when not given (the caller applies its default). */
  readonly baseUrl: string | undefined;
  readonly injection: Injection;
  readonly fetch: typeof fetch | undefined;
  readonly followRedirects: boolean;
  readonly now: () => number;
}

/** Checks the options; `forClient` refuses `baseUrl`, which the client's own configuration decides. */
export function readAuthorizedFetchOptions(options: AuthorizedFetchOptions, forClient: boolean): AuthorizedFetchSettings {
  if (typeof options !== 'object' || options === null) throw new GrantexConfigurationError('authorizedFetch options must be an object');
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name) || (forClient && name === 'baseUrl')) {
      const hint = name === 'baseUrl' ? ' (client.vault.authorizedFetch uses the client\'s baseUrl)' : '';
      throw new GrantexConfigurationError(`Unknown authorizedFetch option ${JSON.stringify(name)}${hint}`);
    }
  }
  const { grantToken, getGrantToken, service, allowedOrigins, baseUrl, inject, fetch, followRedirects, now } = options;
  if ((grantToken === undefined) === (getGrantToken === undefined)) throw new GrantexConfigurationError('Pass either grantToken or getGrantToken');
  if (grantToken !== undefined && !isToken(grantToken)) throw new GrantexConfigurationError('grantToken must be a non-empty string without spaces or line breaks');
  if (getGrantToken !== undefined && typeof getGrantToken !== 'function') throw new GrantexConfigurationError('getGrantToken must be a function');
  if (typeof service !== 'string' || !SERVICE.test(service)) throw new GrantexConfigurationError('service must match ^[a-z0-9][a-z0-9._-]{0,63}$, e.g. "github"');
  if (!Array.isArray(allowedOrigins) || allowedOrigins.length === 0) {
    throw new GrantexConfigurationError('allowedOrigins must list at least one origin, e.g. ["https://api.github.com"]');
  }
  const origins = new Set(allowedOrigins.map(readAllowedOrigin));
  if (baseUrl !== undefined && (typeof baseUrl !== 'string' || !/^https?:\/\//i.test(baseUrl) || !parses(baseUrl))) {
    throw new GrantexConfigurationError('baseUrl must be an absolute http(s) URL');
  }
  if (fetch !== undefined && typeof fetch !== 'function') throw new GrantexConfigurationError('fetch must be a function');
  if (followRedirects !== undefined && typeof followRedirects !== 'boolean') throw new GrantexConfigurationError('followRedirects must be true or false');
  if (now !== undefined && typeof now !== 'function') throw new GrantexConfigurationError('now must be a function returning a Date or epoch milliseconds');
  return Object.freeze({
    grantToken: getGrantToken ?? grantToken!,
    service,
    allowedOrigins: origins,
    baseUrl: baseUrl?.replace(/\/+$/, ''),
    injection: readInjection(inject),
    fetch,
    followRedirects: followRedirects ?? false,
    now: now ? () => toMs(now()) : () => Date.now(),
  });
}

/** True for a string that can follow `Bearer ` in a header. */
export function isToken(value: unknown): value is string {
  return typeof value === 'string' && /^[\x21-\x7e]+$/.test(value);
}

function readInjection(inject: unknown): Injection {
  if (inject === undefined) return { kind: 'header', name: 'authorization', scheme: 'Bearer' };
  if (typeof inject !== 'object' || inject === null) throw new GrantexConfigurationError('inject must be { header, scheme? } or { query }');
  const { header, scheme, query } = inject as { header?: unknown; scheme?: unknown; query?: unknown };
  if ((header === undefined) === (query === undefined)) throw new GrantexConfigurationError('inject takes either header or query');
  if (header !== undefined) {
    if (typeof header !== 'string' || !TOKEN.test(header)) throw new GrantexConfigurationError('inject.header must be a header name');
    if (scheme !== undefined && (typeof scheme !== 'string' || !TOKEN.test(scheme))) throw new GrantexConfigurationError('inject.scheme must be one word, e.g. "Bearer"');
    return { kind: 'header', name: header.toLowerCase(), scheme: scheme as string | undefined };
  }
  if (scheme !== undefined) throw new GrantexConfigurationError('inject.scheme applies to a header only');
  if (typeof query !== 'string' || query === '') throw new GrantexConfigurationError('inject.query must be a non-empty parameter name');
  return { kind: 'query', name: query };
}

function parses(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

function toMs(value: Date | number): number {
  return value instanceof Date ? value.getTime() : value;
}
