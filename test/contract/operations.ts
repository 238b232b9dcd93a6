import { Grantex, type PublicClientOptions } from '../../src/index.js';

type Client = Grantex;

/** A JWT-shaped grant token (the mock does not check signatures; it must only look like one). */
export const SAMPLE_GRANT_TOKEN = [
  { alg: 'RS256', kid: 'grantex-2026-11' },
  {
    iss: 'https://grantex.dev',
    sub: 'user_alice',
    agt: 'did:grantex:ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
    dev: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y',
    scp: ['calendar:read', 'github:read'],
    jti: 'tok_01M81NX4VTKZM64DHSX9JMEAN6',
    grnt: 'grnt_01M81NX4VT1ACS2C7J47VD5C9R',
    iat: 1795352859,
    exp: 1795439259,
  },
]
  .map((part) => btoa(JSON.stringify(part)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'))
  .concat('c2lnbmF0dXJl')
  .join('.');

const AGENT_ID = 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6';
const AGENT_DID = 'did:grantex:ag_01M81NX4MJ7RD1ZF8CB8WCXME6';
const GRANT_ID = 'grnt_01M81NX4VT1ACS2C7J47VD5C9R';
const POLICY_ID = 'pol_01M81NX60SEDC3ZH8G159P9J6W';
const WEBHOOK_ID = 'wh_01M81NX4P565XRDZ4RZAEN2NC6';
const ANOMALY_ID = 'anm_01M81NX60SEDC3ZH8G159P9J6W';
const ALERT_ID = 'anm_01M81NX60SEDC3ZH8G159P9J6X';
const RULE_ID = 'arule_01M81NX60SEDC3ZH8G159P9J6W';
const CHANNEL_ID = 'achan_01M81NX60SEDC3ZH8G159P9J6W';
const SCIM_TOKEN_ID = 'scimtok_01M81NX60SEDC3ZH8G159P9J6W';
const SCIM_TOKEN = '9f2c4e1a7b3d5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e';
const SCIM_USER_ID = 'scimuser_01M81NX60SEDC3ZH8G159P9J6W';
const SSO_CONNECTION_ID = 'sso_01M81NX60SEDC3ZH8G159P9J6W';
const SSO_SESSION_ID = 'ssosess_01M81NX60SEDC3ZH8G159P9J6W';

export interface OperationCalls {
  /** The call with only the required parameters. */
  readonly required: (client: Client, publicOptions: PublicClientOptions) => PromiseLike<unknown>;
  /** The call with every parameter the operation accepts. */
  readonly full: (client: Client, publicOptions: PublicClientOptions) => PromiseLike<unknown>;
}

/**
 * Every operation of openapi.yaml, called through the public SDK surface. The coverage test
 * checks that this table names exactly the spec's operations, and that each call really sends
 * the operation it is listed under.
 */
export const operationCalls: Record<string, OperationCalls> = {
  // System
  getHealth: { required: (c) => c.health(), full: (c) => c.health({ timeout: 5_000 }) },
  getJwks: { required: (c) => c.jwks(), full: (c) => c.jwks({ timeout: 5_000 }) },

  // Authentication
  signup: {
    required: (_c, o) => Grantex.signup({ name: 'Acme Robotics' }, o),
    full: (_c, o) => Grantex.signup({ name: 'Acme Robotics', email: 'dev@acme.test', mode: 'sandbox' }, o),
  },
  getMe: { required: (c) => c.me(), full: (c) => c.me({ headers: { 'X-Trace': '1' } }) },
  updateMe: {
    required: (c) => c.updateMe({ fidoRequired: true }),
    full: (c) => c.updateMe({ fidoRequired: true, fidoRpName: 'Acme' }),
  },
  rotateApiKey: { required: (c) => c.rotateKey(), full: (c) => c.rotateKey({ idempotencyKey: 'rotate-1' }) },
  requestEmailVerification: {
    required: (c) => c.requestEmailVerification('dev@acme.test'),
    full: (c) => c.requestEmailVerification('dev@acme.test', { timeout: 5_000 }),
  },
  confirmEmailVerification: {
    required: (_c, o) => Grantex.confirmEmailVerification('0b8f6a52-64a4-4a8e-9d0e-2f0d1f9d3c11', o),
    full: (_c, o) => Grantex.confirmEmailVerification('0b8f6a52-64a4-4a8e-9d0e-2f0d1f9d3c11', { ...o, timeout: 5_000 }),
  },

  // Agents
  registerAgent: {
    required: (c) => c.agents.register({ name: 'travel-assistant' }),
    full: (c) =>
      c.agents.register({ name: 'travel-assistant', description: 'Books trips', scopes: ['booking:read', 'booking:write'] }),
  },
  listAgents: { required: (c) => c.agents.list(), full: (c) => c.agents.list({ timeout: 5_000 }) },
  getAgent: {
    required: (c) => c.agents.get('ag_01M81NX4MJ7RD1ZF8CB8WCXME6'),
    full: (c) => c.agents.get('ag_01M81NX4MJ7RD1ZF8CB8WCXME6', { timeout: 5_000 }),
  },
  updateAgent: {
    required: (c) => c.agents.update('ag_01M81NX4MJ7RD1ZF8CB8WCXME6', { status: 'suspended' }),
    full: (c) =>
      c.agents.update('ag_01M81NX4MJ7RD1ZF8CB8WCXME6', {
        name: 'travel-assistant-2',
        description: 'Books trips and hotels',
        scopes: ['booking:read'],
        status: 'active',
      }),
  },
  deleteAgent: {
    required: (c) => c.agents.delete('ag_01M81NX4MJ7RD1ZF8CB8WCXME6'),
    full: (c) => c.agents.delete('ag_01M81NX4MJ7RD1ZF8CB8WCXME6', { timeout: 5_000 }),
  },

  // Authorization
  createAuthorizationRequest: {
    required: (c) => c.authorize({ agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6', userId: 'user_alice', scopes: ['calendar:read'] }),
    full: (c) =>
      c.authorizations.create({
        agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
        principalId: 'user_alice',
        scopes: ['calendar:read'],
        redirectUri: 'https://app.acme.test/callback',
        state: 'xyz',
        expiresIn: '24h',
        audience: 'https://api.acme.test',
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        codeChallengeMethod: 'S256',
      }),
  },
  approveAuthorizationRequest: {
    required: (c) => c.authorizations.approve('areq_01M81NX63D712PZGYFM9NFH0BZ'),
    full: (c) => c.authorizations.approve('areq_01M81NX63D712PZGYFM9NFH0BZ', { timeout: 5_000 }),
  },
  denyAuthorizationRequest: {
    required: (c) => c.authorizations.deny('areq_01M81NX63D712PZGYFM9NFH0BZ'),
    full: (c) => c.authorizations.deny('areq_01M81NX63D712PZGYFM9NFH0BZ', { timeout: 5_000 }),
  },

  // Consent
  getConsentRequest: {
    required: (c) => c.consent.get('areq_01M81NX4QH2VGV9HDPMYMFWH4J'),
    full: (c) => c.consent.get('areq_01M81NX4QH2VGV9HDPMYMFWH4J', { timeout: 5_000 }),
  },
  approveConsentRequest: {
    required: (c) => c.consent.approve('areq_01M81NX4QH2VGV9HDPMYMFWH4J'),
    full: (c) => c.consent.approve('areq_01M81NX4QH2VGV9HDPMYMFWH4J', { timeout: 5_000 }),
  },
  denyConsentRequest: {
    required: (c) => c.consent.deny('areq_01M81NX4QH2VGV9HDPMYMFWH4J'),
    full: (c) => c.consent.deny('areq_01M81NX4QH2VGV9HDPMYMFWH4J', { timeout: 5_000 }),
  },

  // Tokens
  exchangeToken: {
    required: (c) => c.tokens.exchange({ code: '01M81NX4TSBQK8Y6JHFCRNKAZG', agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6' }),
    full: (c) =>
      c.tokens.exchange({
        code: '01M81NX4TSBQK8Y6JHFCRNKAZG',
        agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
        codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
        credentialFormat: 'vc-jwt',
      }),
  },
  refreshToken: {
    required: (c) => c.tokens.refresh({ refreshToken: 'ref_01M81NX4VTPD0AVGNFY2FD3KW5', agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6' }),
    full: (c) =>
      c.tokens.refresh(
        { refreshToken: 'ref_01M81NX4VTPD0AVGNFY2FD3KW5', agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6' },
        { idempotencyKey: 'refresh-1' },
      ),
  },
  verifyToken: {
    required: (c) => c.tokens.verify(SAMPLE_GRANT_TOKEN),
    full: (c) => c.tokens.verify(SAMPLE_GRANT_TOKEN, { timeout: 5_000 }),
  },
  revokeToken: {
    required: (c) => c.tokens.revoke('tok_01M81NX4VTKZM64DHSX9JMEAN6'),
    full: (c) => c.tokens.revoke('tok_01M81NX4VTKZM64DHSX9JMEAN6', { timeout: 5_000 }),
  },

  // Grants
  listGrants: {
    required: (c) => c.grants.list(),
    full: (c) =>
      c.grants.list({ agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6', principalId: 'user_alice', status: 'active', page: 1, pageSize: 20 }),
  },
  getGrant: {
    required: (c) => c.grants.get('grnt_01M81NX4VT1ACS2C7J47VD5C9R'),
    full: (c) => c.grants.get('grnt_01M81NX4VT1ACS2C7J47VD5C9R', { timeout: 5_000 }),
  },
  revokeGrant: {
    required: (c) => c.grants.revoke('grnt_01M81NX4VT1ACS2C7J47VD5C9R'),
    full: (c) => c.grants.revoke('grnt_01M81NX4VT1ACS2C7J47VD5C9R', { timeout: 5_000 }),
  },
  verifyGrant: {
    required: (c) => c.grants.verify(SAMPLE_GRANT_TOKEN),
    full: (c) => c.grants.verify(SAMPLE_GRANT_TOKEN, { timeout: 5_000 }),
  },
  delegateGrant: {
    required: (c) =>
      c.grants.delegate({ parentGrantToken: SAMPLE_GRANT_TOKEN, subAgentId: 'ag_01M81NX4N6XTHZ6PSTX52SGEP2', scopes: ['calendar:read'] }),
    full: (c) =>
      c.grants.delegate({
        parentGrantToken: SAMPLE_GRANT_TOKEN,
        subAgentId: 'ag_01M81NX4N6XTHZ6PSTX52SGEP2',
        scopes: ['calendar:read'],
        expiresIn: '1h',
        credentialFormat: 'jwt',
      }),
  },

  // Vault
  storeVaultCredential: {
    required: (c) => c.vault.store({ principalId: 'user_alice', service: 'github', accessToken: 'gho_example_upstream_token' }),
    full: (c) =>
      c.vault.store({
        principalId: 'user_alice',
        service: 'github',
        accessToken: 'gho_example_upstream_token',
        credentialType: 'oauth2',
        refreshToken: 'ghr_example_refresh',
        tokenExpiresAt: '2030-01-01T00:00:00.000Z',
        metadata: { login: 'alice' },
      }),
  },
  listVaultCredentials: {
    required: (c) => c.vault.list(),
    full: (c) => c.vault.list({ principalId: 'user_alice', service: 'github' }),
  },
  getVaultCredential: {
    required: (c) => c.vault.get('vault_01M81NX55NN4J7SAHQ4WZEAZ2W'),
    full: (c) => c.vault.get('vault_01M81NX55NN4J7SAHQ4WZEAZ2W', { timeout: 5_000 }),
  },
  deleteVaultCredential: {
    required: (c) => c.vault.delete('vault_01M81NX55NN4J7SAHQ4WZEAZ2W'),
    full: (c) => c.vault.delete('vault_01M81NX55NN4J7SAHQ4WZEAZ2W', { timeout: 5_000 }),
  },
  exchangeVaultCredential: {
    required: (c) => c.vault.exchange(SAMPLE_GRANT_TOKEN, { service: 'github' }),
    full: (c) => c.vault.exchange(SAMPLE_GRANT_TOKEN, { service: 'github' }, { timeout: 5_000 }),
  },
  // Audit
  logAuditEntry: {
    required: (c) =>
      c.audit.log({ agentId: AGENT_ID, agentDid: AGENT_DID, grantId: GRANT_ID, principalId: 'user_alice', action: 'calendar.read' }),
    full: (c) =>
      c.audit.log({
        agentId: AGENT_ID,
        agentDid: AGENT_DID,
        grantId: GRANT_ID,
        principalId: 'user_alice',
        action: 'calendar.read',
        metadata: { eventCount: 3 },
        status: 'success',
      }),
  },
  listAuditEntries: {
    required: (c) => c.audit.list(),
    full: (c) => c.audit.list({ agentId: AGENT_ID, grantId: GRANT_ID, principalId: 'user_alice', action: 'calendar.read', page: 1, pageSize: 50 }),
  },
  getAuditEntry: {
    required: (c) => c.audit.get('alog_01M81NX5RQ3QHVN7JFEE4WNY71'),
    full: (c) => c.audit.get('alog_01M81NX5RQ3QHVN7JFEE4WNY71', { timeout: 5_000 }),
  },

  // Policies
  createPolicy: {
    required: (c) => c.policies.create({ name: 'deny night writes', effect: 'deny' }),
    full: (c) =>
      c.policies.create({
        name: 'deny night writes',
        effect: 'deny',
        priority: 10,
        agentId: AGENT_ID,
        principalId: 'user_alice',
        scopes: ['calendar:write'],
        timeOfDayStart: '22:00',
        timeOfDayEnd: '06:00',
      }),
  },
  listPolicies: { required: (c) => c.policies.list(), full: (c) => c.policies.list({ timeout: 5_000 }) },
  getPolicy: { required: (c) => c.policies.get(POLICY_ID), full: (c) => c.policies.get(POLICY_ID, { timeout: 5_000 }) },
  updatePolicy: {
    required: (c) => c.policies.update(POLICY_ID, { priority: 5 }),
    full: (c) =>
      c.policies.update(POLICY_ID, {
        name: 'renamed',
        effect: 'allow',
        priority: 5,
        agentId: null,
        principalId: null,
        scopes: null,
        timeOfDayStart: null,
        timeOfDayEnd: null,
      }),
  },
  deletePolicy: { required: (c) => c.policies.delete(POLICY_ID), full: (c) => c.policies.delete(POLICY_ID, { timeout: 5_000 }) },
  syncPolicyBundle: {
    required: (c) => c.policies.syncBundle({ format: 'rego', version: 'v1', content: btoa('package grantex') }),
    full: (c) => c.policies.syncBundle({ format: 'cedar', version: 'v2', content: btoa('permit(principal, action, resource);'), fileCount: 1, activate: false }),
  },
  listPolicyBundles: { required: (c) => c.policies.listBundles(), full: (c) => c.policies.listBundles({ format: 'rego' }) },
  getActivePolicyBundle: { required: (c) => c.policies.activeBundle('rego'), full: (c) => c.policies.activeBundle('cedar', { timeout: 5_000 }) },
  receivePolicySyncWebhook: {
    required: (c) => c.policies.notifySync(),
    full: (c) => c.policies.notifySync({ ref: 'refs/heads/main', repository: { full_name: 'acme/policies' } }),
  },

  // Webhooks
  createWebhook: {
    required: (c) => c.webhooks.create({ url: 'https://app.acme.test/hooks', events: ['grant.created'] }),
    full: (c) => c.webhooks.create({ url: 'https://app.acme.test/hooks', events: ['grant.created', 'grant.revoked', 'token.issued'] }),
  },
  listWebhooks: { required: (c) => c.webhooks.list(), full: (c) => c.webhooks.list({ timeout: 5_000 }) },
  listWebhookDeliveries: {
    required: (c) => c.webhooks.deliveries(WEBHOOK_ID),
    full: (c) => c.webhooks.deliveries(WEBHOOK_ID, { status: 'failed', page: 2, pageSize: 3 }),
  },
  deleteWebhook: { required: (c) => c.webhooks.delete(WEBHOOK_ID), full: (c) => c.webhooks.delete(WEBHOOK_ID, { timeout: 5_000 }) },

  // Billing
  getSubscription: { required: (c) => c.billing.subscription(), full: (c) => c.billing.subscription({ timeout: 5_000 }) },
  createCheckoutSession: {
    required: (c) => c.billing.checkout({ plan: 'pro', successUrl: 'https://app.acme.test/ok', cancelUrl: 'https://app.acme.test/cancel' }),
    full: (c) =>
      c.billing.checkout({ plan: 'enterprise', successUrl: 'https://app.acme.test/ok', cancelUrl: 'https://app.acme.test/cancel' }, { idempotencyKey: 'checkout-1' }),
  },
  createPortalSession: {
    required: (c) => c.billing.portal({ returnUrl: 'https://app.acme.test/settings' }),
    full: (c) => c.billing.portal({ returnUrl: 'https://app.acme.test/settings' }, { timeout: 5_000 }),
  },

  // Compliance
  getComplianceSummary: {
    required: (c) => c.compliance.summary(),
    full: (c) => c.compliance.summary({ since: '2026-01-01T00:00:00.000Z', until: '2026-12-31T23:59:59.000Z' }),
  },
  exportComplianceGrants: {
    required: (c) => c.compliance.exportGrants(),
    full: (c) => c.compliance.exportGrants({ since: '2026-01-01T00:00:00.000Z', until: '2026-12-31T23:59:59.000Z', status: 'active' }),
  },
  exportComplianceAudit: {
    required: (c) => c.compliance.exportAudit(),
    full: (c) =>
      c.compliance.exportAudit({ since: '2026-01-01T00:00:00.000Z', until: '2026-12-31T23:59:59.000Z', agentId: AGENT_ID, status: 'success' }),
  },
  getEvidencePack: {
    required: (c) => c.compliance.evidencePack(),
    full: (c) => c.compliance.evidencePack({ since: '2026-01-01T00:00:00.000Z', until: '2026-12-31T23:59:59.000Z', framework: 'soc2' }),
  },

  // Principal sessions
  createPrincipalSession: {
    required: (c) => c.principalSessions.create({ principalId: 'user_alice' }),
    full: (c) => c.principalSessions.create({ principalId: 'user_alice', expiresIn: '2h' }),
  },
  listPrincipalGrants: {
    required: (c) => c.principalSessions.withToken(SAMPLE_GRANT_TOKEN).grants(),
    full: (c) => c.principalSessions.withToken(SAMPLE_GRANT_TOKEN).grants({ timeout: 5_000 }),
  },
  listPrincipalAuditEntries: {
    required: (c) => c.principalSessions.withToken(SAMPLE_GRANT_TOKEN).auditEntries(),
    full: (c) => c.principalSessions.withToken(SAMPLE_GRANT_TOKEN).auditEntries({ timeout: 5_000 }),
  },
  revokePrincipalGrant: {
    required: (c) => c.principalSessions.withToken(SAMPLE_GRANT_TOKEN).revokeGrant(GRANT_ID),
    full: (c) => c.principalSessions.withToken(SAMPLE_GRANT_TOKEN).revokeGrant(GRANT_ID, { timeout: 5_000 }),
  },
  // Anomalies
  detectAnomalies: { required: (c) => c.anomalies.detect(), full: (c) => c.anomalies.detect({ idempotencyKey: 'detect-1' }) },
  listAnomalies: { required: (c) => c.anomalies.list(), full: (c) => c.anomalies.list({ unacknowledged: true }) },
  acknowledgeAnomaly: { required: (c) => c.anomalies.acknowledge(ANOMALY_ID), full: (c) => c.anomalies.acknowledge(ANOMALY_ID, { timeout: 5_000 }) },
  listAnomalyAlerts: {
    required: (c) => c.anomalies.alerts.list(),
    full: (c) => c.anomalies.alerts.list({ status: 'open', severity: 'high', agentId: AGENT_ID, limit: 50 }),
  },
  getAnomalyAlert: { required: (c) => c.anomalies.alerts.get(ALERT_ID), full: (c) => c.anomalies.alerts.get(ALERT_ID, { timeout: 5_000 }) },
  acknowledgeAnomalyAlert: {
    required: (c) => c.anomalies.alerts.acknowledge(ALERT_ID),
    full: (c) => c.anomalies.alerts.acknowledge(ALERT_ID, { note: 'looking into it' }),
  },
  resolveAnomalyAlert: {
    required: (c) => c.anomalies.alerts.resolve(ALERT_ID),
    full: (c) => c.anomalies.alerts.resolve(ALERT_ID, { note: 'expected batch job' }),
  },
  getAnomalyMetrics: { required: (c) => c.anomalies.metrics(), full: (c) => c.anomalies.metrics({ window: '6h', agentId: AGENT_ID }) },
  listAnomalyRules: { required: (c) => c.anomalies.rules.list(), full: (c) => c.anomalies.rules.list({ timeout: 5_000 }) },
  createAnomalyRule: {
    required: (c) => c.anomalies.rules.create({ ruleId: 'CUSTOM-001', name: 'burst of reads', condition: { action: 'calendar.read', perMinute: 100 } }),
    full: (c) =>
      c.anomalies.rules.create({
        ruleId: 'CUSTOM-001',
        name: 'burst of reads',
        condition: { action: 'calendar.read', perMinute: 100 },
        description: 'More than 100 reads a minute',
        severity: 'high',
        alertChannels: ['achan_01M81NX60SEDC3ZH8G159P9J6W'],
      }),
  },
  updateAnomalyRule: {
    required: (c) => c.anomalies.rules.update(RULE_ID, { enabled: false }),
    full: (c) => c.anomalies.rules.update(RULE_ID, { enabled: true }, { timeout: 5_000 }),
  },
  deleteAnomalyRule: { required: (c) => c.anomalies.rules.delete(RULE_ID), full: (c) => c.anomalies.rules.delete(RULE_ID, { timeout: 5_000 }) },
  listAnomalyChannels: { required: (c) => c.anomalies.channels.list(), full: (c) => c.anomalies.channels.list({ timeout: 5_000 }) },
  createAnomalyChannel: {
    required: (c) => c.anomalies.channels.create({ type: 'slack', name: 'security', config: { webhookUrl: 'https://hooks.slack.test/x' } }),
    full: (c) =>
      c.anomalies.channels.create({ type: 'webhook', name: 'pager', config: { url: 'https://pager.acme.test/hook' }, severities: ['critical'] }),
  },
  deleteAnomalyChannel: { required: (c) => c.anomalies.channels.delete(CHANNEL_ID), full: (c) => c.anomalies.channels.delete(CHANNEL_ID, { timeout: 5_000 }) },

  // SCIM
  createScimToken: { required: (c) => c.scim.createToken({ label: 'Okta' }), full: (c) => c.scim.createToken({ label: 'Okta' }, { timeout: 5_000 }) },
  listScimTokens: { required: (c) => c.scim.listTokens(), full: (c) => c.scim.listTokens({ timeout: 5_000 }) },
  deleteScimToken: { required: (c) => c.scim.deleteToken(SCIM_TOKEN_ID), full: (c) => c.scim.deleteToken(SCIM_TOKEN_ID, { timeout: 5_000 }) },
  getScimServiceProviderConfig: { required: (c) => c.scim.serviceProviderConfig(), full: (c) => c.scim.serviceProviderConfig({ timeout: 5_000 }) },
  listScimUsers: {
    required: (c) => c.scim.withToken(SCIM_TOKEN).users.list(),
    full: (c) => c.scim.withToken(SCIM_TOKEN).users.list({ startIndex: 1, count: 50, filter: 'userName eq "alice"' }),
  },
  createScimUser: {
    required: (c) => c.scim.withToken(SCIM_TOKEN).users.create({ userName: 'alice@acme.test' }),
    full: (c) =>
      c.scim.withToken(SCIM_TOKEN).users.create({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'alice@acme.test',
        displayName: 'Alice',
        externalId: 'okta-123',
        active: true,
        emails: [{ value: 'alice@acme.test', primary: true }],
      }),
  },
  getScimUser: {
    required: (c) => c.scim.withToken(SCIM_TOKEN).users.get(SCIM_USER_ID),
    full: (c) => c.scim.withToken(SCIM_TOKEN).users.get(SCIM_USER_ID, { timeout: 5_000 }),
  },
  replaceScimUser: {
    required: (c) => c.scim.withToken(SCIM_TOKEN).users.replace(SCIM_USER_ID, { userName: 'alice@acme.test' }),
    full: (c) =>
      c.scim.withToken(SCIM_TOKEN).users.replace(SCIM_USER_ID, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'alice@acme.test',
        displayName: 'Alice Liddell',
        externalId: 'okta-123',
        active: false,
        emails: [{ value: 'alice@acme.test', primary: true }],
      }),
  },
  patchScimUser: {
    required: (c) => c.scim.withToken(SCIM_TOKEN).users.patch(SCIM_USER_ID, { Operations: [{ op: 'replace', path: 'active', value: false }] }),
    full: (c) =>
      c.scim.withToken(SCIM_TOKEN).users.patch(SCIM_USER_ID, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', value: { displayName: 'Alice L.', active: true } }],
      }),
  },
  deleteScimUser: {
    required: (c) => c.scim.withToken(SCIM_TOKEN).users.delete(SCIM_USER_ID),
    full: (c) => c.scim.withToken(SCIM_TOKEN).users.delete(SCIM_USER_ID, { timeout: 5_000 }),
  },

  // SSO
  createSsoConnection: {
    required: (c) => c.sso.connections.create({ name: 'Okta', protocol: 'oidc' }),
    full: (c) =>
      c.sso.connections.create({
        name: 'Okta',
        protocol: 'oidc',
        issuerUrl: 'https://acme.okta.test',
        clientId: 'client-123',
        clientSecret: 'client-secret-value',
        domains: ['acme.test'],
        jitProvisioning: true,
        enforce: false,
        groupAttribute: 'groups',
        groupMappings: { engineers: ['calendar:read'] },
        defaultScopes: ['calendar:read'],
      }),
  },
  listSsoConnections: { required: (c) => c.sso.connections.list(), full: (c) => c.sso.connections.list({ timeout: 5_000 }) },
  getSsoConnection: { required: (c) => c.sso.connections.get(SSO_CONNECTION_ID), full: (c) => c.sso.connections.get(SSO_CONNECTION_ID, { timeout: 5_000 }) },
  updateSsoConnection: {
    required: (c) => c.sso.connections.update(SSO_CONNECTION_ID, { status: 'inactive' }),
    full: (c) =>
      c.sso.connections.update(SSO_CONNECTION_ID, {
        name: 'Okta (prod)',
        status: 'active',
        domains: ['acme.test', 'acme.example'],
        jitProvisioning: false,
        enforce: true,
        defaultScopes: [],
      }),
  },
  deleteSsoConnection: { required: (c) => c.sso.connections.delete(SSO_CONNECTION_ID), full: (c) => c.sso.connections.delete(SSO_CONNECTION_ID, { timeout: 5_000 }) },
  testSsoConnection: { required: (c) => c.sso.connections.test(SSO_CONNECTION_ID), full: (c) => c.sso.connections.test(SSO_CONNECTION_ID, { timeout: 5_000 }) },
  setSsoEnforcement: { required: (c) => c.sso.enforce(true), full: (c) => c.sso.enforce(false, { timeout: 5_000 }) },
  listSsoSessions: { required: (c) => c.sso.sessions(), full: (c) => c.sso.sessions({ timeout: 5_000 }) },
  revokeSsoSession: { required: (c) => c.sso.revokeSession(SSO_SESSION_ID), full: (c) => c.sso.revokeSession(SSO_SESSION_ID, { timeout: 5_000 }) },
  upsertSsoConfig: {
    required: (c) =>
      c.sso.setConfig({ issuerUrl: 'https://acme.okta.test', clientId: 'client-123', clientSecret: 'client-secret-value', redirectUri: 'https://app.acme.test/sso' }),
    full: (c) =>
      c.sso.setConfig(
        { issuerUrl: 'https://acme.okta.test', clientId: 'client-123', clientSecret: 'client-secret-value', redirectUri: 'https://app.acme.test/sso' },
        { timeout: 5_000 },
      ),
  },
  getSsoConfig: { required: (c) => c.sso.getConfig(), full: (c) => c.sso.getConfig({ timeout: 5_000 }) },
  deleteSsoConfig: { required: (c) => c.sso.deleteConfig(), full: (c) => c.sso.deleteConfig({ timeout: 5_000 }) },
  getSsoLoginUrl: {
    required: (c) => c.sso.loginUrl({ org: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y' }),
    full: (c) => c.sso.loginUrl({ org: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y', domain: 'acme.test', redirectUri: 'https://app.acme.test/sso' }),
  },
  handleSsoCallback: {
    required: (c) => c.sso.handleLegacyCallback({ code: 'idp-code', state: 'signed-state' }),
    full: (c) => c.sso.handleLegacyCallback({ code: 'idp-code', state: 'signed-state' }, { timeout: 5_000 }),
  },
  handleOidcCallback: {
    required: (c) => c.sso.handleOidcCallback({ code: 'idp-code', state: 'signed-state' }),
    full: (c) => c.sso.handleOidcCallback({ code: 'idp-code', state: 'signed-state', redirect_uri: 'https://app.acme.test/sso' }),
  },
  handleSamlCallback: {
    required: (c) => c.sso.handleSamlCallback({ SAMLResponse: btoa('<samlp:Response/>'), RelayState: 'signed-state' }),
    full: (c) => c.sso.handleSamlCallback({ SAMLResponse: btoa('<samlp:Response/>'), RelayState: 'signed-state' }, { timeout: 5_000 }),
  },
  handleLdapCallback: {
    required: (c) => c.sso.handleLdapCallback({ username: 'alice', password: 'correct horse', connectionId: SSO_CONNECTION_ID, org: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y' }),
    full: (c) =>
      c.sso.handleLdapCallback(
        { username: 'alice', password: 'correct horse', connectionId: SSO_CONNECTION_ID, org: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y' },
        { timeout: 5_000 },
      ),
  },
};
