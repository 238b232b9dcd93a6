import { afterEach, describe, expect, it } from 'vitest';

import { Grantex, isGrantexError } from '../../src/index.js';
import { expectAllValid, harness, type Harness } from './support.js';

let h: Harness;
afterEach(() => expectAllValid(h.checked));

const urls = { successUrl: 'https://app.example/ok', cancelUrl: 'https://app.example/no' };

describe('billing and custom domains', () => {
  it('a checkout changes nothing until the test completes it; then domains need a published TXT record', async () => {
    h = harness();
    const domain = () => h.call('POST', '/v1/domains', { body: { domain: 'Auth.Example.com' } });
    const refused = await domain();
    expect([refused.status, refused.body.code]).toEqual([402, 'PLAN_LIMIT_EXCEEDED']);
    expect((await h.call('POST', '/v1/billing/portal', { body: { returnUrl: 'https://app.example' } })).status).toBe(400);

    const checkout = await h.call('POST', '/v1/billing/checkout', { body: { plan: 'enterprise', ...urls } });
    expect(checkout.status).toBe(201);
    expect((await h.call('GET', '/v1/billing/subscription')).body).toEqual({ plan: 'free', status: 'active', currentPeriodEnd: null });
    expect((await domain()).status).toBe(402);

    h.server.billing.complete(checkout.body.checkoutUrl);
    expect((await h.call('GET', '/v1/billing/subscription')).body).toEqual({ plan: 'enterprise', status: 'active', currentPeriodEnd: expect.any(String) });
    expect((await h.call('GET', '/v1/me')).body.plan).toBe('enterprise');
    expect((await h.call('POST', '/v1/billing/portal', { body: { returnUrl: 'https://app.example' } })).status).toBe(201);
    expect(() => h.server.billing.complete(checkout.body.checkoutUrl)).toThrow(/checkout/);

    const created = await domain();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ domain: 'auth.example.com', verified: false, verificationToken: expect.stringMatching(/^grantex-verify-[0-9a-f-]{36}$/) });
    expect((await domain()).status).toBe(409);
    const verify = () => h.call('POST', `/v1/domains/${created.body.id}/verify`);
    const failed = await verify();
    expect([failed.status, failed.body.code]).toEqual([400, 'VERIFICATION_FAILED']);
    h.server.dns.publish('_grantex.auth.example.com', 'some-other-value');
    expect((await verify()).status).toBe(400);
    h.server.dns.publish('_grantex.auth.example.com.', created.body.verificationToken);
    expect((await verify()).body).toEqual({ verified: true, message: 'Domain verified successfully' });
    expect((await verify()).body).toEqual({ verified: true, message: 'Domain already verified' });
    expect((await h.call('GET', '/v1/domains')).body.domains).toEqual([{ id: created.body.id, domain: 'auth.example.com', verified: true, verifiedAt: expect.any(String), createdAt: expect.any(String) }]);
    expect((await h.call('DELETE', `/v1/domains/${created.body.id}`)).status).toBe(204);
    expect((await h.call('DELETE', `/v1/domains/${created.body.id}`)).status).toBe(404);

    h.server.billing.cancel();
    expect((await h.call('GET', '/v1/billing/subscription')).body).toEqual({ plan: 'free', status: 'canceled', currentPeriodEnd: null });
  });

  it('bad domains are 400', async () => {
    h = harness({ plan: 'enterprise' });
    for (const domain of ['localhost', '10.0.0.1', 'exa mple.com', '']) expect((await h.call('POST', '/v1/domains', { body: { domain } })).status).toBe(400);
  });
});

