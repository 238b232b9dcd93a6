import { afterEach, describe, expect, it, vi } from 'vitest';

import { RateLimitError } from '../../src/errors.js';
import { Grantex } from '../../src/index.js';
import type { EventGapNotice, GrantexEvent } from '../../src/events/index.js';
import { createTestServer, type TestServer, type TestServerOptions } from '../../src/testing/index.js';
import { clientFor, openRaw, subscribe } from './feed-support.js';

// The local Grantex publishes the events of its own state changes on `GET /v1/events/stream`,
// framed as the real server frames them. Every event here comes from a flow driven through the
// SDK client; nothing is injected.

const servers: TestServer[] = [];
function serverWith(options: TestServerOptions = {}): TestServer {
  const server = createTestServer({ onUnexpectedError: (error) => { throw error; }, ...options });
  servers.push(server);
  return server;
}
afterEach(async () => {
  vi.useRealTimers();
  for (const server of servers.splice(0)) await server.close();
});

const EVENT_ID = /^evt_[0-9A-HJKMNP-TV-Z]{26}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A sandbox agent with an approved grant, through the SDK. */
async function sandboxGrant(server: TestServer, scopes = ['calendar:read', 'github:read'], userId = 'user_alice') {
  const client = clientFor(server, server.sandboxApiKey);
  const agent = await client.agents.register({ name: 'calendar-agent', scopes });
  const request = await client.authorize({ agentId: agent.agentId, userId, scopes });
  const token = await client.tokens.exchange({ code: request.code!, agentId: agent.agentId });
  return { client, agent, token };
}

const shapes = (events: readonly GrantexEvent[]) => events.map((e) => [e.type, e.data]);

