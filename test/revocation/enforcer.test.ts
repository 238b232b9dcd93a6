import { inspect } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { createEnforcer, type EnforcementDecision, type Enforcer, type EnforcerOptions } from '../../src/enforce/index.js';
import { GrantexConfigurationError } from '../../src/errors.js';
import { rsaKey, type SigningKey } from '../support/tokens.js';
import { API_KEY, delegatedToken, DEV, ISSUER, MANIFEST, RevocationServer, rootToken, tick, until } from './support.js';

// Live revocation against a stand-in API on loopback: every mode, every code, the feed's gaps.
// Nothing here asserts on speed; waits poll for an outcome and the suite's timeouts bound them.

let key: SigningKey;
let server: RevocationServer;
const open: Enforcer[] = [];
const call = { connector: 'github', tool: 'create_issue' } as const;

beforeAll(async () => {
  key = await rsaKey('grantex-2026-11');
});
beforeEach(async () => {
  server = await RevocationServer.start();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((enforcer) => enforcer.close()));
  await server.close();
});

type Revocation = NonNullable<EnforcerOptions['revocation']>;
function enforcer(revocation: Partial<Extract<Revocation, { mode: 'events' | 'online' }>> | Revocation, extra: Partial<EnforcerOptions> = {}): Enforcer {
  const made = createEnforcer({
    jwks: { keys: [key.publicJwk] },
    issuer: ISSUER,
    developerId: DEV,
    manifests: [MANIFEST],
    revocation: { apiKey: API_KEY, baseUrl: server.url, ...revocation } as Revocation,
    ...extra,
  } as EnforcerOptions);
  open.push(made);
  return made;
}

const check = (e: Enforcer, grantToken: string) => e.check({ grantToken, ...call });

let probes = 0;
/**
 * Waits until the enforcer's feed is live: a probe grant the API still accepts is announced as
 * revoked until a check of it is denied, which only the feed can do.
 */
async function feedLive(e: Enforcer): Promise<void> {
  const grant = `grnt_probe_${++probes}`;
  const token = await rootToken(key, grant);
  await until(async () => {
    server.publish('grant.revoked', { grantId: grant, cascade: false });
    return (await check(e, token)).code === 'TOKEN_REVOKED';
  });
}

/** Checks until the decision has `code` (the feed delivers asynchronously). */
async function untilCode(e: Enforcer, token: string, code: string): Promise<EnforcementDecision> {
  let decision!: EnforcementDecision;
  await until(async () => (decision = await check(e, token)).code === code);
  return decision;
}

