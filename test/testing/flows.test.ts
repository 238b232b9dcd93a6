import { afterEach, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/audit/index.js';
import { isGrantexError } from '../../src/errors.js';
import { verifyLegacyWebhookSignature, verifyWebhook } from '../../src/webhooks/index.js';
import { Grantex } from '../../src/index.js';
import { decodeJwt, expectAllValid, grantFor, harness as rawHarness, type Harness } from './support.js';
import type { TestServerOptions } from '../../src/testing/index.js';

/** The raw harness plus SDK clients for the live and the sandbox developer, on the validating fetch. */
function harness(options?: TestServerOptions) {
  const raw = rawHarness(options);
  const make = (apiKey: string) => new Grantex({ apiKey, baseUrl: raw.server.url, fetch: raw.fetch, maxRetries: 0 });
  return { ...raw, client: make(raw.server.apiKey), sandbox: make(raw.server.sandboxApiKey) };
}

let h: Harness & ReturnType<typeof harness>;
afterEach(() => expectAllValid(h.checked));

/** The SDK's error for a failed call: its status, code and the server's own message. */
async function failure(promise: PromiseLike<unknown>): Promise<{ status?: number; code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (!isGrantexError(error)) throw error;
    const e = error as { status?: number; code: string; message: string; serverMessage?: string };
    return { status: e.status, code: e.code, message: e.serverMessage ?? e.message };
  }
  throw new Error('the call succeeded');
}

/** A PKCE pair computed here, independently of the SDK's helper. */
async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const verifier = b64(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  return { verifier, challenge };
}

