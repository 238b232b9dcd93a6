/**
 * The one request path. A `Transport` turns a row of the generated operation table plus the
 * caller's arguments into one call on a ky instance made once per client, then reads, checks and
 * shapes the answer: typed errors, no redirects, validation modes and secret redaction everywhere.
 * Who owns which part of retrying (ky counts attempts; the SDK waits, reads `Retry-After` and times
 * each attempt) is in retry-policy.ts; building a request's parts is in request-args.ts, reading
 * the body under its cap in response-body.ts.
 */
import type { HTTPError, KyInstance, Options as KyOptions } from 'ky';

import { ApiPromise, type RawResult } from '../core/api-promise.js';
import { PagePromise } from '../core/pagination.js';
import {
  GrantexAbortError,
  GrantexConfigurationError,
  GrantexConnectionError,
  GrantexError,
  GrantexInvalidArgumentError,
  GrantexInvalidResponseError,
  GrantexResponseValidationError,
  GrantexTimeoutError,
  isGrantexError,
  parseRateLimit,
  parseRetryAfter,
  type RateLimitInfo,
} from '../errors.js';
import { createApiError, redactHeaders, redactIssues, redactText, sanitizeCause } from './api-errors.js';
import { MAX_IDEMPOTENCY_KEY_LENGTH, callerKindOf, checkAmounts, checkCaller, checkViewCredential, commerceRetryVerdict } from './commerce.js';
import { lazyEventStream } from '../events/lazy.js';
import type { EventStream, EventStreamOptions } from '../events/types.js';
import { backoffCeiling } from './backoff.js';
import { bespokeSteps } from './bespoke.js';
import { decodeAt, parseLoose, readBody } from './response-body.js';
import { checkToken, encodePathParam, pathValue, randomKey, redactUrl } from './request-args.js';
import { ALL_METHODS, FIRST_BACKOFF_MS, MAX_BACKOFF_MS, RETRY_STATUS_CODES, SAFE_METHODS, sleep } from './retry-policy.js';
import { HEADER_BREAK } from './header-text.js';
import type { Logger, LogLevel, RequestEvent, RequestOptions, ResponseEvent, ValidationMode } from '../core/options.js';
import type { OperationSpec } from './operation.js';

/** The names `RequestOptions` declares: anything else in a call's options is refused. */
const CALL_OPTIONS = ['signal', 'timeout', 'maxRetries', 'headers', 'idempotencyKey'] as const satisfies readonly (keyof RequestOptions)[];

/** The validated, normalised client configuration a transport runs with (see config.ts). */
export interface TransportConfig {
  /** Set for a static call's transport: client option names its calls' options may also hold. */
  readonly clientOptionsInCalls?: ReadonlySet<string>;
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  /** True when the runtime refused to read GRANTEX_API_KEY (Deno without --allow-env). */
  readonly envDenied: boolean;
  readonly timeout: number;
  readonly maxRetries: number;
  readonly maxRetryAfter: number;
  readonly maxResponseBytes: number;
  readonly validation: ValidationMode;
  readonly fetch: typeof fetch | undefined;
  readonly fetchOptions: Readonly<Record<string, unknown>> | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly idempotencyKeys: 'auto' | 'manual';
  readonly onRequest: ((event: RequestEvent) => void) | undefined;
  readonly onResponse: ((event: ResponseEvent) => void) | undefined;
  readonly onValidationWarning: ((error: GrantexResponseValidationError) => void) | undefined;
  readonly logger: Logger;
  readonly logLevel: LogLevel;
}

/** What one call carries through ky to its fetch wrapper and hooks. */
interface CallState {
  readonly op: OperationSpec;
  readonly secrets: readonly string[];
  readonly timeout: number;
  readonly displayUrl: string;
  /** True when the caller passed a signal, which ky then folds into each request's signal. */
  readonly callerSignal: boolean;
  /** The client's in-flight attempts, which `close()` aborts. */
  readonly inFlight: Set<AbortController>;
  /** Aborted by `close()`; an attempt that would start after it does not. */
  readonly closer: AbortSignal;
  controller: AbortController | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  timedOut: boolean;
  started: number;
}