describe("mode 'events'", () => {
  it('allows, then denies TOKEN_REVOKED from the feed alone once the grant is revoked', async () => {
    const e = enforcer({ mode: 'events' });
    const token = await rootToken(key, 'grnt_A');
    expect((await check(e, token)).code).toBe('ALLOWED');
    await feedLive(e);
    // Asked once more now that the feed is live; from here the answer is reused.
    expect((await check(e, token)).code).toBe('ALLOWED');
    const asked = server.verifies.length;
    for (let i = 0; i < 100; i++) expect((await check(e, token)).code).toBe('ALLOWED');
    expect(server.verifies.length).toBe(asked);
    server.revokeGrant('grnt_A');
    const denied = await untilCode(e, token, 'TOKEN_REVOKED');
    expect(denied).toMatchObject({ allowed: false, code: 'TOKEN_REVOKED', grant: null, message: 'Grant grnt_A was revoked' });
    // The denial came from the event: no request was made for it.
    expect(server.verifies.length).toBe(asked);
    expect(server.streams.every((query) => query === '?types=grant.revoked,anomaly.auto_revoked,passport.revoked,consent_bundle.revoked,dpdp.consent.withdrawn')).toBe(true);
  });

  it('opens one feed per enforcer, whatever the number of checks and tokens', async () => {
    const e = enforcer({ mode: 'events' });
    const tokens = await Promise.all(Array.from({ length: 5 }, (_, i) => rootToken(key, `grnt_many_${i}`)));
    await Promise.all(tokens.map((token) => check(e, token)));
    await feedLive(e);
    await Promise.all(tokens.map((token) => check(e, token)));
    expect(server.streams).toHaveLength(1);
    expect(server.connections).toBe(1);
  });

  it.each([1, 2, 3])('follows a cascade to a token delegated %i level(s) below the revoked grant', async (depth) => {
    const e = enforcer({ mode: 'events' });
    const grants = Array.from({ length: depth + 1 }, (_, i) => `grnt_d${depth}_${i}`);
    const tokens = [await rootToken(key, grants[0]!)];
    for (let i = 1; i <= depth; i++) {
      server.delegate(grants[i]!, grants[i - 1]!);
      tokens.push(await delegatedToken(key, grants[i]!, grants[i - 1]!, i));
    }
    await feedLive(e);
    for (const token of tokens) expect((await check(e, token)).code).toBe('ALLOWED');
    const asked = server.verifies.length;
    // The event names only the root.
    server.publish('grant.revoked', { grantId: grants[0], cascade: true });
    const denied = await untilCode(e, tokens[depth]!, 'TOKEN_REVOKED');
    expect(denied.message).toBe(`The token's grant was delegated from grant ${grants[0]}, which was revoked`);
    for (const token of tokens) expect((await check(e, token)).code).toBe('TOKEN_REVOKED');
    // Every denial came from the lineage the enforcer had seen.
    expect(server.verifies.length).toBe(asked);
  });

  it('asks online about a token whose lineage it has not seen, once a cascade happened', async () => {
    const e = enforcer({ mode: 'events' });
    server.delegate('grnt_u1', 'grnt_u0');
    server.delegate('grnt_u2', 'grnt_u1');
    // Only the depth-2 token is ever presented: its grandparent is unknown.
    const token = await delegatedToken(key, 'grnt_u2', 'grnt_u1', 2);
    const rooted = await rootToken(key, 'grnt_other_root');
    await feedLive(e);
    expect((await check(e, token)).code).toBe('ALLOWED');
    expect((await check(e, rooted)).code).toBe('ALLOWED');
    // A revocation that does not cascade leaves unknown lineages alone.
    server.publish('grant.revoked', { grantId: 'grnt_unrelated', cascade: false });
    await feedLive(e);
    const afterProbe = server.verifies.length;
    expect((await check(e, token)).code).toBe('ALLOWED');
    expect(server.verifies.length).toBe(afterProbe);
    // The root of the unknown chain is revoked with a cascade: the token is asked about again.
    server.revokeGrant('grnt_u0');
    await untilCode(e, token, 'TOKEN_REVOKED');
    expect(server.verifies.at(-1)).toBe(token);
    // A token whose whole lineage is known (a root) is not asked about for a cascade elsewhere.
    const before = server.verifies.length;
    expect((await check(e, rooted)).code).toBe('ALLOWED');
    expect(server.verifies.length).toBe(before);
  });

  it('re-checks every cached allowance online after a gap, and catches a revocation made during it', async () => {
    const e = enforcer({ mode: 'events' });
    const [lost, kept] = await Promise.all([rootToken(key, 'grnt_gap_lost'), rootToken(key, 'grnt_gap_kept')]);
    await feedLive(e);
    expect((await check(e, lost)).code).toBe('ALLOWED');
    expect((await check(e, kept)).code).toBe('ALLOWED');
    server.dropStreams();
    // Revoked while no stream is connected: the event is lost, as with the real API.
    server.revokeGrant('grnt_gap_lost');
    const denied = await untilCode(e, lost, 'TOKEN_REVOKED');
    expect(denied.message).toMatch(/no longer accepts this token/);
    // The other allowance was asked about again too, before it was used.
    await server.streamsOpen(1);
    await feedLive(e);
    const before = server.verifies.filter((t) => t === kept).length;
    expect((await check(e, kept)).code).toBe('ALLOWED');
    expect(server.verifies.filter((t) => t === kept).length).toBe(before + 1);
  }, 20_000);

  it('catches a per-token revocation (no event) with the online re-check after maxStaleness', async () => {
    const e = enforcer({ mode: 'events', maxStaleness: 200 });
    const token = await rootToken(key, 'grnt_jti', { jti: 'tok_jti_revoked' });
    await feedLive(e);
    expect((await check(e, token)).code).toBe('ALLOWED');
    server.revokedTokens.add('tok_jti_revoked');
    const denied = await untilCode(e, token, 'TOKEN_REVOKED');
    expect(denied.message).toMatch(/no longer accepts this token/);
    expect(server.verifies.filter((t) => t === token).length).toBeGreaterThanOrEqual(2);
  });

  it('handles the other events that end authority', async () => {
    const e = enforcer({ mode: 'events' });
    const [anomalous, passport, consent, withdrawn] = await Promise.all(
      ['grnt_anomaly', 'grnt_passport', 'grnt_consent', 'grnt_dpdp'].map((grant) => rootToken(key, grant)),
    );
    await feedLive(e);
    for (const token of [anomalous, passport, consent, withdrawn]) expect((await check(e, token)).code).toBe('ALLOWED');
    server.publish('anomaly.auto_revoked', { revokedGrants: ['grnt_anomaly'], anomalyCount: 2 });
    await untilCode(e, anomalous, 'TOKEN_REVOKED');
    server.publish('dpdp.consent.withdrawn', { grantId: 'grnt_dpdp', grantRevoked: true });
    await untilCode(e, withdrawn, 'TOKEN_REVOKED');
    // A revoked passport or consent bundle may leave its grant active: the token is asked about again.
    const before = server.verifies.length;
    server.publish('passport.revoked', { grantId: 'grnt_passport' });
    server.publish('consent_bundle.revoked', { grantId: 'grnt_consent' });
    await feedLive(e);
    expect((await check(e, passport)).code).toBe('ALLOWED');
    expect((await check(e, consent)).code).toBe('ALLOWED');
    expect(server.verifies.slice(before)).toEqual(expect.arrayContaining([passport, consent]));
  });

  it('survives a reconnect storm: a stream that ends at once is retried with growing waits, and checks go on online', async () => {
    server.streamOverride = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(': bye\n\n');
    };
    const e = enforcer({ mode: 'events' });
    const token = await rootToken(key, 'grnt_storm');
    expect((await check(e, token)).code).toBe('ALLOWED');
    await tick(3_000);
    // Waits of 0.5–1, 1–2, 2–4 s: at most four connections in three seconds (a slow machine makes fewer).
    expect(server.streams.length).toBeGreaterThanOrEqual(1);
    expect(server.streams.length).toBeLessThanOrEqual(4);
    server.revokedGrants.add('grnt_storm');
    // Every short connection was a gap, so the allowance is asked about again before it is used.
    expect((await check(e, token)).code).toBe('TOKEN_REVOKED');
  }, 15_000);

  it('a refused feed (429 TOO_MANY_CONNECTIONS) leaves the checks online', async () => {
    server.streamOverride = (_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'TOO_MANY_CONNECTIONS', message: `too many for ${API_KEY}` }));
    };
    const e = enforcer({ mode: 'events', maxStaleness: 100 });
    const token = await rootToken(key, 'grnt_refused');
    expect((await check(e, token)).code).toBe('ALLOWED');
    server.revokedGrants.add('grnt_refused');
    const denied = await untilCode(e, token, 'TOKEN_REVOKED');
    expect(JSON.stringify(denied)).not.toContain(API_KEY);
  });

  it('close() ends the feed, is safe twice, and later checks go online', async () => {
    const e = enforcer({ mode: 'events' });
    const token = await rootToken(key, 'grnt_close');
    await feedLive(e);
    expect(server.connections).toBe(1);
    await e.close();
    await e.close();
    await until(() => server.connections === 0);
    server.revokedGrants.add('grnt_close');
    expect((await check(e, token)).code).toBe('TOKEN_REVOKED');
    expect(server.connections).toBe(0);
    expect(server.streams).toHaveLength(1);
  });

  it('Symbol.asyncDispose closes it (await using)', async () => {
    const token = await rootToken(key, 'grnt_dispose');
    {
      await using e = enforcer({ mode: 'events' });
      await feedLive(e);
      expect((await check(e, token)).code).toBe('ALLOWED');
    }
    await until(() => server.connections === 0);
  });

  it('closes its feed by itself once no answer depends on it, and opens it again with the next check', async () => {
    const e = enforcer({ mode: 'events', maxStaleness: 150 });
    const token = await rootToken(key, 'grnt_idle');
    await feedLive(e);
    await until(() => server.connections === 0);
    expect((await check(e, token)).code).toBe('ALLOWED');
    await server.streamsOpen(1);
    expect(server.streams.length).toBe(2);
  });
});

