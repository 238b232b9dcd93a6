import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { routeTable } from '../../src/testing/server.js';
import { grantFor, harness } from './support.js';

const filled = (p: string) => p.replace(/\{[^}]+\}/g, 'x_01M81NX60SEDC3ZH8G159P9J6W');

describe('authentication on every route that is not public', () => {
  const routes = routeTable();

  it('api-key routes answer 401 without a key, with a malformed header and with an unknown key', async () => {
    const h = harness({ rateLimits: false });
    const apiKeyRoutes = routes.filter((r) => r.auth === 'apiKey');
    expect(apiKeyRoutes.length).toBeGreaterThan(70);
    for (const route of apiKeyRoutes) {
      const url = filled(route.path);
      const none = await h.call(route.method, url, { key: null });
      expect([route.path, none.status, none.body.code, none.body.message]).toEqual([route.path, 401, 'UNAUTHORIZED', 'Missing or invalid Authorization header']);
      const basic = await h.call(route.method, url, { key: null, headers: { authorization: `Basic ${h.server.apiKey}` } });
      expect([route.path, basic.status]).toEqual([route.path, 401]);
      const unknown = await h.call(route.method, url, { key: 'gx_live_0000000000000000000000000000000000000000000' });
      expect([route.path, unknown.status, unknown.body.message]).toEqual([route.path, 401, 'Invalid API key']);
    }
  });

  it('the API key is one token of 16 to 512 characters: 15 and 513 are refused before any lookup', async () => {
    const h = harness({ apiKey: 'k'.repeat(16), sandboxApiKey: 's'.repeat(512) });
    expect((await h.call('GET', '/v1/me', { key: 'k'.repeat(16) })).status).toBe(200);
    expect((await h.call('GET', '/v1/me', { key: 's'.repeat(512) })).status).toBe(200);
    expect((await h.call('GET', '/v1/me', { key: 'k'.repeat(15) })).body.message).toBe('Missing or invalid Authorization header');
    expect((await h.call('GET', '/v1/me', { key: 's'.repeat(513) })).body.message).toBe('Missing or invalid Authorization header');
    // The scheme word is case-insensitive.
    expect((await h.call('GET', '/v1/me', { key: null, headers: { authorization: `bEaReR ${'k'.repeat(16)}` } })).status).toBe(200);
  });

  it('grant-token, SCIM and principal-session routes refuse other credentials, each with its own error body', async () => {
    const h = harness();
    for (const route of routes.filter((r) => r.auth === 'grantToken')) {
      const answer = await h.call(route.method, filled(route.path), { body: { service: 'github' } });
      expect([answer.status, answer.body.code]).toEqual([401, 'UNAUTHORIZED']);
      // "Bearer" is case-sensitive here.
      const lower = await h.call(route.method, filled(route.path), { key: null, headers: { authorization: `bearer ${h.server.apiKey}` }, body: { service: 'github' } });
      expect(lower.body.message).toBe('Missing grant token');
    }
    for (const route of routes.filter((r) => r.auth === 'scimToken')) {
      const answer = await h.call(route.method, filled(route.path));
      expect([answer.status, answer.body.schemas, answer.body.scimType]).toEqual([401, ['urn:ietf:params:scim:api:messages:2.0:Error'], 'unauthorized']);
    }
    for (const route of routes.filter((r) => r.auth === 'principalSession')) {
      const answer = await h.call(route.method, filled(route.path), { key: null });
      expect(answer.body).toEqual({ message: 'Missing session token', code: 'UNAUTHORIZED' });
    }
  });

  it('an unknown path is 401 without a key and the framework 404 with one; /.well-known and /scim skip the key check', async () => {
    const h = harness();
    expect((await h.call('GET', '/v1/x', { key: null })).status).toBe(401);
    expect((await h.call('GET', '/v1/x?y=1')).body).toEqual({ message: 'Route GET:/v1/x?y=1 not found', error: 'Not Found', statusCode: 404 });
    expect((await h.call('PUT', '/v1/agents')).status).toBe(404);
    expect((await h.call('GET', '/.well-known/nothing', { key: null })).status).toBe(404);
    expect((await h.call('GET', '/scim/v2/Groups', { key: null })).status).toBe(404);
  });
});

