/**
 * The one error tree of the SDK. Every error the SDK throws is a {@link GrantexError} with a stable
 * `code` that callers can switch on; `instanceof` works for subclasses, and the `is*` guards work
 * across realms and duplicated installs (they check a brand, not the prototype chain).
 *
 * This module has no dependencies so that the lightweight subpath entries (token verification,
 * PKCE, webhooks) can share it without pulling in the HTTP client.
 *
 * Messages never contain API keys, grant tokens or secrets: they are built from fixed text and
 * server messages, and the client scrubs any known secret that a server might echo from every
 * property of an error.
 *
 * @module @grantex/sdk/errors
 */

import type { ApiErrorCode } from '../generated/error-codes.gen.js';
import type {
  AuthorizedFetchErrorCode,
  DenialCode,
  GrantTokenErrorCode,
  PkceVerificationErrorCode,
  WebhookVerificationErrorCode,
} from './error-codes.js';

export type { ApiErrorCode, GrantTokenErrorCode };

const BRAND = Symbol.for('grantex.error');

/** Stable codes for errors raised by the SDK itself (API errors carry the server's code). */
export type GrantexErrorCode =
  | 'CONFIGURATION_ERROR'
  | 'CONNECTION_ERROR'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'CLIENT_CLOSED'
  | 'INVALID_RESPONSE'
  | 'UNEXPECTED_REDIRECT'
  | 'RESPONSE_TOO_LARGE'
  | 'RESPONSE_VALIDATION_FAILED'
  | 'INVALID_ARGUMENT'
  | 'INVALID_AMOUNT'
  | 'WRONG_CREDENTIAL_KIND'
  | 'NO_NEXT_PAGE'
  | 'UNEXPECTED_ERROR'
  | GrantTokenErrorCode
  | WebhookVerificationErrorCode
  | PkceVerificationErrorCode
  | DenialCode
  | AuthorizedFetchErrorCode
  | ApiErrorCode
  | (string & {});

/**
 * Base class of every error thrown by the SDK.
 *
 * @example
 * ```ts
 * try {
 *   await client.agents.get('ag_missing');
 * } catch (error) {
 *   if (isGrantexError(error)) console.error(error.code, error.message);
 * }
 * ```
 */
export class GrantexError extends Error {
  // Written out per class: `constructor.name` would be the minifier's name in a user's bundle.
  override name = 'GrantexError';
  /** A stable, machine-readable code. */
  readonly code: GrantexErrorCode;