describe("mode 'online'", () => {
  it('reuses an answer for maxStaleness: reused 1 ms before it, asked again exactly at it (clock injected)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(1_800_000_000_000);
      const e = enforcer({ mode: 'online', maxStaleness: 1_000 });
      const token = await rootToken(key, 'grnt_edge');
      expect((await check(e, token)).code).toBe('ALLOWED');
      expect(server.verifies).toEqual([token]);
      server.revokedGrants.add('grnt_edge');
      vi.setSystemTime(1_800_000_000_999);
      expect((await check(e, token)).code).toBe('ALLOWED');
      expect(server.verifies).toHaveLength(1);
      vi.setSystemTime(1_800_000_001_000);
      expect((await check(e, token)).code).toBe('TOKEN_REVOKED');
      expect(server.verifies).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('judges a cached answer at the instant verification used: one clock reading per check', async () => {
    let now = 1_800_000_000_000;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const e = enforcer({ mode: 'online', maxStaleness: 1_000 });
      const offline = createEnforcer({ jwks: { keys: [key.publicJwk] }, issuer: ISSUER, developerId: DEV, manifests: [MANIFEST] });
      const token = await rootToken(key, 'grnt_one_read');
      expect((await check(e, token)).code).toBe('ALLOWED');
      expect((await check(offline, token)).code).toBe('ALLOWED');
      server.revokedGrants.add('grnt_one_read');
      // Every read after the first lands past maxStaleness: a second read would ask again and deny.
      now = 1_800_000_000_999;
      clock.mockClear();
      clock.mockImplementation(() => (clock.mock.calls.length > 1 ? 1_800_000_005_000 : now));
      expect((await check(e, token)).code).toBe('ALLOWED');
      expect(clock).toHaveBeenCalledTimes(1);
      expect(server.verifies).toEqual([token]);
      clock.mockClear();
      clock.mockImplementation(() => now);
      expect((await check(offline, token)).code).toBe('ALLOWED');
      expect(clock).toHaveBeenCalledTimes(1);
    } finally {
      clock.mockRestore();
    }
  });

  it('asks once per token per maxStaleness and opens no feed', async () => {
    const e = enforcer({ mode: 'online', maxStaleness: 60_000 });
    const token = await rootToken(key, 'grnt_on');
    for (let i = 0; i < 5; i++) expect((await check(e, token)).code).toBe('ALLOWED');
    expect(server.verifies).toEqual([token]);
    expect(server.streams).toEqual([]);
    expect(server.authorizations).toEqual([`Bearer ${API_KEY}`]);
    server.revokedGrants.add('grnt_on');
    // Within maxStaleness the answer stands: that is what maxStaleness means.
    expect((await check(e, token)).code).toBe('ALLOWED');
  });

  it('asks again once maxStaleness has passed', async () => {
    const e = enforcer({ mode: 'online', maxStaleness: 50 });
    const token = await rootToken(key, 'grnt_stale');
    expect((await check(e, token)).code).toBe('ALLOWED');
    server.revokedGrants.add('grnt_stale');
    await untilCode(e, token, 'TOKEN_REVOKED');
    // A revoked answer is final: no further request.
    const asked = server.verifies.length;
    expect((await check(e, token)).code).toBe('TOKEN_REVOKED');
    expect(server.verifies.length).toBe(asked);
  });

  it('concurrent checks of one token share one request (single flight)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.verifyOverride = (_token, res) => {
      void gate.then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"valid":true}'));
      return true;
    };
    const e = enforcer({ mode: 'online', maxStaleness: 60_000 });
    const token = await rootToken(key, 'grnt_flight');
    const decisions = Array.from({ length: 25 }, () => check(e, token));
    await until(() => server.verifies.length === 1);
    await tick(20);
    release();
    expect((await Promise.all(decisions)).map((d) => d.code)).toEqual(Array(25).fill('ALLOWED'));
    expect(server.verifies).toHaveLength(1);
  });

  it('keeps at most cache.maxEntries answers: exactly at the bound nothing is asked again, one past it the oldest is', async () => {
    const e = enforcer({ mode: 'online', maxStaleness: 60_000 }, { cache: { maxEntries: 2 } });
    const [a, b, c] = await Promise.all(['grnt_b1', 'grnt_b2', 'grnt_b3'].map((grant) => rootToken(key, grant)));
    await check(e, a!);
    await check(e, b!);
    await check(e, a!);
    await check(e, b!);
    expect(server.verifies).toEqual([a, b]);
    await check(e, c!);
    await check(e, a!);
    expect(server.verifies).toEqual([a, b, c, a]);
  });

  it('asks only about calls the policy allows', async () => {
    const e = enforcer({ mode: 'online' });
    const token = await rootToken(key, 'grnt_policy', { scp: ['tool:github:read'] });
    expect((await check(e, token)).code).toBe('PERMISSION_INSUFFICIENT');
    expect((await e.check({ grantToken: 'junk.token.here', ...call })).code).toBe('TOKEN_MALFORMED');
    expect(server.verifies).toEqual([]);
  });

  it('denies TOKEN_REVOKED in permissive mode too, and guard answers 401', async () => {
    server.revokedGrants.add('grnt_perm');
    const e = enforcer({ mode: 'online' }, { mode: 'permissive' });
    const token = await rootToken(key, 'grnt_perm');
    expect(await check(e, token)).toMatchObject({ allowed: false, code: 'TOKEN_REVOKED', wouldDeny: null });
    const response = await e.guard(new Request('https://tools.test/x', { headers: { authorization: `Bearer ${token}` } }), call);
    expect(response?.status).toBe(401);
    expect(await response?.json()).toMatchObject({ code: 'TOKEN_REVOKED' });
  });
});

