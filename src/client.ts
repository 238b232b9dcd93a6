import type { SignupResponse } from '../generated/types.gen.js';
import type { ApiPromise } from './core/api-promise.js';
import type { DeepReadonly } from './core/types.js';
import { GrantexConfigurationError, type GrantexResponseValidationError, type RateLimitInfo } from './errors.js';
import { readEnv } from './internal/env.js';
import {
  Transport,
  type RequestEvent,
  type RequestOptions,
  type ResponseEvent,
  type ValidationMode,
} from './internal/transport.js';
import { Account, type SignupParams, type UpdateMeParams } from './resources/account.js';
import { Agents } from './resources/agents.js';
import { Anomalies } from './resources/anomalies.js';
import { Audit } from './resources/audit.js';
import { Authorizations, type AuthorizeParams } from './resources/authorizations.js';
import { Billing } from './resources/billing.js';
import { Compliance } from './resources/compliance.js';
import { Consent } from './resources/consent.js';
import { Grants } from './resources/grants.js';
import { Policies } from './resources/policies.js';
import { PrincipalSessions } from './resources/principal-sessions.js';
import { Scim } from './resources/scim.js';
import { Sso } from './resources/sso.js';
import { System } from './resources/system.js';
import { Tokens } from './resources/tokens.js';
import { Vault } from './resources/vault.js';
import { Webhooks } from './resources/webhooks.js';

/** The API the client talks to unless `baseUrl` or `GRANTEX_BASE_URL` says otherwise. */
export const DEFAULT_BASE_URL = 'https://api.grantex.dev';
/** The default per-attempt timeout, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** How many times a retryable failure is retried by default. */
export const DEFAULT_MAX_RETRIES = 2;
/** The longest `Retry-After`, in seconds, that the client waits for by default. */
export const DEFAULT_MAX_RETRY_AFTER_SECONDS = 60;
const MAX_TIMER_MS = 2_147_483_647;
/** More retries than this would only hide an outage. */
const MAX_RETRIES = 100;

/**
 * Options of {@link Grantex}. Every field is optional; invalid values make the constructor throw
 * `GrantexConfigurationError`.
 *
 * @example
 * ```ts
 * const client = new Grantex({ apiKey, baseUrl: 'http://localhost:3001', timeout: 10_000, idempotencyKeys: 'auto' });
 * ```
 */
export interface GrantexOptions {
  /** Your API key. Defaults to the `GRANTEX_API_KEY` environment variable where one exists. */
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
  /** How responses are checked against the spec: `strict` (default) throws, `warn` logs, `off` skips. */
  readonly validation?: ValidationMode;
  /** Called with each response that fails validation in `warn` mode (default: `console.warn`). */
  readonly onValidationWarning?: (error: GrantexResponseValidationError) => void;
  /**
   * `auto` sends a fresh `Idempotency-Key` with every POST and PATCH so they can be retried too;
   * `manual` (default) retries writes only when a call passes its own `idempotencyKey`.
   */
  readonly idempotencyKeys?: 'auto' | 'manual';
  /** A custom fetch (for proxies, tracing, tests). Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Headers added to every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Called before every attempt (retries included). Never sees credentials or bodies. */
  readonly onRequest?: (event: RequestEvent) => void;
  /** Called after every attempt that produced an HTTP response. */
  readonly onResponse?: (event: ResponseEvent) => void;
}

/**
 * Options for the calls that need no API key (`Grantex.signup`, `Grantex.confirmEmailVerification`):
 * every {@link GrantexOptions} field except `apiKey`.
 *
 * @example
 * ```ts
 * const options: PublicClientOptions = { baseUrl: 'http://localhost:3001', maxRetries: 0 };
 * await Grantex.confirmEmailVerification(token, options);
 * ```
 */
export type PublicClientOptions = Omit<GrantexOptions, 'apiKey'>;

