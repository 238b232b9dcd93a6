import { getHealth, getJwks } from '../../generated/sdk.gen.js';
import type { GetHealthResponse, GetJwksResponse } from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import type { DeepReadonly } from '../core/types.js';
import { InternalServerError } from '../errors.js';
import { resultFromError } from '../internal/results.js';
import type { RequestOptions, Transport } from '../internal/transport.js';

/**
 * Public service endpoints: health and the token-signing keys. Exposed as `health()` and `jwks()`.
 *
 * @example
 * ```ts
 * const { status } = await client.health();
 * const { keys } = await client.jwks();
 * ```
 */
export class System {
  readonly #transport: Transport;

  /** Created by the client; reached through `client.health()` and `client.jwks()`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * The service's health. A degraded service answers 503 with the same report, which is returned
   * rather than thrown, and not retried: a health check wants the current answer.
   *
   * @example
   * ```ts
   * const { status, database, redis } = await client.health();
   * ```
   */
  health(options?: RequestOptions): ApiPromise<DeepReadonly<GetHealthResponse>> {
    return this.#transport.call(
      'getHealth',
      'get',
      (o) =>
        getHealth(o).catch((error: unknown) => {
          if (error instanceof InternalServerError && error.status === 503 && isHealthReport(error.body)) {
            return resultFromError(error, error.body);
          }
          throw error;
        }),
      { ...options, maxRetries: options?.maxRetries ?? 0 },
    );
  }

  /**
   * The JSON Web Key Set whose RSA key verifies grant tokens (public; exempt from rate limits).
   *
   * @example
   * ```ts
   * const { keys } = await client.jwks();
   * ```
   */
  jwks(options?: RequestOptions): ApiPromise<DeepReadonly<GetJwksResponse>> {
    return this.#transport.call('getJwks', 'get', (o) => getJwks(o), options);
  }
}

function isHealthReport(body: unknown): body is GetHealthResponse {
  return typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'degraded';
}
