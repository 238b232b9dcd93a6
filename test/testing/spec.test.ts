import { describe, expect, it } from 'vitest';

import { testingOperations } from '../../generated/testing-examples.gen.js';
import { routeTable } from '../../src/testing/server.js';
import { expectAllValid, grantFor, harness, responseSchema } from './support.js';

const filled = (path: string) => path.replace(/\{[^}]+\}/g, 'x_01M81NX60SEDC3ZH8G159P9J6W');

describe('every operation of openapi.yaml', () => {
  it('has a route, and has a generated validator for its success body', () => {
    const routes = new Set(routeTable().map((r) => `${r.method} ${r.path}`));
    const missing = testingOperations.filter((o) => !routes.has(`${o.method} ${o.path}`)).map((o) => o.operationId);
    expect(missing).toEqual([]);
    const noSchema = testingOperations.filter((o) => o.contentType !== undefined && !responseSchema(o.operationId)).map((o) => o.operationId);
    expect(noSchema).toEqual([]);
  });

  it('the operations without state answer their example, with the spec status, valid against the spec', async () => {
    const h = harness();
    const grant = await grantFor(h);
    const scim = (await h.call('POST', '/v1/scim/tokens', { body: { label: 'idp' } })).body.token;
    const session = (await h.call('POST', '/v1/principal-sessions', { body: { principalId: 'user_alice' } })).body.sessionToken;
    const keyFor = { none: null, apiKey: h.server.apiKey, grantToken: grant.grantToken, scimToken: scim, principalSession: session } as const;
    expectAllValid(h.checked);
    h.checked.length = 0;
    const stateless = routeTable().filter((r) => !r.modelled);
    expect(stateless.length).toBeGreaterThan(0);
    for (const route of stateless) {
      const operation = testingOperations.find((o) => o.method === route.method && o.path === route.path)!;
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? { any: 'thing' } : undefined;
      const answer = await h.call(route.method, filled(route.path), { key: keyFor[route.auth as keyof typeof keyFor], body });
      expect(answer.status, `${operation.operationId}: ${answer.text}`).toBe(operation.status);
    }
    expect(new Set(h.checked.map((c) => c.operationId))).toEqual(new Set(stateless.map((r) => testingOperations.find((o) => o.method === r.method && o.path === r.path)!.operationId)));
    expectAllValid(h.checked);
  });

  it('the generated table matches the spec: method, path, status and auth for a known sample', () => {
    const byId = Object.fromEntries(testingOperations.map((o) => [o.operationId, o]));
    expect(byId['getJwks']).toMatchObject({ method: 'GET', path: '/.well-known/jwks.json', status: 200, auth: 'none' });
    expect(byId['exchangeVaultCredential']).toMatchObject({ method: 'POST', status: 200, auth: 'grantToken' });
    expect(byId['listScimUsers']).toMatchObject({ auth: 'scimToken', contentType: 'application/json' });
    expect(byId['revokeGrant']).toEqual({ operationId: 'revokeGrant', method: 'DELETE', path: '/v1/grants/{id}', auth: 'apiKey', status: 204 });
  });
});