describe('when the status cannot be established', () => {
  const failures: [string, (server: RevocationServer) => void, RegExp][] = [
    ['a 500', (s) => (s.verifyOverride = (_t, res) => (res.writeHead(500).end(`{"message":"${API_KEY}"}`), true)), /answered 500/],
    ['a 429', (s) => (s.verifyOverride = (_t, res) => (res.writeHead(429, { 'retry-after': '60' }).end(), true)), /rate limiting/],
    ['a refused key', (s) => (s.verifyOverride = (_t, res) => (res.writeHead(401, { 'www-authenticate': `Bearer ${API_KEY}` }).end(`bad key ${API_KEY}`), true)), /refused the API key \(401\)/],
    ['a redirect', (s) => (s.verifyOverride = (_t, res) => (res.writeHead(302, { location: 'https://evil.test/v1/tokens/verify' }).end(), true)), /redirect \(302\)/],
    ['no answer in time', (s) => (s.verifyOverride = () => true), /did not answer within 100 ms/],
    ['a body that is not a verification result', (s) => (s.verifyOverride = (_t, res) => (res.writeHead(200).end(`{"echo":"${API_KEY}"}`), true)), /something other than a verification result/],
  ];

  it.each(failures)("%s denies REVOCATION_UNKNOWN by default, 503 in guard, with no key anywhere", async (_name, breakIt, reason) => {
    breakIt(server);
    const decisions: EnforcementDecision[] = [];
    const e = enforcer({ mode: 'online', maxStaleness: 100 }, { onDecision: (d) => void decisions.push(d) });
    const token = await rootToken(key, 'grnt_unknown');
    const decision = await check(e, token);
    expect(decision).toMatchObject({ allowed: false, code: 'REVOCATION_UNKNOWN', grant: null });
    expect(decision.message).toMatch(reason);
    const response = await e.guard(new Request('https://tools.test/x', { headers: { authorization: `Bearer ${token}` } }), call);
    expect(response?.status).toBe(503);
    expect(response?.headers.get('www-authenticate')).toBeNull();
    const body = await response!.text();
    for (const surface of [body, JSON.stringify(decisions), inspect(decisions, { depth: 8, showHidden: true }), inspect(e, { depth: 8, showHidden: true })]) {
      expect(surface).not.toContain(API_KEY);
    }
  });

  it("onUnavailable: 'allow' lets the call through and says so to onDecision", async () => {
    server.verifyOverride = (_t, res) => (res.writeHead(503).end(), true);
    const decisions: EnforcementDecision[] = [];
    const e = enforcer({ mode: 'online', onUnavailable: 'allow' }, { onDecision: (d) => void decisions.push(d) });
    const token = await rootToken(key, 'grnt_open');
    const decision = await check(e, token);
    expect(decision).toMatchObject({ allowed: true, code: 'ALLOWED', revocationUnknown: true });
    expect(decision.message).toMatch(/could not be established: the API answered 503, allowed because onUnavailable is 'allow'/);
    expect(decisions).toEqual([decision]);
    expect(Object.isFrozen(decision)).toBe(true);
    // A known answer carries no flag.
    server.verifyOverride = undefined;
    const fine = await check(e, await rootToken(key, 'grnt_fine'));
    expect(fine.revocationUnknown).toBeUndefined();
  });

  it('an unreachable API is REVOCATION_UNKNOWN', async () => {
    const e = enforcer({ mode: 'online', baseUrl: 'http://127.0.0.1:9' });
    const decision = await check(e, await rootToken(key, 'grnt_down'));
    expect(decision.code).toBe('REVOCATION_UNKNOWN');
    expect(decision.message).toMatch(/could not be reached/);
  });
});