interface Runtime {
  readonly ky: KyInstance;
  readonly validation: typeof import('./validate.js');
}

/** State shared by a client and the credential views made from it. */
interface Shared {
  runtime: Promise<Runtime> | undefined;
  /** The runtime once loaded, so later calls skip an await. */
  loaded: Runtime | undefined;
  readonly schemas: Map<string, Promise<Record<string, unknown>>>;
  readonly schemasLoaded: Map<string, Record<string, unknown>>;
  readonly inFlight: Set<AbortController>;
  readonly closer: AbortController;
  lastRateLimit: RateLimitInfo | undefined;
}


export class Transport {
  readonly #config: TransportConfig;
  readonly #shared: Shared;
  readonly #bearer: string | undefined;
  /** Set on commerce credential views: the bearer is that kind of caller's credential. */
  readonly #view: 'merchant' | 'agent' | undefined;
  readonly #baseHeaders: Record<string, string>;

  // `shared` is typed loosely so that the published declarations name neither ky nor valibot.
  constructor(config: TransportConfig, shared?: object, bearer?: string, view?: 'merchant' | 'agent') {
    this.#config = config;
    this.#shared = (shared as Shared | undefined) ?? {
      runtime: undefined,
      loaded: undefined,
      schemas: new Map(),
      schemasLoaded: new Map(),
      inFlight: new Set(),
      closer: new AbortController(),
      lastRateLimit: undefined,
    };
    this.#bearer = bearer;
    this.#view = view;
    this.#baseHeaders = { ...config.headers };
  }

  /** A transport for the same client whose calls authenticate with `token` (credential views). */
  withBearer(token: string): Transport {
    if (typeof token !== 'string' || token.trim() === '' || HEADER_BREAK.test(token)) {
      throw new GrantexInvalidArgumentError('withToken needs a non-empty token without line breaks');
    }
    return new Transport(this.#config, this.#shared, token.trim());
  }

  /** A transport whose commerce calls are made as a merchant or an agent, with that caller's credential. */
  asCommerceCaller(view: 'merchant' | 'agent', credential: string): Transport {
    return new Transport(this.#config, this.#shared, checkViewCredential(view, credential), view);
  }

  get config(): TransportConfig {
    return this.#config;
  }

  get lastRateLimit(): RateLimitInfo | undefined {
    return this.#shared.lastRateLimit;
  }

  get closed(): boolean {
    return this.#shared.closer.signal.aborted;
  }

  /** Cancels in-flight requests and refuses new ones. */
  close(): void {
    this.#shared.closer.abort();
    for (const controller of this.#shared.inFlight) controller.abort();
    this.#shared.inFlight.clear();
  }

  /** Sends one operation; resolves with its shaped answer. */
  call<T>(op: OperationSpec, args: readonly unknown[], params: unknown, options: RequestOptions | undefined): ApiPromise<T> {
    return new ApiPromise<T>(this.#run<T>(op, args, params, options ?? {}));
  }

  /** Sends a list operation: await it for the first page, or iterate it for every item. */
  list<Page, Item>(op: OperationSpec, args: readonly unknown[], params: unknown, options: RequestOptions | undefined): PagePromise<Page, Item> {
    const fetchPage = (next: unknown) => this.#run<Page>(op, args, next, options ?? {});
    return new PagePromise<Page, Item>(fetchPage, (params ?? {}) as Record<string, unknown>, op.paginate ?? { style: 'single' });
  }

  /**
   * Opens the live event feed over Server-Sent Events. The stream code loads on the first
   * iteration; a missing key or a bad option throws here, before anything is sent.
   */
  stream(op: OperationSpec, options: EventStreamOptions | undefined): EventStream {
    const prepared = this.#prepare(op, [], undefined, {});
    const config = {
      url: prepared.url,
      headers: { ...prepared.headers, Accept: 'text/event-stream' },
      fetch: this.#config.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init)),
      secrets: prepared.secrets,
      signal: this.#shared.closer.signal,
    };
    return lazyEventStream(options, async () => (await import('../events/index.js')).openEventStream(config, options));
  }

  /** Opens the live event feed over a WebSocket (runtimes whose WebSocket can send headers). */
  socket(op: OperationSpec, options: EventStreamOptions | undefined): EventStream {
    const prepared = this.#prepare(op, [], undefined, {});
    const { Accept: _accept, ...headers } = prepared.headers;
    const config = { url: prepared.url.replace(/^http/, 'ws'), headers, secrets: prepared.secrets, signal: this.#shared.closer.signal };
    return lazyEventStream(options, async () => (await import('../events/index.js')).openEventSocket(config, options));
  }

  #runtime(): Promise<Runtime> {
    // ky and the validators load with the first request, not with `import '@grantex/sdk'`.
    this.#shared.runtime ??= Promise.all([import('ky'), import('./validate.js')]).then(([kyModule, validation]) => {
      this.#shared.loaded = { ky: this.#createKy(kyModule.default), validation };
      return this.#shared.loaded;
    });
    return this.#shared.runtime;
  }

  /** The response validators of one namespace, loaded on its first request. */
  #schemas(runtime: Runtime, group: string): Promise<Record<string, unknown>> {
    let loading = this.#shared.schemas.get(group);
    if (!loading) {
      const load = runtime.validation.validatorGroups[group];
      loading = (load ? load() : Promise.resolve({})).then((schemas) => {
        this.#shared.schemasLoaded.set(group, schemas);
        return schemas;
      });
      this.#shared.schemas.set(group, loading);
    }
    return loading;
  }

  /** The one ky instance of this client: retries, hooks and the fetch wrapper are built here, once. */
  #createKy(ky: KyInstance): KyInstance {
    const config = this.#config;
    const baseFetch = config.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
    const hooks: NonNullable<KyOptions['hooks']> = {};
    const observing = config.onRequest !== undefined || config.onResponse !== undefined || config.logLevel === 'debug';
    if (observing) {
      hooks.beforeRequest = [
        (request, options, { retryCount }) => {
          const state = (options as { grantex?: CallState }).grantex;
          if (!state || !config.onRequest) return;
          observe(config, 'onRequest', () => config.onRequest!(this.#event(state, request.method, retryCount)));
        },
      ];
      hooks.afterResponse = [
        (request, options, response, { retryCount }) => {
          const state = (options as { grantex?: CallState }).grantex;
          if (!state) return;
          const event = { ...this.#event(state, request.method, retryCount), status: response.status, headers: redactHeaders(response.headers, state.secrets), durationMs: Date.now() - state.started };
          if (config.logLevel === 'debug') {
            config.logger.debug(`[grantex] ${event.operation} ${event.method} ${event.path} -> ${event.status} in ${event.durationMs} ms (attempt ${retryCount + 1})`);
          }
          if (config.onResponse) observe(config, 'onResponse', () => config.onResponse!(event));
        },
      ];
    }
    if (config.logLevel === 'debug' || config.logLevel === 'info') {
      hooks.beforeRetry = [
        ({ request, options, error, retryCount }) => {
          const state = (options as { grantex?: CallState }).grantex;
          const reason = isHTTPError(error) ? `status ${error.response.status}` : state?.timedOut ? 'timeout' : 'connection error';
          config.logger.info(`[grantex] ${state?.op.call ?? 'request'} ${request.method} retry ${retryCount} after ${reason}`);
        },
      ];
    }
    return ky.create({
      timeout: false,
      throwHttpErrors: true,
      // The API never redirects: following one could replay a body that holds a credential to
      // another origin, or hand back another origin's answer as the API's.
      redirect: 'manual',
      retry: {
        limit: config.maxRetries,
        methods: SAFE_METHODS,
        statusCodes: RETRY_STATUS_CODES,
        // The waits between attempts are done in `shouldRetry`, where `close()` and the caller's
        // signal can cut them short without handing ky a signal to combine on every call.
        delay: () => 0,
        jitter: false,
        shouldRetry: this.#shouldRetry(undefined),
      },
      hooks,
      fetch: (input: RequestInfo | URL, init?: RequestInit) => attemptFetch(baseFetch, input as Request, init as AttemptInit),
    });
  }

  /**
   * Decides on a retry and waits for it: `Retry-After` on 429 and 503 (refused at once when longer
   * than `maxRetryAfter`, so the caller sees the wait), otherwise exponential backoff with full
   * jitter. The wait ends early when the client is closed or the caller aborts; then no retry.
   */
  #shouldRetry(callerSignal: AbortSignal | undefined): (state: { error: Error; retryCount: number }) => Promise<boolean> {
    const closer = this.#shared.closer.signal;
    const maxRetryAfterMs = this.#config.maxRetryAfter * 1000;
    return async ({ error, retryCount }) => {
      if (closer.aborted || callerSignal?.aborted) return false;
      // Full jitter: spreads out the retries of many clients that failed at the same moment.
      let wait = Math.random() * backoffCeiling(FIRST_BACKOFF_MS, MAX_BACKOFF_MS, retryCount);
      if (isHTTPError(error)) {
        const { status, headers } = error.response;
        // A commerce error body says itself whether a repeat can succeed; without one, the status decides.
        const verdict = status >= 400 ? await commerceRetryVerdict(error.response) : undefined;
        if (verdict === false || (verdict === undefined && !RETRY_STATUS_CODES.includes(status))) return false;
        const retryAfter = status === 429 || status === 503 ? parseRetryAfter(headers.get('retry-after')) : undefined;
        if (retryAfter !== undefined) {
          if (retryAfter * 1000 > maxRetryAfterMs) return false;
          wait = retryAfter * 1000;
        }
      }
      await sleep(wait, closer, callerSignal);
      return !closer.aborted && !callerSignal?.aborted;
    };
  }

  #event(state: CallState, method: string, retryCount: number): RequestEvent {
    return { operation: state.op.call, operationId: state.op.id, method, path: state.op.path, url: state.displayUrl, retryCount };
  }

  /** Turns the operation row and the caller's arguments into a URL, headers and body. */
  #prepare(op: OperationSpec, args: readonly unknown[], params: unknown, options: RequestOptions) {
    const config = this.#config;
    const secrets: string[] = [];
    let bearer = this.#bearer;
    let path = op.path;
    let query: Record<string, unknown> | undefined;
    let body: Record<string, unknown> | undefined;

    let input = params === undefined || params === null ? {} : params;
    if (typeof input !== 'object' || Array.isArray(input)) {
      throw new GrantexInvalidArgumentError(`${op.call} takes its parameters as an object`);
    }
    if (op.bespoke) input = bespokeSteps[op.bespoke]?.input?.(input as Record<string, unknown>) ?? input;
    const rename = op.rename;
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      const wire = rename?.[key] ?? key;
      if (op.query?.includes(wire)) (query ??= {})[wire] = value;
      else if (op.body) (body ??= {})[wire] = value;
      else throw new GrantexInvalidArgumentError(`${op.call} has no parameter named ${key}`);
    }
    const specArgs = op.args ?? [];
    for (let i = 0; i < specArgs.length; i++) {
      const [where, name] = specArgs[i]!;
      const value = args[i];
      if (where === 'bearer') {
        bearer = checkToken(op, value);
      } else if (where === 'path') {
        path = path.replace(`{${name}}`, encodePathParam(op, name!, value));
      } else if (where === 'query') {
        if (value !== undefined) (query ??= {})[name!] = value;
      } else {
        (body ??= {})[name!] = value;
      }
    }
    if (body === undefined && op.requiredBody) body = {};
    if (op.callers !== undefined && op.auth !== 'none') {
      // Commerce: a view's credential, else the client's key, and only of a kind the operation accepts.
      bearer = this.#view ? this.#bearer : config.apiKey;
      if (bearer === undefined) {
        throw new GrantexConfigurationError(`${op.call} needs a credential: pass \`new Grantex({ apiKey })\` or use client.commerce.asMerchant(key) / asAgent(credential)`);
      }
      checkCaller(op, this.#view ?? callerKindOf(bearer));
    } else if (op.auth === undefined) {
      if (config.apiKey === undefined) {
        throw new GrantexConfigurationError(
          config.envDenied
            ? `${op.call} needs an API key: pass \`new Grantex({ apiKey })\`, or let this program read GRANTEX_API_KEY (Deno: run with --allow-env=GRANTEX_API_KEY)`
            : `${op.call} needs an API key: pass \`new Grantex({ apiKey })\` or set the GRANTEX_API_KEY environment variable`,
        );
      }
      bearer = config.apiKey;
    } else if (op.auth === 'bearer' && bearer === undefined) {
      throw new GrantexInvalidArgumentError(`${op.call} needs a token`);
    } else if (op.auth === 'none') {
      bearer = undefined;
    }
    if (bearer !== undefined) secrets.push(bearer);
    if (config.apiKey !== undefined && config.apiKey !== bearer) secrets.push(config.apiKey);
    for (const secret of op.secrets ?? []) {
      const [where, name] = secret.split('.') as [string, string | undefined];
      const value = where === 'path' ? pathValue(op, args, name) : where === 'query' ? query?.[name!] : where === 'body' ? body?.[name!] : undefined;
      if (typeof value === 'string' && value !== '') secrets.push(value);
    }

    let url = config.baseUrl + path;
    if (query) {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (Array.isArray(value)) for (const item of value) search.append(key, String(item));
        else search.append(key, String(value));
      }
      const text = search.toString();
      if (text) url += `?${text}`;
    }

    const headers: Record<string, string> = { ...this.#baseHeaders };
    if (bearer !== undefined) headers['Authorization'] = `Bearer ${bearer}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.headers) {
      for (const [name, value] of Object.entries(options.headers)) {
        if (typeof value !== 'string' || HEADER_BREAK.test(name) || HEADER_BREAK.test(value)) {
          throw new GrantexInvalidArgumentError(`Header ${JSON.stringify(redactText(name, secrets))} of ${op.call} holds a line break or is not a string`);
        }
        headers[name] = value;
      }
    }
    checkAmounts(op, body);
    let idempotencyKey = options.idempotencyKey;
    // Operations that require a key get one generated, so a retry can never repeat the effect.
    if (idempotencyKey === undefined && (op.idempotency === 'required' || (config.idempotencyKeys === 'auto' && (op.method === 'POST' || op.method === 'PATCH')))) {
      idempotencyKey = randomKey();
    }
    if (idempotencyKey !== undefined) {
      if (typeof idempotencyKey !== 'string' || idempotencyKey === '' || HEADER_BREAK.test(idempotencyKey)) {
        throw new GrantexInvalidArgumentError('idempotencyKey must be a non-empty string without line breaks');
      }
      if (op.idempotency === 'required' && idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
        throw new GrantexInvalidArgumentError(`idempotencyKey of ${op.call} must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
      }
      headers['Idempotency-Key'] = idempotencyKey;
    }
    return { url, headers, body: body === undefined ? undefined : JSON.stringify(body), secrets, idempotencyKey };
  }

  async #run<T>(op: OperationSpec, args: readonly unknown[], params: unknown, options: RequestOptions): Promise<RawResult<T>> {
    if (this.closed) throw new GrantexError('This Grantex client has been closed', 'CLIENT_CLOSED');
    // A misspelt option (`timeOut`, `idempotency_key`) would otherwise be dropped without a word,
    // like an unknown constructor option is refused.
    if (typeof options !== 'object' || options === null) throw new GrantexInvalidArgumentError(`${op.call} takes its request options as an object`);
    for (const name of Object.keys(options)) {
      if (!(CALL_OPTIONS as readonly string[]).includes(name) && !this.#config.clientOptionsInCalls?.has(name)) {
        throw new GrantexInvalidArgumentError(`Unknown request option ${JSON.stringify(name)} for ${op.call}; request options are ${CALL_OPTIONS.join(', ')}`);
      }
    }
    const config = this.#config;
    const timeout = options.timeout ?? config.timeout;
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0 || timeout > 2_147_483_647) {
      throw new GrantexInvalidArgumentError('timeout must be a number of milliseconds between 0 and 2147483647');
    }
    const prepared = this.#prepare(op, args, params, options);
    const state: CallState = {
      op,
      secrets: prepared.secrets,
      timeout,
      displayUrl: redactUrl(prepared.url, prepared.secrets),
      callerSignal: options.signal !== undefined,
      inFlight: this.#shared.inFlight,
      closer: this.#shared.closer.signal,
      controller: undefined,
      timer: undefined,
      timedOut: false,
      started: Date.now(),
    };
    // Once loaded, the runtime and a namespace's validators are read without an await.
    const runtime = this.#shared.loaded ?? (await this.#runtime());
    const schemas =
      op.group !== undefined && config.validation !== 'off'
        ? (this.#shared.schemasLoaded.get(op.group) ?? (await this.#schemas(runtime, op.group)))
        : undefined;

    // No signal of the client's own goes to ky: `close()` aborts the in-flight attempts directly,
    // which spares ky combining signals on every call.
    // fetchOptions come first: they hold transport settings only (config.ts), and the SDK's own
    // keys win even so.
    const kyOptions: KyOptions & { grantex: CallState } = {
      ...config.fetchOptions,
      method: op.method,
      headers: prepared.headers,
      grantex: state,
    };
    if (options.signal) kyOptions.signal = options.signal;
    const retry: Record<string, unknown> = {};
    if (prepared.body !== undefined) kyOptions.body = prepared.body;
    const limit = options.maxRetries ?? op.retries;
    const writeRetriable = prepared.idempotencyKey !== undefined && (op.method === 'POST' || op.method === 'PATCH');
    if (limit !== undefined || writeRetriable) {
      retry['limit'] = Math.max(0, Math.floor(limit ?? config.maxRetries));
      retry['methods'] = writeRetriable ? ALL_METHODS : SAFE_METHODS;
    }
    // Only a call with its own signal needs its own retry decision (to end its waits on abort).
    if (options.signal) retry['shouldRetry'] = this.#shouldRetry(options.signal);
    if (retry['limit'] !== undefined || retry['shouldRetry']) kyOptions.retry = retry as KyOptions['retry'];

    let response: Response;
    let errorResponse: Response | undefined;
    try {
      response = await runtime.ky(prepared.url, kyOptions);
    } catch (error) {
      // An answer the caller or close() gave up on while waiting to retry is an abort, even when
      // its body was already read for a retry verdict and could still be parsed.
      if (isHTTPError(error) && !options.signal?.aborted && !this.closed) {
        response = error.response;
        errorResponse = response;
      } else {
        release(state);
        throw this.#failure(error, state, options.signal);
      }
    }
    try {
      this.#trackRateLimit(response.headers);
      if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
        void response.body?.cancel().catch(() => undefined);
        throw new GrantexInvalidResponseError(`${op.call} was answered with a redirect (${response.status}); the API never redirects, so it was not followed`, {
          status: response.status,
          operation: op.call,
          code: 'UNEXPECTED_REDIRECT',
        });
      }
      const isResult = errorResponse !== undefined && op.results?.includes(response.status) === true;
      const text = await readBody(response, config.maxResponseBytes, op);
      release(state);
      if (errorResponse !== undefined && !isResult) {
        const apiError = createApiError(response, parseLoose(text), op.call, state.secrets);
        throw op.bespoke ? bespokeSteps[op.bespoke]?.error?.(apiError) ?? apiError : apiError;
      }
      const data = this.#shape<T>(op, text, response.status, runtime, schemas, isResult, state.secrets);
      return { data, response, url: state.displayUrl };
    } catch (error) {
      release(state);
      throw this.#failure(error, state, options.signal);
    }
  }

  /** Parses, validates and decodes a successful answer. */
  #shape<T>(
    op: OperationSpec,
    text: string,
    status: number,
    runtime: Runtime,
    schemas: Record<string, unknown> | undefined,
    isResult: boolean,
    secrets: readonly string[],
  ): T {
    if (!op.validator && !isResult) return undefined as T;
    if (text === '') {
      throw new GrantexInvalidResponseError(`Response of ${op.call} has no body, but the API promises one`, { status, operation: op.call });
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new GrantexInvalidResponseError(`Response of ${op.call} is not valid JSON`, { status, operation: op.call });
    }
    const mode = this.#config.validation;
    if (mode !== 'off' && op.validator && schemas && !isResult) {
      const issues = runtime.validation.check(schemas[op.validator], data);
      if (issues.length > 0) {
        // Scrubbed before the error exists, so its message and stack never held a credential.
        const error = new GrantexResponseValidationError(op.call, redactIssues(issues, secrets), status);
        if (mode === 'strict') throw error;
        const warn = this.#config.onValidationWarning;
        if (warn) observe(this.#config, 'onValidationWarning', () => warn(error));
        else this.#config.logger.warn(`[grantex] ${error.message}`);
      }
    }
    for (const field of op.decode ?? []) data = decodeAt(data, field.split('.'), op.call);
    if (op.bespoke) {
      const output = bespokeSteps[op.bespoke]?.output;
      if (output) data = output(data);
    }
    return data as T;
  }

  #trackRateLimit(headers: Headers): void {
    // A response without the headers (a proxy's error page, a public route) keeps the last known state.
    if (!headers.has('x-ratelimit-limit') && !headers.has('x-ratelimit-remaining')) return;
    this.#shared.lastRateLimit = parseRateLimit(headers);
  }

  /** Maps whatever escaped the request to the SDK's error tree, with no credential left in it. */
  #failure(error: unknown, state: CallState, callerSignal: AbortSignal | undefined): GrantexError {
    if (isGrantexError(error)) return error;
    if (callerSignal?.aborted || this.#shared.closer.signal.aborted) return new GrantexAbortError();
    if (state.timedOut || isTimeoutError(error)) return new GrantexTimeoutError(state.timeout);
    if (isHTTPError(error)) {
      return createApiError(error.response, undefined, state.op.call, state.secrets);
    }
    const host = hostOf(this.#config.baseUrl);
    if (error instanceof TypeError || (error instanceof Error && (error.name === 'AbortError' || 'code' in error))) {
      const cause = sanitizeCause(error, state.secrets);
      const code = (cause as { code?: unknown }).code;
      const detail = typeof code === 'string' ? code : redactText(error.message, state.secrets);
      return new GrantexConnectionError(`${state.op.call} could not reach ${host}: ${detail}`, { cause });
    }
    const name = error instanceof Error ? error.name : typeof error;
    return new GrantexError(`Unexpected failure in ${state.op.call} (${name})`, 'UNEXPECTED_ERROR', { cause: sanitizeCause(error, state.secrets) });
  }
}

