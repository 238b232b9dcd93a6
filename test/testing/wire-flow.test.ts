import { describe, expect, it } from 'vitest';

import { expectAllValid, harness, type Answer } from './support.js';

/**
 * The traffic recorded from a real Grantex server (2026-11-22), replayed in order against the test
 * server: every step must answer the recorded status, a body of the same shape (keys, value kinds,
 * id prefixes), and for errors the same code and message. JWTs in the recorded bodies are
 * shortened; only their kind matters here.
 */

const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImdyYW50ZXgtMjAyNi0xMSJ9.e30.sig';

/** The kind of a JSON value: keys for objects, the first item for arrays, id prefixes and dates for strings. */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])];
  if (typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as object).sort().map((key) => [key, shape((value as Record<string, unknown>)[key])]));
  }
  if (typeof value === 'string') {
    const id = /^([a-z]+)_[0-9A-HJKMNP-TV-Z]{26}$/.exec(value);
    if (id) return `id:${id[1]}`;
    if (/^did:grantex:ag_/.test(value)) return 'did';
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) return 'datetime';
    if (/^eyJ[\w-]*\.[\w-]*\.[\w-]*$/.test(value)) return 'jwt';
    return 'string';
  }
  return Number.isInteger(value) ? 'integer' : typeof value;
}

function expectLike(answer: Answer, status: number, recorded?: unknown): void {
  expect(answer.status, answer.text).toBe(status);
  if (recorded === undefined) return;
  expect(shape(answer.body)).toEqual(shape(recorded));
  const r = recorded as { code?: string; message?: string };
  if (status >= 400 && r.code !== undefined) expect({ code: answer.body.code, message: answer.body.message }).toEqual({ code: r.code, message: r.message });
}

const ERROR = (message: string, code: string) => ({ message, code, requestId: '3c40dfab-3131-4e2c-a5c9-4f6b0fbbe433' });
const AGENT = {
  agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
  did: 'did:grantex:ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
  developerId: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y',
  name: 'live-calendar-agent',
  description: 'Reads the calendar',
  scopes: ['calendar:read'],
  status: 'active',
  createdAt: '2026-11-22T13:07:39.283Z',
  updatedAt: '2026-11-22T13:07:39.283Z',
};
const DEVELOPER = {
  developerId: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y',
  name: 'Seed Developer',
  email: null,
  mode: 'live',
  plan: 'free',
  fidoRequired: false,
  fidoRpName: null,
  createdAt: '2026-11-22T13:07:19.714Z',
};
const WEBHOOK = { id: 'wh_01M81NX4P565XRDZ4RZAEN2NC6', url: 'http://127.0.0.1:3999/hook/live', events: ['grant.created'], createdAt: '2026-11-22T13:07:39.333Z' };
const GRANT = {
  grantId: 'grnt_01M81NX4VT1ACS2C7J47VD5C9R',
  agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
  principalId: 'user_live_alice',
  developerId: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y',
  scopes: ['calendar:read'],
  status: 'active',
  issuedAt: '2026-11-22T13:07:39.515Z',
  expiresAt: '2026-11-23T13:07:39.521Z',
  delegationDepth: 0,
};
const TOKEN = { grantToken: JWT, expiresAt: '2026-11-23T13:07:39.521Z', scopes: ['calendar:read'], refreshToken: 'ref_01M81NX4VTPD0AVGNFY2FD3KW5', grantId: 'grnt_01M81NX4VT1ACS2C7J47VD5C9R' };
const VALID = { valid: true, grantId: 'grnt_01M81NX4VT1ACS2C7J47VD5C9R', scopes: ['calendar:read'], principal: 'user_live_alice', agent: 'did:grantex:ag_01M81NX4MJ7RD1ZF8CB8WCXME6', expiresAt: '2026-11-23T13:07:39.000Z' };
const AUDIT = {
  entryId: 'alog_01M81NX5RQ3QHVN7JFEE4WNY71',
  agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
  agentDid: 'did:grantex:ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
  grantId: 'grnt_01M81NX4VT1ACS2C7J47VD5C9R',
  principalId: 'user_live_alice',
  developerId: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y',
  action: 'calendar.read',
  metadata: { eventCount: 3 },
  hash: 'c772cefaf8da24dd35a357ae509ee24785c0c683f9a7bf8dd9fbcf5d984081bb',
  prevHash: null,
  timestamp: '2026-11-22T13:07:40.439Z',
  status: 'success',
};
const DELIVERY = {
  id: 'whd_01M81NX5XK6AMXQSX32D5J7SY7',
  webhookId: 'wh_01M81NX4P565XRDZ4RZAEN2NC6',
  eventId: 'evt_01M81NX5XGBRADM8BZ7446KVRT',
  eventType: 'grant.revoked',
  status: 'delivered',
  attempts: 1,
  maxAttempts: 5,
  url: 'http://127.0.0.1:3999/hook/live',
  lastError: null,
  createdAt: '2026-11-22T13:07:40.596Z',
  deliveredAt: '2026-11-22T13:08:04.233Z',
};

