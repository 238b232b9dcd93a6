/**
 * The request engine behind every resource method. It owns one generated ky client per `Grantex`
 * instance and adds what the generator leaves to us: typed errors, retries that never duplicate a
 * write, a timeout that also covers reading the body, validation modes, and secret redaction.
 */
import type { HTTPError, Options as KyOptions } from 'ky';
import { getDotPath, isValiError, type BaseIssue } from 'valibot';

import type { Client } from '../../generated/client/index.js';
import { ApiPromise, type RawResult } from '../core/api-promise.js';
import {
  createApiError,
  GrantexAbortError,
  GrantexConnectionError,
  GrantexError,
  GrantexInvalidArgumentError,
  GrantexInvalidResponseError,
  GrantexResponseValidationError,
  GrantexTimeoutError,
  isGrantexError,
  parseRateLimit,
  parseRetryAfter,
  redactSecrets,
  type RateLimitInfo,
} from '../errors.js';
import { VERSION } from '../version.js';
import { isBrowser } from './env.js';

/** How strictly responses are checked against the spec. */
export type ValidationMode = 'strict' | 'warn' | 'off';

/** What a request hook sees: never the Authorization header or the body. */
export interface RequestEvent {
  readonly operation: string;
  readonly method: string;
  readonly url: string;
  /** 0 for the first attempt, 1 for the first retry, … */
  readonly retryCount: number;
}

/** What a response hook sees. */
export interface ResponseEvent extends RequestEvent {
  readonly status: number;
  readonly headers: Headers;
  readonly durationMs: number;
}

export interface TransportOptions {
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  readonly timeout: number;
  readonly maxRetries: number;
  readonly maxRetryAfter: number;
  readonly validation: ValidationMode;
  readonly fetch: typeof fetch | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly idempotencyKeys: 'auto' | 'manual';
  readonly onRequest: ((event: RequestEvent) => void) | undefined;
  readonly onResponse: ((event: ResponseEvent) => void) | undefined;
  readonly onValidationWarning: ((error: GrantexResponseValidationError) => void) | undefined;
}

/** Options accepted by every API method as its last argument. */
export interface RequestOptions {
  /** Cancels the request, including any wait between retries. */
  readonly signal?: AbortSignal;
  /** Per-attempt timeout in milliseconds, including reading the body. */
  readonly timeout?: number;
  /** Retries after the first attempt (connection errors, 408, 429, 5xx). */
  readonly maxRetries?: number;
  /** Extra headers for this call. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Makes a POST or PATCH safe to retry: the same key is sent on every attempt so the server can
   * recognise a repeat. Without a key, writes are never retried.
   */
  readonly idempotencyKey?: string;
}

/** The options a generated operation function receives from {@link Transport.call}. */
export interface OperationOptions {
  client: Client;
  throwOnError: true;
  meta: { operation: string };
  signal: AbortSignal;
  headers: Record<string, string>;
  timeout: number | false;
  retry: KyOptions['retry'];
  kyOptions: Pick<KyOptions, 'fetch' | 'hooks'>;
  auth?: string;
}

/** Per-call extras that only the SDK layer sets. */
export interface CallExtras {
  /** Authenticate this call with a different bearer token (grant, SCIM or session token). */
  readonly bearer?: string;
  /** A token sent in the body: scrubbed from any error text, like the API key. */
  readonly secret?: string;
}

type GeneratedResult<T> = Promise<{ data: T; response: Response; request: Request }>;