describe('events from real flows, through the SDK client', () => {
  it('authorization and refresh: grant.created and token.issued with the webhook payloads, in the envelope of the real server', async () => {
    const server = serverWith();
    const feed = await subscribe(server, clientFor(server, server.sandboxApiKey));
    const { client, agent, token } = await sandboxGrant(server);
    const refreshed = await client.tokens.refresh({ refreshToken: token.refreshToken, agentId: agent.agentId });
    const events = await feed.next(3);
    const common = { grantId: token.grantId, agentId: agent.agentId, principalId: 'user_alice', scopes: ['calendar:read', 'github:read'], expiresAt: token.expiresAt };
    const issued = JSON.parse(atob(token.grantToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { jti: string };
    const reissued = JSON.parse(atob(refreshed.grantToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { jti: string };
    expect(shapes(events)).toEqual([
      ['grant.created', common],
      ['token.issued', { tokenId: issued.jti, ...common }],
      ['token.issued', { tokenId: reissued.jti, ...common }],
    ]);
    for (const event of events) {
      expect(Object.keys(event)).toEqual(['id', 'type', 'createdAt', 'data']);
      expect(event.id).toMatch(EVENT_ID);
      expect(event.createdAt).toMatch(ISO);
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    await feed.close();
  });

  it('grant.revoked: cascade false for a grant without descendants, true (one event, no descendant ids) when delegated grants went with it', async () => {
    const server = serverWith();
    const feed = await subscribe(server, clientFor(server, server.sandboxApiKey), ['grant.revoked']);
    const lone = await sandboxGrant(server);
    await lone.client.grants.revoke(lone.token.grantId);

    const parent = await sandboxGrant(server);
    const child = await parent.client.agents.register({ name: 'sub-agent', scopes: ['calendar:read'] });
    const delegated = await parent.client.grants.delegate({ parentGrantToken: parent.token.grantToken, subAgentId: child.agentId, scopes: ['calendar:read'] });
    const grandchild = await parent.client.agents.register({ name: 'sub-sub-agent', scopes: ['calendar:read'] });
    await parent.client.grants.delegate({ parentGrantToken: delegated.grantToken, subAgentId: grandchild.agentId, scopes: ['calendar:read'] });
    await parent.client.grants.revoke(parent.token.grantId);

    // A revoked descendant's own revocation would say nothing new: the tree is already gone.
    const events = await feed.next(2);
    expect(shapes(events)).toEqual([
      ['grant.revoked', { grantId: lone.token.grantId, cascade: false }],
      ['grant.revoked', { grantId: parent.token.grantId, cascade: true }],
    ]);
    expect((await parent.client.grants.get(delegated.grantId)).status).toBe('revoked');
    await feed.close();
    expect(feed.events).toHaveLength(2);
  });

  it('delegation: grant.created names the parent and the depth, token.issued follows', async () => {
    const server = serverWith();
    const parent = await sandboxGrant(server);
    const feed = await subscribe(server, parent.client);
    const child = await parent.client.agents.register({ name: 'sub-agent', scopes: ['calendar:read'] });
    const delegated = await parent.client.grants.delegate({ parentGrantToken: parent.token.grantToken, subAgentId: child.agentId, scopes: ['calendar:read'] });
    const [created, issued] = await feed.next(2);
    expect([created!.type, issued!.type]).toEqual(['grant.created', 'token.issued']);
    expect(created!.data).toMatchObject({ grantId: delegated.grantId, agentId: child.agentId, scopes: ['calendar:read'], delegationDepth: 1, parentGrantId: parent.token.grantId });
    expect(issued!.data).toMatchObject({ grantId: delegated.grantId, agentId: child.agentId });
    await feed.close();
  });

  it('budgets: budget.threshold at 50 % and 80 %, then budget.exhausted', async () => {
    const server = serverWith();
    const { client, token } = await sandboxGrant(server);
    const feed = await subscribe(server, client, ['budget.threshold', 'budget.exhausted']);
    await client.budgets.allocate({ grantId: token.grantId, initialBudget: 100 });
    await client.budgets.debit({ grantId: token.grantId, amount: 49 });
    await client.budgets.debit({ grantId: token.grantId, amount: 1 }); // exactly 50 % used
    await client.budgets.debit({ grantId: token.grantId, amount: 31 }); // past 80 %
    await client.budgets.debit({ grantId: token.grantId, amount: 19 }); // nothing left
    expect(shapes(await feed.next(3))).toEqual([
      ['budget.threshold', { grantId: token.grantId, pct: 50, remaining: '50.0000' }],
      ['budget.threshold', { grantId: token.grantId, pct: 80, remaining: '19.0000' }],
      ['budget.exhausted', { grantId: token.grantId, remaining: '0' }],
    ]);
    await feed.close();
    expect(feed.events).toHaveLength(3);
  });

  it('vault: vault.credential.stored, .exchanged and .deleted', async () => {
    const server = serverWith();
    const { client, token } = await sandboxGrant(server);
    const feed = await subscribe(server, client);
    const stored = await client.vault.store({ principalId: 'user_alice', service: 'github', accessToken: 'gho_secret_upstream' });
    await client.vault.exchange(token.grantToken, { service: 'github' });
    await client.vault.delete(stored.id);
    const events = await feed.next(3);
    const item = { credentialId: stored.id, principalId: 'user_alice', service: 'github' };
    expect(shapes(events)).toEqual([
      ['vault.credential.stored', item],
      ['vault.credential.exchanged', { ...item, grantId: token.grantId }],
      ['vault.credential.deleted', item],
    ]);
    // The upstream secret is never part of an event.
    expect(JSON.stringify(events)).not.toContain('gho_secret_upstream');
    await feed.close();
  });

  it('anomaly detection: anomaly.auto_revoked lists the grants it revoked', async () => {
    const server = serverWith({ rateLimits: false });
    const { client, agent, token } = await sandboxGrant(server);
    for (let i = 0; i < 51; i++) {
      await client.audit.log({ agentId: agent.agentId, agentDid: agent.did, grantId: token.grantId, principalId: 'user_alice', action: 'calendar.read' });
    }
    const feed = await subscribe(server, client, ['anomaly.auto_revoked', 'grant.revoked']);
    const result = await client.anomalies.detect();
    expect(result.autoRevokedGrants).toBe(1);
    expect(shapes(await feed.next(1))).toEqual([['anomaly.auto_revoked', { revokedGrants: [token.grantId], anomalyCount: result.anomalies.length }]]);
    await feed.close();
    expect(feed.events).toHaveLength(1);
  });

  it('passport.revoked, consent_bundle.revoked and dpdp.consent.withdrawn when their revoke and withdraw calls succeed', async () => {
    const server = serverWith();
    const { client, agent, token } = await sandboxGrant(server, ['calendar:read', 'payments:mpp:inference']);
    const feed = await subscribe(server, client, ['passport.revoked', 'consent_bundle.revoked', 'dpdp.consent.withdrawn']);
    const passport = await client.passports.issue({ agentId: agent.agentId, grantId: token.grantId, allowedMPPCategories: ['inference'], maxTransactionAmount: { amount: 50, currency: 'USD' } });
    await client.passports.revoke(passport.passportId);
    const bundle = await client.consentBundles.create({ agentId: agent.agentId, userId: 'user_alice', scopes: ['calendar:read'] });
    await client.consentBundles.revoke(bundle.bundleId);
    // A consent record names a notice the developer published, as on the real server.
    const purposes = [{ code: 'scheduling', description: 'Book meetings' }];
    await client.dpdp.notices.create({ noticeId: 'notice-1', version: '1', title: 'Scheduling', content: 'We book meetings for you.', purposes });
    const record = await client.dpdp.consentRecords.create({
      grantId: token.grantId,
      dataPrincipalId: 'user_alice',
      purposes,
      consentNoticeId: 'notice-1',
      processingExpiresAt: '2027-01-01T00:00:00.000Z',
    });
    await client.dpdp.consentRecords.withdraw(record.recordId, { reason: 'no longer needed' });
    expect(shapes(await feed.next(3))).toEqual([
      ['passport.revoked', { passportId: passport.passportId, grantId: token.grantId }],
      ['consent_bundle.revoked', expect.objectContaining({ bundleId: bundle.bundleId })],
      ['dpdp.consent.withdrawn', expect.objectContaining({ recordId: record.recordId, grantId: token.grantId })],
    ]);
    await feed.close();
  });

  it('grant.revoked from consent withdrawal and bundle revocation says cascade the same way', async () => {
    const server = serverWith();
    const { client, agent, token } = await sandboxGrant(server);
    const sub = await client.agents.register({ name: 'sub-agent', scopes: ['calendar:read'] });
    await client.grants.delegate({ parentGrantToken: token.grantToken, subAgentId: sub.agentId, scopes: ['calendar:read'] });
    const feed = await subscribe(server, client, ['grant.revoked']);
    const purposes = [{ code: 'scheduling', description: 'Book meetings' }];
    await client.dpdp.notices.create({ noticeId: 'notice-1', version: '1', title: 'Scheduling', content: 'We book meetings for you.', purposes });
    const record = await client.dpdp.consentRecords.create({ grantId: token.grantId, dataPrincipalId: 'user_alice', purposes, consentNoticeId: 'notice-1', processingExpiresAt: '2027-01-01T00:00:00.000Z' });
    await client.dpdp.consentRecords.withdraw(record.recordId, { reason: 'no longer needed', revokeGrant: true });
    const bundle = await client.consentBundles.create({ agentId: agent.agentId, userId: 'user_bob', scopes: ['calendar:read'] });
    const bundleGrant = (await client.consentBundles.get(bundle.bundleId)).grantId;
    await client.consentBundles.revoke(bundle.bundleId, { revokeGrant: true });
    expect(shapes(await feed.next(2))).toEqual([
      ['grant.revoked', { grantId: token.grantId, cascade: true }],
      ['grant.revoked', { grantId: bundleGrant, cascade: false }],
    ]);
    await feed.close();
  });

  it('a developer sees only its own events; events before a connection opened are not replayed', async () => {
    const server = serverWith();
    await sandboxGrant(server); // before anyone listens
    const live = await subscribe(server, clientFor(server, server.apiKey));
    const sandbox = await subscribe(server, clientFor(server, server.sandboxApiKey));
    const second = await sandboxGrant(server);
    await sandbox.next(2);
    expect(shapes(sandbox.events)).toEqual([
      ['grant.created', expect.objectContaining({ grantId: second.token.grantId })],
      ['token.issued', expect.objectContaining({ grantId: second.token.grantId })],
    ]);
    await live.close();
    await sandbox.close();
    expect(live.events).toEqual([]);
  });
});

describe('framing', () => {
  it('each event is one `data: <json>` line and a blank line: no id, event or retry field', async () => {
    const server = serverWith();
    const raw = await openRaw(server, { key: server.sandboxApiKey });
    const { token } = await sandboxGrant(server);
    const blocks = await raw.blocks(2);
    expect(raw.response.status).toBe(200);
    expect(raw.response.headers.get('content-type')).toBe('text/event-stream');
    for (const block of blocks) {
      expect(block.split('\n')).toHaveLength(1);
      expect(block).toMatch(/^data: \{"id":"evt_[0-9A-Z]{26}","type":"[a-z_.]+","createdAt":"[^"]+","data":\{.*\}\}$/);
    }
    expect(raw.text()).not.toMatch(/^(id|event|retry):/m);
    expect(raw.events().map((e) => [e.type, e.data['grantId']])).toEqual([['grant.created', token.grantId], ['token.issued', token.grantId]]);
    await raw.close();
  });

  it('`: keepalive` comes every `eventKeepaliveInterval` ms, and the status and headers come with the first of them', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    const server = serverWith({ eventKeepaliveInterval: 5000 });
    const pending = server.fetch(`${server.url}/v1/events/stream`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    let answered = false;
    void pending.then(() => (answered = true));
    for (let i = 0; i < 20 && server.eventConnections === 0; i++) await Promise.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.eventConnections).toBe(1);
    // Quiet until the first keepalive: no status yet, exactly as the real server.
    await vi.advanceTimersByTimeAsync(4999);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(answered).toBe(true);
    const reader = (await pending).body!.getReader();
    const decoder = new TextDecoder();
    const read = async () => decoder.decode((await reader.read()).value);
    expect(await read()).toBe(': keepalive\n\n');
    // One interval later, one more; none in between.
    let extra = '';
    void reader.read().then((chunk) => (extra = decoder.decode(chunk.value)));
    await vi.advanceTimersByTimeAsync(4999);
    expect(extra).toBe('');
    await vi.advanceTimersByTimeAsync(1);
    expect(extra).toBe(': keepalive\n\n');
    await reader.cancel();
    expect(server.eventConnections).toBe(0);
  });

  it('the keepalive interval defaults to 30 seconds', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    const server = serverWith();
    const pending = server.fetch(`${server.url}/v1/events/stream`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    let answered = false;
    void pending.then(() => (answered = true));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(answered).toBe(true);
    await (await pending).body!.cancel();
  });

  it('eventKeepaliveInterval is checked: an integer from 1 to 2147483647', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 2_147_483_648, '1000' as unknown as number]) {
      expect(() => createTestServer({ eventKeepaliveInterval: bad }), String(bad)).toThrow(/eventKeepaliveInterval/);
    }
    for (const good of [1, 2_147_483_647]) expect(() => createTestServer({ eventKeepaliveInterval: good })).not.toThrow();
  });

  it('`types` keeps only the listed event types (comma-separated, as the real server splits them)', async () => {
    const server = serverWith();
    const raw = await openRaw(server, { key: server.sandboxApiKey, query: '?types=token.issued,grant.revoked' });
    const { client, token } = await sandboxGrant(server);
    await client.grants.revoke(token.grantId);
    await raw.blocks(2);
    expect(raw.events().map((e) => e.type)).toEqual(['token.issued', 'grant.revoked']);
    await raw.close();
  });

  it('an empty `types` means every type; an unknown name matches nothing', async () => {
    const server = serverWith();
    const all = await openRaw(server, { key: server.sandboxApiKey, query: '?types=' });
    const none = await openRaw(server, { key: server.sandboxApiKey, query: '?types=no.such.type' });
    await sandboxGrant(server);
    await all.blocks(2);
    expect(all.events().map((e) => e.type)).toEqual(['grant.created', 'token.issued']);
    await all.close();
    await none.close();
    expect(none.text()).toBe('');
  });

  it('without an API key the stream answers 401 like every api-key route', async () => {
    const server = serverWith();
    const answer = await server.fetch(`${server.url}/v1/events/stream`);
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(server.eventConnections).toBe(0);
  });
});

describe('at most 5 streams per developer', () => {
  it('5 open; the 6th answers 429 TOO_MANY_CONNECTIONS with the real error body; another developer is not affected; closing one frees a place', async () => {
    const server = serverWith();
    const open = [];
    for (let i = 0; i < 5; i++) open.push(await openRaw(server));
    expect(server.eventConnections).toBe(5);
    const refused = await server.fetch(`${server.url}/v1/events/stream`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await refused.json()).toEqual({
      message: 'Max 5 concurrent SSE connections per developer',
      code: 'TOO_MANY_CONNECTIONS',
      requestId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
    });
    expect(server.eventConnections).toBe(5);

    const other = await openRaw(server, { key: server.sandboxApiKey });
    expect(server.eventConnections).toBe(6);

    await open[0]!.close();
    await vi.waitFor(() => expect(server.eventConnections).toBe(5));
    open[0] = await openRaw(server);
    expect(server.eventConnections).toBe(6);
    for (const feed of [...open, other]) await feed.close();
  });

  it('the SDK reports the 6th as RateLimitError with code TOO_MANY_CONNECTIONS', async () => {
    const server = serverWith();
    const client = clientFor(server);
    const open = [];
    for (let i = 0; i < 5; i++) open.push(await subscribe(server, client));
    const error = await (async () => {
      try {
        for await (const _ of client.events.stream({ reconnect: false })) break;
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'TOO_MANY_CONNECTIONS' });
    for (const feed of open) await feed.close();
  });
});

describe('dropping every connection (a gap)', () => {
  it('dropEventConnections ends every stream, answers how many; events of the gap are lost; the SDK reconnects and reports the gap', async () => {
    const server = serverWith({ eventKeepaliveInterval: 1000 });
    // The SDK's reconnection waits for the test's go, so that the gap is certain to hold an event.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let streams = 0;
    const gatedFetch = async (input: Request | string | URL, init?: RequestInit) => {
      if (String(input).includes('/v1/events/stream') && ++streams > 1) await gate;
      return server.fetch(input, init);
    };
    const client = new Grantex({ apiKey: server.sandboxApiKey, baseUrl: server.url, fetch: gatedFetch, maxRetries: 0 });
    const gaps: EventGapNotice[] = [];
    const controller = new AbortController();
    const seen: GrantexEvent[] = [];
    const stream = client.events.stream({ types: ['grant.revoked'], signal: controller.signal, reconnect: { initialDelay: 1, maxDelay: 5 }, onGap: (notice) => gaps.push(notice) });
    const reading = (async () => {
      try {
        for await (const event of stream) seen.push(event);
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      }
    })();
    await vi.waitFor(() => expect(server.eventConnections).toBe(1));
    const other = await openRaw(server);
    expect(server.eventConnections).toBe(2);
    const first = await sandboxGrant(server);
    await first.client.grants.revoke(first.token.grantId);
    await vi.waitFor(() => expect(seen).toHaveLength(1));

    expect(server.dropEventConnections()).toBe(2);
    expect(server.eventConnections).toBe(0);
    // The raw stream ended from the server's side.
    expect(await other.blocks(1)).toEqual([]);
    // Revoked while nobody is connected: this event reaches no one, now or later.
    const lost = await sandboxGrant(server);
    await lost.client.grants.revoke(lost.token.grantId);
    await vi.waitFor(() => expect(streams).toBe(2));
    release();

    await vi.waitFor(() => expect(server.eventConnections).toBe(1), { timeout: 10_000 });
    const after = await sandboxGrant(server);
    await after.client.grants.revoke(after.token.grantId);
    await vi.waitFor(() => expect(seen).toHaveLength(2), { timeout: 10_000 });
    expect(seen.map((e) => (e.data as Record<string, unknown>)['grantId'])).toEqual([first.token.grantId, after.token.grantId]);
    expect(gaps.map((g) => [g.phase, g.reason])).toEqual([['reconnecting', 'ended'], ['resumed', 'ended']]);
    controller.abort();
    await reading;
    expect(server.dropEventConnections()).toBe(0);
  }, 30_000);

  it('close() ends every live connection too', async () => {
    const server = serverWith();
    const raw = await openRaw(server);
    await server.close();
    expect(server.eventConnections).toBe(0);
    expect(await raw.blocks(1)).toEqual([]);
  });
});