  constructor(message: string, code: GrantexErrorCode, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** The cross-realm brand checked by {@link isGrantexError}. */
  get [BRAND](): true {
    return true;
  }

  /** A plain, secret-free summary for logs (`JSON.stringify(error)`). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/**
 * True for any error thrown by this SDK, even one created by another copy of it.
 *
 * @example
 * ```ts
 * try {
 *   await client.agents.get(agentId);
 * } catch (error) {
 *   if (isGrantexError(error)) console.error(error.code, error.message);
 *   else throw error;
 * }
 * ```
 */
export function isGrantexError(value: unknown): value is GrantexError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * Thrown when the SDK is constructed or called with options it cannot use (e.g. no API key).
 *
 * @example
 * ```ts
 * try {
 *   new Grantex({ apiKey: '' });
 * } catch (error) {
 *   if (error instanceof GrantexConfigurationError) console.error(error.message); // No API key: …
 * }
 * ```
 */
export class GrantexConfigurationError extends GrantexError {
  override name = 'GrantexConfigurationError';
  constructor(message: string) {
    super(message, 'CONFIGURATION_ERROR');
  }
}

/**
 * Thrown when an argument fails a local check before any request is made.
 *
 * @example
 * ```ts
 * await computeCodeChallenge('too-short').catch((error) => {
 *   if (error instanceof GrantexInvalidArgumentError) console.error(error.code); // 'INVALID_ARGUMENT'
 * });
 * ```
 */
export class GrantexInvalidArgumentError extends GrantexError {
  override name = 'GrantexInvalidArgumentError';
  constructor(message: string, code: 'INVALID_ARGUMENT' | 'INVALID_AMOUNT' | 'WRONG_CREDENTIAL_KIND' = 'INVALID_ARGUMENT') {
    super(message, code);
  }
}

/**
 * An amount was not an integer number of minor units (a fraction, a negative number, a string,
 * `NaN`, or more than `Number.MAX_SAFE_INTEGER`). Thrown before anything is sent.
 *
 * @example
 * ```ts
 * await agent.createPaymentIntent({ ...params, amount_minor_units: 1499.5 }).catch((error) => {
 *   if (error instanceof GrantexInvalidAmountError) console.error(error.field); // 'amount_minor_units'
 * });
 * ```
 */
export class GrantexInvalidAmountError extends GrantexInvalidArgumentError {
  override name = 'GrantexInvalidAmountError';
  /** The field that holds the bad amount, e.g. `variants[0].price_amount`. */
  readonly field: string;

  constructor(operation: string, field: string) {
    super(`${operation}: ${field} must be a whole number of minor units (a non-negative safe integer)`, 'INVALID_AMOUNT');
    this.field = field;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field };
  }
}

/**
 * `getNextPage()` was called on the last page of a list (its `hasNextPage()` is false). Nothing is
 * sent: the page already says there is nothing after it.
 *
 * @example
 * ```ts
 * const page = await client.agents.list();
 * await page.getNextPage().catch((error) => {
 *   if (error instanceof GrantexNoNextPageError) console.log(error.code); // 'NO_NEXT_PAGE'
 * });
 * ```
 */
export class GrantexNoNextPageError extends GrantexError {
  override name = 'GrantexNoNextPageError';
  constructor(message = 'This is the last page of the list: check hasNextPage() before getNextPage()') {
    super(message, 'NO_NEXT_PAGE');
  }
}

/** The kinds of commerce caller, told apart by their credential. */
export type CommerceCallerKind = 'operator' | 'merchant' | 'agent';

/**
 * A commerce operation was called with a kind of credential it does not accept (an operator key on
 * an agent-only route, a merchant key given to `asAgent`, …). Thrown before anything is sent; the
 * message names the kinds, never the credential.
 *
 * @example
 * ```ts
 * try {
 *   await client.commerce.createMerchant(params); // client made with a merchant key
 * } catch (error) {
 *   if (error instanceof GrantexCredentialKindError) console.error(error.allowed); // ['operator']
 * }
 * ```
 */
export class GrantexCredentialKindError extends GrantexInvalidArgumentError {
  override name = 'GrantexCredentialKindError';
  /** The kind of credential the call was made with. */
  readonly kind: CommerceCallerKind;
  /** The kinds the operation accepts. */
  readonly allowed: readonly string[];

  constructor(message: string, kind: CommerceCallerKind, allowed: readonly string[]) {
    super(message, 'WRONG_CREDENTIAL_KIND');
    this.kind = kind;
    this.allowed = Object.freeze([...allowed]);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), kind: this.kind, allowed: this.allowed };
  }
}

// ---------------------------------------------------------------------------------------------
// Transport errors

/**
 * The request never produced an HTTP response (DNS failure, refused or reset connection, …).
 *
 * @example
 * ```ts
 * try {
 *   await client.health();
 * } catch (error) {
 *   if (error instanceof GrantexConnectionError) console.error('API unreachable:', error.code); // CONNECTION_ERROR or TIMEOUT
 * }
 * ```
 */
export class GrantexConnectionError extends GrantexError {
  override name = 'GrantexConnectionError';
  constructor(message = 'Could not reach the Grantex API', options?: { cause?: unknown; code?: GrantexErrorCode | undefined }) {
    super(message, options?.code ?? 'CONNECTION_ERROR', options);
  }
}

/**
 * An attempt took longer than the configured `timeout`, including the time to read the body.
 *
 * @example
 * ```ts
 * try {
 *   await client.agents.list({ timeout: 2_000 });
 * } catch (error) {
 *   if (error instanceof GrantexTimeoutError) console.error(`no answer within ${error.timeoutMs} ms`);
 * }
 * ```
 */
export class GrantexTimeoutError extends GrantexConnectionError {
  override name = 'GrantexTimeoutError';
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`The request timed out after ${timeoutMs} ms`, { code: 'TIMEOUT' });
    this.timeoutMs = timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs };
  }
}

/**
 * The caller's `AbortSignal` fired. Distinct from a timeout.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * setTimeout(() => controller.abort(), 100);
 * await client.agents.list({ signal: controller.signal }).catch((error) => {
 *   if (!(error instanceof GrantexAbortError)) throw error;
 * });
 * ```
 */
export class GrantexAbortError extends GrantexError {
  override name = 'GrantexAbortError';
  constructor(options?: { cause?: unknown }) {
    super('The request was aborted by the caller', 'ABORTED', options);
  }
}