const IDEMPOTENT_METHODS = ['get', 'put', 'head', 'delete', 'options', 'trace'] as const;
const ALL_RETRYABLE_METHODS = [...IDEMPOTENT_METHODS, 'post', 'patch'] as const;
const RETRY_STATUS_CODES = [408, 429, 500, 502, 503, 504];
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export class Transport {
  readonly #options: TransportOptions;
  #client: Promise<Client> | undefined;
  readonly #closer = new AbortController();
  readonly #fetch: typeof fetch;
  #lastRateLimit: RateLimitInfo | undefined;

  constructor(options: TransportOptions) {
    this.#options = options;
    const baseFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
    this.#fetch = bufferingFetch(baseFetch);
  }

  /**
   * The generated client, created on the first request. Importing ky is what makes Node set up its
   * fetch implementation, so loading it lazily keeps `import '@grantex/sdk'` cheap; the first
   * request would pay that cost anyway.
   */
  #getClient(): Promise<Client> {
    this.#client ??= import('../../generated/client/index.js').then(({ createClient, createConfig }) => {
      const client = createClient(
        createConfig({
          baseUrl: this.#options.baseUrl.replace(/\/+$/, ''),
          auth: this.#options.apiKey,
          throwOnError: true,
          // Always parse as JSON: an HTML page or a lying content-type then surfaces as a typed
          // error instead of a string that silently skips validation.
          parseAs: 'json',
          headers: this.#defaultHeaders(),
        }),
      );
      client.interceptors.request.use((request, opts) => {
        this.#applyValidationMode(opts as unknown as MutableOpts);
        return request;
      });
      client.interceptors.response.use(async (response, _request, opts) => {
        const rateLimit = parseRateLimit(response.headers);
        if (rateLimit.limit !== undefined || rateLimit.remaining !== undefined) this.#lastRateLimit = rateLimit;
        if (response.ok) await checkEmptyBody(response, opts as unknown as MutableOpts);
        return response;
      });
      client.interceptors.error.use((error, response, _request, opts) => this.#toSdkError(error, response, opts as unknown as MutableOpts));
      return client;
    });
    return this.#client;
  }

  /** Rate-limit state from the most recent response that carried it. */
  get lastRateLimit(): RateLimitInfo | undefined {
    return this.#lastRateLimit;
  }

  get closed(): boolean {
    return this.#closer.signal.aborted;
  }

  /** Cancels in-flight requests and refuses new ones. */
  close(): void {
    this.#closer.abort();
  }

  /**
   * Runs one generated operation with the instance's client and the caller's options, and maps
   * every failure to the SDK's error tree.
   */
  call<T>(
    operation: string,
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    run: (options: OperationOptions) => GeneratedResult<T>,
    options: RequestOptions | undefined,
    extras?: CallExtras,
  ): ApiPromise<T> {
    return new ApiPromise(this.#execute(operation, method, run, options ?? {}, extras));
  }

  async #execute<T>(
    operation: string,
    method: string,
    run: (options: OperationOptions) => GeneratedResult<T>,
    options: RequestOptions,
    extras: CallExtras | undefined,
  ): Promise<RawResult<T>> {
    if (this.closed) throw new GrantexError('This Grantex client has been closed', 'CLIENT_CLOSED');
    if (extras?.bearer !== undefined && (typeof extras.bearer !== 'string' || extras.bearer.trim() === '')) {
      throw new GrantexInvalidArgumentError(`${operation} needs a non-empty token`);
    }
    const headers: Record<string, string> = { ...options.headers };
    let idempotencyKey = options.idempotencyKey;
    if (idempotencyKey === undefined && this.#options.idempotencyKeys === 'auto' && (method === 'post' || method === 'patch')) {
      idempotencyKey = randomKey();
    }
    if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;

    const signal = options.signal
      ? AbortSignal.any([options.signal, this.#closer.signal])
      : this.#closer.signal;
    const timeout = options.timeout ?? this.#options.timeout;
    if (!Number.isFinite(timeout) || timeout < 0 || timeout > 2_147_483_647) {
      throw new GrantexInvalidArgumentError('timeout must be a number of milliseconds between 0 and 2147483647');
    }
    const secrets = [this.#options.apiKey, extras?.bearer, extras?.secret];
    const callOptions: OperationOptions = {
      client: await this.#getClient(),
      throwOnError: true,
      meta: { operation },
      signal,
      headers,
      timeout: timeout > 0 ? timeout : false,
      retry: this.#retryOptions(options.maxRetries ?? this.#options.maxRetries, idempotencyKey !== undefined),
      kyOptions: { fetch: this.#fetch, hooks: this.#hooks(operation) },
      ...(extras?.bearer !== undefined ? { auth: extras.bearer } : {}),
    };
    try {
      const { data, response, request } = await run(callOptions);
      return { data, response, url: request.url };
    } catch (error) {
      throw finalizeError(error, { signal: options.signal, closer: this.#closer.signal, timeout, secrets, operation });
    }
  }

  #defaultHeaders(): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json', ...this.#options.headers };
    // Browsers send their own User-Agent, and a custom header would fail the API's CORS preflight.
    if (!isBrowser()) headers['User-Agent'] = `grantex-typescript/${VERSION}`;
    return headers;
  }

  #retryOptions(limit: number, hasIdempotencyKey: boolean): KyOptions['retry'] {
    const maxRetryAfterMs = this.#options.maxRetryAfter * 1000;
    return {
      limit: Math.max(0, Math.floor(limit)),
      methods: [...(hasIdempotencyKey ? ALL_RETRYABLE_METHODS : IDEMPOTENT_METHODS)],
      statusCodes: RETRY_STATUS_CODES,
      afterStatusCodes: [429, 503],
      maxRetryAfter: maxRetryAfterMs,
      backoffLimit: 8_000,
      delay: (attempt) => 500 * 2 ** (attempt - 1),
      jitter: true,
      retryOnTimeout: true,
      // A server asking for a longer wait than we are willing to give is answered at once, so the
      // caller sees the wait instead of a silently shortened retry that would be refused again.
      shouldRetry: ({ error }) => {
        if (!isHTTPError(error)) return undefined;
        const retryAfter = parseRetryAfter(error.response.headers.get('retry-after'));
        if (retryAfter !== undefined && retryAfter * 1000 > maxRetryAfterMs) return false;
        return undefined;
      },
    };
  }

  /** Per-attempt hooks, so a retry is visible to logging and tracing as its own request. */
  #hooks(operation: string): KyOptions['hooks'] {
    const { onRequest, onResponse } = this.#options;
    if (!onRequest && !onResponse) return {};
    const started = new Map<number, number>();
    return {
      beforeRequest: [
        (request, _options, { retryCount }) => {
          started.set(retryCount, Date.now());
          if (onRequest) observe(() => onRequest({ operation, method: request.method, url: request.url, retryCount }));
        },
      ],
      afterResponse: [
        (request, _options, response, { retryCount }) => {
          if (!onResponse) return;
          observe(() => onResponse({
            operation,
            method: request.method,
            url: request.url,
            retryCount,
            status: response.status,
            headers: response.headers,
            durationMs: Date.now() - (started.get(retryCount) ?? Date.now()),
          }));
        },
      ],
    };
  }

  #applyValidationMode(opts: MutableOpts): void {
    const validate = opts.responseValidator;
    if (!validate) return;
    const mode = this.#options.validation;
    if (mode === 'off') {
      opts.responseValidator = undefined;
      return;
    }
    if (mode === 'warn') {
      const warn = this.#options.onValidationWarning ?? defaultValidationWarning;
      const operation = opts.meta?.operation ?? 'unknown operation';
      opts.responseValidator = async (data: unknown) => {
        try {
          await validate(data);
        } catch (error) {
          if (!isValiError(error)) throw error;
          warn(new GrantexResponseValidationError(operation, toIssues(error.issues)));
        }
      };
    }
  }

  #toSdkError(error: unknown, response: Response | undefined, opts: MutableOpts | undefined): unknown {
    const operation = opts?.meta?.operation;
    if (isGrantexError(error)) return error;
    if (isValiError(error)) {
      return new GrantexResponseValidationError(operation ?? 'unknown operation', toIssues(error.issues), response?.status);
    }
    // A non-2xx answer: the generated client hands us the parsed body (or its text).
    if (response && !response.ok && !(error instanceof Error)) {
      return apiErrorFromBody(response, error, operation, [this.#options.apiKey, opts?.auth]);
    }
    if (error instanceof SyntaxError) {
      return new GrantexInvalidResponseError(`Response of ${operation ?? 'the request'} is not valid JSON`, {
        ...(response ? { status: response.status } : {}),
        ...(operation ? { operation } : {}),
      });
    }
    return error;
  }
}

interface MutableOpts {
  responseValidator?: ((data: unknown) => Promise<unknown>) | undefined;
  meta?: { operation?: string };
  auth?: string;
  method?: string;
}

/**
 * Wraps fetch so that each attempt reads the whole body before ky's timeout stops counting:
 * a server that sends headers and then stalls is a timeout, not a hang.
 */
function bufferingFetch(baseFetch: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await baseFetch(input, init);
    if (NULL_BODY_STATUSES.has(response.status) || response.body === null) {
      return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
    const body = await response.arrayBuffer();
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** A 2xx with no body is only acceptable where the spec promises no body. */
async function checkEmptyBody(response: Response, opts: MutableOpts): Promise<void> {
  const validate = opts.responseValidator;
  if (!validate) return;
  const empty = response.status === 204 || response.headers.get('content-length') === '0';
  if (!empty) return;
  try {
    await validate(undefined);
  } catch {
    const operation = opts.meta?.operation ?? 'the request';
    throw new GrantexInvalidResponseError(`Response of ${operation} has no body, but the API promises one`, {
      status: response.status,
      ...(opts.meta?.operation ? { operation: opts.meta.operation } : {}),
    });
  }
}

function apiErrorFromBody(
  response: Response,
  body: unknown,
  operation: string | undefined,
  secrets: readonly (string | undefined)[],
): GrantexError {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  const serverMessage = typeof record?.['message'] === 'string' ? record['message'] : undefined;
  const scimDetail = typeof record?.['detail'] === 'string' ? record['detail'] : undefined;
  const message = redactSecrets(serverMessage ?? scimDetail ?? `HTTP ${response.status}`, secrets);
  const code = typeof record?.['code'] === 'string' ? record['code'] : defaultCode(response.status);
  const requestId = typeof record?.['requestId'] === 'string' ? record['requestId'] : undefined;
  return createApiError({
    status: response.status,
    message,
    code,
    requestId,
    headers: response.headers,
    body: typeof body === 'string' ? redactSecrets(body, secrets) : body,
    operation,
  });
}

function defaultCode(status: number): string {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 422) return 'VALIDATION_ERROR';
  if (status === 429) return 'RATE_LIMIT_EXCEEDED';
  if (status >= 500) return 'INTERNAL_ERROR';
  return 'BAD_REQUEST';
}

interface FinalizeContext {
  readonly signal: AbortSignal | undefined;
  readonly closer: AbortSignal;
  readonly timeout: number;
  readonly secrets: readonly (string | undefined)[];
  readonly operation: string;
}

// ky's own guards would load ky; its errors are recognised by name, as its guards also allow.
function isHTTPError(error: unknown): error is HTTPError {
  return error instanceof Error && error.name === 'HTTPError' && 'response' in error;
}

function isTimeoutError(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError' && 'request' in error;
}

/** Turns whatever escaped the generated client into an SDK error, last line of defence. */
function finalizeError(error: unknown, context: FinalizeContext): GrantexError {
  if (isGrantexError(error)) return error;
  if (context.signal?.aborted || context.closer.aborted) return new GrantexAbortError();
  if (isTimeoutError(error)) return new GrantexTimeoutError(context.timeout);
  if (isHTTPError(error)) {
    // Only reachable if ky threw before the generated client could read the body.
    return createApiError({
      status: error.response.status,
      message: `HTTP ${error.response.status}`,
      code: defaultCode(error.response.status),
      requestId: undefined,
      headers: error.response.headers,
      body: undefined,
      operation: context.operation,
    });
  }
  if (error instanceof TypeError || (error instanceof Error && error.name === 'AbortError')) {
    // The network error itself is safe to keep: it carries no request headers.
    return new GrantexConnectionError(`Could not complete ${context.operation}: ${redactSecrets(error.message, context.secrets)}`, {
      cause: error,
    });
  }
  const name = error instanceof Error ? error.name : typeof error;
  return new GrantexError(`Unexpected failure in ${context.operation} (${name})`, 'UNEXPECTED_ERROR');
}

/**
 * Runs a logging or tracing hook. A hook that throws must not fail, or retry, the request it
 * observes; its error is reported on the console instead.
 */
function observe(hook: () => void): void {
  try {
    hook();
  } catch (error) {
    console.warn('[grantex] an onRequest/onResponse hook threw; the request goes on', error);
  }
}

/** A random UUID v4 for idempotency keys; `randomUUID` exists only in secure browser contexts. */
function randomKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function toIssues(issues: readonly BaseIssue<unknown>[]): { path: string; message: string }[] {
  return issues.map((issue) => ({ path: getDotPath(issue) ?? '', message: issue.message }));
}

function defaultValidationWarning(error: GrantexResponseValidationError): void {
  // `console` exists on every runtime the SDK supports.
  console.warn(`[grantex] ${error.message}`);
}

/**
 * Validates a path parameter before it reaches the URL. Encoding handles `/` and `?`, but the
 * dot segments `.` and `..` survive encoding and would be resolved away by URL parsing.
 */
export function pathParam(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new GrantexInvalidArgumentError(`${name} must be a non-empty string`);
  }
  if (value === '.' || value === '..') {
    throw new GrantexInvalidArgumentError(`${name} cannot be "." or ".."`);
  }
  return value;
}
