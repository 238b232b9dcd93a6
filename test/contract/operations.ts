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
};
