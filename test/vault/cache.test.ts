import { describe, expect, it } from 'vitest';

import { createAuthorizedFetch } from '../../src/vault/index.js';
import { answer, BASE_URL, CREDENTIAL, GRANT_TOKEN, scriptedNetwork } from './support.js';

const base = { grantToken: GRANT_TOKEN, service: 'github', allowedOrigins: ['https://api.github.com'], baseUrl: BASE_URL };
const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const API = 'https://api.github.com/user';

/** A clock the test moves by hand. */
function manualClock(start = T0) {
  let now = start;
  return { now: () => now, set: (ms: number) => void (now = ms) };
}

const authHeaders = (net: ReturnType<typeof scriptedNetwork>) => net.upstreamCalls.map((call) => call.headers['authorization']);

describe('credential cache', () => {
  it('exchanges once and reuses the credential for later requests', async () => {
    const net = scriptedNetwork();
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch });
    for (let i = 0; i < 5; i++) await gh(API);
    expect(net.exchanges).toHaveLength(1);
    expect(net.upstreamCalls).toHaveLength(5);
  });

  it('with tokenExpiresAt: used 1 ms before it, exchanged again exactly at it', async () => {
    const clock = manualClock();
    const expiry = T0 + 60_000;
    const net = scriptedNetwork({ exchange: [answer('cred-one-0000', new Date(expiry).toISOString()), answer('cred-two-0000', new Date(expiry + 60_000).toISOString())] });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, now: clock.now });
    await gh(API);
    clock.set(expiry - 1);
    await gh(API);
    expect(net.exchanges).toHaveLength(1);
    clock.set(expiry);
    await gh(API);
    expect(net.exchanges).toHaveLength(2);
    expect(authHeaders(net)).toEqual(['Bearer cred-one-0000', 'Bearer cred-one-0000', 'Bearer cred-two-0000']);
  });

  it('with tokenExpiresAt: exchanged again 1 ms past it', async () => {
    const clock = manualClock();
    const expiry = T0 + 60_000;
    const net = scriptedNetwork({ exchange: [answer('cred-one-0000', new Date(expiry).toISOString()), answer('cred-two-0000', null)] });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, now: clock.now });
    await gh(API);
    clock.set(expiry + 1);
    await gh(API);
    expect(net.exchanges).toHaveLength(2);
    expect(authHeaders(net)).toEqual(['Bearer cred-one-0000', 'Bearer cred-two-0000']);
  });

  it('without an expiry: kept 5 minutes; 1 ms before reused, exactly at and 1 ms past exchanged again', async () => {
    const clock = manualClock();
    const net = scriptedNetwork({ exchange: [answer('cred-one-0000'), answer('cred-two-0000'), answer('cred-three-00')] });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, now: clock.now });
    await gh(API);
    clock.set(T0 + 300_000 - 1);
    await gh(API);
    expect(net.exchanges).toHaveLength(1);
    clock.set(T0 + 300_000);
    await gh(API);
    expect(net.exchanges).toHaveLength(2);
    // The second credential was exchanged at T0 + 300 000, so it lasts until T0 + 600 000.
    clock.set(T0 + 600_000 + 1);
    await gh(API);
    expect(net.exchanges).toHaveLength(3);
    expect(authHeaders(net)).toEqual(['Bearer cred-one-0000', 'Bearer cred-one-0000', 'Bearer cred-two-0000', 'Bearer cred-three-00']);
  });

  it('accepts a clock that returns Dates (the test server\'s clock.now)', async () => {
    let now = new Date(T0);
    const net = scriptedNetwork({ exchange: [answer('cred-one-0000'), answer('cred-two-0000')] });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, now: () => now });
    await gh(API);
    now = new Date(T0 + 300_000);
    await gh(API);
    expect(net.exchanges).toHaveLength(2);
  });

  it('a credential already expired when exchanged serves that request and is not kept', async () => {
    const net = scriptedNetwork({ exchange: [answer('cred-old-0000', '2000-01-01T00:00:00.000Z')] });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, now: () => T0 });
    await gh(API);
    await gh(API);
    expect(net.exchanges).toHaveLength(2);
    expect(net.upstreamCalls).toHaveLength(2);
  });

  it('single flight: concurrent first requests share one exchange', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const net = scriptedNetwork({ exchange: async () => (await gate, answer(CREDENTIAL)) });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch });
    const calls = Array.from({ length: 10 }, (_, i) => gh(`${API}?i=${i}`));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(net.exchanges).toHaveLength(1);
    release();
    const responses = await Promise.all(calls);
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(net.exchanges).toHaveLength(1);
    expect(new Set(authHeaders(net))).toEqual(new Set([`Bearer ${CREDENTIAL}`]));
  });

  it('a failed exchange is not remembered: concurrent callers share the failure, the next call asks again', async () => {
    const net = scriptedNetwork({ exchange: [{ status: 503, body: { message: 'down', code: 'INTERNAL_ERROR' } }, answer(CREDENTIAL)] });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch });
    const results = await Promise.allSettled([gh(API), gh(API), gh(API)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(net.exchanges).toHaveLength(1);
    expect((await gh(API)).status).toBe(200);
    expect(net.exchanges).toHaveLength(2);
  });

  it('credentials are kept per grant token (getGrantToken), never shared between two tokens', async () => {
    const net = scriptedNetwork({ exchange: (token) => answer(`cred-for-${token}`) });
    let token = 'grant-token-alice';
    const gh = createAuthorizedFetch({ ...base, grantToken: undefined, getGrantToken: () => token, fetch: net.fetch });
    await gh(API);
    token = 'grant-token-bob';
    await gh(API);
    token = 'grant-token-alice';
    await gh(API);
    expect(net.exchanges.map((e) => e.headers['authorization'])).toEqual(['Bearer grant-token-alice', 'Bearer grant-token-bob']);
    expect(authHeaders(net)).toEqual(['Bearer cred-for-grant-token-alice', 'Bearer cred-for-grant-token-bob', 'Bearer cred-for-grant-token-alice']);
  });

  it('keeps the credentials of 100 grant tokens; the 101st drops the least recently used', async () => {
    const net = scriptedNetwork({ exchange: (token) => answer(`cred-for-${token}`) });
    let token = '';
    const gh = createAuthorizedFetch({ ...base, grantToken: undefined, getGrantToken: () => token, fetch: net.fetch });
    const use = async (i: number) => {
      token = `grant-token-${i}`;
      await gh(API);
    };
    for (let i = 1; i <= 100; i++) await use(i);
    expect(net.exchanges).toHaveLength(100);
    await use(1); // all 100 still held; 1 becomes the most recently used
    expect(net.exchanges).toHaveLength(100);
    await use(101); // the 101st: token 2 is now the least recently used and goes
    expect(net.exchanges).toHaveLength(101);
    await use(1);
    await use(3);
    expect(net.exchanges).toHaveLength(101);
    await use(2);
    expect(net.exchanges).toHaveLength(102);
  });
});