describe('consent', () => {
  it('a live request waits for the principal; approving through the consent endpoint yields a code that exchanges once', async () => {
    h = harness();
    const agent = await h.client.agents.register({ name: 'calendar-agent', scopes: ['calendar:read'] });
    const request = await h.client.authorize({ agentId: agent.agentId, userId: 'user_alice', scopes: ['calendar:read'], redirectUri: 'https://app.example/cb', state: 'xyz' });
    expect(request.code).toBeUndefined();
    expect(request.consentUrl).toBe(`${h.server.url}/consent?req=${request.authRequestId}`);

    const page = await h.call('GET', `/v1/consent/${request.authRequestId}`, { key: null });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ id: request.authRequestId, agentName: 'calendar-agent', scopes: ['calendar:read'], scopeDescriptions: ['Read your calendar events'], status: 'pending', fidoRequired: false });

    // Not before the principal approves.
    const early = await failure(h.client.tokens.exchange({ code: '01M81NX4TSBQK8Y6JHFCRNKAZG', agentId: agent.agentId }));
    expect([early.status, early.message]).toEqual([400, 'Invalid code']);

    const approved = await h.call('POST', `/v1/consent/${request.authRequestId}/approve`, { key: null });
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual({ code: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/), redirectUri: 'https://app.example/cb', state: 'xyz' });

    const token = await h.client.tokens.exchange({ code: approved.body.code, agentId: agent.agentId });
    expect(token.scopes).toEqual(['calendar:read']);
    const again = await failure(h.client.tokens.exchange({ code: approved.body.code, agentId: agent.agentId }));
    expect([again.status, again.code, again.message]).toEqual([400, 'BAD_REQUEST', 'Auth request not approved']);

    // The request is no longer pending: the consent endpoints answer as the real server does.
    expect((await h.call('GET', `/v1/consent/${request.authRequestId}`, { key: null })).status).toBe(410);
    expect((await h.call('POST', `/v1/consent/${request.authRequestId}/approve`, { key: null })).status).toBe(410);
  });

  it('a denied request never yields a code', async () => {
    h = harness();
    const agent = await h.client.agents.register({ name: 'calendar-agent' });
    const request = await h.client.authorize({ agentId: agent.agentId, userId: 'user_bob', scopes: ['calendar:read'], redirectUri: 'https://app.example/cb' });
    const denied = await h.call('POST', `/v1/consent/${request.authRequestId}/deny`, { key: null });
    expect([denied.status, denied.body]).toEqual([200, { redirectUri: 'https://app.example/cb' }]);
    const approve = await h.call('POST', `/v1/consent/${request.authRequestId}/approve`, { key: null });
    expect([approve.status, approve.body.code]).toEqual([410, 'GONE']);
    expect((await h.call('POST', `/v1/consent/${request.authRequestId}/deny`, { key: null })).status).toBe(404);
  });

  it('sandbox keys get the code at once; the sandbox approve endpoint refuses live keys', async () => {
    h = harness();
    const agent = await h.sandbox.agents.register({ name: 'sandbox-agent' });
    const request = await h.sandbox.authorize({ agentId: agent.agentId, userId: 'user_sand', scopes: ['files:read'] });
    expect(request.code).toMatch(/^[0-9A-Z]{26}$/);
    expect((request as { sandbox?: boolean }).sandbox).toBe(true);
    // Born approved, so the sandbox approve endpoint finds nothing pending.
    expect((await h.call('POST', `/v1/authorize/${request.authRequestId}/approve`, { key: h.server.sandboxApiKey })).status).toBe(404);

    const live = await h.client.agents.register({ name: 'live-agent' });
    const pending = await h.client.authorize({ agentId: live.agentId, userId: 'user_live', scopes: ['files:read'] });
    const refused = await h.call('POST', `/v1/authorize/${pending.authRequestId}/approve`);
    expect([refused.status, refused.body.code]).toEqual([403, 'CONSENT_REQUIRED']);
  });

  it('an expired request cannot be approved (clock moved past expiresIn)', async () => {
    h = harness();
    const agent = await h.client.agents.register({ name: 'agent' });
    const request = await h.client.authorize({ agentId: agent.agentId, userId: 'user_alice', scopes: ['a:b'], expiresIn: '10m' });
    h.server.clock.advance('10m');
    expect((await h.call('POST', `/v1/consent/${request.authRequestId}/approve`, { key: null })).status).toBe(410);
  });

  it('policies are evaluated at authorize: deny refuses, allow approves a live request at once', async () => {
    h = harness();
    const agent = await h.client.agents.register({ name: 'agent' });
    const deny = await h.call('POST', '/v1/policies', { body: { name: 'no deletes', effect: 'deny', scopes: ['files:delete'], priority: 10 } });
    expect(deny.status).toBe(201);
    await h.call('POST', '/v1/policies', { body: { name: 'reads ok', effect: 'allow', scopes: ['files:read', 'files:list'], agentId: agent.agentId } });

    const denied = await failure(h.client.authorize({ agentId: agent.agentId, userId: 'u', scopes: ['files:read', 'files:delete'] }));
    expect([denied.status, denied.code]).toEqual([403, 'POLICY_DENIED']);

    const allowed = (await h.client.authorize({ agentId: agent.agentId, userId: 'u', scopes: ['files:read'] })) as Record<string, unknown>;
    expect(allowed).toMatchObject({ code: expect.any(String), policyEnforced: true, effect: 'allow' });
    // An allow policy matches only when every requested scope is listed.
    const partly = (await h.client.authorize({ agentId: agent.agentId, userId: 'u', scopes: ['files:read', 'files:write'] })) as Record<string, unknown>;
    expect(partly['code']).toBeUndefined();
  });
});