describe('options', () => {
  const base = () => ({ jwks: { keys: [key.publicJwk] }, issuer: ISSUER, developerId: DEV, manifests: [MANIFEST] });
  const build = (revocation: unknown) => () => createEnforcer({ ...base(), revocation } as EnforcerOptions);

  it("'offline' (and no option) makes no request at all", async () => {
    for (const revocation of [undefined, { mode: 'offline' }]) {
      const e = build(revocation)();
      expect((await check(e, await rootToken(key, 'grnt_off'))).code).toBe('ALLOWED');
      await e.close();
    }
    expect(server.verifies).toEqual([]);
    expect(server.streams).toEqual([]);
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown name', { mode: 'online', apiKey: API_KEY, maxStaleneess: 5 }, /Unknown revocation option "maxStaleneess"/],
    ['a bad mode', { mode: 'live', apiKey: API_KEY }, /mode/],
    ['no key', { mode: 'events' }, /apiKey/],
    ['a key with a space', { mode: 'online', apiKey: `${API_KEY} x` }, /apiKey/],
    ['a key with a line break', { mode: 'online', apiKey: `${API_KEY}\r\nx-evil: 1` }, /apiKey/],
    ['a base URL with credentials', { mode: 'online', apiKey: API_KEY, baseUrl: `https://user:${API_KEY}@api.test` }, /credentials/],
    ['a base URL that is not http(s)', { mode: 'online', apiKey: API_KEY, baseUrl: 'ftp://api.test' }, /baseUrl/],
    ['maxStaleness 0', { mode: 'online', apiKey: API_KEY, maxStaleness: 0 }, /maxStaleness/],
    ['maxStaleness past the timer limit', { mode: 'online', apiKey: API_KEY, maxStaleness: 2_147_483_648 }, /maxStaleness/],
    ['a fractional maxStaleness', { mode: 'online', apiKey: API_KEY, maxStaleness: 1.5 }, /maxStaleness/],
    ['a bad onUnavailable', { mode: 'online', apiKey: API_KEY, onUnavailable: 'retry' }, /onUnavailable/],
    ["'offline' with a key", { mode: 'offline', apiKey: API_KEY }, /takes no other option/],
    ['not an object', 'events', /must be an object/],
  ])('refuses %s with GrantexConfigurationError that never shows the key', (_name, revocation, message) => {
    let error: unknown;
    try {
      build(revocation)();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GrantexConfigurationError);
    expect((error as Error).message).toMatch(message);
    for (const surface of [(error as Error).message, String((error as Error).stack), JSON.stringify(error), inspect(error, { showHidden: true })]) {
      expect(surface).not.toContain(API_KEY);
    }
  });

  it('accepts maxStaleness at both ends of its range', () => {
    expect(build({ mode: 'online', apiKey: API_KEY, maxStaleness: 1 })).not.toThrow();
    expect(build({ mode: 'online', apiKey: API_KEY, maxStaleness: 2_147_483_647 })).not.toThrow();
  });
});
