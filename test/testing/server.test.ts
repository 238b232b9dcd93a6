import { afterEach, describe, expect, it } from 'vitest';

import { createGrantVerifier } from '../../src/jwt/index.js';
import { createTestServer, type TestServer } from '../../src/testing/index.js';
import { decodeJwt, grantFor, harness } from './support.js';

describe('rate limits', () => {
  it('the plan bucket allows exactly 100 a minute on the free plan; X-RateLimit-Reset counts seconds to the reset', async () => {
    const h = harness({ clock: { frozen: true } });
    for (let i = 1; i <= 100; i++) {
      const answer = await h.call('GET', '/v1/me');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-ratelimit-remaining')).toBe(String(100 - i));
    }
    h.server.clock.advance('20s');
    const refused = await h.call('GET', '/v1/agents');
    expect([refused.status, refused.body.code, refused.body.message]).toEqual([429, 'RATE_LIMIT_EXCEEDED', 'Plan rate limit exceeded, retry in 40 seconds']);
    expect(Object.fromEntries(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'].map((n) => [n, refused.headers.get(n)]))).toEqual({
      'x-ratelimit-limit': '100',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '40',
      'retry-after': '40',
    });
    // Other developers have their own bucket; public routes do not draw from it.
    expect((await h.call('GET', '/v1/me', { key: h.server.sandboxApiKey })).status).toBe(200);
    expect((await h.call('GET', '/health', { key: null })).headers.get('x-ratelimit-limit')).toBe('5000');
    h.server.clock.advance('40s');
    const after = await h.call('GET', '/v1/me');
    expect([after.status, after.headers.get('x-ratelimit-remaining'), after.headers.get('x-ratelimit-reset'), after.headers.get('retry-after')]).toEqual([200, '99', '60', null]);
  });

  it('POST /v1/authorize allows 10 a minute per developer, refused before the body is read', async () => {
    const h = harness({ clock: { frozen: true } });
    const agent = (await h.call('POST', '/v1/agents', { body: { name: 'a' } })).body;
    for (let i = 0; i < 10; i++) {
      expect((await h.call('POST', '/v1/authorize', { body: { agentId: agent.agentId, principalId: 'u', scopes: ['a:b'] } })).status).toBe(201);
    }
    const refused = await h.call('POST', '/v1/authorize', { body: { nonsense: true } });
    expect([refused.status, refused.body.code, refused.headers.get('x-ratelimit-limit'), refused.headers.get('x-ratelimit-remaining')]).toEqual([429, 'RATE_LIMITED', '10', '0']);
    expect(refused.headers.get('retry-after')).toBe('60');
  });

  it('per-route IP limits: signup allows 30 a minute, the 31st is refused; the JWKS is exempt', async () => {
    const h = harness({ clock: { frozen: true } });
    for (let i = 0; i < 30; i++) expect((await h.call('POST', '/v1/signup', { key: null, body: { name: `dev ${i}` } })).status).toBe(201);
    const refused = await h.call('POST', '/v1/signup', { key: null, body: { name: 'one more' } });
    expect([refused.status, refused.body.code, refused.body.message]).toEqual([429, 'BAD_REQUEST', 'Rate limit exceeded, retry in 1 minute']);
    const jwks = await h.call('GET', '/.well-known/jwks.json', { key: null });
    expect(jwks.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('with rateLimits: false nothing is refused, and the headers still count', async () => {
    const h = harness({ rateLimits: false, clock: { frozen: true } });
    let last;
    for (let i = 0; i < 101; i++) last = await h.call('GET', '/v1/me');
    expect([last!.status, last!.headers.get('x-ratelimit-remaining')]).toEqual([200, '0']);
  });
});

describe('requests the real server refuses before any route logic', () => {
  it('bad JSON is 400, an empty JSON body is 400, another media type is 415, over 1 MiB is 413', async () => {
    const h = harness();
    const json = { 'content-type': 'application/json' };
    expect((await h.call('POST', '/v1/agents', { headers: json, raw: '{"name":' })).status).toBe(400);
    expect((await h.call('POST', '/v1/agents', { headers: json, raw: '' })).body.code).toBe('BAD_REQUEST');
    expect((await h.call('POST', '/v1/agents', { headers: { 'content-type': 'text/plain' }, raw: 'name=x' })).status).toBe(415);
    const big = JSON.stringify({ name: 'x', description: 'y'.repeat(1024 * 1024) });
    expect((await h.call('POST', '/v1/agents', { headers: json, raw: big })).status).toBe(413);
    const atLimit = JSON.stringify({ name: 'x', description: '' }).length;
    const fits = JSON.stringify({ name: 'x', description: 'y'.repeat(1024 * 1024 - atLimit) });
    expect(fits.length).toBe(1024 * 1024);
    expect((await h.call('POST', '/v1/agents', { headers: json, raw: fits })).status).toBe(201);
  });

  it('routes that read their body without a default answer 500 to a bodiless POST, as the real server', async () => {
    const h = harness();
    const answer = await h.call('POST', '/v1/vault/credentials');
    expect(answer.body).toMatchObject({ code: 'INTERNAL_ERROR', message: 'An unexpected error occurred' });
    expect((await h.call('POST', '/v1/keys/rotate')).status).toBe(200);
  });

  it('every answer carries the security headers; CORS echoes the origin and exposes the limit headers', async () => {
    const h = harness();
    const answer = await h.call('GET', '/health', { key: null, headers: { origin: 'https://app.example' } });
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(answer.headers.get('access-control-expose-headers')).toContain('X-RateLimit-Reset');
    const preflight = await h.server.fetch(new Request(`${h.server.url}/v1/agents`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } }));
    expect([preflight.status, preflight.headers.get('access-control-allow-headers')]).toEqual([204, 'Content-Type, Authorization, Idempotency-Key']);
  });
});

describe('test helpers', () => {
  it('mintGrantToken signs tokens that createGrantVerifier accepts offline against the server JWKS', async () => {
    const server = createTestServer();
    const token = await server.mintGrantToken({ sub: 'user_7', scp: ['calendar:read'], expiresIn: '15m' });
    const verifier = createGrantVerifier({ jwks: await server.jwks(), issuer: server.issuer, developerId: server.developerId });
    const grant = await verifier.verify(token);
    expect([grant.principalId, grant.scopes, grant.expiresAt.getTime() - grant.issuedAt.getTime()]).toEqual(['user_7', ['calendar:read'], 900_000]);
    // Through the JWKS endpoint, with the server as the verifier's fetch.
    const remote = createGrantVerifier({ jwksUri: `${server.url}/.well-known/jwks.json`, fetch: server.fetch, developerId: server.developerId });
    expect((await remote.verify(token)).principalId).toBe('user_7');
    const expired = await server.mintGrantToken({ iat: 1_000, exp: 2_000 });
    await expect(verifier.verify(expired)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    // The server itself does not know a minted token.
    const h = harness();
    expect((await h.call('POST', '/v1/grants/verify', { body: { token: await h.server.mintGrantToken() } })).body).toEqual({ active: false, reason: 'not_found' });
  });

  it('the clock can be frozen, set and advanced; bad durations are refused', () => {
    const server = createTestServer({ clock: { start: '2030-01-01T00:00:00Z', frozen: true } });
    expect(server.clock.now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(server.clock.advance('90s').toISOString()).toBe('2030-01-01T00:01:30.000Z');
    expect(server.clock.advance(500).toISOString()).toBe('2030-01-01T00:01:30.500Z');
    expect(server.clock.set('2031-06-01T12:00:00Z').toISOString()).toBe('2031-06-01T12:00:00.000Z');
    expect(() => server.clock.advance('soon')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => server.clock.advance(-1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    server.clock.unfreeze();
    expect(server.clock.frozen).toBe(false);
  });

  it('reset() forgets the state but keeps the built-in keys and the signing key', async () => {
    const h = harness();
    const grant = await grantFor(h);
    const jwks = (await h.call('GET', '/.well-known/jwks.json', { key: null })).body;
    const apiKey = h.server.apiKey;
    h.server.reset();
    expect(h.server.apiKey).toBe(apiKey);
    expect((await h.call('GET', '/v1/agents')).body).toEqual({ agents: [] });
    expect((await h.call('POST', '/v1/tokens/verify', { body: { token: grant.grantToken } })).body).toEqual({ valid: false });
    expect((await h.call('GET', '/.well-known/jwks.json', { key: null })).body).toEqual(jwks);
    expect(h.server.deliveries).toEqual([]);
  });

  it('key rotation ends the old key at once; server.apiKey follows', async () => {
    const h = harness();
    const old = h.server.apiKey;
    const rotated = await h.call('POST', '/v1/keys/rotate');
    expect(rotated.body.apiKey).toMatch(/^gx_live_[A-Za-z0-9_-]{43}$/);
    expect(h.server.apiKey).toBe(rotated.body.apiKey);
    expect((await h.call('GET', '/v1/me', { key: old })).status).toBe(401);
    expect((await h.call('GET', '/v1/me')).status).toBe(200);
  });

  it('signup creates live or sandbox developers; an email is used once', async () => {
    const h = harness();
    const live = await h.call('POST', '/v1/signup', { key: null, body: { name: ' Acme ', email: 'Dev@Acme.test' } });
    expect(live.body).toMatchObject({ name: 'Acme', email: 'dev@acme.test', mode: 'live', apiKey: expect.stringMatching(/^gx_live_/) });
    const sandbox = await h.call('POST', '/v1/signup', { key: null, body: { name: 'Acme', mode: 'sandbox' } });
    expect(sandbox.body.apiKey).toMatch(/^gx_test_/);
    expect((await h.call('GET', '/v1/me', { key: sandbox.body.apiKey })).body.mode).toBe('sandbox');
    expect((await h.call('POST', '/v1/signup', { key: null, body: { name: 'Again', email: 'dev@acme.test' } })).status).toBe(409);
    expect((await h.call('POST', '/v1/signup', { key: null, body: { name: 'x'.repeat(200) } })).status).toBe(201);
    expect((await h.call('POST', '/v1/signup', { key: null, body: { name: 'x'.repeat(201) } })).status).toBe(400);
  });

  it('refuses unusable options', () => {
    expect(() => createTestServer({ apiKey: 'short' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => createTestServer({ apiKey: 'k'.repeat(20), sandboxApiKey: 'k'.repeat(20) })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => createTestServer({ url: 'not a url' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('listen() on Node', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the same server over real HTTP; tokens name the new URL as issuer', async () => {
    server = createTestServer();
    const url = await server.listen();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(url);
    const health = await fetch(`${url}/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'healthy', database: 'ok', redis: 'ok' }]);
    const headers = { authorization: `Bearer ${server.sandboxApiKey}`, 'content-type': 'application/json' };
    const agent = await (await fetch(`${url}/v1/agents`, { method: 'POST', headers, body: JSON.stringify({ name: 'http-agent' }) })).json();
    const request = await (await fetch(`${url}/v1/authorize`, { method: 'POST', headers, body: JSON.stringify({ agentId: agent.agentId, principalId: 'u', scopes: ['a:b'] }) })).json();
    expect(request.consentUrl).toBe(`${url}/consent?req=${request.authRequestId}`);
    const token = await (await fetch(`${url}/v1/token`, { method: 'POST', headers, body: JSON.stringify({ code: request.code, agentId: agent.agentId }) })).json();
    expect(decodeJwt(token.grantToken).payload.iss).toBe(url);
    const verifier = createGrantVerifier({ jwksUri: `${url}/.well-known/jwks.json`, developerId: server.sandboxDeveloperId });
    expect((await verifier.verify(token.grantToken)).grantId).toBe(token.grantId);
    await expect(server.listen()).rejects.toMatchObject({ code: 'CONFIGURATION_ERROR' });
    await server.close();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