/**
 * The Grantex API client. Each instance owns its configuration and HTTP client; two instances
 * with two keys never share state.
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
export class Grantex {
  /** Register, list, get, update and delete agents. */
  readonly agents: Agents;
  /** Create authorization requests (sandbox keys may also approve or deny them). */
  readonly authorizations: Authorizations;
  /** The user's side of the consent flow (public endpoints). */
  readonly consent: Consent;
  /** Exchange, refresh, verify online and revoke grant tokens. */
  readonly tokens: Tokens;
  /** List, get, revoke, verify online and delegate grants. */
  readonly grants: Grants;
  /** Store users' upstream credentials and release them to agents. */
  readonly vault: Vault;
  /** Write and read the hash-chained audit log. */
  readonly audit: Audit;
  /** Allow/deny rules and policy bundles. */
  readonly policies: Policies;
  /** Webhook subscriptions and their delivery log. */
  readonly webhooks: Webhooks;
  /** Subscription, checkout and billing portal. */
  readonly billing: Billing;
  /** Summaries, exports and evidence packs for auditors. */
  readonly compliance: Compliance;
  /** Anomaly detection, alerts, rules and channels. */
  readonly anomalies: Anomalies;
  /** SCIM tokens, and the SCIM data plane via `withToken`. */
  readonly scim: Scim;
  /** Single sign-on connections, sessions and login. */
  readonly sso: Sso;
  /** End-user sessions, and the user's own view via `withToken`. */
  readonly principalSessions: PrincipalSessions;

  readonly #transport: Transport;
  readonly #account: Account;
  readonly #system: System;

  /**
   * Creates a client. Throws `GrantexConfigurationError` when there is no API key (neither
   * `apiKey` nor `GRANTEX_API_KEY`) or an option is out of range; it makes no request.
   *
   * @example
   * ```ts
   * const client = new Grantex({ apiKey: process.env.GRANTEX_API_KEY, maxRetries: 4 });
   * ```
   */
  constructor(options: GrantexOptions = {}) {
    const apiKey = options.apiKey ?? readEnv('GRANTEX_API_KEY');
    if (apiKey === undefined || apiKey.trim() === '') {
      throw new GrantexConfigurationError(
        'No API key: pass `new Grantex({ apiKey })` or set the GRANTEX_API_KEY environment variable',
      );
    }
    this.#transport = createTransport(options, apiKey.trim());
    this.agents = new Agents(this.#transport);
    this.authorizations = new Authorizations(this.#transport);
    this.consent = new Consent(this.#transport);
    this.tokens = new Tokens(this.#transport);
    this.grants = new Grants(this.#transport);
    this.vault = new Vault(this.#transport);
    this.audit = new Audit(this.#transport);
    this.policies = new Policies(this.#transport);
    this.webhooks = new Webhooks(this.#transport);
    this.billing = new Billing(this.#transport);
    this.compliance = new Compliance(this.#transport);
    this.anomalies = new Anomalies(this.#transport);
    this.scim = new Scim(this.#transport);
    this.sso = new Sso(this.#transport);
    this.principalSessions = new PrincipalSessions(this.#transport);
    this.#account = new Account(this.#transport);
    this.#system = new System(this.#transport);
  }

  /**
   * Creates a developer account. Needs no API key; the result holds the new account's key, shown
   * only once. An email already in use throws `ConflictError`; `mode: 'sandbox'` makes an account whose
   * authorization requests are approved at once.
   *
   * @example
   * ```ts
   * const { apiKey } = await Grantex.signup({ name: 'Acme' }, { baseUrl: 'http://localhost:3001' });
   * const client = new Grantex({ apiKey, baseUrl: 'http://localhost:3001' });
   * ```
   */
  static signup(params: SignupParams, options: PublicClientOptions & RequestOptions = {}): ApiPromise<DeepReadonly<SignupResponse>> {
    return new Account(createTransport(options, undefined)).signup(params, options);
  }

  /**
   * Confirms an email address with the token from the verification email (no API key needed).
   * An expired token throws `BadRequestError` (code `TOKEN_EXPIRED`), an unknown one `NotFoundError`;
   * a token already used succeeds again, without `email`.
   *
   * @example
   * ```ts
   * const { email } = await Grantex.confirmEmailVerification(tokenFromLink);
   * ```
   */
  static confirmEmailVerification(token: string, options: PublicClientOptions & RequestOptions = {}) {
    return new Account(createTransport(options, undefined)).confirmEmailVerification(token, options);
  }

  /**
   * Starts the consent flow: shortcut for `client.authorizations.create(params)`.
   *
   * @example
   * ```ts
   * const { consentUrl } = await client.authorize({ agentId, userId: 'user_123', scopes: ['calendar:read'] });
   * ```
   */
  authorize(params: AuthorizeParams, options?: RequestOptions) {
    return this.authorizations.create(params, options);
  }

  /**
   * The developer account behind the API key: id, mode, plan and FIDO settings.
   *
   * @example
   * ```ts
   * const { developerId, mode, plan } = await client.me();
   * ```
   */
  me(options?: RequestOptions) {
    return this.#account.get(options);
  }

  /**
   * Updates account settings (`fidoRequired`, `fidoRpName`); send at least one. With `fidoRequired`
   * on, users must pass a WebAuthn check before the consent endpoints accept their answer.
   *
   * @example
   * ```ts
   * await client.updateMe({ fidoRequired: true, fidoRpName: 'Acme' });
   * ```
   */
  updateMe(params: UpdateMeParams, options?: RequestOptions) {
    return this.#account.update(params, options);
  }

  /**
   * Issues a new API key and disables the current one at once. This client keeps the old key:
   * create a new client with the returned key.
   *
   * @example
   * ```ts
   * const { apiKey } = await client.rotateKey();
   * client = new Grantex({ apiKey });
   * ```
   */
  rotateKey(options?: RequestOptions) {
    return this.#account.rotateKey(options);
  }

  /**
   * Sends a verification email to `email`, with a link valid for 24 hours. Delivery is best
   * effort: a mail failure is not reported.
   *
   * @example
   * ```ts
   * const { expiresAt } = await client.requestEmailVerification('ops@acme.example');
   * ```
   */
  requestEmailVerification(email: string, options?: RequestOptions) {
    return this.#account.requestEmailVerification(email, options);
  }

  /**
   * Service health (public). A degraded service is returned as `status: 'degraded'`, not thrown,
   * and the check is not retried unless `maxRetries` says so.
   *
   * @example
   * ```ts
   * const { status, database, redis } = await client.health();
   * ```
   */
  health(options?: RequestOptions) {
    return this.#system.health(options);
  }

  /**
   * The public keys that sign grant tokens (public, not rate-limited). Offline verification with
   * `createGrantVerifier` fetches and caches them itself.
   *
   * @example
   * ```ts
   * const { keys } = await client.jwks();
   * ```
   */
  jwks(options?: RequestOptions) {
    return this.#system.jwks(options);
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

function createTransport(options: PublicClientOptions, apiKey: string | undefined): Transport {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const maxRetryAfter = options.maxRetryAfter ?? DEFAULT_MAX_RETRY_AFTER_SECONDS;
  // Timers cannot wait longer than 2^31 - 1 ms; larger values would fail on the first request.
  // `maxRetryAfter` is in seconds, so its bound is a thousand times smaller.
  const limits = [
    ['timeout', timeout, MAX_TIMER_MS],
    ['maxRetryAfter', maxRetryAfter, Math.floor(MAX_TIMER_MS / 1000)],
    ['maxRetries', maxRetries, MAX_RETRIES],
  ] as const;
  for (const [name, value, max] of limits) {
    if (!Number.isFinite(value) || value < 0 || value > max) {
      throw new GrantexConfigurationError(`${name} must be a non-negative number no larger than ${max}`);
    }
  }
  const baseUrl = options.baseUrl ?? readEnv('GRANTEX_BASE_URL') ?? DEFAULT_BASE_URL;
  if (!isAbsoluteUrl(baseUrl)) throw new GrantexConfigurationError('baseUrl must be an absolute http(s) URL');
  const validation = options.validation ?? 'strict';
  if (validation !== 'strict' && validation !== 'warn' && validation !== 'off') {
    throw new GrantexConfigurationError("validation must be 'strict', 'warn' or 'off'");
  }
  return new Transport({
    baseUrl,
    apiKey,
    timeout,
    maxRetries,
    maxRetryAfter,
    validation,
    fetch: options.fetch,
    headers: options.headers,
    idempotencyKeys: options.idempotencyKeys ?? 'manual',
    onRequest: options.onRequest,
    onResponse: options.onResponse,
    onValidationWarning: options.onValidationWarning,
  });
}

function isAbsoluteUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