describe('developers are isolated from each other', () => {
  it('another developer cannot read, change, delegate from or revoke what one developer owns', async () => {
    const h = harness();
    const other = h.server.sandboxApiKey;
    const grant = await grantFor(h);
    const policy = (await h.call('POST', '/v1/policies', { body: { name: 'p', effect: 'allow' } })).body;
    const webhook = (await h.call('POST', '/v1/webhooks', { body: { url: 'https://x.example', events: ['grant.created'] } })).body;
    const entry = (await h.call('POST', '/v1/audit/log', { body: { agentId: 'a', agentDid: 'd', grantId: 'g', principalId: 'p', action: 'x' } })).body;
    for (const [method, url] of [
      ['GET', `/v1/agents/${grant.agentId}`],
      ['PATCH', `/v1/agents/${grant.agentId}`],
      ['DELETE', `/v1/agents/${grant.agentId}`],
      ['GET', `/v1/grants/${grant.grantId}`],
      ['DELETE', `/v1/grants/${grant.grantId}`],
      ['GET', `/v1/policies/${policy.id}`],
      ['DELETE', `/v1/webhooks/${webhook.id}`],
      ['GET', `/v1/webhooks/${webhook.id}/deliveries`],
      ['GET', `/v1/audit/${entry.entryId}`],
    ] as const) {
      const answer = await h.call(method, url, { key: other, body: method === 'PATCH' ? { name: 'stolen' } : undefined });
      expect([method, url, answer.status]).toEqual([method, url, 404]);
    }
    expect((await h.call('POST', '/v1/tokens/verify', { key: other, body: { token: grant.grantToken } })).body).toEqual({ valid: false });
    expect((await h.call('POST', '/v1/grants/verify', { key: other, body: { token: grant.grantToken } })).body).toEqual({ active: false, reason: 'wrong_developer' });
    const sub = (await h.call('POST', '/v1/agents', { key: other, body: { name: 'thief' } })).body;
    const delegate = await h.call('POST', '/v1/grants/delegate', { key: other, body: { parentGrantToken: grant.grantToken, subAgentId: sub.agentId, scopes: ['calendar:read'] } });
    expect([delegate.status, delegate.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await h.call('POST', '/v1/token', { key: other, body: { code: grant.code, agentId: grant.agentId } })).body.message).toBe('Invalid code');
    expect((await h.call('GET', `/v1/grants/${grant.grantId}`)).body.status).toBe('active');
  });

  it('a token signed by another key, or with its signature changed, is not accepted anywhere', async () => {
    const h = harness();
    const other = harness();
    const foreign = await grantFor(other);
    const own = await grantFor(h);
    const [header, payload] = own.grantToken.split('.');
    const forgedPayload = btoa(JSON.stringify({ ...JSON.parse(atob(payload!.replace(/-/g, '+').replace(/_/g, '/'))), scp: ['*'] })).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const forged = `${header}.${forgedPayload}.${own.grantToken.split('.')[2]}`;
    for (const token of [foreign.grantToken, forged, `${header}.${payload}.`]) {
      expect((await h.call('POST', '/v1/tokens/verify', { body: { token } })).body).toEqual({ valid: false });
      expect((await h.call('POST', '/v1/grants/verify', { body: { token } })).status).toBe(400);
      expect((await h.call('POST', '/v1/vault/credentials/exchange', { key: token, body: { service: 'github' } })).status).toBe(401);
    }
  });
});

describe('credentials never leak', () => {
  it('no error body echoes the key or token that was refused, and reads never show stored secrets', async () => {
    const h = harness();
    const badKey = 'gx_live_THIS_IS_A_SECRET_KEY_VALUE_0000000000000';
    const refused = await h.call('GET', '/v1/agents', { key: badKey });
    expect(refused.text).not.toContain('SECRET');
    const grant = await grantFor(h);
    await h.call('DELETE', `/v1/grants/${grant.grantId}`);
    const exchange = await h.call('POST', '/v1/vault/credentials/exchange', { key: grant.grantToken, body: { service: 'github' } });
    expect(exchange.text).not.toContain(grant.grantToken.split('.')[2]);
    await h.call('POST', '/v1/vault/credentials', { body: { principalId: 'p', service: 'github', accessToken: 'gho_SECRET', refreshToken: 'ghr_SECRET' } });
    for (const url of ['/v1/vault/credentials', '/v1/compliance/evidence-pack', '/v1/me']) {
      expect((await h.call('GET', url)).text).not.toContain('SECRET');
    }
    const webhook = (await h.call('POST', '/v1/webhooks', { body: { url: 'https://x.example', events: ['grant.created'] } })).body;
    await grantFor(h);
    expect(JSON.stringify(h.server.deliveries)).not.toContain(webhook.secret);
  });
});

describe('the testing entry stays portable', () => {
  const root = path.resolve(import.meta.dirname, '../../src/testing');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : [full];
    });

  it('imports nothing from node:, ky, valibot or the generated operations; @hono/node-server only dynamically', () => {
    const problems: string[] = [];
    for (const file of files(root)) {
      // Code only: TSDoc examples import the package by name, as users do.
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)) {
        const specifier = match[1]!;
        const dynamic = match[0].startsWith('import');
        const allowed =
          specifier.startsWith('./') ||
          specifier.startsWith('../') && !/generated\/(?!testing-examples\.gen|types\.gen)/.test(specifier) ||
          specifier === 'hono' ||
          (specifier === '@hono/node-server' && dynamic);
        if (!allowed || specifier.startsWith('node:')) problems.push(`${path.relative(root, file)}: ${specifier}`);
      }
      if (/\bprocess\.|\bBuffer\b/.test(text)) problems.push(`${path.relative(root, file)}: uses a Node global`);
    }
    expect(problems).toEqual([]);
  });

  it('the Workers and browser build never reaches node-listen.ts, and its listen() refuses', async () => {
    const reached = new Set<string>();
    const walk = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      const text = readFileSync(file, 'utf8');
      // Type-only imports are erased; only value imports load a module.
      for (const match of text.matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm)) {
        const target = path.resolve(path.dirname(file), match[1]!.replace(/\.js$/, '.ts'));
        if (target.startsWith(root)) walk(target);
      }
    };
    walk(path.join(root, 'edge.ts'));
    expect([...reached].map((f) => path.relative(root, f))).not.toContain('node-listen.ts');
    expect([...reached].length).toBeGreaterThan(10);
    const { createTestServer } = await import('../../src/testing/edge.js');
    const server = createTestServer();
    await expect(server.listen()).rejects.toMatchObject({ code: 'CONFIGURATION_ERROR' });
    expect((await server.fetch(`${server.url}/health`)).status).toBe(200);
  });
});
