/**
 * The Grantex SDK: `new Grantex({ apiKey })` for the API, plus the runtime-neutral trust helpers
 * (offline grant-token verification, PKCE, webhook signatures), which are also importable alone
 * from their own entry points so that edge code does not load the HTTP client.
 *
 * @module @grantex/sdk
 */
export { Grantex, DEFAULT_BASE_URL, type GrantexOptions, type PublicClientOptions } from './client.js';
export { ApiPromise, type ResponseInfo } from './core/api-promise.js';
export type { DeepReadonly } from './core/types.js';
export type { RequestEvent, RequestOptions, ResponseEvent, ValidationMode } from './internal/transport.js';
export * from './errors.js';

// Trust helpers. PKCE and webhooks are small and dependency-free; offline verification loads
// `jose` only when first used (import `@grantex/sdk/jwt` to load it eagerly).
export { createGrantVerifier, verifyGrantToken } from './lazy-jwt.js';
export { decodeGrantToken } from './jwt/decode.js';
export type * from './jwt/types.js';
export * from './pkce/index.js';
export * from './webhooks/index.js';
export { verifyAuditChain, computeAuditEntryHash, type AuditChainEntry, type AuditChainReport, type AuditChainFailure, type VerifyAuditChainOptions } from './audit/index.js';

export type { Agents, RegisterAgentParams, UpdateAgentParams } from './resources/agents.js';
export type { Authorizations, AuthorizeParams } from './resources/authorizations.js';
export type { Consent } from './resources/consent.js';
export type { Grants, ListGrantsParams, DelegateGrantParams } from './resources/grants.js';
export type { Tokens, ExchangeTokenParams, RefreshTokenParams } from './resources/tokens.js';
export type {
  Vault,
  VaultCredential,
  VaultExchange,
  StoreVaultCredentialParams,
  ListVaultCredentialsParams,
} from './resources/vault.js';
export type { SignupParams, UpdateMeParams } from './resources/account.js';
export type { Audit, AuditEntry, LogAuditEntryParams, ListAuditEntriesParams } from './resources/audit.js';
export type {
  Policies,
  CreatePolicyParams,
  UpdatePolicyParams,
  SyncPolicyBundleParams,
  ListPolicyBundlesParams,
  PolicyBundleFormat,
  PolicySyncNotice,
} from './resources/policies.js';
export type { Webhooks, CreateWebhookParams, ListWebhookDeliveriesParams, WebhookDelivery } from './resources/webhooks.js';
export type { Billing, CheckoutParams, PortalParams } from './resources/billing.js';
export type {
  Compliance,
  ComplianceSummaryParams,
  ComplianceGrantsExportParams,
  ComplianceAuditExportParams,
  EvidencePackParams,
} from './resources/compliance.js';
export type { Anomalies, Anomaly, ListAnomaliesParams, AnomalyMetricsParams } from './resources/anomalies.js';
export type { AnomalyAlerts, AnomalyAlert, ListAnomalyAlertsParams } from './resources/anomaly-alerts.js';
export type { AnomalyRules, AnomalyRule, CreateAnomalyRuleParams } from './resources/anomaly-rules.js';
export type { AnomalyChannels, AnomalyChannel, CreateAnomalyChannelParams } from './resources/anomaly-channels.js';
export type { Scim, CreateScimTokenParams } from './resources/scim.js';
export type {
  ScimUsers,
  ScimUser,
  ScimUserList,
  ScimUserParams,
  ScimPatchParams,
  ListScimUsersParams,
  ScimEmail,
} from './resources/scim-users.js';
export type {
  Sso,
  SsoLoginParams,
  UpsertSsoConfigParams,
  OidcCallbackParams,
  SamlCallbackParams,
  LdapCallbackParams,
  LegacySsoCallbackParams,
} from './resources/sso.js';
export type {
  SsoConnections,
  SsoConnection,
  SsoTestOutcome,
  CreateSsoConnectionParams,
  UpdateSsoConnectionParams,
} from './resources/sso-connections.js';
export type { PrincipalSessions, CreatePrincipalSessionParams } from './resources/principal-sessions.js';
export type { PrincipalView } from './resources/principal-view.js';

export type {
  Agent,
  AgentList,
  Developer,
  Grant,
  GrantList,
  Jwk,
  Jwks,
} from '../generated/types.gen.js';
/**
 * Every type generated from the spec, by its schema or operation name, e.g. `Api.Policy`,
 * `Api.AuditEntry`, `Api.CreateWebhookRequest`.
 */
export type * as Api from '../generated/types.gen.js';