describe('trust registry', () => {
  const register = (h: Harness, did = 'did:web:acme.example', extra: Record<string, unknown> = {}) =>
    h.call('POST', '/v1/registry/orgs', { body: { did, name: 'Acme', description: 'Scheduling agents', ...extra } });

  it('an org answers under its own DID, and DNS verification needs the published token', async () => {
    h = harness();
    const created = await register(h, 'did:web:acme.example', { requestVerification: true });
    expect(created.body).toMatchObject({ did: 'did:web:acme.example', trustLevel: 'basic', domain: 'acme.example', dnsRecordName: '_grantex-verify.acme.example', instructions: expect.any(String) });
    expect((await register(h)).status).toBe(409);
    expect((await register(h, 'did:web:other.example', { verificationMethod: 'email' })).body.code).toBe('UNSUPPORTED_VERIFICATION_METHOD');
    expect((await register(h, 'did:key:z6Mk')).status).toBe(400);

    const get = await h.call('GET', '/v1/registry/orgs/did:web:acme.example', { key: null });
    expect(get.body).toMatchObject({ did: 'did:web:acme.example', name: 'Acme', verificationLevel: 'basic', verifiedAt: null, verificationMethod: null, agents: [] });
    expect((await h.call('GET', '/v1/registry/orgs/did:web:nobody.example', { key: null })).status).toBe(404);
    expect((await h.call('GET', '/v1/registry/orgs/did:web:acme.example/jwks', { key: null })).body).toEqual({ keys: [] });

    const verify = () => h.call('POST', `/v1/registry/orgs/${created.body.orgId}/verify-dns`);
    expect((await verify()).body.code).toBe('DNS_VERIFICATION_FAILED');
    // Another developer may not verify it.
    expect((await h.call('POST', `/v1/registry/orgs/${created.body.orgId}/verify-dns`, { key: h.server.sandboxApiKey })).status).toBe(403);
    h.server.dns.publish(created.body.dnsRecordName, created.body.verificationToken);
    expect((await verify()).body).toMatchObject({ orgId: created.body.orgId, verified: true, trustLevel: 'verified', domain: 'acme.example' });
    expect((await h.call('GET', '/v1/registry/orgs/did:web:acme.example', { key: null })).body).toMatchObject({ verificationLevel: 'verified', badges: ['dns-verified'], verificationMethod: 'dns-txt' });
    expect((await h.call('GET', '/v1/trust-registry/did:web:acme.example', { key: null })).body).toMatchObject({ organizationDID: 'did:web:acme.example', trustLevel: 'verified', domains: ['acme.example'] });
    expect((await h.call('GET', '/v1/trust-registry')).body.records).toHaveLength(1);
    expect((await h.call('POST', '/v1/trust-registry/verify-dns', { body: { domain: 'nobody.example' } })).body.code).toBe('DNS_VERIFICATION_FAILED');
  });

  it('the org list filters and continues with meta.cursor', async () => {
    h = harness();
    for (let i = 0; i < 5; i++) await register(h, `did:web:org${i}.example`, { name: `Org ${i}` });
    const first = await h.call('GET', '/v1/registry/orgs?limit=2', { key: null });
    expect(first.body.data.map((o: any) => o.did)).toEqual(['did:web:org4.example', 'did:web:org3.example']);
    expect(first.body.meta).toEqual({ total: 5, cursor: expect.stringMatching(/^treg_/) });
    const client = new Grantex({ apiKey: h.server.apiKey, baseUrl: h.server.url, fetch: h.fetch, maxRetries: 0 });
    const walked: string[] = [];
    for await (const org of client.registry.orgs.list({ limit: 2 })) walked.push(org.did);
    expect(walked).toHaveLength(5);
    expect((await h.call('GET', '/v1/registry/orgs?q=org 1', { key: null })).body.meta.total).toBe(1);
    expect((await h.call('GET', '/v1/registry/orgs?verified=true', { key: null })).body.meta.total).toBe(0);
    expect((await h.call('GET', '/v1/registry/orgs?verified=yes', { key: null })).status).toBe(400);
    expect((await h.call('GET', '/v1/registry/orgs?sort=name', { key: null })).status).toBe(400);
  });
});

describe('MCP server registry', () => {
  it('servers are listed with meta.cursor, fetched with their publisher, and a second application while one is pending is 409', async () => {
    h = harness();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await h.call('POST', '/v1/mcp/servers', { body: { name: `calendar-${i}`, category: 'productivity' } })).body.serverId);
    const page = await h.call('GET', '/v1/mcp/servers?limit=2', { key: null });
    expect(page.body.data.map((s: any) => s.serverId)).toEqual([ids[2], ids[1]]);
    expect(page.body.meta).toEqual({ total: 3, cursor: ids[1] });
    const next = await h.call('GET', `/v1/mcp/servers?limit=2&cursor=${ids[1]}`, { key: null });
    expect(next.body.data.map((s: any) => s.serverId)).toEqual([ids[0]]);
    expect(next.body.meta).toEqual({ total: 3 });
    const client = new Grantex({ apiKey: h.server.apiKey, baseUrl: h.server.url, fetch: h.fetch, maxRetries: 0 });
    const walked: string[] = [];
    for await (const server of client.mcpServers.list({ limit: 1 })) walked.push(server.serverId);
    expect(walked).toEqual([...ids].reverse());

    const get = await h.call('GET', `/v1/mcp/servers/${ids[0]}`, { key: null });
    expect(get.body).toMatchObject({ serverId: ids[0], certified: false, description: null, certificationPending: false, publisher: { id: h.server.developerId, name: 'Test Developer' } });
    expect(get.body).not.toHaveProperty('certifiedAt');

    const apply = () => h.call('POST', '/v1/mcp/certification/apply', { body: { serverId: ids[0], requestedLevel: 'silver' } });
    const applied = await apply();
    expect(applied.status).toBe(202);
    const again = await apply();
    expect([again.status, again.body.code, again.body.certificationId]).toEqual([409, 'CERTIFICATION_PENDING', applied.body.certificationId]);
    expect((await h.call('GET', `/v1/mcp/servers/${ids[0]}`, { key: null })).body.certificationPending).toBe(true);
    expect((await h.call('GET', `/v1/mcp/certification/${applied.body.certificationId}`)).body).toMatchObject({ status: 'pending_conformance_test', conformanceTotal: 13 });
    expect((await h.call('POST', '/v1/mcp/certification/apply', { key: h.server.sandboxApiKey, body: { serverId: ids[0], requestedLevel: 'silver' } })).status).toBe(404);
  });
});

describe('the test switches refuse bad input', () => {
  it('dns.publish and billing.complete', () => {
    h = harness();
    expect(() => h.server.dns.publish('', 'x')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => h.server.dns.publish('a.example', [1] as never)).toThrow(/value/);
    let caught: unknown;
    try {
      h.server.billing.complete('https://checkout.stripe.com/c/pay/cs_test_unknown');
    } catch (error) {
      caught = error;
    }
    expect(isGrantexError(caught)).toBe(true);
  });
});
