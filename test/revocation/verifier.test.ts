import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { GrantexConfigurationError, GrantTokenError } from '../../src/errors.js';
import { createGrantVerifier, verifyGrantToken } from '../../src/jwt/index.js';
import { createGrantVerifier as lazyVerifier } from '../../src/index.js';
import { rsaKey, type SigningKey } from '../support/tokens.js';
import { API_KEY, DEV, ISSUER, RevocationServer, rootToken, until } from './support.js';

// `revocation` on the verifier: the same check as the enforcer's, reported as GrantTokenError codes.

let key: SigningKey;
let server: RevocationServer;
beforeAll(async () => {
  key = await rsaKey('grantex-2026-11');
  server = await RevocationServer.start();
});
afterAll(async () => {
  await server.close();
});

const options = (revocation: Record<string, unknown>) =>
  ({ jwks: { keys: [key.publicJwk] }, issuer: ISSUER, developerId: DEV, revocation: { apiKey: API_KEY, baseUrl: server.url, ...revocation } }) as never;

async function failure(promise: Promise<unknown>): Promise<GrantTokenError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(GrantTokenError);
  for (const surface of [(error as Error).message, String((error as Error).stack), JSON.stringify(error), inspect(error, { showHidden: true, depth: 8 })]) {
    expect(surface).not.toContain(API_KEY);
  }
  return error as GrantTokenError;
}

describe('createGrantVerifier({ revocation })', () => {
  it("'online': a revoked grant fails with TOKEN_REVOKED; an active one verifies", async () => {
    const verifier = createGrantVerifier(options({ mode: 'online' }));
    const good = await rootToken(key, 'grnt_v_good');
    const bad = await rootToken(key, 'grnt_v_bad');
    server.revokedGrants.add('grnt_v_bad');
    expect((await verifier.verify(good)).grantId).toBe('grnt_v_good');
    expect((await failure(verifier.verify(bad))).code).toBe('TOKEN_REVOKED');
    await verifier.close();
  });

  it("'events': a grant revoked on the feed fails with TOKEN_REVOKED", async () => {
    const verifier = createGrantVerifier(options({ mode: 'events' }));
    const token = await rootToken(key, 'grnt_v_feed');
    expect((await verifier.verify(token)).grantId).toBe('grnt_v_feed');
    await server.streamsOpen(1);
    await until(async () => {
      server.publish('grant.revoked', { grantId: 'grnt_v_feed', cascade: false });
      return (await verifier.verify(token).then(() => 'ok', (error: GrantTokenError) => error.code)) === 'TOKEN_REVOKED';
    });
    await verifier.close();
    await until(() => server.connections === 0);
  });

  it("an unknown status is REVOCATION_UNKNOWN, or the grant with onUnavailable: 'allow'", async () => {
    server.verifyOverride = (_t, res) => (res.writeHead(500).end(API_KEY), true);
    try {
      const token = await rootToken(key, 'grnt_v_unknown');
      const error = await failure(createGrantVerifier(options({ mode: 'online' })).verify(token));
      expect(error.code).toBe('REVOCATION_UNKNOWN');
      expect(error.message).toMatch(/answered 500/);
      expect((await createGrantVerifier(options({ mode: 'online', onUnavailable: 'allow' })).verify(token)).grantId).toBe('grnt_v_unknown');
    } finally {
      server.verifyOverride = undefined;
    }
  });

  it("'online': an answer is reused 1 ms before maxStaleness and asked again exactly at it, with or without the token cache (clock injected)", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (const cache of [false, true]) {
        vi.setSystemTime(1_800_000_000_000);
        const verifier = createGrantVerifier({ ...(options({ mode: 'online', maxStaleness: 1_000 }) as object), cache } as never);
        const grantId = `grnt_v_edge_${cache}`;
        const token = await rootToken(key, grantId);
        const before = server.verifies.length;
        expect((await verifier.verify(token)).grantId).toBe(grantId);
        server.revokedGrants.add(grantId);
        vi.setSystemTime(1_800_000_000_999);
        expect((await verifier.verify(token)).grantId).toBe(grantId);
        expect(server.verifies.length).toBe(before + 1);
        vi.setSystemTime(1_800_000_001_000);
        expect((await failure(verifier.verify(token))).code).toBe('TOKEN_REVOKED');
        expect(server.verifies.length).toBe(before + 2);
        await verifier.close();
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads the clock once per verification and judges the cached answer at that reading', async () => {
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => 1_800_000_000_000);
    try {
      const verifier = createGrantVerifier({ ...(options({ mode: 'online', maxStaleness: 1_000 }) as object), cache: true } as never);
      const token = await rootToken(key, 'grnt_v_one_read');
      await verifier.verify(token);
      const before = server.verifies.length;
      // Every read after the first lands past maxStaleness: a second read would ask again.
      clock.mockClear();
      clock.mockImplementation(() => (clock.mock.calls.length > 1 ? 1_800_000_005_000 : 1_800_000_000_999));
      expect((await verifier.verify(token)).grantId).toBe('grnt_v_one_read');
      expect(clock).toHaveBeenCalledTimes(1);
      expect(server.verifies.length).toBe(before);
      await verifier.close();
    } finally {
      clock.mockRestore();
    }
  });

  it('a token that fails offline is never asked about online', async () => {
    const before = server.verifies.length;
    const verifier = createGrantVerifier(options({ mode: 'online' }));
    expect((await failure(verifier.verify(await rootToken(key, 'grnt_v_exp', { exp: 1, iat: 0 })))).code).toBe('TOKEN_EXPIRED');
    expect(server.verifies.length).toBe(before);
  });

  it('the main entry’s lazy verifier takes the option and closes too', async () => {
    const verifier = lazyVerifier(options({ mode: 'online' }));
    server.revokedGrants.add('grnt_v_lazy');
    expect((await failure(verifier.verify(await rootToken(key, 'grnt_v_lazy')))).code).toBe('TOKEN_REVOKED');
    await verifier.close();
    await verifier[Symbol.asyncDispose]();
    // The main entry checks `revocation` with the keys, when the verification code loads.
    const wrong = lazyVerifier(options({ mode: 'online', maxStaleness: -1 }));
    await expect(wrong.verify(await rootToken(key, 'grnt_v_lazy2'))).rejects.toBeInstanceOf(GrantexConfigurationError);
  });

  it('verifyGrantToken refuses a live mode: it needs a verifier that lives as long as the program', async () => {
    const error = await verifyGrantToken(await rootToken(key, 'grnt_v_once'), options({ mode: 'online' })).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(GrantexConfigurationError);
    expect((error as Error).message).toMatch(/createGrantVerifier/);
  });
});
