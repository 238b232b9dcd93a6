// The in-memory state of a test server. Records keep times as epoch milliseconds and are turned
// into wire shapes by the routes; nothing here is ever handed to a caller directly.
import { CommerceState } from './commerce/state.js';

export type Mode = 'live' | 'sandbox';
export type Plan = 'free' | 'pro' | 'enterprise';

export interface DeveloperRecord {
  developerId: string;
  name: string;
  email: string | null;
  mode: Mode;
  plan: Plan;
  fidoRequired: boolean;
  fidoRpName: string | null;
  createdAt: number;
  apiKey: string;
}

export interface AgentRecord {
  agentId: string;
  developerId: string;
  name: string;
  description: string;
  scopes: string[];
  status: 'active' | 'suspended';
  createdAt: number;
  updatedAt: number;
  seq: number;
}

export interface AuthRequestRecord {
  id: string;
  developerId: string;
  agentId: string;
  principalId: string;
  scopes: string[];
  redirectUri?: string | undefined;
  state?: string | undefined;
  /** The grant lifetime asked for, applied when the code is exchanged. */
  expiresIn: string;
  audience?: string | undefined;
  codeChallenge?: string | undefined;
  status: 'pending' | 'approved' | 'denied' | 'consumed';
  code?: string | undefined;
  fidoVerified: boolean;
  createdAt: number;
  expiresAt: number;
}

export interface GrantRecord {
  grantId: string;
  developerId: string;
  agentId: string;
  agentDid: string;
  principalId: string;
  scopes: string[];
  status: 'active' | 'revoked';
  issuedAt: number;
  expiresAt: number;
  revokedAt?: number | undefined;
  audience?: string | undefined;
  parentGrantId?: string | undefined;
  parentAgentDid?: string | undefined;
  delegationDepth: number;
  seq: number;
}