describe('tokens', () => {
  it('PKCE S256: the verifier is required and must match the challenge', async () => {
    h = harness();
    const agent = await h.sandbox.agents.register({ name: 'pkce-agent' });
    const { verifier, challenge: codeChallenge } = await pkcePair();
    const start = () => h.sandbox.authorize({ agentId: agent.agentId, userId: 'u', scopes: ['a:b'], codeChallenge, codeChallengeMethod: 'S256' });

    const first = await start();
    expect((await failure(h.sandbox.tokens.exchange({ code: first.code!, agentId: agent.agentId }))).message).toBe('codeVerifier is required for PKCE');
    const wrong = await failure(h.sandbox.tokens.exchange({ code: first.code!, agentId: agent.agentId, codeVerifier: (await pkcePair()).verifier }));
    expect(wrong.message).toBe('Invalid codeVerifier');
    // A failed attempt does not consume the code.
    const ok = await h.sandbox.tokens.exchange({ code: first.code!, agentId: agent.agentId, codeVerifier: verifier });
    expect(ok.grantId).toMatch(/^grnt_/);
  });

  it('grant tokens are RS256 JWTs with the real claims, signed by the key served at the JWKS', async () => {
    h = harness();
    const grant = await grantFor(h, { extra: { audience: 'https://calendar.example' } });
    const { header, payload } = decodeJwt(grant.grantToken);
    const now = new Date();
    expect(header).toEqual({ alg: 'RS256', kid: `grantex-${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}` });
    expect(Object.keys(payload).sort()).toEqual(['agt', 'aud', 'dev', 'exp', 'grnt', 'iat', 'iss', 'jti', 'scp', 'sub'].sort());
    expect(payload).toMatchObject({ iss: h.server.url, sub: 'user_alice', agt: grant.agentDid, dev: h.server.developerId, grnt: grant.grantId, aud: 'https://calendar.example' });
    expect(payload.jti).toMatch(/^tok_/);
    expect(payload.exp - payload.iat).toBe(86_400);
    const jwks = await h.call('GET', '/.well-known/jwks.json', { key: null });
    expect(jwks.body.keys).toEqual([{ kty: 'RSA', n: expect.any(String), e: 'AQAB', alg: 'RS256', use: 'sig', kid: header.kid }]);
  });

  it('refresh rotates: a new token and refresh token, the used one refused, the grant expiry kept', async () => {
    h = harness();
    const grant = await grantFor(h);
    const refresh = (refreshToken: string, agentId = grant.agentId) => h.call('POST', '/v1/token/refresh', { body: { refreshToken, agentId } });
    const first = await refresh(grant.refreshToken);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ grantId: grant.grantId, expiresAt: grant.expiresAt, scopes: grant.scopes });
    expect(first.body.refreshToken).not.toBe(grant.refreshToken);
    expect(decodeJwt(first.body.grantToken).payload.jti).not.toBe(decodeJwt(grant.grantToken).payload.jti);
    expect(decodeJwt(first.body.grantToken).payload.exp).toBe(decodeJwt(grant.grantToken).payload.exp);

    const reused = await refresh(grant.refreshToken);
    expect([reused.status, reused.body.message]).toEqual([400, 'Refresh token already used']);
    expect((await refresh(first.body.refreshToken, 'ag_someone_else')).body.message).toBe('Agent mismatch');
    expect((await refresh('ref_unknown')).body.message).toBe('Invalid refresh token');
    expect((await refresh(first.body.refreshToken)).status).toBe(201);
  });

  it('a refresh token of a revoked grant is refused with the real message', async () => {
    h = harness();
    const grant = await grantFor(h);
    await h.client.grants.revoke(grant.grantId);
    const answer = await h.call('POST', '/v1/token/refresh', { body: { refreshToken: grant.refreshToken, agentId: grant.agentId } });
    expect([answer.status, answer.body.message]).toEqual([400, 'Grant has been revoked']);
  });

  it('expiry follows the server clock: exactly at exp a token is no longer valid, one second before it still is', async () => {
    h = harness({ clock: { frozen: true } });
    const grant = await grantFor(h, { expiresIn: '1h' });
    const { payload } = decodeJwt(grant.grantToken);
    h.server.clock.set((payload.exp - 1) * 1000);
    expect((await h.client.tokens.verify(grant.grantToken)).valid).toBe(true);
    h.server.clock.set(payload.exp * 1000);
    expect((await h.client.tokens.verify(grant.grantToken)).valid).toBe(false);
    // The online introspection treats an expired JWT as an invalid token (400), as the real server.
    expect((await h.call('POST', '/v1/grants/verify', { body: { token: grant.grantToken } })).status).toBe(400);
    // The refresh token lives until the grant's expiry (milliseconds, where the JWT has whole seconds).
    h.server.clock.set(Date.parse(grant.expiresAt) - 1);
    const lastMoment = await h.call('POST', '/v1/token/refresh', { body: { refreshToken: grant.refreshToken, agentId: grant.agentId } });
    expect(lastMoment.status).toBe(201);
    h.server.clock.set(Date.parse(grant.expiresAt));
    const refresh = await h.call('POST', '/v1/token/refresh', { body: { refreshToken: lastMoment.body.refreshToken, agentId: grant.agentId } });
    expect(refresh.body.message).toBe('Refresh token expired');
  });

  it('revoking one token leaves the other tokens of the grant valid', async () => {
    h = harness();
    const grant = await grantFor(h);
    const refreshed = (await h.call('POST', '/v1/token/refresh', { body: { refreshToken: grant.refreshToken, agentId: grant.agentId } })).body;
    const jti = decodeJwt(grant.grantToken).payload.jti;
    expect((await h.call('POST', '/v1/tokens/revoke', { body: { jti } })).status).toBe(204);
    expect((await h.client.tokens.verify(grant.grantToken)).valid).toBe(false);
    expect((await h.client.tokens.verify(refreshed.grantToken)).valid).toBe(true);
    expect((await h.call('POST', '/v1/tokens/revoke', { body: { jti } })).status).toBe(404);
  });
});

