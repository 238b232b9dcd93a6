/**
 * Client options: their defaults, their checks, and the transport they configure. Every bad value
 * is refused here, at construction, with a `GrantexConfigurationError` naming the option.
 */
import { GrantexConfigurationError } from '../errors.js';
import { VERSION } from '../version.js';
import { isBrowser, lookupEnv, readEnv } from './env.js';
import { DEFAULT_BASE_URL, type GrantexOptions, type PublicClientOptions } from '../core/options.js';
import { levelled } from './log.js';
import { Transport } from './transport.js';
import { HEADER_BREAK } from './header-text.js';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_MAX_RETRY_AFTER_SECONDS = 60;
/** Far above any real answer (the largest are compliance exports), far below what hurts a process. */
const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const MAX_TIMER_MS = 2_147_483_647;
/** More retries than this would only hide an outage. */
const MAX_RETRIES = 100;

/**
 * What `fetchOptions` may carry: how fetch reaches the server, never what a call is. These are the
 * transport settings of `RequestInit` and of the runtimes' own fetch (Node's `dispatcher`, Deno's
 * `client`, Bun's `proxy`, `tls`, `unix` and `decompress`, workerd's `cf`). Method, URL, body,
 * headers, redirect and retry policy, error handling and hooks belong to the SDK: a spread config
 * object that set `redirect: 'follow'` or `prefixUrl` would replay a credential to another origin.
 */
const TRANSPORT_FETCH_OPTIONS = new Set([
  'cache', 'credentials', 'integrity', 'keepalive', 'mode', 'priority', 'referrerPolicy',
  'dispatcher', 'client', 'proxy', 'tls', 'unix', 'decompress', 'cf',
]);

/** Where to go instead, for the refused `fetchOptions` people reach for most. */
const FETCH_OPTION_HINTS: Readonly<Record<string, string>> = {
  headers: 'use the `headers` option',
  timeout: 'use the `timeout` option',
  retry: 'use the `maxRetries` option',
  signal: 'pass `signal` per call',
  fetch: 'use the `fetch` option',
  prefixUrl: 'use the `baseUrl` option',
  hooks: 'use the `onRequest` and `onResponse` options',
};

const KNOWN_OPTIONS = new Set([
  'apiKey', 'baseUrl', 'timeout', 'maxRetries', 'maxRetryAfter', 'maxResponseBytes', 'validation', 'onValidationWarning',
  'idempotencyKeys', 'fetch', 'fetchOptions', 'headers', 'onRequest', 'onResponse', 'logger', 'logLevel', 'dangerouslyAllowBrowser',
]);

