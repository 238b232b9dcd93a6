/**
 * The one request path. A `Transport` turns a row of the generated operation table plus the
 * caller's arguments into one call on a ky instance made once per client, then reads, checks and
 * shapes the answer: typed errors, no redirects, validation modes and secret redaction everywhere.
 * This file holds the call flow only; each step is its own module:
 * request-build.ts (the request), ky-instance.ts (ky, its hooks and retry options), attempt.ts
 * (each attempt's timer), retry-policy.ts (who owns which part of retrying), response-body.ts
 * (reading the body under its cap), answer-shape.ts (parsing, validating, decoding), failure.ts
 * (the error tree), event-transport.ts (the live event feed).
 */
import type { KyInstance, Options as KyOptions } from 'ky';

import { ApiPromise, type RawResult } from '../core/api-promise.js';
import { PagePromise } from '../core/pagination.js';
import type { RequestOptions } from '../core/options.js';
import { GrantexError, GrantexInvalidArgumentError, GrantexInvalidResponseError, parseRateLimit, type RateLimitInfo } from '../errors.js';
import type { EventStream, EventStreamOptions } from '../events/types.js';
import { createApiError } from './api-errors.js';
import { shapeAnswer } from './answer-shape.js';
import { displayUrl, release, type CallState } from './attempt.js';
import { bespokeSteps } from './bespoke.js';
import { checkViewCredential } from './commerce.js';
import { openEventFeed, openEventSocketFeed } from './event-transport.js';
import { callFailure, isHTTPError } from './failure.js';
import { HEADER_BREAK } from './header-text.js';
import { createKy } from './ky-instance.js';
import type { OperationSpec } from './operation.js';
import { prepareRequest, type RequestIdentity } from './request-build.js';
import { parseLoose, readBody } from './response-body.js';
import { ALL_METHODS, SAFE_METHODS, retryDecision } from './retry-policy.js';
import type { TransportConfig } from './transport-config.js';

export type { TransportConfig } from './transport-config.js';

/** The names `RequestOptions` declares: anything else in a call's options is refused. */
const CALL_OPTIONS = ['signal', 'timeout', 'maxRetries', 'headers', 'idempotencyKey'] as const satisfies readonly (keyof RequestOptions)[];

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
  /** The client's configuration and, on credential views, the view's credential and kind. */
  readonly #identity: RequestIdentity;
  /** The retry options of a write with an idempotency key and no limit of its own: the same every time. */
  readonly #writeRetry: KyOptions['retry'];

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
    this.#identity = { config, bearer, view };
    this.#writeRetry = Object.freeze({ limit: config.maxRetries, methods: ALL_METHODS });
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
    return openEventFeed(prepareRequest(this.#identity, op, [], undefined, {}), this.#config.fetch, this.#shared.closer.signal, options);
  }

  /** Opens the live event feed over a WebSocket (runtimes whose WebSocket can send headers). */
  socket(op: OperationSpec, options: EventStreamOptions | undefined): EventStream {
    return openEventSocketFeed(prepareRequest(this.#identity, op, [], undefined, {}), this.#shared.closer.signal, options);
  }

  #runtime(): Promise<Runtime> {
    // ky and the validators load with the first request, not with `import '@grantex/sdk'`.
    this.#shared.runtime ??= Promise.all([import('ky'), import('./validate.js')]).then(([kyModule, validation]) => {
      this.#shared.loaded = { ky: createKy(kyModule.default, this.#config, this.#shared.closer.signal), validation };
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

  async #run<T>(op: OperationSpec, args: readonly unknown[], params: unknown, options: RequestOptions): Promise<RawResult<T>> {
    if (this.closed) throw new GrantexError('This Grantex client has been closed', 'CLIENT_CLOSED');
    // A misspelt option (`timeOut`, `idempotency_key`) would otherwise be dropped without a word,
    // like an unknown constructor option is refused.
    if (typeof options !== 'object' || options === null) throw new GrantexInvalidArgumentError(`${op.call} takes its request options as an object`);
    for (const name in options) {
      if (!Object.hasOwn(options, name)) continue;
      if (!(CALL_OPTIONS as readonly string[]).includes(name) && !this.#config.clientOptionsInCalls?.has(name)) {
        throw new GrantexInvalidArgumentError(`Unknown request option ${JSON.stringify(name)} for ${op.call}; request options are ${CALL_OPTIONS.join(', ')}`);
      }
    }
    const config = this.#config;
    const timeout = options.timeout ?? config.timeout;
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0 || timeout > 2_147_483_647) {
      throw new GrantexInvalidArgumentError('timeout must be a number of milliseconds between 0 and 2147483647');
    }
    const prepared = prepareRequest(this.#identity, op, args, params, options);
    const state: CallState = {
      op,
      secrets: prepared.secrets,
      timeout,
      url: prepared.url,
      displayUrl: undefined,
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
    // keys win even so. ky merges every key of these options into a new object, one key at a
    // time, so only keys with a value are set.
    const kyOptions: KyOptions & { grantex: CallState } =
      config.fetchOptions === undefined
        ? { method: op.method, headers: prepared.headers, grantex: state }
        : { ...config.fetchOptions, method: op.method, headers: prepared.headers, grantex: state };
    if (options.signal) kyOptions.signal = options.signal;
    if (prepared.body !== undefined) kyOptions.body = prepared.body;
    const limit = options.maxRetries ?? op.retries;
    const writeRetriable = prepared.idempotencyKey !== undefined && (op.method === 'POST' || op.method === 'PATCH');
    // Only a call with its own limit, a retriable write or its own signal (whose abort must end
    // the waits) needs retry options of its own; the rest use the instance's.
    if (limit === undefined && writeRetriable && !options.signal) {
      kyOptions.retry = this.#writeRetry;
    } else if (limit !== undefined || writeRetriable || options.signal) {
      const retry: NonNullable<Exclude<KyOptions['retry'], number>> = {};
      if (limit !== undefined || writeRetriable) {
        retry.limit = Math.max(0, Math.floor(limit ?? config.maxRetries));
        retry.methods = writeRetriable ? ALL_METHODS : SAFE_METHODS;
      }
      if (options.signal) retry.shouldRetry = retryDecision(this.#shared.closer.signal, config.maxRetryAfter * 1000, options.signal);
      kyOptions.retry = retry;
    }

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
        throw callFailure(error, state, options.signal?.aborted === true || this.closed, config.baseUrl);
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
      const data = shapeAnswer<T>({ config, check: runtime.validation.check, schemas, secrets: state.secrets }, op, text, response.status, isResult);
      return new CallResult(data, response, state);
    } catch (error) {
      release(state);
      throw callFailure(error, state, options.signal?.aborted === true || this.closed, config.baseUrl);
    }
  }

  #trackRateLimit(headers: Headers): void {
    // A response without the headers (a proxy's error page, a public route) keeps the last known state.
    if (!headers.has('x-ratelimit-limit') && !headers.has('x-ratelimit-remaining')) return;
    this.#shared.lastRateLimit = parseRateLimit(headers);
  }
}

/**
 * What a call resolves with. A class rather than an object literal with a getter: V8 builds such a
 * literal through a runtime call on every call, while `url` stays redacted on first use only.
 */
class CallResult<T> implements RawResult<T> {
  readonly data: T;
  readonly response: Response;
  readonly #state: CallState;

  constructor(data: T, response: Response, state: CallState) {
    this.data = data;
    this.response = response;
    this.#state = state;
  }

  get url(): string {
    return displayUrl(this.#state);
  }
}