describe('re-exchange on an upstream 401', () => {
  it('exchanges again once and retries with the new credential', async () => {
    const net = scriptedNetwork({
      exchange: [answer('cred-rotated-out'), answer('cred-current-00')],
      upstream: (request) => (request.headers.get('authorization') === 'Bearer cred-current-00' ? Response.json({ ok: true }) : new Response('bad credentials', { status: 401 })),
    });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch });
    const response = await gh(API, { method: 'POST', body: 'payload' });
    expect(response.status).toBe(200);
    expect(net.exchanges).toHaveLength(2);
    expect(authHeaders(net)).toEqual(['Bearer cred-rotated-out', 'Bearer cred-current-00']);
    expect(net.upstreamCalls.map((c) => c.body)).toEqual(['payload', 'payload']);
    // The renewed credential is the cached one now.
    await gh(API);
    expect(net.exchanges).toHaveLength(2);
  });

  it('exactly once: a second 401 is returned to the caller', async () => {
    const net = scriptedNetwork({ upstream: () => new Response('nope', { status: 401 }) });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch });
    const response = await gh(API);
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('nope');
    expect(net.exchanges).toHaveLength(2);
    expect(net.upstreamCalls).toHaveLength(2);
  });

  it('concurrent requests refused with the same credential share one re-exchange', async () => {
    const net = scriptedNetwork({
      exchange: [answer('cred-rotated-out'), answer('cred-current-00')],
      upstream: async (request) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return request.headers.get('authorization') === 'Bearer cred-current-00' ? Response.json({ ok: true }) : new Response(null, { status: 401 });
      },
    });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch });
    const responses = await Promise.all([gh(API), gh(API), gh(API)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(net.exchanges).toHaveLength(2);
  });

  it('other statuses (403, 404, 500) are returned without a re-exchange', async () => {
    for (const status of [403, 404, 500]) {
      const net = scriptedNetwork({ upstream: () => new Response(null, { status }) });
      const gh = createAuthorizedFetch({ ...base, fetch: net.fetch });
      expect((await gh(API)).status).toBe(status);
      expect(net.exchanges).toHaveLength(1);
      expect(net.upstreamCalls).toHaveLength(1);
    }
  });
});