/** Checks the options and builds the transport a client runs on. */
export function createTransport(options: GrantexOptions, useKey: boolean, staticCall = false): Transport {
  if (typeof options !== 'object' || options === null) throw new GrantexConfigurationError('Grantex options must be an object');
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw new GrantexConfigurationError(`Unknown option ${JSON.stringify(name)}`);
  }
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const maxRetryAfter = options.maxRetryAfter ?? DEFAULT_MAX_RETRY_AFTER_SECONDS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  // Timers cannot wait longer than 2^31 - 1 ms; larger values would fail on the first request.
  // `maxRetryAfter` is in seconds, so its bound is a thousand times smaller.
  const limits = [
    ['timeout', timeout, 0, MAX_TIMER_MS],
    ['maxRetryAfter', maxRetryAfter, 0, Math.floor(MAX_TIMER_MS / 1000)],
    ['maxRetries', maxRetries, 0, MAX_RETRIES],
    ['maxResponseBytes', maxResponseBytes, 1, Number.MAX_SAFE_INTEGER],
  ] as const;
  for (const [name, value, min, max] of limits) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new GrantexConfigurationError(`${name} must be a number from ${min} to ${max}`);
    }
  }
  const baseUrl = options.baseUrl ?? readEnv('GRANTEX_BASE_URL') ?? DEFAULT_BASE_URL;
  if (!isAbsoluteUrl(baseUrl)) throw new GrantexConfigurationError('baseUrl must be an absolute http(s) URL');
  const validation = options.validation ?? 'strict';
  if (validation !== 'strict' && validation !== 'warn' && validation !== 'off') {
    throw new GrantexConfigurationError("validation must be 'strict', 'warn' or 'off'");
  }
  const idempotencyKeys = options.idempotencyKeys ?? 'manual';
  if (idempotencyKeys !== 'auto' && idempotencyKeys !== 'manual') throw new GrantexConfigurationError("idempotencyKeys must be 'auto' or 'manual'");
  const headers: Record<string, string> = { Accept: 'application/json' };
  // Browsers send their own User-Agent, and a custom header would fail the API's CORS preflight.
  if (!isBrowser()) headers['User-Agent'] = `grantex-typescript/${VERSION}`;
  if (options.headers !== undefined && !isPlainRecord(options.headers)) throw new GrantexConfigurationError('headers must be an object of header names and string values');
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (typeof value !== 'string' || HEADER_BREAK.test(name) || HEADER_BREAK.test(value) || name.trim() === '') {
      throw new GrantexConfigurationError(`Header ${JSON.stringify(name.replace(HEADER_BREAK, ' '))} is not a valid header: a name and string value without line breaks`);
    }
    headers[name] = value;
  }
  let apiKey: string | undefined;
  let envDenied = false;
  if (useKey) {
    const fromEnv = options.apiKey === undefined ? lookupEnv('GRANTEX_API_KEY') : { value: undefined, denied: false };
    envDenied = fromEnv.denied;
    const given = options.apiKey ?? fromEnv.value;
    if (given !== undefined) {
      if (typeof given !== 'string' || given.trim() === '' || HEADER_BREAK.test(given)) {
        throw new GrantexConfigurationError('apiKey must be a non-empty string without line breaks');
      }
      if (isBrowser() && options.dangerouslyAllowBrowser !== true) {
        throw new GrantexConfigurationError(
          'An API key in a web page is visible to every visitor. Call Grantex from your server, or pass `dangerouslyAllowBrowser: true` if this page is only for the key\'s owner.',
        );
      }
      apiKey = given.trim();
    }
  }
  const { logger, level } = levelled(options.logger, options.logLevel);
  return new Transport({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    apiKey,
    envDenied,
    timeout,
    maxRetries,
    maxRetryAfter,
    maxResponseBytes,
    validation,
    fetch: options.fetch,
    fetchOptions: checkFetchOptions(options.fetchOptions),
    headers: Object.freeze(headers),
    idempotencyKeys,
    onRequest: options.onRequest,
    onResponse: options.onResponse,
    onValidationWarning: options.onValidationWarning,
    logger,
    logLevel: level,
    // A static call's options hold the client options it was built from, next to the call's own.
    ...(staticCall && { clientOptionsInCalls: KNOWN_OPTIONS }),
  });
}

/** The transport of a static call: the given options, never an API key (per-call-only options are left to the call). */
export function publicTransport(options: PublicClientOptions | undefined): Transport {
  const { signal: _signal, idempotencyKey: _key, ...rest } = (options ?? {}) as PublicClientOptions & { signal?: unknown; idempotencyKey?: unknown };
  return createTransport(rest, false, true);
}

/**
 * The options a client keeps, with `headers` and `fetchOptions` copied and frozen: a caller that
 * mutates its own objects afterwards changes nothing this client or a `withOptions` copy sends.
 */
export function snapshotOptions<T extends GrantexOptions>(options: T): T {
  if (typeof options !== 'object' || options === null) throw new GrantexConfigurationError('Grantex options must be an object');
  const copy: Record<string, unknown> = { ...(options as Record<string, unknown>) };
  for (const name of ['headers', 'fetchOptions'] as const) {
    const value: unknown = options[name];
    if (isPlainRecord(value)) copy[name] = Object.freeze({ ...value });
  }
  return copy as unknown as T;
}

/** A frozen copy of `fetchOptions` holding only transport settings; anything else is refused by name. */
function checkFetchOptions(value: unknown): Readonly<Record<string, unknown>> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainRecord(value)) throw new GrantexConfigurationError('fetchOptions must be an object of fetch transport settings, e.g. { dispatcher }');
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'string' && TRANSPORT_FETCH_OPTIONS.has(key)) continue;
    const name = String(key);
    const hint = typeof key === 'string' && Object.hasOwn(FETCH_OPTION_HINTS, key) ? `; ${FETCH_OPTION_HINTS[key]}` : '';
    throw new GrantexConfigurationError(
      `fetchOptions.${name} is not allowed: fetchOptions may only set how fetch connects (${[...TRANSPORT_FETCH_OPTIONS].join(', ')}), not the method, URL, body, headers, redirect or retry policy of a call${hint}`,
    );
  }
  return Object.freeze({ ...value });
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isAbsoluteUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