describe('delegation', () => {
  it('scopes must be a subset, exp is min(parent, now + expiresIn), and the claims name the parent', async () => {
    h = harness();
    const parent = await grantFor(h, { expiresIn: '2h' });
    const sub = await h.client.agents.register({ name: 'sub-agent' });
    const escalate = await failure(h.client.grants.delegate({ parentGrantToken: parent.grantToken, subAgentId: sub.agentId, scopes: ['calendar:read', 'admin:all'] }));
    expect([escalate.status, escalate.message]).toEqual([400, 'Requested scopes exceed parent grant scopes: admin:all']);

    const short = await h.client.grants.delegate({ parentGrantToken: parent.grantToken, subAgentId: sub.agentId, scopes: ['calendar:read'], expiresIn: '30m' });
    const long = await h.client.grants.delegate({ parentGrantToken: parent.grantToken, subAgentId: sub.agentId, scopes: ['calendar:read'], expiresIn: '5h' });
    const parentExp = decodeJwt(parent.grantToken).payload.exp;
    expect(decodeJwt(long.grantToken).payload.exp).toBe(parentExp);
    expect(decodeJwt(short.grantToken).payload.exp).toBeLessThan(parentExp);
    expect(decodeJwt(short.grantToken).payload).toMatchObject({
      agt: `did:grantex:${sub.agentId}`,
      parentAgt: parent.agentDid,
      parentGrnt: parent.grantId,
      delegationDepth: 1,
      scp: ['calendar:read'],
      sub: 'user_alice',
    });
  });

  it('chains stop at depth 3: the third hop is allowed, the fourth refused', async () => {
    h = harness();
    let token = (await grantFor(h)).grantToken;
    const sub = await h.client.agents.register({ name: 'sub-agent' });
    for (let depth = 1; depth <= 3; depth++) {
      const next = await h.client.grants.delegate({ parentGrantToken: token, subAgentId: sub.agentId, scopes: ['calendar:read'] });
      expect(decodeJwt(next.grantToken).payload.delegationDepth).toBe(depth);
      token = next.grantToken;
    }
    const refused = await failure(h.client.grants.delegate({ parentGrantToken: token, subAgentId: sub.agentId, scopes: ['calendar:read'] }));
    expect([refused.status, refused.code]).toEqual([403, 'DELEGATION_DEPTH_EXCEEDED']);
  });

  it('revoking a grant cascades to every delegated grant, which online verification then reports revoked', async () => {
    h = harness();
    const parent = await grantFor(h);
    const sub = await h.client.agents.register({ name: 'sub-agent' });
    const child = await h.client.grants.delegate({ parentGrantToken: parent.grantToken, subAgentId: sub.agentId, scopes: ['calendar:read'] });
    const grandchild = await h.client.grants.delegate({ parentGrantToken: child.grantToken, subAgentId: sub.agentId, scopes: ['calendar:read'] });
    expect((await h.client.tokens.verify(grandchild.grantToken)).valid).toBe(true);

    await h.client.grants.revoke(parent.grantId);
    for (const grantId of [parent.grantId, child.grantId, grandchild.grantId]) {
      const grant = await h.client.grants.get(grantId);
      expect(grant.status).toBe('revoked');
      expect(grant.revokedAt).toEqual(expect.any(String));
    }
    expect((await h.client.tokens.verify(grandchild.grantToken)).valid).toBe(false);
    const introspection = await h.call('POST', '/v1/grants/verify', { body: { token: child.grantToken } });
    expect(introspection.body).toEqual({ active: false, reason: 'revoked' });
    const again = await failure(h.client.grants.revoke(parent.grantId));
    expect([again.status, again.message]).toEqual([404, 'Grant not found or already revoked']);
    // A revoked parent cannot be delegated from.
    const late = await failure(h.client.grants.delegate({ parentGrantToken: parent.grantToken, subAgentId: sub.agentId, scopes: ['calendar:read'] }));
    expect([late.status, late.message]).toEqual([400, 'Parent grant has been revoked']);
  });
});