export interface TokenRecord {
  jti: string;
  grantId: string;
  developerId: string;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

export interface RefreshTokenRecord {
  id: string;
  grantId: string;
  developerId: string;
  expiresAt: number;
  used: boolean;
}

export interface VaultRecord {
  id: string;
  developerId: string;
  principalId: string;
  service: string;
  credentialType: string;
  accessToken: string;
  refreshToken?: string | undefined;
  tokenExpiresAt: string | null;
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  seq: number;
}

export interface AuditRecord {
  entryId: string;
  agentId: string;
  agentDid: string;
  grantId: string;
  principalId: string;
  developerId: string;
  action: string;
  metadata: Record<string, unknown>;
  hash: string;
  prevHash: string | null;
  timestamp: string;
  status: 'success' | 'failure' | 'blocked';
}

export interface PolicyRecord {
  id: string;
  developerId: string;
  name: string;
  effect: 'allow' | 'deny';
  priority: number;
  agentId: string | null;
  principalId: string | null;
  scopes: string[] | null;
  timeOfDayStart: string | null;
  timeOfDayEnd: string | null;
  createdAt: number;
  updatedAt: number;
  seq: number;
}

export interface PolicyBundleRecord {
  id: string;
  developerId: string;
  format: 'rego' | 'cedar';
  version: string;
  sha256: string;
  fileCount: number;
  active: boolean;
  createdAt: number;
  seq: number;
}

export interface WebhookRecord {
  id: string;
  developerId: string;
  url: string;
  events: string[];
  secret: string;
  createdAt: number;
  seq: number;
}

export interface EventRecord {
  id: string;
  developerId: string;
  type: string;
  createdAt: number;
  data: Record<string, unknown>;
}

/** A webhook delivery as the server keeps it; `server.deliveries` shows a copy. */
export interface DeliveryRecord {
  id: string;
  webhookId: string;
  developerId: string;
  eventId: string;
  eventType: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
  /** When the next attempt is due (server clock), while attempts remain. */
  nextAttemptAt: number | null;
  seq: number;
}

export interface ScimTokenRecord {
  id: string;
  developerId: string;
  label: string;
  token: string;
  createdAt: number;
  seq: number;
}

export interface ScimUserRecord {
  id: string;
  developerId: string;
  userName: string;
  displayName: string | null;
  externalId: string | null;
  active: boolean;
  emails: { value: string; primary?: boolean | undefined }[];
  created: number;
  lastModified: number;
  seq: number;
}

export interface SsoConnectionRecord {
  id: string;
  developerId: string;
  fields: Record<string, unknown>;
  protocol: 'oidc' | 'saml' | 'ldap';
  status: 'active' | 'inactive' | 'testing';
  createdAt: number;
  updatedAt: number;
  seq: number;
}

export interface SsoConfigRecord {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  createdAt: number;
  updatedAt: number;
}

export interface AnomalyRuleRecord {
  id: string;
  developerId: string;
  ruleId: string;
  name: string;
  description: string | null;
  condition: Record<string, unknown>;
  severity: 'critical' | 'high' | 'medium' | 'low';
  alertChannels: string[];
  enabled: boolean;
  createdAt: number;
  seq: number;
}

export interface AnomalyChannelRecord {
  id: string;
  developerId: string;
  type: 'slack' | 'webhook' | 'email';
  name: string;
  config: Record<string, unknown>;
  severities: string[];
  enabled: boolean;
  createdAt: number;
  seq: number;
}

export interface AnomalyRecord {
  id: string;
  developerId: string;
  type: string;
  severity: string;
  agentId: string | null;
  principalId: string | null;
  description: string;
  metadata: Record<string, unknown>;
  detectedAt: number;
  acknowledgedAt: number | null;
  seq: number;
}

export interface AnomalyAlertRecord {
  alertId: string;
  developerId: string;
  ruleId: string | null;
  ruleName: string;
  severity: string;
  status: 'open' | 'acknowledged' | 'resolved';
  agentId: string | null;
  detectedAt: number;
  description: string;
  context: Record<string, unknown>;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  seq: number;
}

/** Amounts are kept in ten-thousandths, the precision the API writes (`"89.5000"`). */
export interface BudgetRecord {
  id: string;
  grantId: string;
  developerId: string;
  initial: number;
  remaining: number;
  currency: string;
  createdAt: number;
  updatedAt: number;
  seq: number;
}

export interface BudgetTransactionRecord {
  id: string;
  grantId: string;
  allocationId: string;
  amount: number;
  description: string | null;
  metadata: Record<string, unknown>;
  createdAt: number;
  seq: number;
}

export interface EmailVerificationRecord {
  token: string;
  developerId: string;
  email: string;
  expiresAt: number;
  used: boolean;
}

/** A verifiable credential the server issued: a grant's VC-JWT or an agent passport. */
export interface VcRecord {
  id: string;
  grantId: string;
  developerId: string;
  principalId: string;
  agentDid: string;
  credentialType: 'AgentGrantCredential' | 'AgentPassportCredential';
  format: 'vc-jwt' | 'agent-passport';
  credentialJwt: string;
  status: 'active' | 'revoked';
  statusListId: string;
  statusListIdx: number;
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
  seq: number;
}

/** A StatusList2021 revocation list; bit `i` is set when the credential at index `i` is revoked. */
export interface StatusListRecord {
  id: string;
  revoked: Set<number>;
  next: number;
  issuedAt: number;
}

/** An SD-JWT credential: kept apart from the VC records, as the real server lists only those. */
export interface SdJwtRecord {
  id: string;
  grantId: string;
  developerId: string;
  statusListId: string;
  statusListIdx: number;
}

export interface PassportRecord {
  passportId: string;
  developerId: string;
  agentId: string;
  grantId: string;
  credential: Record<string, unknown>;
  expiresAt: number;
  createdAt: number;
  seq: number;
}

export interface DpdpNoticeRecord {
  id: string;
  developerId: string;
  noticeId: string;
  version: string;
  language: string;
  title: string;
  content: string;
  contentHash: string;
  purposes: unknown[];
  createdAt: number;
  seq: number;
}

export interface DpdpRecord {
  recordId: string;
  developerId: string;
  grantId: string;
  dataPrincipalId: string;
  dataFiduciaryName: string;
  purposes: unknown[];
  scopes: string[];
  consentNoticeId: string;
  consentNoticeHash: string;
  status: 'active' | 'withdrawn' | 'erased';
  consentGivenAt: number;
  processingExpiresAt: number;
  retentionUntil: number;
  accessCount: number;
  lastAccessedAt: number | null;
  withdrawnAt: number | null;
  withdrawnReason: string | null;
  createdAt: number;
  seq: number;
}

export interface GrievanceRecord {
  grievanceId: string;
  developerId: string;
  dataPrincipalId: string;
  recordId: string | null;
  type: string;
  description: string;
  evidence: Record<string, unknown>;
  status: string;
  referenceNumber: string;
  expectedResolutionBy: number;
  createdAt: number;
  seq: number;
}

export interface DpdpExportRecord {
  exportId: string;
  developerId: string;
  type: string;
  dateFrom: number;
  dateTo: number;
  format: string;
  recordCount: number;
  data: Record<string, unknown>;
  expiresAt: number;
  createdAt: number;
}

export interface ConsentBundleRecord {
  id: string;
  developerId: string;
  agentId: string;
  grantId: string;
  userId: string;
  scopes: string[];
  status: 'active' | 'revoked';
  deviceId: string | null;
  devicePlatform: string | null;
  offlineTTL: string;
  offlineExpiresAt: number;
  checkpointAt: number;
  auditPublicKey: CryptoKey;
  lastSyncAt: number | null;
  createdAt: number;
  revokedAt: number | null;
  revokedBy: string | null;
  seq: number;
}

export interface OfflineAuditRecord {
  id: string;
  bundleId: string;
  seq: number;
  timestamp: string;
  action: string;
  agentDID: string;
  grantId: string;
  scopes: string[];
  result: string;
  metadata: Record<string, unknown>;
  prevHash: string;
  hash: string;
  signature: string;
  syncedAt: number;
}

export interface RegistryOrgRecord {
  orgId: string;
  developerId: string;
  did: string;
  domain: string;
  name: string;
  description: string | null;
  website: string | null;
  contact: { security: string | null; dpo: string | null };
  verificationToken: string;
  verificationLevel: 'basic' | 'verified';
  verifiedAt: number | null;
  verificationMethod: string | null;
  badges: string[];
  createdAt: number;
  seq: number;
}

export interface McpServerRecord {
  serverId: string;
  developerId: string;
  name: string;
  description: string | null;
  category: string;
  scopes: string[];
  serverUrl: string | null;
  authEndpoint: string | null;
  npmPackage: string | null;
  createdAt: number;
  updatedAt: number;
  seq: number;
}

export interface CertificationRecord {
  certificationId: string;
  developerId: string;
  serverId: string;
  requestedLevel: string;
  status: string;
  createdAt: number;
}

export interface DomainRecord {
  id: string;
  developerId: string;
  domain: string;
  verificationToken: string;
  verified: boolean;
  verifiedAt: number | null;
  createdAt: number;
  seq: number;
}

export interface SubscriptionRecord {
  plan: Plan;
  status: string;
  currentPeriodEnd: number | null;
}

export interface CheckoutRecord {
  id: string;
  developerId: string;
  plan: Plan;
  createdAt: number;
}

export interface WebAuthnChallengeRecord {
  id: string;
  developerId: string;
  kind: 'registration' | 'assertion';
  challenge: string;
  principalId: string;
  authRequestId: string | null;
  expiresAt: number;
}

export interface WebAuthnCredentialRecord {
  id: string;
  developerId: string;
  principalId: string;
  /** The authenticator's credential id, base64url. */
  credentialId: string;
  publicKey: CryptoKey;
  algorithm: number;
  counter: number;
  transports: string[];
  backedUp: boolean;
  deviceName: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  seq: number;
}

/** A login in progress: the state handed to the IdP, single-use, valid for 10 minutes. */
export interface SsoStateRecord {
  state: string;
  developerId: string;
  connectionId: string;
  nonce: string;
  codeVerifier: string | null;
  /** The callback URL sent to the IdP. */
  callbackUrl: string;
  /** The `redirect_uri` the login bound, which the callback must repeat. */
  redirectUri: string | null;
  expiresAt: number;
  used: boolean;
}

export interface SsoSessionRecord {
  id: string;
  developerId: string;
  connectionId: string;
  principalId: string | null;
  email: string | null;
  name: string | null;
  idpSubject: string;
  groups: string[];
  mappedScopes: string[];
  expiresAt: number;
  createdAt: number;
  seq: number;
}

/**
 * A user of an LDAP directory the test serves through `server.ldap.serve`; a login as this user
 * opens a session whose `sub` is the `dn`.
 *
 * @example
 * ```ts
 * const carol: LdapUser = { username: 'carol', password: 'c0rrect', dn: 'uid=carol,dc=example,dc=com', groups: ['Engineering'] };
 * ```
 */
export interface LdapUser {
  readonly username: string;
  readonly password: string;
  readonly dn: string;
  readonly email?: string | undefined;
  readonly name?: string | undefined;
  readonly groups?: readonly string[] | undefined;
}

/**
 * An LDAP directory for `server.ldap.serve`: the bind a connection must present, and its users.
 *
 * @example
 * ```ts
 * server.ldap.serve('ldap://ldap.example.com', { bindDn: 'cn=grantex,dc=example,dc=com', bindPassword: 'bind-secret', users: [carol] });
 * ```
 */
export interface LdapDirectory {
  readonly bindDn: string;
  readonly bindPassword: string;
  readonly users: readonly LdapUser[];
}

/** Everything a test server remembers; `reset()` replaces it with a fresh one. */
export class Store {
  seq = 0;
  readonly developers = new Map<string, DeveloperRecord>();
  readonly apiKeys = new Map<string, string>();
  readonly agents = new Map<string, AgentRecord>();
  readonly authRequests = new Map<string, AuthRequestRecord>();
  readonly codes = new Map<string, string>();
  readonly grants = new Map<string, GrantRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly vault = new Map<string, VaultRecord>();
  readonly audit = new Map<string, AuditRecord[]>();
  readonly policies = new Map<string, PolicyRecord>();
  readonly policyBundles = new Map<string, PolicyBundleRecord>();
  readonly webhooks = new Map<string, WebhookRecord>();
  readonly events: EventRecord[] = [];
  readonly deliveries: DeliveryRecord[] = [];
  readonly scimTokens = new Map<string, ScimTokenRecord>();
  readonly scimUsers = new Map<string, ScimUserRecord>();
  readonly ssoConnections = new Map<string, SsoConnectionRecord>();
  readonly ssoConfigs = new Map<string, SsoConfigRecord>();
  readonly ssoStates = new Map<string, SsoStateRecord>();
  readonly ssoSessions = new Map<string, SsoSessionRecord>();
  /** LDAP directories served through `server.ldap.serve`, by ldap URL. */
  readonly ldapDirectories = new Map<string, LdapDirectory>();
  readonly anomalyRules = new Map<string, AnomalyRuleRecord>();
  readonly anomalyChannels = new Map<string, AnomalyChannelRecord>();
  readonly anomalies = new Map<string, AnomalyRecord>();
  readonly anomalyAlerts = new Map<string, AnomalyAlertRecord>();
  readonly emailVerifications = new Map<string, EmailVerificationRecord>();
  /** By grant id: one allocation per grant. */
  readonly budgets = new Map<string, BudgetRecord>();
  readonly budgetTransactions: BudgetTransactionRecord[] = [];
  readonly vcs = new Map<string, VcRecord>();
  readonly statusLists = new Map<string, StatusListRecord>();
  readonly sdJwts = new Map<string, SdJwtRecord>();
  readonly passports = new Map<string, PassportRecord>();
  readonly dpdpNotices: DpdpNoticeRecord[] = [];
  readonly dpdpRecords = new Map<string, DpdpRecord>();
  readonly grievances = new Map<string, GrievanceRecord>();
  readonly dpdpExports = new Map<string, DpdpExportRecord>();
  readonly bundles = new Map<string, ConsentBundleRecord>();
  readonly offlineAudit = new Map<string, OfflineAuditRecord[]>();
  readonly registryOrgs = new Map<string, RegistryOrgRecord>();
  readonly mcpServers = new Map<string, McpServerRecord>();
  readonly certifications = new Map<string, CertificationRecord>();
  readonly domains = new Map<string, DomainRecord>();
  /** By developer id: subscriptions made through a completed checkout. */
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  readonly checkouts = new Map<string, CheckoutRecord>();
  readonly webauthnChallenges = new Map<string, WebAuthnChallengeRecord>();
  readonly webauthnCredentials = new Map<string, WebAuthnCredentialRecord>();
  /** TXT records published through `server.dns.publish`, by record name. */
  readonly dnsTxt = new Map<string, string[]>();
  /** Agentic commerce (src/testing/commerce). */
  readonly commerce = new CommerceState();

  nextSeq(): number {
    return ++this.seq;
  }

  auditChain(developerId: string): AuditRecord[] {
    let chain = this.audit.get(developerId);
    if (!chain) this.audit.set(developerId, (chain = []));
    return chain;
  }
}

/** Items of a map that belong to one developer, newest first (by creation sequence). */
export function newestFirst<T extends { developerId: string; seq: number }>(items: Iterable<T>, developerId: string): T[] {
  return [...items].filter((item) => item.developerId === developerId).sort((a, b) => b.seq - a.seq);
}