/**
 * The server answered with a body the SDK cannot read (not JSON, truncated, wrong content).
 *
 * @example
 * ```ts
 * try {
 *   await client.agents.list();
 * } catch (error) {
 *   if (error instanceof GrantexInvalidResponseError) console.error(`unreadable ${error.status} answer to ${error.operation}`);
 * }
 * ```
 */
export class GrantexInvalidResponseError extends GrantexError {
  override name = 'GrantexInvalidResponseError';
  readonly status: number | undefined;
  readonly operation: string | undefined;

  constructor(message: string, details: { status?: number | undefined; operation?: string | undefined; cause?: unknown; code?: 'INVALID_RESPONSE' | 'UNEXPECTED_REDIRECT' | 'RESPONSE_TOO_LARGE' | undefined } = {}) {
    super(message, details.code ?? 'INVALID_RESPONSE', { cause: details.cause });
    this.status = details.status;
    this.operation = details.operation;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, operation: this.operation };
  }
}

/** One problem found while validating a response against the spec. */
export interface ValidationIssue {
  /** Dotted path into the response body, e.g. `agents.0.scopes`; empty for the root. */
  readonly path: string;
  readonly message: string;
}

/**
 * A successful response did not match the shape the spec promises.
 *
 * @example
 * ```ts
 * // `validation: 'strict'` (the default) throws it; 'warn' reports it and returns the data.
 * const client = new Grantex({ validation: 'warn', onValidationWarning: (e) => log.warn(e.operation, e.issues) });
 * ```
 */
export class GrantexResponseValidationError extends GrantexError {
  override name = 'GrantexResponseValidationError';
  readonly operation: string;
  readonly status: number | undefined;
  readonly issues: readonly ValidationIssue[];

  constructor(operation: string, issues: readonly ValidationIssue[], status?: number) {
    const first = issues[0];
    const where = first ? ` at ${first.path === '' ? '(root)' : first.path}: ${first.message}` : '';
    super(`Response of ${operation} does not match the API schema${where}`, 'RESPONSE_VALIDATION_FAILED');
    this.operation = operation;
    this.issues = Object.freeze([...issues]);
    this.status = status;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), operation: this.operation, status: this.status, issues: this.issues };
  }
}

// ---------------------------------------------------------------------------------------------
// API errors

/** Rate-limit state reported by the server in `X-RateLimit-*` headers. */
export interface RateLimitInfo {
  readonly limit: number | undefined;
  readonly remaining: number | undefined;
  /** Seconds until the window resets (the server sends a duration, not an epoch). */
  readonly resetSeconds: number | undefined;
}

export interface ApiErrorInit {
  readonly status: number;
  /** The server's own message, already scrubbed of credentials. */
  readonly serverMessage: string;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly headers: Headers;
  readonly body: unknown;
  readonly operation?: string | undefined;
  /** The extra fields of a commerce error body (`{error: {code, message, decision_id, …}}`). */
  readonly commerce?: CommerceErrorFields | undefined;
}

/**
 * The fields a commerce error body adds to its `code` and `message`. They are `undefined` on
 * errors of the rest of the API and when the server leaves them out.
 *
 * @example
 * ```ts
 * const fields: CommerceErrorFields = { decisionId: 'cpdec_…', auditEventId: 'caud_…', remediation: undefined, retryable: false, details: { decision: 'deny' } };
 * ```
 */
export interface CommerceErrorFields {
  /** The policy decision (`cpdec_…`) behind a denial. */
  readonly decisionId: string | undefined;
  /** The audit event (`caud_…`) that recorded the failure. */
  readonly auditEventId: string | undefined;
  /** What an operator can do about it. */
  readonly remediation: string | undefined;
  /** The server's word on whether the same request may succeed later; it decides retries. */
  readonly retryable: boolean | undefined;
  /** Structured detail, e.g. `fields` (field path to message) of `validation_failed`. */
  readonly details: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The server answered with an error status. `code` is the server's stable code
 * (e.g. `NOT_FOUND`, `PLAN_LIMIT_EXCEEDED`, `DELEGATION_DEPTH_EXCEEDED`).
 *
 * @example
 * ```ts
 * try {
 *   await client.grants.revoke(grantId);
 * } catch (error) {
 *   if (error instanceof NotFoundError) console.log('already revoked');
 *   else throw error;
 * }
 * ```
 */
export class GrantexApiError extends GrantexError {
  override name = 'GrantexApiError';
  readonly status: number;
  /** The server's request id, quoted by support when you report a problem. */
  readonly requestId: string | undefined;
  readonly headers: Headers;
  /** The parsed error body (or its text when it was not JSON). */
  readonly body: unknown;
  /** The SDK method that failed, e.g. `agents.get`. */
  readonly operation: string | undefined;
  readonly rateLimit: RateLimitInfo;