describe('vault', () => {
  it('stores per principal and service (an upsert), releases only to a scoped, active grant token', async () => {
    h = harness();
    const grant = await grantFor(h);
    const first = await h.client.vault.store({ principalId: 'user_alice', service: 'github', accessToken: 'gho_first', metadata: { login: 'alice' } });
    const second = await h.client.vault.store({ principalId: 'user_alice', service: 'github', accessToken: 'gho_second' });
    expect(second.id).toBe(first.id);
    const listed = await h.call('GET', '/v1/vault/credentials?principalId=user_alice');
    expect(listed.body.credentials).toHaveLength(1);
    expect(listed.text).not.toContain('gho_');

    const released = await h.client.vault.exchange(grant.grantToken, { service: 'github' });
    expect(released.accessToken).toBe('gho_second');

    const unscoped = await h.call('POST', '/v1/vault/credentials/exchange', { key: grant.grantToken, body: { service: 'slack' } });
    expect([unscoped.status, unscoped.body.message]).toEqual([403, 'Grant token is not scoped for slack credential exchange']);
    // The API key is not a grant token.
    expect((await h.call('POST', '/v1/vault/credentials/exchange', { body: { service: 'github' } })).status).toBe(401);

    await h.client.grants.revoke(grant.grantId);
    const refused = await failure(h.client.vault.exchange(grant.grantToken, { service: 'github' }));
    expect(refused.code).toBe('TOKEN_INVALID');
    const raw = await h.call('POST', '/v1/vault/credentials/exchange', { key: grant.grantToken, body: { service: 'github' } });
    expect(raw.body).toMatchObject({ message: 'Invalid or expired grant token', code: 'UNAUTHORIZED' });
  });

  it('another developer sees none of the credentials', async () => {
    h = harness();
    const stored = await h.client.vault.store({ principalId: 'user_alice', service: 'github', accessToken: 'gho_secret' });
    expect((await h.call('GET', `/v1/vault/credentials/${stored.id}`, { key: h.server.sandboxApiKey })).status).toBe(404);
    expect((await h.call('GET', '/v1/vault/credentials', { key: h.server.sandboxApiKey })).body.credentials).toEqual([]);
  });
});

describe('audit log', () => {
  it('keeps one hash chain per developer that verifyAuditChain accepts, and a changed copy fails it', async () => {
    h = harness();
    const entry = { agentId: 'ag_1', agentDid: 'did:grantex:ag_1', grantId: 'grnt_1', principalId: 'user_alice' };
    const first = await h.call('POST', '/v1/audit/log', { body: { ...entry, action: 'calendar.read', metadata: { b: 1, a: { z: true, y: [1, 2] } } } });
    const second = await h.call('POST', '/v1/audit/log', { body: { ...entry, action: 'calendar.write', status: 'failure' } });
    await h.call('POST', '/v1/audit/log', { key: h.server.sandboxApiKey, body: { ...entry, action: 'other.developer' } });
    expect(first.body.prevHash).toBeNull();
    expect(second.body.prevHash).toBe(first.body.hash);

    const { entries } = (await h.call('GET', '/v1/audit/entries')).body;
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['calendar.read', 'calendar.write']);
    expect(await verifyAuditChain(entries, { fromGenesis: true })).toEqual({ valid: true, checkedEntries: 2, firstBroken: null });

    const tampered = structuredClone(entries);
    tampered[0].metadata.b = 2;
    expect((await verifyAuditChain(tampered)).firstBroken).toMatchObject({ index: 0, reason: 'content' });
    // Entries cannot be changed or removed: there is no such route, and a changed copy changes nothing.
    expect((await h.call('PATCH', `/v1/audit/${first.body.entryId}`, { body: { action: 'x' } })).status).toBe(404);
    expect((await h.call('DELETE', `/v1/audit/${first.body.entryId}`)).status).toBe(404);
    expect((await h.call('GET', `/v1/audit/${first.body.entryId}`)).body).toEqual(first.body);

    const pack = await h.call('GET', '/v1/compliance/evidence-pack');
    expect(pack.body.chainIntegrity).toEqual({ valid: true, checkedEntries: 2, firstBrokenAt: null, reason: null });
  });
});

