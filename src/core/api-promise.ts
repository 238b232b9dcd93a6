import { parseRateLimit, type RateLimitInfo } from '../errors.js';

/**
 * The HTTP details of a successful call, for logging and tracing. (The API puts a request id only
 * in error bodies, where it is `error.requestId`; successful responses carry none.)
 *
 * @example
 * ```ts
 * const { data, status, rateLimit } = await client.agents.get(agentId).withResponse();
 * console.log(status, rateLimit.remaining, data.name);
 * ```
 */
export interface ResponseInfo<T> {
  /** The typed, deeply readonly result, as `await` gives it. */
  readonly data: T;
  /** The HTTP status of the final attempt (e.g. 200, 201, 204). */
  readonly status: number;
  /** The response headers of the final attempt. */
  readonly headers: Headers;
  /** The `X-RateLimit-*` values of this response (fields are `undefined` when not sent). */
  readonly rateLimit: RateLimitInfo;
  /** The final URL requested (after retries, always the same URL). */
  readonly url: string;
}

/**
 * What the transport resolves with: the typed data plus the raw response it came from. Used to
 * build an {@link ApiPromise}; callers see it only through {@link ApiPromise.withResponse}.
 */
export interface RawResult<T> {
  /** The typed result. */
  readonly data: T;
  /** The response of the final attempt (its body already read). */
  readonly response: Response;
  /** The URL that was requested. */
  readonly url: string;
}

/**
 * The result of every API method: await it for the typed data, or call
 * {@link ApiPromise.withResponse} to also get the status, headers and rate-limit state.
 *
 * The request starts when the method is called, whether or not the promise is awaited.
 *
 * @example
 * ```ts
 * const agent = await client.agents.get('ag_123');
 * const { data, status, rateLimit } = await client.agents.get('ag_123').withResponse();
 * ```
 */
export class ApiPromise<T> implements PromiseLike<T> {
  readonly #raw: Promise<RawResult<T>>;
  #data: Promise<T> | undefined;

  /** Wraps a request already under way. API methods create these; callers do not. */
  constructor(raw: Promise<RawResult<T>>) {
    this.#raw = raw;
  }

  #dataPromise(): Promise<T> {
    this.#data ??= this.#raw.then((result) => result.data);
    return this.#data;
  }

  /**
   * Resolves with the typed data; what makes `await` work. A failed call rejects with a
   * `GrantexError` subclass.
   *
   * @example
   * ```ts
   * client.agents.list().then(({ agents }) => console.log(agents.length));
   * ```
   */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#dataPromise().then(onfulfilled, onrejected);
  }

  /**
   * Handles a failed call, like `Promise.prototype.catch`.
   *
   * @example
   * ```ts
   * const agent = await client.agents.get(agentId).catch((error) => (isApiError(error) && error.status === 404 ? undefined : Promise.reject(error)));
   * ```
   */
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#dataPromise().catch(onrejected);
  }

  /**
   * Runs a callback once the call settles, like `Promise.prototype.finally`.
   *
   * @example
   * ```ts
   * await client.audit.log(entry).finally(() => span.end());
   * ```
   */
  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#dataPromise().finally(onfinally);
  }

  /**
   * Resolves with the data together with the HTTP status, headers and rate-limit state. Makes no
   * second request: it reads the same response as `await`.
   *
   * @example
   * ```ts
   * const { data, status, headers } = await client.grants.get(grantId).withResponse();
   * console.log(status, headers.get('x-ratelimit-remaining'), data.status);
   * ```
   */
  async withResponse(): Promise<ResponseInfo<T>> {
    const { data, response, url } = await this.#raw;
    return {
      data,
      status: response.status,
      headers: response.headers,
      rateLimit: parseRateLimit(response.headers),
      url,
    };
  }

  /** Makes `Object.prototype.toString` print `[object ApiPromise]`. */
  get [Symbol.toStringTag](): string {
    return 'ApiPromise';
  }
}