describe('the modelled operations answer spec-valid bodies through a wide tour', () => {
  it('seed and extended areas with state: policies, bundles, compliance, principal view, anomalies, SCIM, SSO', async () => {
    // No identity provider answers here: the connection test's discovery fails, as it would for real.
    const h = harness({ fetch: () => Promise.reject(new Error('no network in this test')) });
    const grant = await grantFor(h);
    const call = h.call;

    const policy = await call('POST', '/v1/policies', { body: { name: 'night', effect: 'deny', timeOfDayStart: '22:00', timeOfDayEnd: '06:00' } });
    expect(policy.status).toBe(201);
    expect((await call('PATCH', `/v1/policies/${policy.body.id}`, { body: { priority: 5, timeOfDayStart: null } })).body).toMatchObject({ priority: 5, timeOfDayStart: null });
    expect((await call('GET', '/v1/policies')).body.total).toBe(1);
    expect((await call('GET', `/v1/policies/${policy.body.id}`)).status).toBe(200);
    const bundle = await call('POST', '/v1/policies/sync', { body: { format: 'rego', version: '1', content: btoa('package grantex') } });
    expect(bundle.body).toMatchObject({ activated: true, fileCount: 1 });
    expect((await call('GET', '/v1/policies/bundles/active?format=rego')).body.id).toBe(bundle.body.bundleId);
    expect((await call('GET', '/v1/policies/bundles')).body.bundles).toHaveLength(1);
    expect((await call('POST', '/v1/policies/sync/webhook', { body: { ref: 'main', repository: { full_name: 'acme/policies' } } })).body).toEqual({ message: 'Webhook received', ref: 'main', repository: 'acme/policies' });
    expect((await call('DELETE', `/v1/policies/${policy.body.id}`)).status).toBe(204);

    await call('POST', '/v1/audit/log', { body: { agentId: grant.agentId, agentDid: grant.agentDid, grantId: grant.grantId, principalId: 'user_alice', action: 'calendar.read' } });
    const summary = (await call('GET', '/v1/compliance/summary')).body;
    expect(summary).toMatchObject({ grants: { total: 1, active: 1 }, auditEntries: { total: 1, success: 1 }, plan: 'free' });
    expect((await call('GET', '/v1/compliance/export/grants?status=active')).body.total).toBe(1);
    expect((await call('GET', '/v1/compliance/export/audit')).body.total).toBe(1);
    expect((await call('GET', '/v1/compliance/summary?since=not-a-date')).status).toBe(500);
    expect((await call('GET', '/v1/billing/subscription')).body).toEqual({ plan: 'free', status: 'active', currentPeriodEnd: null });

    const session = (await call('POST', '/v1/principal-sessions', { body: { principalId: 'user_alice' } })).body;
    expect(session.dashboardUrl).toBe(`http://grantex.test/permissions#session=${session.sessionToken}`);
    const mine = await call('GET', '/v1/principal/grants', { key: session.sessionToken });
    expect(mine.body).toMatchObject({ principalId: 'user_alice', grants: [{ grantId: grant.grantId }] });
    expect((await call('GET', '/v1/principal/audit', { key: session.sessionToken })).body.entries).toHaveLength(1);
    expect((await call('GET', '/v1/principal/grants', { key: 'not-a-session' })).body).toEqual({ message: 'Invalid or expired session token', code: 'UNAUTHORIZED' });
    expect((await call('POST', '/v1/principal-sessions', { body: { principalId: 'user_nobody' } })).status).toBe(404);

    const detect = (await call('POST', '/v1/anomalies/detect')).body;
    expect(detect.anomalies.map((a: { type: string }) => a.type)).toEqual(['new_principal']);
    const anomalies = (await call('GET', '/v1/anomalies?unacknowledged=true')).body;
    expect(anomalies.total).toBe(1);
    expect((await call('PATCH', `/v1/anomalies/${anomalies.anomalies[0].id}/acknowledge`)).body.acknowledgedAt).toEqual(expect.any(String));
    const alerts = (await call('GET', '/v1/anomaly/alerts')).body.data;
    expect((await call('POST', `/v1/anomaly/alerts/${alerts[0].alertId}/resolve`, { body: { note: 'ok' } })).body.status).toBe('resolved');
    expect((await call('GET', '/v1/anomaly/metrics')).body).toMatchObject({ total: 1, byStatus: { resolved: 1 } });
    expect((await call('GET', '/v1/anomaly/alerts?status=bogus')).status).toBe(400);
    const rule = (await call('POST', '/v1/anomaly/rules', { body: { ruleId: 'CUSTOM-1', name: 'many deletes', condition: { action: 'delete' } } })).body;
    expect((await call('PATCH', `/v1/anomaly/rules/${rule.id}`, { body: { enabled: false } })).body.enabled).toBe(false);
    const rules = (await call('GET', '/v1/anomaly/rules')).body.rules;
    expect(rules.filter((r: { builtIn: boolean }) => r.builtIn)).toHaveLength(10);
    expect(rules.at(-1)).toMatchObject({ id: rule.id, condition: '{"action":"delete"}' });
    expect((await call('DELETE', `/v1/anomaly/rules/${rule.id}`)).status).toBe(204);
    const channel = (await call('POST', '/v1/anomaly/channels', { body: { type: 'slack', name: 'ops', config: { url: 'https://hooks.slack.example/x' } } })).body;
    expect((await call('GET', '/v1/anomaly/channels')).body.channels[0].config).toBe('{"url":"https://hooks.slack.example/x"}');
    expect((await call('DELETE', `/v1/anomaly/channels/${channel.id}`)).status).toBe(204);

    const scim = (await call('POST', '/v1/scim/tokens', { body: { label: 'okta' } })).body;
    expect((await call('GET', '/v1/scim/tokens')).text).not.toContain(scim.token);
    const user = await call('POST', '/scim/v2/Users', { key: scim.token, body: { userName: 'alice@acme.test', emails: [{ value: 'alice@acme.test', primary: true }] } });
    expect([user.status, user.body.emails]).toEqual([201, '[{"value":"alice@acme.test","primary":true}]']);
    expect((await call('POST', '/scim/v2/Users', { key: scim.token, body: { userName: 'alice@acme.test' } })).status).toBe(500);
    expect((await call('PATCH', `/scim/v2/Users/${user.body.id}`, { key: scim.token, body: { Operations: [{ op: 'Replace', path: 'active', value: false }] } })).body.active).toBe(false);
    expect((await call('PUT', `/scim/v2/Users/${user.body.id}`, { key: scim.token, body: { userName: 'alice2@acme.test' } })).body).toMatchObject({ active: true, emails: '[]' });
    expect((await call('GET', '/scim/v2/Users?count=1', { key: scim.token })).body).toMatchObject({ totalResults: 1, itemsPerPage: 1 });
    expect((await call('DELETE', `/scim/v2/Users/${user.body.id}`, { key: scim.token })).status).toBe(204);
    const gone = await call('GET', `/scim/v2/Users/${user.body.id}`, { key: scim.token });
    expect(gone.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: 'User not found', scimType: 'noTarget', status: 404 });

    const oidc = await call('POST', '/v1/sso/connections', { body: { name: 'Okta', protocol: 'oidc', issuerUrl: 'https://idp.example', clientId: 'c', clientSecret: 's3cret', groupMappings: { admins: ['admin:all'] } } });
    expect(oidc.status).toBe(201);
    expect(oidc.text).not.toContain('s3cret');
    expect(oidc.body.groupMappings).toBe('{"admins":["admin:all"]}');
    const ldap = await call('POST', '/v1/sso/connections', { body: { name: 'AD', protocol: 'ldap', ldapUrl: 'ldaps://ad.example', ldapBindDn: 'cn=svc', ldapBindPassword: 'pw', ldapSearchBase: 'dc=example' } });
    expect(ldap.body).toMatchObject({ ldapSearchFilter: '(uid={{username}})', ldapTlsEnabled: false });
    expect(await call('POST', `/v1/sso/connections/${oidc.body.id}/test`)).toMatchObject({ status: 422, body: { success: false, protocol: 'oidc', error: expect.stringContaining('no network') } });
    expect((await call('PATCH', `/v1/sso/connections/${oidc.body.id}`, { body: { status: 'testing' } })).body.status).toBe('testing');
    expect((await call('PATCH', `/v1/sso/connections/${oidc.body.id}`, { body: {} })).status).toBe(400);
    expect((await call('POST', '/v1/sso/enforce', { body: { enforce: true } })).body.enforce).toBe(true);
    expect((await call('GET', '/v1/sso/connections')).body.connections.map((c: { enforce: boolean }) => c.enforce)).toEqual([false, true]);
    expect((await call('GET', '/v1/sso/sessions')).body).toEqual({ sessions: [] });
    expect((await call('POST', '/v1/sso/config', { body: { issuerUrl: 'https://idp.example', clientId: 'c', clientSecret: 's', redirectUri: 'https://app.example/cb' } })).status).toBe(201);
    expect((await call('GET', '/v1/sso/config')).body.clientId).toBe('c');
    expect((await call('DELETE', '/v1/sso/config')).status).toBe(204);
    expect((await call('GET', '/v1/sso/config')).status).toBe(404);
    expect((await call('DELETE', `/v1/sso/connections/${ldap.body.id}`)).status).toBe(204);

    const did = (await call('GET', '/.well-known/did.json', { key: null })).body;
    const jwks = (await call('GET', '/.well-known/jwks.json', { key: null })).body;
    expect([did.id, did.verificationMethod[0].publicKeyJwk]).toEqual(['did:web:grantex.test', jwks.keys[0]]);

    const revoke = await call('DELETE', `/v1/principal/grants/${grant.grantId}`, { key: session.sessionToken });
    expect(revoke.status).toBe(204);
    expect((await call('GET', `/v1/grants/${grant.grantId}`)).body.status).toBe('revoked');
    expectAllValid(h.checked);
  });
});
