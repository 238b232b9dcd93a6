import type { ApiPromise } from './core/api-promise.js';
import type { DeepReadonly } from './core/types.js';
import type { RateLimitInfo } from './errors.js';
import type { CreateAuthorizationRequestResponse } from '../generated/types.gen.js';
import { GrantexApi } from '../generated/sdk/client.gen.js';
import type { AuthorizeParams, GrantexOptions, RequestOptions } from './core/options.js';
import { createTransport, snapshotOptions } from './internal/config.js';
import type { Transport } from './internal/transport.js';
import { VaultNamespace } from './vault/namespace.js';

// `Symbol.asyncDispose` is in the ES2022+DOM libs of older setups only as a runtime value; this
// declaration lets consumers compile against `[Symbol.asyncDispose]` without `lib: esnext`.
declare global {
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

/**
 * The Grantex API client. Each instance owns its configuration and HTTP client; two instances
 * with two keys never share state. Every operation of the API is a method of a namespace
 * (`client.agents.get`, `client.grants.list`, …) generated from openapi.yaml.
 *
 * @example
 * ```ts
 * import { Grantex } from '@grantex/sdk';
 *
 * const client = new Grantex({ apiKey: process.env.GRANTEX_API_KEY });
 * const agent = await client.agents.register({ name: 'travel-assistant', scopes: ['booking:read'] });
 * const request = await client.authorize({ agentId: agent.agentId, userId: 'user_123', scopes: ['booking:read'] });
 * console.log(request.consentUrl);
 * ```
 */
export class Grantex extends GrantexApi {
  readonly #transport: Transport;
  readonly #options: GrantexOptions;
  /** The vault operations, plus `authorizedFetch` (a `fetch` that injects a vault credential). */
  declare readonly vault: VaultNamespace;

  /**
   * Creates a client. It makes no request. Without an API key (neither `apiKey` nor
   * `GRANTEX_API_KEY`) the public operations still work, and the others throw
   * `GrantexConfigurationError` before sending anything. An option out of range throws
   * `GrantexConfigurationError` here.
   *
   * @example
   * ```ts
   * const client = new Grantex({ apiKey: process.env.GRANTEX_API_KEY, maxRetries: 4 });
   * ```
   */
  constructor(options: GrantexOptions = {}) {
    // One snapshot serves both the transport and `withOptions`, so a getter or a later mutation of
    // the caller's objects cannot make the two disagree.
    const own = snapshotOptions(options);
    const transport = createTransport(own, true);
    super(transport);
    this.vault = new VaultNamespace(transport);
    this.#transport = transport;
    this.#options = own;
  }

  /**
   * A new client with some options changed. It shares nothing mutable with this one: closing
   * either leaves the other working, and rate-limit state is tracked separately.
   *
   * @example
   * ```ts
   * const patient = client.withOptions({ timeout: 120_000, maxRetries: 5 });
   * ```
   */
  withOptions(options: GrantexOptions): Grantex {
    return new Grantex({ ...this.#options, ...snapshotOptions(options) });
  }

  /**
   * Starts the consent flow: shortcut for `client.authorizations.create(params)`.
   *
   * @example
   * ```ts
   * const { consentUrl } = await client.authorize({ agentId, userId: 'user_123', scopes: ['calendar:read'] });
   * ```
   */
  authorize(params: AuthorizeParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreateAuthorizationRequestResponse>> {
    return this.authorizations.create(params, options);
  }

  /**
   * Rate-limit state from the most recent response that reported it; `undefined` before then.
   *
   * @example
   * ```ts
   * if ((client.lastRateLimit?.remaining ?? 1) === 0) await sleep(1_000);
   * ```
   */
  get lastRateLimit(): RateLimitInfo | undefined {
    return this.#transport.lastRateLimit;
  }

  /**
   * Cancels in-flight requests; later calls fail with code `CLIENT_CLOSED`. Other clients are not
   * affected.
   *
   * @example
   * ```ts
   * process.on('SIGTERM', () => client.close());
   * ```
   */
  close(): void {
    this.#transport.close();
  }

  /**
   * `await using client = new Grantex(...)` closes the client at the end of the scope.
   *
   * @example
   * ```ts
   * await using client = new Grantex({ apiKey });
   * await client.audit.log(entry);
   * ```
   */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}
