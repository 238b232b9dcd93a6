/**
 * The Grantex SDK: `new Grantex({ apiKey })` for the API, plus the runtime-neutral trust helpers
 * (offline grant-token verification, PKCE, webhook signatures), which are also importable alone
 * from their own entry points so that edge code does not load the HTTP client.
 *
 * @module
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
export type {
  GrantCheckOptions,
  GrantClaims,
  GrantVerifier,
  GrantVerifierOptions,
  LocalKeyOptions,
  RemoteKeyOptions,
  UnverifiedGrant,
  VerifiedGrant,
} from './jwt/types.js';
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

export type {
  Agent,
  AgentList,
  Developer,
  Grant,
  GrantList,
  Jwk,
  Jwks,
} from '../generated/types.gen.js';
