/**
 * Client options: their defaults, their checks, and the transport they configure. Every bad value
 * is refused here, at construction, with a `GrantexConfigurationError` naming the option.
 */
import { GrantexConfigurationError, type GrantexResponseValidationError } from '../errors.js';
import { VERSION } from '../version.js';
import { isBrowser, readEnv } from './env.js';
import { levelled, type Logger, type LogLevel } from './log.js';
import { Transport, type RequestEvent, type ResponseEvent, type ValidationMode } from './transport.js';

/** The API the client talks to unless `baseUrl` or `GRANTEX_BASE_URL` says otherwise. */
export const DEFAULT_BASE_URL = 'https://api.grantex.dev';
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_MAX_RETRY_AFTER_SECONDS = 60;
/** Far above any real answer (the largest are compliance exports), far below what hurts a process. */
const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const MAX_TIMER_MS = 2_147_483_647;
/** More retries than this would only hide an outage. */
const MAX_RETRIES = 100;
const HEADER_BREAK = /[\r\n\0]/;

/**
 * Options of `new Grantex(options)`. Every field is optional; invalid values make the constructor
 * throw `GrantexConfigurationError`.
 *
 * @example
 * ```ts
 * const client = new Grantex({ apiKey, baseUrl: 'http://localhost:3001', timeout: 10_000, idempotencyKeys: 'auto' });
 * ```
 */
export interface GrantexOptions {
  /**
   * Your API key. Defaults to the `GRANTEX_API_KEY` environment variable where one exists. Without
   * a key the client still makes the public calls (health, JWKS, consent, signup, …).
   */
  readonly apiKey?: string;
  /** Defaults to `https://api.grantex.dev`; set it for a self-hosted or local server. */
  readonly baseUrl?: string;
  /** Per-attempt timeout in milliseconds, including reading the body. Default 30 000; 0 disables. */
  readonly timeout?: number;
  /** Retries after the first attempt on connection errors, 408, 429 and 5xx. Default 2. */
  readonly maxRetries?: number;
  /**
   * The longest `Retry-After` (seconds) the client waits for before retrying; a longer requested
   * wait fails at once with a `RateLimitError` carrying `retryAfter`. Default 60.
   */
  readonly maxRetryAfter?: number;
  /** The largest response body read, in bytes; a larger one fails with code `RESPONSE_TOO_LARGE`. Default 32 MiB. */
  readonly maxResponseBytes?: number;
  /** How responses are checked against the spec: `strict` (default) throws, `warn` logs, `off` skips. */
  readonly validation?: ValidationMode;
  /** Called with each response that fails validation in `warn` mode (default: the logger's `warn`). */
  readonly onValidationWarning?: (error: GrantexResponseValidationError) => void;
  /**
   * `auto` sends a fresh `Idempotency-Key` with every POST and PATCH so they can be retried too;
   * `manual` (default) retries writes only when a call passes its own `idempotencyKey`.
   */
  readonly idempotencyKeys?: 'auto' | 'manual';
  /** A custom fetch (for proxies, tracing, tests). Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Extra options passed to every fetch call, e.g. `{ dispatcher }` for a proxy on Node. */
  readonly fetchOptions?: Readonly<Record<string, unknown>>;
  /** Headers added to every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Called before every attempt (retries included). Never sees credentials or bodies. */
  readonly onRequest?: (event: RequestEvent) => void;
  /** Called after every attempt that produced an HTTP response. */
  readonly onResponse?: (event: ResponseEvent) => void;
  /** Where log lines go (anything console-shaped). Default: `console`. */
  readonly logger?: Logger;
  /** The lowest severity logged; `debug` logs one line per attempt. Default: `GRANTEX_LOG` or `warn`. */
  readonly logLevel?: LogLevel;
  /**
   * An API key in a web page is a leaked key: in a browser the client refuses one unless this is
   * set (for internal tools where the user is the key's owner).
   */
  readonly dangerouslyAllowBrowser?: boolean;
}

/**
 * Options for the static calls that need no API key (`Grantex.signup`, `Grantex.confirmEmailVerification`):
 * every {@link GrantexOptions} field except `apiKey`.
 *
 * @example
 * ```ts
 * const options: PublicClientOptions = { baseUrl: 'http://localhost:3001', maxRetries: 0 };
 * await Grantex.confirmEmailVerification(token, options);
 * ```
 */
export type PublicClientOptions = Omit<GrantexOptions, 'apiKey'>;

const KNOWN_OPTIONS = new Set([
  'apiKey', 'baseUrl', 'timeout', 'maxRetries', 'maxRetryAfter', 'maxResponseBytes', 'validation', 'onValidationWarning',
  'idempotencyKeys', 'fetch', 'fetchOptions', 'headers', 'onRequest', 'onResponse', 'logger', 'logLevel', 'dangerouslyAllowBrowser',
  // Per-call options may ride along on the static calls.
  'signal', 'idempotencyKey',
]);

/** Checks the options and builds the transport a client runs on. */
export function createTransport(options: GrantexOptions, useKey: boolean): Transport {
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
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (typeof value !== 'string' || HEADER_BREAK.test(name) || HEADER_BREAK.test(value) || name.trim() === '') {
      throw new GrantexConfigurationError(`Header ${JSON.stringify(name.replace(HEADER_BREAK, ' '))} is not a valid header: a name and string value without line breaks`);
    }
    headers[name] = value;
  }
  let apiKey: string | undefined;
  if (useKey) {
    const given = options.apiKey ?? readEnv('GRANTEX_API_KEY');
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
    timeout,
    maxRetries,
    maxRetryAfter,
    maxResponseBytes,
    validation,
    fetch: options.fetch,
    fetchOptions: options.fetchOptions,
    headers,
    idempotencyKeys,
    onRequest: options.onRequest,
    onResponse: options.onResponse,
    onValidationWarning: options.onValidationWarning,
    logger,
    logLevel: level,
  });
}

/** The transport of a static call: the given options, never an API key. */
export function publicTransport(options: PublicClientOptions | undefined): Transport {
  const { signal: _signal, idempotencyKey: _key, ...rest } = (options ?? {}) as PublicClientOptions & { signal?: unknown; idempotencyKey?: unknown };
  return createTransport(rest, false);
}

function isAbsoluteUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
