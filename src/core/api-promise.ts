import { parseRateLimit, type RateLimitInfo } from '../errors.js';

/**
 * The HTTP details of a successful call, for logging and tracing. (The API puts a request id only
 * in error bodies, where it is `error.requestId`; successful responses carry none.)
 */
export interface ResponseInfo<T> {
  readonly data: T;
  readonly status: number;
  readonly headers: Headers;
  readonly rateLimit: RateLimitInfo;
  /** The final URL requested (after retries, always the same URL). */
  readonly url: string;
}

/** What the transport resolves with: the typed data plus the raw response it came from. */
export interface RawResult<T> {
  readonly data: T;
  readonly response: Response;
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

  constructor(raw: Promise<RawResult<T>>) {
    this.#raw = raw;
  }

  #dataPromise(): Promise<T> {
    this.#data ??= this.#raw.then((result) => result.data);
    return this.#data;
  }

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#dataPromise().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#dataPromise().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#dataPromise().finally(onfinally);
  }

  /** Resolves with the data together with the HTTP status, headers and rate-limit state. */
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

  get [Symbol.toStringTag](): string {
    return 'ApiPromise';
  }
}
