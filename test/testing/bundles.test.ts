import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';

import { Grantex } from '../../src/index.js';
import { expectAllValid, harness, type Harness } from './support.js';

let h: Harness;
afterEach(() => expectAllValid(h.checked));

async function bundleFor(h: Harness, extra: Record<string, unknown> = {}) {
  const agent = await h.call('POST', '/v1/agents', { body: { name: 'field-agent', scopes: ['calendar:read', 'calendar:write'] } });
  const created = await h.call('POST', '/v1/consent-bundles', { body: { agentId: agent.body.agentId, userId: 'user_ravi', scopes: ['calendar:read'], deviceId: 'tablet-1', ...extra } });
  expect(created.status).toBe(201);
  return { agent: agent.body, material: created.body };
}

/** Signed, chained offline entries, made as a device would with the bundle's audit key. */
async function offlineEntries(material: any, agentDid: string, grantId: string, from: number, count: number, prevHash: string) {
  const der = Buffer.from(material.offlineAuditKey.privateKey.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const key = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
  const entries = [];
  for (let seq = from; seq < from + count; seq++) {
    const entry = { seq, timestamp: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(), action: 'calendar.read', agentDID: agentDid, grantId, scopes: ['calendar:read'], result: 'success', metadata: { n: seq }, prevHash };
    const hash = createHash('sha256').update([seq, entry.timestamp, entry.action, agentDid, grantId, 'calendar:read', 'success', JSON.stringify(entry.metadata), prevHash].join('|')).digest('hex');
    const signature = Buffer.from(await crypto.subtle.sign({ name: 'Ed25519' }, key, new TextEncoder().encode(hash))).toString('hex');
    entries.push({ ...entry, hash, signature });
    prevHash = hash;
  }
  return entries;
}

describe('consent bundles', () => {
  it('create, get, revoke (idempotent) and refresh of a revoked bundle (409)', async () => {
    h = harness();
    const { agent, material } = await bundleFor(h);
    const { data, ...rest } = material;
    expect(data).toEqual(rest);
    expect(material.offlineAuditKey.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const bundle = await h.call('GET', `/v1/consent-bundles/${material.bundleId}`);
    expect(bundle.body).toMatchObject({ id: material.bundleId, agentId: agent.agentId, userId: 'user_ravi', status: 'active', deviceId: 'tablet-1', devicePlatform: null, lastSyncAt: null, revokedAt: null, auditEntryCount: 0 });

    const refreshed = await h.call('POST', `/v1/consent-bundles/${material.bundleId}/refresh`);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.offlineAuditKey.privateKey).not.toBe(material.offlineAuditKey.privateKey);

    const revoke = () => h.call('POST', `/v1/consent-bundles/${material.bundleId}/revoke`, { body: { revokeGrant: true } });
    const first = await revoke();
    expect(first.body).toEqual({ bundleId: material.bundleId, status: 'revoked', revokedAt: expect.any(String), data: { bundleId: material.bundleId, status: 'revoked', revokedAt: first.body.revokedAt } });
    expect((await revoke()).body.revokedAt).toBe(first.body.revokedAt);
    expect((await h.call('GET', `/v1/consent-bundles/${material.bundleId}`)).body).toMatchObject({ status: 'revoked', revokedAt: first.body.revokedAt });
    const status = await h.call('GET', `/v1/consent-bundles/${material.bundleId}/revocation-status`);
    expect(status.body.data).toMatchObject({ status: 'revoked', grantRevoked: true, revokedBy: h.server.developerId });
    const refresh = await h.call('POST', `/v1/consent-bundles/${material.bundleId}/refresh`);
    expect([refresh.status, refresh.body.code]).toEqual([409, 'BUNDLE_REVOKED']);
    expect((await h.call('POST', '/v1/consent-bundles/bundle_01M81PS33NV1ZXANK9ZQCJDCM8/revoke', { body: {} })).status).toBe(404);
  });

  it('an expired bundle cannot be refreshed; scopes and TTL are checked (168h is the limit)', async () => {
    h = harness();
    const { agent, material } = await bundleFor(h, { offlineTTL: '1h' });
    h.server.clock.advance('1h');
    expect((await h.call('POST', `/v1/consent-bundles/${material.bundleId}/refresh`)).body.code).toBe('BUNDLE_EXPIRED');
    const create = (body: Record<string, unknown>) => h.call('POST', '/v1/consent-bundles', { body: { agentId: agent.agentId, userId: 'u', scopes: ['calendar:read'], ...body } });
    expect((await create({ scopes: ['mail:send'] })).body.code).toBe('INVALID_SCOPES');
    expect((await create({ offlineTTL: 'week' })).body.code).toBe('INVALID_TTL');
    const long = await create({ offlineTTL: '169h' });
    expect([long.status, long.body.code]).toEqual([422, 'INVALID_TTL']);
    expect((await create({ offlineTTL: '168h' })).status).toBe(201);
  });

  it('the list continues with nextCursor, even for bundles created in the same millisecond', async () => {
    h = harness({ clock: { frozen: true } });
    const agent = await h.call('POST', '/v1/agents', { body: { name: 'a', scopes: ['calendar:read'] } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await h.call('POST', '/v1/consent-bundles', { body: { agentId: agent.body.agentId, userId: `u${i}`, scopes: ['calendar:read'] } })).body.bundleId);
    const first = await h.call('GET', '/v1/consent-bundles?limit=2');
    expect(first.body.bundles.map((b: any) => b.id)).toEqual([ids[4], ids[3]]);
    expect(first.body.nextCursor).toBe(first.body.bundles[1].createdAt);
    const client = new Grantex({ apiKey: h.server.apiKey, baseUrl: h.server.url, fetch: h.fetch, maxRetries: 0 });
    const walked: string[] = [];
    for await (const bundle of client.consentBundles.list({ limit: 2 })) walked.push(bundle.id);
    expect(walked).toEqual([...ids].reverse());
    const last = await h.call('GET', '/v1/consent-bundles?limit=5');
    expect(last.body).not.toHaveProperty('nextCursor');
    expect((await h.call('GET', '/v1/consent-bundles?cursor=yesterday')).status).toBe(400);
    expect((await h.call('GET', '/v1/consent-bundles?limit=101')).status).toBe(400);
  });
});

describe('offline audit sync', () => {
  it('accepts a signed chain, takes re-sent entries as accepted, and refuses bad hashes, signatures and gaps', async () => {
    h = harness();
    const { agent, material } = await bundleFor(h);
    const grantId = (await h.call('GET', `/v1/consent-bundles/${material.bundleId}`)).body.grantId;
    const sync = (entries: unknown[]) => h.call('POST', '/v1/audit/offline-sync', { body: { bundleId: material.bundleId, entries } });
    const batch = await offlineEntries(material, agent.did, grantId, 1, 3, '0000000000000000');
    const ok = await sync(batch);
    expect(ok.body).toMatchObject({ accepted: 3, rejected: 0, revocationStatus: 'valid', revokedAt: null, errors: [], newBundle: null });
    expect((await sync(batch)).body.accepted).toBe(3);
    const audit = await h.call('GET', `/v1/consent-bundles/${material.bundleId}/audit`);
    expect(audit.body.entries.map((e: any) => e.seq)).toEqual([1, 2, 3]);
    expect(JSON.parse(audit.body.entries[0].metadata)).toEqual({ n: 1 });
    expect((await h.call('GET', `/v1/consent-bundles/${material.bundleId}`)).body).toMatchObject({ auditEntryCount: 3, lastSyncAt: expect.any(String) });

    const tampered = [{ ...batch[0], result: 'failure' }];
    expect((await sync(tampered)).body).toMatchObject({ code: 'INVALID_AUDIT_ENTRIES', errors: [{ seq: 1, code: 'INVALID_HASH' }] });
    const forged = [{ ...batch[0], signature: 'ab'.repeat(64) }];
    expect((await sync(forged)).body.errors[0].code).toBe('INVALID_SIGNATURE');
    const gap = await offlineEntries(material, agent.did, grantId, 5, 1, batch[2]!.hash);
    const conflict = await sync(gap);
    expect([conflict.status, conflict.body.code, conflict.body.errors[0].code]).toEqual([409, 'AUDIT_CHAIN_CONFLICT', 'SEQ_GAP']);
    const broken = await offlineEntries(material, agent.did, grantId, 4, 1, 'f'.repeat(64));
    expect((await sync(broken)).body.errors[0].code).toBe('BROKEN_CHAIN');
    const next = await offlineEntries(material, agent.did, grantId, 4, 1, batch[2]!.hash);
    expect((await sync(next)).body.accepted).toBe(1);
    expect((await h.call('POST', '/v1/audit/offline-sync', { body: { bundleId: 'bundle_01M81PS33NV1ZXANK9ZQCJDCM8', entries: next } })).status).toBe(404);
  });
});
