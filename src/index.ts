/**
 * The Grantex SDK: `new Grantex({ apiKey })` for the API, plus the runtime-neutral trust helpers
 * (offline grant-token verification, PKCE, webhook signatures), which are also importable alone
 * from their own entry points so that edge code does not load the HTTP client.
 *
 * @module @grantex/sdk
 */
export { Grantex } from './client.js';
export { DEFAULT_BASE_URL, type GrantexOptions, type PublicClientOptions } from './core/options.js';
export type { Logger, LogLevel } from './core/options.js';
export type { RequestEvent, RequestOptions, ResponseEvent, ValidationMode } from './core/options.js';
export type { AuthorizeParams } from './core/options.js';
export { ApiPromise, type ResponseInfo } from './core/api-promise.js';
export { PagePromise, type ListPage, type PageNavigation, type PaginationSpec } from './core/pagination.js';
export type { DeepReadonly, JsonDecoded, Renamed } from './core/types.js';
export {
  GrantexError,
  GrantexConfigurationError,
  GrantexInvalidArgumentError,
  GrantexInvalidAmountError,
  GrantexCredentialKindError,
  GrantexNoNextPageError,
  GrantexConnectionError,
  GrantexTimeoutError,
  GrantexAbortError,
  GrantexInvalidResponseError,
  GrantexResponseValidationError,
  GrantexApiError,
  BadRequestError,
  AuthenticationError,
  PaymentRequiredError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  GoneError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  GrantTokenError,
  isGrantexError,
  isApiError,
  type ApiErrorCode,
  type CommerceCallerKind,
  type CommerceErrorFields,
  type GrantexErrorCode,
  type GrantTokenErrorCode,
  type RateLimitInfo,
  type ValidationIssue,
} from './errors.js';

// Trust helpers. PKCE and webhooks are small and dependency-free; offline verification loads
// `jose` only when first used (import `@grantex/sdk/jwt` to load it eagerly).
export { createGrantVerifier, verifyGrantToken } from './lazy-jwt.js';
export { decodeGrantToken } from './jwt/decode.js';
export type * from './jwt/types.js';
export * from './pkce/index.js';
export * from './webhooks/index.js';
export {
  verifyAuditChain,
  computeAuditEntryHash,
  type AuditChainEntry,
  type AuditChainReport,
  type AuditChainFailure,
  type VerifyAuditChainOptions,
} from './audit/index.js';

// Live events: `client.events.stream()` (SSE, every runtime) and `client.events.connect()` (WebSocket).
export { isKnownGrantexEvent } from './events/event-json.js';
export type {
  AnomalyAutoRevokedEvent,
  BudgetExhaustedEvent,
  BudgetThresholdEvent,
  EventGapNotice,
  EventGapReason,
  EventGapReconnecting,
  EventGapResumed,
  EventSocketOptions,
  EventStream,
  EventStreamOptions,
  GrantCreatedEvent,
  GrantexEvent,
  GrantexEventType,
  GrantRevokedEvent,
  KnownGrantexEvent,
  OtherGrantexEvent,
  ReconnectOptions,
  TokenIssuedEvent,
  UnknownGrantexEvent,
} from './events/types.js';

// `client.vault.authorizedFetch`; its error classes are exported by `@grantex/sdk/vault`.
export type { VaultNamespace } from './vault/namespace.js';
export type { AuthorizedFetch, AuthorizedFetchOptions, CredentialInjection } from './vault/types.js';

// The generated client surface: one class per namespace and the params type of each operation.
export type * from '../generated/sdk/index.gen.js';

// The results most code names, as the methods return them (deeply readonly): a `Grant` from
// `client.grants.get()` or a page's `grants` fits a `Grant` variable or parameter as it is.
export type { Agent, AgentList, Developer, Grant, GrantList, Jwk, Jwks } from '../generated/api-types.gen.js';
/**
 * Every named schema of the spec and every operation's params type, e.g. `Api.Policy`,
 * `Api.AuditEntry`, `Api.CreateWebhookRequest`, `Api.ListGrantsParams`. A schema the API answers
 * with is the deeply readonly type the methods return; a schema only requests use, and every
 * params type, is as written, for callers to build. `Api.Mutable.<Name>` is any schema as written.
 */
export type * as Api from '../generated/api-types.gen.js';