describe('budgets', () => {
  it('debits down to zero, refuses one unit more, and refreshed tokens carry the remaining budget as bdg', async () => {
    h = harness();
    const grant = await grantFor(h);
    const debit = (amount: number) => h.call('POST', '/v1/budget/debit', { body: { grantId: grant.grantId, amount } });
    expect((await debit(1)).body).toMatchObject({ code: 'INSUFFICIENT_BUDGET' });
    const allocation = await h.call('POST', '/v1/budget/allocate', { body: { grantId: grant.grantId, initialBudget: 10 } });
    expect(allocation.body).toMatchObject({ initialBudget: '10.0000', remainingBudget: '10.0000', currency: 'USD' });
    expect((await h.call('POST', '/v1/budget/allocate', { body: { grantId: grant.grantId, initialBudget: 5 } })).body.code).toBe('CONFLICT');
    expect((await debit(2.5)).body.remaining).toBe('7.5000');
    const refreshed = await h.call('POST', '/v1/token/refresh', { body: { refreshToken: grant.refreshToken, agentId: grant.agentId } });
    expect(decodeJwt(refreshed.body.grantToken).payload.bdg).toBe(7.5);
    expect(decodeJwt(grant.grantToken).payload.bdg).toBeUndefined();
    expect((await debit(7.5001)).status).toBe(402);
    expect((await debit(7.5)).body.remaining).toBe('0.0000');
    const history = await h.call('GET', `/v1/budget/transactions/${grant.grantId}?pageSize=1`);
    expect([history.body.total, history.body.transactions[0].amount]).toEqual([2, '7.5000']);
    expect((await h.call('GET', `/v1/budget/transactions/${grant.grantId}?pageSize=201`)).status).toBe(400);
    expect((await h.call('GET', `/v1/budget/balance/${grant.grantId}`)).body.remainingBudget).toBe('0.0000');
    await h.client.grants.revoke(grant.grantId);
    expect((await debit(1)).body.code).toBe('GRANT_INACTIVE');
  });
});