type AttemptInit = RequestInit & { grantex?: CallState | undefined };

/**
 * One attempt: fetch under a timer that keeps running until the caller has read the body, so a
 * server that sends headers and then stalls is a timeout, not a hang. ky calls this once per
 * attempt; the previous attempt's timer is cleared first.
 */
function attemptFetch(baseFetch: typeof fetch, request: Request, init: AttemptInit | undefined): Promise<Response> {
  const { grantex: state, ...rest } = init ?? {};
  if (!state) return baseFetch(request, rest);
  release(state);
  if (state.closer.aborted) return Promise.reject(new DOMException('The client was closed', 'AbortError'));
  const controller = new AbortController();
  state.controller = controller;
  state.inFlight.add(controller);
  state.timedOut = false;
  if (state.timeout > 0) {
    state.timer = setTimeout(() => {
      state.timedOut = true;
      controller.abort();
    }, state.timeout);
  }
  // ky's request signal only carries the caller's signal; without one, ours is enough.
  const signal = state.callerSignal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
  return baseFetch(request, { ...rest, signal });
}

/** Ends an attempt's timer and takes its controller out of the client's in-flight set. */
function release(state: CallState): void {
  clearTimeout(state.timer);
  state.timer = undefined;
  if (state.controller) {
    state.inFlight.delete(state.controller);
    state.controller = undefined;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the API';
  }
}

/**
 * Runs a logging or tracing hook. A hook that throws must not fail, or retry, the request it
 * observes; its error is reported through the logger instead.
 */
function observe(config: TransportConfig, name: string, hook: () => void): void {
  try {
    hook();
  } catch (error) {
    config.logger.warn(`[grantex] the ${name} hook threw (${error instanceof Error ? error.name : typeof error}); the request goes on`);
  }
}

// ky's own guards would load ky; its errors are recognised by name, as its guards also allow.
function isHTTPError(error: unknown): error is HTTPError {
  return error instanceof Error && error.name === 'HTTPError' && 'response' in error;
}

function isTimeoutError(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError' && 'request' in error;
}

