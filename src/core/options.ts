/**
 * The public option and event types of the client: what `new Grantex(options)` accepts, what every
 * method takes as its last argument, and what hooks and loggers receive.
 */
import type { CreateAuthorizationRequestData } from '../../generated/types.gen.js';
import type { GrantexResponseValidationError } from '../errors.js';

type WireAuthorizeBody = CreateAuthorizationRequestData['body'];

/** How strictly responses are checked against the spec: `strict` throws, `warn` logs, `off` skips. */
export type ValidationMode = 'strict' | 'warn' | 'off';

/** How much the client logs: `off`, or the lowest severity it prints. */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/** How strictly responses are checked against the spec. */

/**
 * What a request hook sees: the SDK method, the HTTP method and a URL with credentials redacted;
 * never the Authorization header or the body.
 *
 * @example
 * ```ts
 * const client = new Grantex({ apiKey, onRequest: (event) => console.log(event.operation, event.method, event.url) });
 * ```
 */
export interface RequestEvent {
  /** The SDK method, e.g. `agents.get`. */
  readonly operation: string;
  /** The spec's operationId, e.g. `getAgent`. */
  readonly operationId: string;
  readonly method: string;
  /** The path template, e.g. `/v1/agents/{id}`. */
  readonly path: string;
  /** The URL requested, with any credential in it replaced by `[redacted]`. */
  readonly url: string;
  /** 0 for the first attempt, 1 for the first retry, … */
  readonly retryCount: number;
}

/**
 * What a response hook sees. Header values that echo a credential are redacted.
 *
 * @example
 * ```ts
 * const client = new Grantex({ apiKey, onResponse: (event) => console.log(event.status, event.durationMs) });
 * ```
 */
export interface ResponseEvent extends RequestEvent {
  readonly status: number;
  readonly headers: Headers;
  readonly durationMs: number;
}

/**
 * Options accepted by every API method as its last argument.
 *
 * @example
 * ```ts
 * await client.agents.get(agentId, { timeout: 5_000, signal: AbortSignal.timeout(10_000) });
 * ```
 */
export interface RequestOptions {
  /** Cancels the request, including any wait between retries. */
  readonly signal?: AbortSignal | undefined;
  /** Per-attempt timeout in milliseconds, including reading the body. */
  readonly timeout?: number | undefined;
  /** Retries after the first attempt (connection errors, 408, 429, 5xx). */
  readonly maxRetries?: number | undefined;
  /** Extra headers for this call. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Makes a POST or PATCH safe to retry: the same key is sent on every attempt so the server can
   * recognise a repeat. Without a key, writes are never retried.
   */
  readonly idempotencyKey?: string | undefined;
}

/** The API the client talks to unless `baseUrl` or `GRANTEX_BASE_URL` says otherwise. */

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
  readonly apiKey?: string | undefined;
  /** Defaults to `https://api.grantex.dev`; set it for a self-hosted or local server. */
  readonly baseUrl?: string | undefined;
  /** Per-attempt timeout in milliseconds, including reading the body. Default 30 000; 0 disables. */
  readonly timeout?: number | undefined;
  /** Retries after the first attempt on connection errors, 408, 429 and 5xx. Default 2. */
  readonly maxRetries?: number | undefined;
  /**
   * The longest `Retry-After` (seconds) the client waits for before retrying; a longer requested
   * wait fails at once with a `RateLimitError` carrying `retryAfter`. Default 60.
   */
  readonly maxRetryAfter?: number | undefined;
  /** The largest response body read, in bytes; a larger one fails with code `RESPONSE_TOO_LARGE`. Default 32 MiB. */
  readonly maxResponseBytes?: number | undefined;
  /** How responses are checked against the spec: `strict` (default) throws, `warn` logs, `off` skips. */
  readonly validation?: ValidationMode | undefined;
  /**
   * Called with each response that fails validation in `warn` mode (default: the logger's `warn`).
   * Like the other hooks, one that throws does not fail the call.
   */
  readonly onValidationWarning?: ((error: GrantexResponseValidationError) => void) | undefined;
  /**
   * `auto` sends a fresh `Idempotency-Key` with every POST and PATCH so they can be retried too;
   * `manual` (default) retries writes only when a call passes its own `idempotencyKey`.
   */
  readonly idempotencyKeys?: 'auto' | 'manual' | undefined;
  /** A custom fetch (for proxies, tracing, tests). Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /**
   * Transport settings passed to every fetch call, e.g. `{ dispatcher }` for a proxy on Node. Only
   * settings of how fetch connects are accepted (`cache`, `credentials`, `integrity`, `keepalive`,
   * `mode`, `priority`, `referrerPolicy`, and the runtimes' `dispatcher`, `client`, `proxy`, `tls`,
   * `unix`, `decompress`, `cf`); anything that would change a call's method, URL, body, headers,
   * redirect or retry policy is refused at construction. Copied when the client is made.
   */
  readonly fetchOptions?: Readonly<Record<string, unknown>> | undefined;
  /** Headers added to every request. Copied when the client is made. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Called before every attempt (retries included). Never sees credentials or bodies. */
  readonly onRequest?: ((event: RequestEvent) => void) | undefined;
  /** Called after every attempt that produced an HTTP response. */
  readonly onResponse?: ((event: ResponseEvent) => void) | undefined;
  /** Where log lines go (anything console-shaped). Default: `console`. A logger that throws never fails a call. */
  readonly logger?: Logger | undefined;
  /** The lowest severity logged; `debug` logs one line per attempt. Default: `GRANTEX_LOG` or `warn`. */
  readonly logLevel?: LogLevel | undefined;
  /**
   * An API key in a web page is a leaked key: in a browser the client refuses one unless this is
   * set (for internal tools where the user is the key's owner).
   */
  readonly dangerouslyAllowBrowser?: boolean | undefined;
}

/**

/** How much the client logs: `off`, or the lowest severity it prints. */

/**
 * Anything with the four console methods, e.g. `console`, pino or winston.
 *
 * @example
 * ```ts
 * const logger: Logger = { debug: () => {}, info: console.info, warn: console.warn, error: console.error };
 * ```
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * The body of `client.authorize` / `client.authorizations.create`. `userId` is your id for the user;
 * the wire calls it `principalId`, and either name is accepted (not both).
 *
 * @example
 * ```ts
 * const params: AuthorizeParams = { agentId: 'ag_01HXYZ', userId: 'user_123', scopes: ['calendar:read'] };
 * ```
 */
export type AuthorizeParams = Omit<WireAuthorizeBody, 'principalId'> &
  ({ readonly userId: string; readonly principalId?: never } | { readonly principalId: string; readonly userId?: never });

/** The API the client talks to unless `baseUrl` or `GRANTEX_BASE_URL` says otherwise. */
export const DEFAULT_BASE_URL = 'https://api.grantex.dev';

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