describe('recorded real traffic, replayed', () => {
  it('public endpoints, auth errors, the live flow, the sandbox shortcut and the delivery log', async () => {
    // The webhook endpoint of the recording, answering 200 as it did.
    const h = harness({ fetch: async (input) => new Response(null, { status: new URL(input instanceof Request ? input.url : input).pathname === '/hook/live' ? 200 : 404 }) });
    const live = h.server.apiKey;
    const sandbox = h.server.sandboxApiKey;

    expectLike(await h.call('GET', '/health', { key: null }), 200, { status: 'healthy', database: 'ok', redis: 'ok' });
    expectLike(await h.call('GET', '/.well-known/jwks.json', { key: null }), 200, { keys: [{ kty: 'RSA', n: 'x', e: 'AQAB', alg: 'RS256', use: 'sig', kid: 'grantex-2026-11' }] });
    expectLike(await h.call('GET', '/v1/agents', { key: null }), 401, ERROR('Missing or invalid Authorization header', 'UNAUTHORIZED'));
    expectLike(await h.call('GET', '/v1/agents', { key: 'this-key-does-not-exist' }), 401, ERROR('Invalid API key', 'UNAUTHORIZED'));
    expectLike(await h.call('GET', '/v1/me'), 200, DEVELOPER);
    const me = await h.call('GET', '/v1/me', { key: sandbox });
    expectLike(me, 200, { ...DEVELOPER, mode: 'sandbox' });
    expect(me.body.mode).toBe('sandbox');
    expectLike(await h.call('POST', '/v1/agents', { body: { description: 'no name' } }), 400, ERROR('name is required', 'BAD_REQUEST'));

    const agent = await h.call('POST', '/v1/agents', { body: { name: 'live-calendar-agent', description: 'Reads the calendar', scopes: ['calendar:read', 'calendar:write', 'github:read'] } });
    expectLike(agent, 201, AGENT);
    const sub = await h.call('POST', '/v1/agents', { body: { name: 'live-sub-agent', description: 'Sub agent', scopes: ['calendar:read'] } });
    expectLike(sub, 201, AGENT);
    const agents = await h.call('GET', '/v1/agents');
    expectLike(agents, 200, { agents: [AGENT] });
    expect(agents.body.agents.map((a: { agentId: string }) => a.agentId)).toEqual([sub.body.agentId, agent.body.agentId]);

    const webhook = await h.call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:3999/hook/live', events: ['grant.created', 'grant.revoked', 'token.issued'] } });
    expectLike(webhook, 201, { ...WEBHOOK, secret: '557257785fbb5dcd3a208d8bea8925b92c786b462cdf3ef7' });
    expectLike(await h.call('GET', '/v1/webhooks'), 200, { webhooks: [WEBHOOK] });

    const scopes = ['calendar:read', 'calendar:write', 'github:read'];
    const request = await h.call('POST', '/v1/authorize', {
      body: { agentId: agent.body.agentId, principalId: 'user_live_alice', scopes, expiresIn: '24h', redirectUri: 'https://example.com/callback', state: 'xyz' },
    });
    expectLike(request, 201, { authRequestId: 'areq_01M81NX4QH2VGV9HDPMYMFWH4J', consentUrl: 'http://localhost:3001/consent?req=areq_01M81NX4QH2VGV9HDPMYMFWH4J', expiresAt: '2026-11-23T13:07:39.377Z' });
    const id = request.body.authRequestId;
    expectLike(await h.call('POST', `/v1/authorize/${id}/approve`), 403, ERROR('Live authorization requests must be approved through the consent flow', 'CONSENT_REQUIRED'));
    expectLike(await h.call('GET', `/v1/consent/${id}`, { key: null }), 200, {
      id: 'areq_01M81NX4QH2VGV9HDPMYMFWH4J',
      agentName: 'live-calendar-agent',
      agentDid: 'did:grantex:ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
      agentDescription: 'Reads the calendar',
      scopes,
      scopeDescriptions: ['Read your calendar events', 'Create, modify, and delete your calendar events', 'github:read'],
      expiresAt: '2026-11-23T13:07:39.377Z',
      status: 'pending',
      fidoRequired: false,
    });
    const page = await h.call('GET', `/consent?req=${id}`, { key: null });
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const approved = await h.call('POST', `/v1/consent/${id}/approve`, { key: null });
    expectLike(approved, 200, { code: '01M81NX4TSBQK8Y6JHFCRNKAZG', redirectUri: 'https://example.com/callback', state: 'xyz' });

    const token = await h.call('POST', '/v1/token', { body: { code: approved.body.code, agentId: agent.body.agentId } });
    expectLike(token, 201, TOKEN);
    expectLike(await h.call('POST', '/v1/token', { body: { code: approved.body.code, agentId: agent.body.agentId } }), 400, ERROR('Auth request not approved', 'BAD_REQUEST'));
    expectLike(await h.call('POST', '/v1/tokens/verify', { body: { token: token.body.grantToken } }), 200, VALID);
    expectLike(await h.call('POST', '/v1/grants/verify', { body: { token: token.body.grantToken } }), 200, {
      active: true,
      claims: { sub: 'u', agt: 'did:grantex:ag_01M81NX4MJ7RD1ZF8CB8WCXME6', dev: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y', scp: ['calendar:read'], jti: 'tok_01M81NX4VTKZM64DHSX9JMEAN6', grnt: 'grnt_01M81NX4VT1ACS2C7J47VD5C9R', iat: 1795352859, exp: 1795439259, iss: 'http://localhost:3001' },
    });
    expectLike(await h.call('POST', '/v1/tokens/verify', { body: { token: 'not.a.jwt' } }), 200, { valid: false });

    const delegated = await h.call('POST', '/v1/grants/delegate', { body: { parentGrantToken: token.body.grantToken, subAgentId: sub.body.agentId, scopes: ['calendar:read'], expiresIn: '1h' } });
    expectLike(delegated, 201, { grantToken: JWT, expiresAt: '2026-11-22T14:07:39.663Z', scopes: ['calendar:read'], grantId: 'grnt_01M81NX50FG333P31VQM590KHE', refreshToken: 'ref_01M81NX50FM6SEXGRZRTT7WSQB' });
    expectLike(
      await h.call('POST', '/v1/grants/delegate', { body: { parentGrantToken: token.body.grantToken, subAgentId: sub.body.agentId, scopes: ['admin:all'] } }),
      400,
      ERROR('Requested scopes exceed parent grant scopes: admin:all', 'BAD_REQUEST'),
    );
    expectLike(await h.call('POST', '/v1/tokens/verify', { body: { token: delegated.body.grantToken } }), 200, VALID);
    const grants = await h.call('GET', '/v1/grants');
    expectLike(grants, 200, { grants: [GRANT] });
    // As recorded: the list does not show the delegation (depth 0, no parent id).
    expect(grants.body.grants.map((g: { grantId: string; delegationDepth: number }) => [g.grantId, g.delegationDepth])).toEqual([
      [delegated.body.grantId, 0],
      [token.body.grantId, 0],
    ]);
    const filtered = await h.call('GET', `/v1/grants?agentId=${agent.body.agentId}&status=active`);
    expect(filtered.body.grants.map((g: { grantId: string }) => g.grantId)).toEqual([token.body.grantId]);
    expectLike(await h.call('GET', `/v1/grants/${token.body.grantId}`), 200, GRANT);

    const refreshed = await h.call('POST', '/v1/token/refresh', { body: { refreshToken: token.body.refreshToken, agentId: agent.body.agentId } });
    expectLike(refreshed, 201, TOKEN);
    expect(refreshed.body.expiresAt).toBe(token.body.expiresAt);

    const stored = await h.call('POST', '/v1/vault/credentials', {
      body: { principalId: 'user_live_alice', service: 'github', credentialType: 'oauth2', accessToken: 'gho_example_upstream_token', refreshToken: 'ghr_example_refresh', tokenExpiresAt: '2030-01-01T00:00:00.000Z', metadata: { login: 'alice' } },
    });
    expectLike(stored, 201, { id: 'vault_01M81NX55NN4J7SAHQ4WZEAZ2W', principalId: 'user_live_alice', service: 'github', credentialType: 'oauth2', createdAt: '2026-11-22T13:07:39.831Z' });
    const credentials = await h.call('GET', '/v1/vault/credentials?principalId=user_live_alice');
    expectLike(credentials, 200, {
      credentials: [{ id: 'vault_01M81NX55NN4J7SAHQ4WZEAZ2W', principalId: 'user_live_alice', service: 'github', credentialType: 'oauth2', tokenExpiresAt: '2030-01-01T00:00:00.000Z', metadata: '{"login":"alice"}', createdAt: '2026-11-22T13:07:39.831Z', updatedAt: '2026-11-22T13:07:39.831Z' }],
    });
    expect(credentials.body.credentials[0].metadata).toBe('{"login":"alice"}');
    const exchanged = await h.call('POST', '/v1/vault/credentials/exchange', { key: token.body.grantToken, body: { service: 'github' } });
    expectLike(exchanged, 200, { accessToken: 'gho_example_upstream_token', service: 'github', credentialType: 'oauth2', tokenExpiresAt: '2030-01-01T00:00:00.000Z', metadata: '{"login":"alice"}' });
    expect(exchanged.body.accessToken).toBe('gho_example_upstream_token');
    expectLike(await h.call('POST', '/v1/vault/credentials/exchange', { key: token.body.grantToken, body: { service: 'slack' } }), 403, ERROR('Grant token is not scoped for slack credential exchange', 'FORBIDDEN'));

    const entry = { agentId: agent.body.agentId, agentDid: agent.body.did, grantId: token.body.grantId, principalId: 'user_live_alice' };
    const first = await h.call('POST', '/v1/audit/log', { body: { ...entry, action: 'calendar.read', metadata: { eventCount: 3 }, status: 'success' } });
    expectLike(first, 201, AUDIT);
    const second = await h.call('POST', '/v1/audit/log', { body: { ...entry, action: 'calendar.write', status: 'failure' } });
    expectLike(second, 201, { ...AUDIT, metadata: {}, prevHash: AUDIT.hash });
    expect([second.body.prevHash, second.body.metadata]).toEqual([first.body.hash, {}]);
    expectLike(await h.call('GET', `/v1/audit/entries?grantId=${token.body.grantId}`), 200, { entries: [AUDIT] });
    expectLike(await h.call('GET', `/v1/audit/${first.body.entryId}`), 200, AUDIT);

    const jti = JSON.parse(atob(token.body.grantToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).jti;
    expectLike(await h.call('POST', '/v1/tokens/revoke', { body: { jti } }), 204);
    expectLike(await h.call('POST', '/v1/tokens/verify', { body: { token: token.body.grantToken } }), 200, { valid: false });
    expectLike(await h.call('POST', '/v1/tokens/verify', { body: { token: refreshed.body.grantToken } }), 200, VALID);

    expectLike(await h.call('DELETE', `/v1/grants/${token.body.grantId}`), 204);
    const revoked = await h.call('GET', `/v1/grants/${token.body.grantId}`);
    expectLike(revoked, 200, { ...GRANT, status: 'revoked', revokedAt: '2026-11-22T13:07:40.588Z' });
    const child = await h.call('GET', `/v1/grants/${delegated.body.grantId}`);
    expectLike(child, 200, { ...GRANT, status: 'revoked', revokedAt: '2026-11-22T13:07:40.588Z' });
    expect([child.body.status, child.body.revokedAt]).toEqual(['revoked', revoked.body.revokedAt]);
    expectLike(await h.call('POST', '/v1/grants/verify', { body: { token: refreshed.body.grantToken } }), 200, { active: false, reason: 'revoked' });
    expect((await h.call('POST', '/v1/grants/verify', { body: { token: refreshed.body.grantToken } })).body.reason).toBe('revoked');
    expectLike(await h.call('POST', '/v1/tokens/verify', { body: { token: delegated.body.grantToken } }), 200, { valid: false });
    expectLike(await h.call('POST', '/v1/vault/credentials/exchange', { key: refreshed.body.grantToken, body: { service: 'github' } }), 401, ERROR('Invalid or expired grant token', 'UNAUTHORIZED'));
    expectLike(await h.call('DELETE', `/v1/grants/${token.body.grantId}`), 404, ERROR('Grant not found or already revoked', 'NOT_FOUND'));

    // Sandbox: the request is approved at creation.
    const sandboxAgent = await h.call('POST', '/v1/agents', { key: sandbox, body: { name: 'sandbox-calendar-agent', scopes } });
    const sandboxRequest = await h.call('POST', '/v1/authorize', { key: sandbox, body: { agentId: sandboxAgent.body.agentId, principalId: 'user_sand_alice', scopes, expiresIn: '24h' } });
    expectLike(sandboxRequest, 201, { authRequestId: 'areq_01M81NX63D712PZGYFM9NFH0BZ', consentUrl: 'x', expiresAt: '2026-11-23T13:07:40.781Z', sandbox: true, code: '01M81NX63DH702A2ARDQGZEM63' });
    expectLike(await h.call('POST', `/v1/authorize/${sandboxRequest.body.authRequestId}/approve`, { key: sandbox }), 404, ERROR('Auth request not found or already processed', 'NOT_FOUND'));
    expectLike(await h.call('GET', `/v1/consent/${sandboxRequest.body.authRequestId}`, { key: null }), 410, ERROR('Auth request expired or already processed', 'GONE'));

    // The live webhook saw the six events of the flow: two grants created, three tokens issued, one revocation.
    const log = await h.call('GET', `/v1/webhooks/${webhook.body.id}/deliveries?pageSize=3`);
    expectLike(log, 200, { deliveries: [DELIVERY], total: 6, page: 1, pageSize: 3 });
    expect([log.body.total, log.body.deliveries.map((d: { eventType: string }) => d.eventType)]).toEqual([6, ['grant.revoked', 'token.issued', 'token.issued']]);
    expect(h.server.deliveries.map((d) => d.event.type).sort()).toEqual(['grant.created', 'grant.created', 'grant.revoked', 'token.issued', 'token.issued', 'token.issued']);
    expect(live).toBe(h.server.apiKey);
    expectAllValid(h.checked);
  });
});