describe('webhooks', () => {
  it('records v1 and v2 signed deliveries of grant.created, token.issued and grant.revoked', async () => {
    const seen: string[] = [];
    h = harness({ onWebhookDelivery: (delivery) => void seen.push(delivery.event.type) });
    const webhook = await h.call('POST', '/v1/webhooks', { body: { url: 'https://hooks.example/grantex', events: ['grant.created', 'grant.revoked', 'token.issued'] } });
    expect(webhook.body.secret).toMatch(/^[0-9a-f]{48}$/);
    expect((await h.call('GET', '/v1/webhooks')).text).not.toContain(webhook.body.secret);

    const grant = await grantFor(h);
    await h.client.grants.revoke(grant.grantId);
    expect(seen).toEqual(['grant.created', 'token.issued', 'grant.revoked']);

    const deliveries = h.server.deliveries;
    expect(deliveries.map((d) => d.event.type)).toEqual(seen);
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ webhookId: webhook.body.id, url: 'https://hooks.example/grantex', method: 'POST', status: 'delivered', attempts: 1 });
      expect(delivery.headers['User-Agent']).toBe('Grantex-Webhooks/0.1');
      await verifyWebhook({ payload: delivery.body, headers: delivery.headers, secret: webhook.body.secret, now: h.server.clock.now() });
      await verifyLegacyWebhookSignature({ payload: delivery.body, headers: delivery.headers, secret: webhook.body.secret });
      await expect(verifyWebhook({ payload: delivery.body.replace('grnt_', 'grnt_X'), headers: delivery.headers, secret: webhook.body.secret, now: h.server.clock.now() })).rejects.toMatchObject({
        code: 'WEBHOOK_SIGNATURE_INVALID',
      });
    }
    // No delegated grant went with it.
    expect(deliveries[2]!.event.data).toEqual({ grantId: grant.grantId, cascade: false });
    expect(deliveries[1]!.event.data).toMatchObject({ grantId: grant.grantId, tokenId: decodeJwt(grant.grantToken).payload.jti });

    const log = await h.call('GET', `/v1/webhooks/${webhook.body.id}/deliveries?pageSize=2`);
    expect(log.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(log.body.deliveries.map((d: { eventType: string }) => d.eventType)).toEqual(['grant.revoked', 'token.issued']);
  });

  it('a refused delivery is retried on the real schedule (30 s·2^n on the server clock) and failed after five attempts', async () => {
    h = harness({ clock: { frozen: true }, onWebhookDelivery: () => new Response('nope', { status: 500 }) });
    const webhook = await h.call('POST', '/v1/webhooks', { body: { url: 'https://hooks.example/x', events: ['grant.revoked'] } });
    const grant = await grantFor(h);
    await h.client.grants.revoke(grant.grantId);
    const first = h.server.deliveries[0]!;
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500', webhookId: webhook.body.id });
    const gaps: number[] = [];
    let previous = Date.parse(first.nextAttemptAt!);
    gaps.push(previous - h.server.clock.now().getTime());
    for (let attempt = 2; attempt <= 5; attempt++) {
      // One millisecond early, nothing happens.
      h.server.clock.set(previous - 1);
      await h.server.deliverDue();
      expect(h.server.deliveries[0]!.attempts).toBe(attempt - 1);
      h.server.clock.set(previous);
      await h.server.deliverDue();
      const now = h.server.deliveries[0]!;
      expect(now.attempts).toBe(attempt);
      if (now.nextAttemptAt) {
        gaps.push(Date.parse(now.nextAttemptAt) - previous);
        previous = Date.parse(now.nextAttemptAt);
      }
    }
    expect(gaps).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(h.server.deliveries[0]).toMatchObject({ status: 'failed', attempts: 5, nextAttemptAt: null });
    expect((await h.call('GET', `/v1/webhooks/${webhook.body.id}/deliveries?status=failed`)).body.total).toBe(1);
  });

  it('a retry that comes due goes out before the next request is answered, and a 2xx delivers it', async () => {
    let answer = 503;
    h = harness({ onWebhookDelivery: () => new Response(null, { status: answer }) });
    await h.call('POST', '/v1/webhooks', { body: { url: 'https://hooks.example/x', events: ['grant.revoked'] } });
    const grant = await grantFor(h);
    await h.client.grants.revoke(grant.grantId);
    answer = 204;
    h.server.clock.advance('30s');
    await h.call('GET', '/v1/webhooks');
    expect(h.server.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2, lastError: null, nextAttemptAt: null });
  });

  it('without a callback, deliveries are POSTed to the webhook URL, signed', async () => {
    const received: Request[] = [];
    h = harness({
      fetch: async (input, init) => {
        received.push(input instanceof Request ? input : new Request(input, init));
        return new Response(null, { status: 200 });
      },
    });
    const webhook = await h.call('POST', '/v1/webhooks', { body: { url: 'https://hooks.example/grantex?team=1', events: ['grant.revoked'] } });
    const grant = await grantFor(h);
    await h.client.grants.revoke(grant.grantId);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect([request!.method, request!.url, request!.headers.get('content-type')]).toEqual(['POST', 'https://hooks.example/grantex?team=1', 'application/json']);
    const payload = await request!.text();
    await verifyWebhook({ payload, headers: Object.fromEntries(request!.headers), secret: webhook.body.secret, now: h.server.clock.now() });
    expect(JSON.parse(payload)).toMatchObject({ type: 'grant.revoked', data: { grantId: grant.grantId } });
    expect(h.server.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('rejects event types that cannot be subscribed to', async () => {
    h = harness();
    const answer = await h.call('POST', '/v1/webhooks', { body: { url: 'https://hooks.example/x', events: ['grant.created', 'vault.credential.stored'] } });
    expect([answer.status, answer.body.message]).toEqual([400, 'Invalid event types: vault.credential.stored']);
  });
});