  /** The server's own message, without the status and method the SDK adds to `message`. */
  readonly serverMessage: string;
  /** Commerce errors: the policy decision (`cpdec_…`) behind a denial. */
  readonly decisionId: string | undefined;
  /** Commerce errors: the audit event (`caud_…`) that recorded the failure. */
  readonly auditEventId: string | undefined;
  /** Commerce errors: what an operator can do about it. */
  readonly remediation: string | undefined;
  /** Commerce errors: whether the same request may succeed later (it decides automatic retries). */
  readonly retryable: boolean | undefined;
  /** Commerce errors: structured detail, e.g. `details.fields` of `validation_failed`. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(init: ApiErrorInit) {
    super(`${init.serverMessage} (${init.status} ${init.code}${init.operation ? ` from ${init.operation}` : ''})`, init.code);
    this.serverMessage = init.serverMessage;
    this.status = init.status;
    this.requestId = init.requestId;
    this.headers = init.headers;
    this.body = init.body;
    this.operation = init.operation;
    this.rateLimit = parseRateLimit(init.headers);
    this.decisionId = init.commerce?.decisionId;
    this.auditEventId = init.commerce?.auditEventId;
    this.remediation = init.commerce?.remediation;
    this.retryable = init.commerce?.retryable;
    this.details = init.commerce?.details;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      requestId: this.requestId,
      operation: this.operation,
      rateLimit: this.rateLimit,
      ...(this.decisionId === undefined ? {} : { decisionId: this.decisionId }),
      ...(this.auditEventId === undefined ? {} : { auditEventId: this.auditEventId }),
      ...(this.remediation === undefined ? {} : { remediation: this.remediation }),
      ...(this.retryable === undefined ? {} : { retryable: this.retryable }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/**
 * 400: the request was malformed or failed the server's checks.
 *
 * @example
 * ```ts
 * await client.agents.register({ name: '' }).catch((error) => {
 *   if (error instanceof BadRequestError) console.error(error.code, error.message); // BAD_REQUEST …
 * });
 * ```
 */
export class BadRequestError extends GrantexApiError {
  override name = 'BadRequestError';
  declare readonly status: 400;
}
/**
 * 401: missing, unknown or revoked credentials (API key, grant token, SCIM or session token).
 *
 * @example
 * ```ts
 * await client.me().catch((error) => {
 *   if (error instanceof AuthenticationError) console.error('check GRANTEX_API_KEY'); // UNAUTHORIZED
 * });
 * ```
 */
export class AuthenticationError extends GrantexApiError {
  override name = 'AuthenticationError';
  declare readonly status: 401;
}
/**
 * 402: a plan limit was reached (`PLAN_LIMIT_EXCEEDED`) or a budget ran out.
 *
 * @example
 * ```ts
 * await client.agents.register({ name: 'one-more' }).catch((error) => {
 *   if (error instanceof PaymentRequiredError) console.error('plan limit reached:', error.code);
 * });
 * ```
 */
export class PaymentRequiredError extends GrantexApiError {
  override name = 'PaymentRequiredError';
  declare readonly status: 402;
}
/**
 * 403: authenticated but not allowed (`FORBIDDEN`, `POLICY_DENIED`, `CONSENT_REQUIRED`, …).
 *
 * @example
 * ```ts
 * await client.grants.delegate(params).catch((error) => {
 *   if (error instanceof PermissionDeniedError && error.code === 'DELEGATION_DEPTH_EXCEEDED') console.error('chain too deep');
 * });
 * ```
 */
export class PermissionDeniedError extends GrantexApiError {
  override name = 'PermissionDeniedError';
  declare readonly status: 403;
}
/**
 * 404: the resource does not exist, or belongs to another developer.
 *
 * @example
 * ```ts
 * const agent = await client.agents.get(agentId).catch((error) => {
 *   if (error instanceof NotFoundError) return undefined;
 *   throw error;
 * });
 * ```
 */
export class NotFoundError extends GrantexApiError {
  override name = 'NotFoundError';
  declare readonly status: 404;
}
/**
 * 409: the request conflicts with the current state (e.g. an email already in use).
 *
 * @example
 * ```ts
 * await client.updateMe(params).catch((error) => {
 *   if (error instanceof ConflictError) console.error(error.code, error.message);
 * });
 * ```
 */
export class ConflictError extends GrantexApiError {
  override name = 'ConflictError';
  declare readonly status: 409;
}
/**
 * 410: the resource existed but is no longer usable (e.g. an expired consent request).
 *
 * @example
 * ```ts
 * await client.consent.get(authRequestId).catch((error) => {
 *   if (error instanceof GoneError) console.error('the consent request has expired');
 * });
 * ```
 */
export class GoneError extends GrantexApiError {
  override name = 'GoneError';
  declare readonly status: 410;
}
/**
 * 422: the server understood the request but cannot process it.
 *
 * @example
 * ```ts
 * await client.policies.create(params).catch((error) => {
 *   if (error instanceof UnprocessableEntityError) console.error(error.body);
 * });
 * ```
 */
export class UnprocessableEntityError extends GrantexApiError {
  override name = 'UnprocessableEntityError';
  declare readonly status: 422;
}

/**
 * 429: too many requests. `retryAfter` is the wait the server asked for, in seconds.
 *
 * @example
 * ```ts
 * await client.authorize(params).catch((error) => {
 *   if (error instanceof RateLimitError) console.error(`retry in ${error.retryAfter ?? '?'} s`);
 * });
 * ```
 */
export class RateLimitError extends GrantexApiError {
  override name = 'RateLimitError';
  declare readonly status: 429;
  readonly retryAfter: number | undefined;

  constructor(init: ApiErrorInit) {
    super(init);
    this.retryAfter = parseRetryAfter(init.headers.get('retry-after'));
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfter: this.retryAfter };
  }
}

/**
 * 5xx: the server failed. Retried automatically for idempotent requests.
 *
 * @example
 * ```ts
 * await client.agents.list().catch((error) => {
 *   if (error instanceof InternalServerError) console.error(`server failed (${error.status}), request ${error.requestId}`);
 * });
 * ```
 */
export class InternalServerError extends GrantexApiError {
  override name = 'InternalServerError';
}

/**
 * True when `value` is an API error from this SDK (any status).
 *
 * @example
 * ```ts
 * try {
 *   await client.grants.revoke(grantId);
 * } catch (error) {
 *   if (isApiError(error)) console.error(error.status, error.code, error.requestId);
 * }
 * ```
 */
export function isApiError(value: unknown): value is GrantexApiError {
  return isGrantexError(value) && typeof (value as Partial<GrantexApiError>).status === 'number'
    && (value as Partial<GrantexApiError>).headers !== undefined;
}

/**
 * Parses `X-RateLimit-*` headers; absent or malformed values are `undefined`.
 *
 * @example
 * ```ts
 * const { remaining, resetSeconds } = parseRateLimit(response.headers);
 * ```
 */
export function parseRateLimit(headers: Headers): RateLimitInfo {
  return {
    limit: parseNonNegativeInt(headers.get('x-ratelimit-limit')),
    remaining: parseNonNegativeInt(headers.get('x-ratelimit-remaining')),
    resetSeconds: parseNonNegativeInt(headers.get('x-ratelimit-reset')),
  };
}

/**
 * Parses `Retry-After` as seconds, from either delta-seconds or an HTTP date.
 *
 * @example
 * ```ts
 * parseRetryAfter('120'); // 120
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT'); // seconds until then
 * ```
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds : undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function parseNonNegativeInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

// ---------------------------------------------------------------------------------------------
// Trust-helper errors

/**
 * A grant token failed offline verification. The message names the cause, never the token.
 *
 * @example
 * ```ts
 * try {
 *   await verifier.verify(token);
 * } catch (error) {
 *   if (error instanceof GrantTokenError && error.code === 'TOKEN_EXPIRED') return refresh();
 *   throw error;
 * }
 * ```
 */
export class GrantTokenError extends GrantexError {
  override name = 'GrantTokenError';
  declare readonly code: GrantTokenErrorCode;
  /** For `TOKEN_SCOPES_MISSING`: the required scopes the token does not carry. */
  readonly missingScopes: readonly string[] | undefined;

  constructor(code: GrantTokenErrorCode, message: string, details?: { cause?: unknown; missingScopes?: readonly string[] | undefined }) {
    super(message, code, { cause: details?.cause });
    this.missingScopes = details?.missingScopes ? Object.freeze([...details.missingScopes]) : undefined;
  }

  override toJSON(): Record<string, unknown> {
    return this.missingScopes ? { ...super.toJSON(), missingScopes: this.missingScopes } : super.toJSON();
  }
}

