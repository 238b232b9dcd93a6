import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GrantexConfigurationError, GrantexInvalidArgumentError } from '../../src/errors.js';
import { createGrantVerifier, verifyGrantToken } from '../../src/jwt/index.js';
import { expectTokenError } from './assert-error.js';
import { startJwksServer, unusedJwksUri, type JwksServer } from './jwks-server.js';
import { ed25519Key, rootClaims, rsaKey, sign, unsecured, type SigningKey } from '../support/tokens.js';

let current: SigningKey;
let next: SigningKey; // the key the server rotates to
let ed: SigningKey;
const servers: JwksServer[] = [];
const DEV = 'dev_01TESTDEV';

beforeAll(async () => {
  [current, next, ed] = await Promise.all([rsaKey('grantex-2026-11'), rsaKey('grantex-2026-12'), ed25519Key('grantex-ed25519-2026-11')]);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(keys: SigningKey[] = [current, ed]): Promise<JwksServer> {
  const server = await startJwksServer({ keys: keys.map((key) => key.publicJwk) });
  servers.push(server);
  return server;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('remote JWKS', () => {
  it('derives the issuer from the jwksUri and caches the keys', async () => {
    const server = await serve();
    const verifier = createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV });
    for (let i = 0; i < 5; i++) {
      await expect(verifier.verify(await sign(current, rootClaims(server.origin)))).resolves.toMatchObject({ principalId: 'user_alice' });
    }
    expect(server.requests).toBe(1);
    await expectTokenError(verifier.verify(await sign(current, rootClaims(`${server.origin}/`))), 'TOKEN_ISSUER_INVALID');
  });

  it('accepts the jwksUri as a URL object and an explicit issuer', async () => {
    const server = await serve();
    const verifier = createGrantVerifier({ jwksUri: new URL(server.jwksUri), developerId: DEV, issuer: 'https://grantex.test' });
    await expect(verifier.verify(await sign(current, rootClaims('https://grantex.test')))).resolves.toBeTruthy();
    await expectTokenError(verifier.verify(await sign(current, rootClaims(server.origin))), 'TOKEN_ISSUER_INVALID');
  });

  it('never fetches the JWKS for a token it can reject up front', async () => {
    const server = await serve();
    const verifier = createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV });
    await expectTokenError(verifier.verify(unsecured(rootClaims(server.origin), current.kid)), 'TOKEN_ALGORITHM_UNSUPPORTED');
    await expectTokenError(verifier.verify(await sign(ed, rootClaims(server.origin))), 'TOKEN_ALGORITHM_UNSUPPORTED');
    await expectTokenError(verifier.verify('x'.repeat(20_000)), 'TOKEN_MALFORMED');
    await expectTokenError(verifier.verify('garbage'), 'TOKEN_MALFORMED');
    expect(server.requests).toBe(0);
  });

  it('refetches exactly once for an unknown kid, then reports TOKEN_KEY_UNKNOWN', async () => {
    const server = await serve();
    const verifier = createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV, cooldownMs: 300 });
    const unknown = await sign(next, rootClaims(server.origin));
    await verifier.verify(await sign(current, rootClaims(server.origin)));
    expect(server.requests).toBe(1);
    // Within the cooldown that follows a fetch, an unknown kid does not fetch again.
    await expectTokenError(verifier.verify(unknown), 'TOKEN_KEY_UNKNOWN');
    expect(server.requests).toBe(1);
    await sleep(350); // past the cooldown
    await expectTokenError(verifier.verify(unknown), 'TOKEN_KEY_UNKNOWN', [unknown]);
    expect(server.requests).toBe(2);
    // Within the cooldown, more unknown kids do not fetch again.
    await expectTokenError(verifier.verify(unknown), 'TOKEN_KEY_UNKNOWN');
    expect(server.requests).toBe(2);
  });

  it('turns a burst of 20 unknown-kid tokens into at most 2 fetches', async () => {
    const server = await serve();
    const verifier = createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV });
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sign(next, rootClaims(server.origin), { kid: `unknown-${i}` })),
    );
    const results = await Promise.allSettled(tokens.map((token) => verifier.verify(token)));
    expect(results.every((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'TOKEN_KEY_UNKNOWN')).toBe(true);
    for (const token of tokens) await expectTokenError(verifier.verify(token), 'TOKEN_KEY_UNKNOWN');
    expect(server.requests).toBeGreaterThanOrEqual(1);
    expect(server.requests).toBeLessThanOrEqual(2);
  });

  it('also limits a burst that arrives after the cooldown, with warm keys', async () => {
    const server = await serve();
    const verifier = createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV, cooldownMs: 50 });
    await verifier.verify(await sign(current, rootClaims(server.origin)));
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => sign(next, rootClaims(server.origin), { kid: `unknown-${i}` })));
    await sleep(80);
    await Promise.allSettled(tokens.map((token) => verifier.verify(token)));
    expect(server.requests).toBe(2);
  });

  it('picks up a rotated key after one refetch', async () => {
    const server = await serve([current]);
    const verifier = createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV, cooldownMs: 50 });
    await verifier.verify(await sign(current, rootClaims(server.origin)));
    server.jwks = { keys: [current.publicJwk, next.publicJwk] };
    await sleep(80);
    const rotated = await sign(next, rootClaims(server.origin));
    await expect(verifier.verify(rotated)).resolves.toMatchObject({ tokenId: 'tok_01TESTTOKEN' });
    expect(server.requests).toBe(2);
    // Tokens of both keys keep verifying without further fetches.
    await verifier.verify(await sign(current, rootClaims(server.origin)));
    await verifier.verify(rotated);
    expect(server.requests).toBe(2);
  });

  it('refetches when the cache is older than cacheMaxAgeMs', async () => {
    const server = await serve();
    const verifier = createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV, cacheMaxAgeMs: 50 });
    const token = await sign(current, rootClaims(server.origin));
    await verifier.verify(token);
    await sleep(80);
    await verifier.verify(token);
    expect(server.requests).toBe(2);
  });
});

describe('JWKS unavailable', () => {
  it.each([
    ['a 500 response', 'status500'],
    ['an HTML page', 'html'],
    ['JSON that is not a JWKS', 'not-a-jwks'],
  ] as const)('reports JWKS_UNAVAILABLE for %s', async (_, mode) => {
    const server = await serve();
    server.mode = mode;
    const token = await sign(current, rootClaims(server.origin));
    await expectTokenError(createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV }).verify(token), 'JWKS_UNAVAILABLE', [token]);
    expect(server.requests).toBe(1);
  });

  it('reports JWKS_UNAVAILABLE when the endpoint hangs past timeoutMs', async () => {
    const server = await serve();
    // The endpoint never answers, so only the timeout can end this verification.
    server.mode = 'hang';
    await expectTokenError(
      createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV, timeoutMs: 150 }).verify(await sign(current, rootClaims(server.origin))),
      'JWKS_UNAVAILABLE',
    );
  });

  it('reports JWKS_UNAVAILABLE when nothing listens', async () => {
    const jwksUri = await unusedJwksUri();
    await expectTokenError(
      createGrantVerifier({ jwksUri, developerId: DEV }).verify(await sign(current, rootClaims(new URL(jwksUri).origin))),
      'JWKS_UNAVAILABLE',
    );
  });

  it('recovers once the endpoint is back', async () => {
    const server = await serve();
    server.mode = 'status500';
    const verifier = createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV });
    const token = await sign(current, rootClaims(server.origin));
    await expectTokenError(verifier.verify(token), 'JWKS_UNAVAILABLE');
    server.mode = 'ok';
    await expect(verifier.verify(token)).resolves.toBeTruthy();
  });
});

describe('fetch injection and the production URL', () => {
  it('uses the injected fetch, and derives https://grantex.dev for api.grantex.dev', async () => {
    const calls: string[] = [];
    const jwks = { keys: [current.publicJwk] };
    const verifier = createGrantVerifier({
      jwksUri: 'https://api.grantex.dev/.well-known/jwks.json',
      developerId: DEV,
      fetch: async (url) => {
        calls.push(url);
        return new Response(JSON.stringify(jwks), { headers: { 'content-type': 'application/json' } });
      },
    });
    await expect(verifier.verify(await sign(current, rootClaims('https://grantex.dev')))).resolves.toBeTruthy();
    await expectTokenError(verifier.verify(await sign(current, rootClaims('https://api.grantex.dev'))), 'TOKEN_ISSUER_INVALID');
    expect(calls).toEqual(['https://api.grantex.dev/.well-known/jwks.json']);
  });

  it('strips only the trailing /.well-known/jwks.json from other URLs', async () => {
    const jwks = { keys: [current.publicJwk] };
    const verifier = createGrantVerifier({
      jwksUri: 'https://auth.example/tenants/acme/.well-known/jwks.json?v=2',
      developerId: DEV,
      fetch: async () => new Response(JSON.stringify(jwks)),
    });
    await expect(verifier.verify(await sign(current, rootClaims('https://auth.example/tenants/acme')))).resolves.toBeTruthy();
  });

  it('maps an injected fetch that throws to JWKS_UNAVAILABLE', async () => {
    const verifier = createGrantVerifier({
      jwksUri: 'https://api.grantex.dev/.well-known/jwks.json',
      developerId: DEV,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await expectTokenError(verifier.verify(await sign(current, rootClaims('https://grantex.dev'))), 'JWKS_UNAVAILABLE');
  });
});

describe('verifyGrantToken', () => {
  it('shares the remote key set between calls with the same jwksUri', async () => {
    const server = await serve();
    const token = await sign(current, rootClaims(server.origin));
    for (let i = 0; i < 3; i++) await expect(verifyGrantToken(token, { jwksUri: server.jwksUri, developerId: DEV })).resolves.toBeTruthy();
    expect(server.requests).toBe(1);
  });

  it('applies the per-call checks', async () => {
    const server = await serve();
    const token = await sign(current, rootClaims(server.origin));
    const error = await expectTokenError(verifyGrantToken(token, { jwksUri: server.jwksUri, developerId: DEV, requiredScopes: ['mail:send'] }), 'TOKEN_SCOPES_MISSING');
    expect(error.missingScopes).toEqual(['mail:send']);
  });

  it('works offline with a local JWKS and rejects configuration mistakes as a rejected promise', async () => {
    const token = await sign(current, rootClaims('https://grantex.test'));
    await expect(verifyGrantToken(token, { jwks: { keys: [current.publicJwk] }, issuer: 'https://grantex.test', developerId: DEV })).resolves.toBeTruthy();
    await expect(verifyGrantToken(token, { jwks: { keys: [current.publicJwk] }, developerId: DEV } as never)).rejects.toMatchObject({ code: 'CONFIGURATION_ERROR' });
  });
});

/** A JWKS document padded with spaces to exactly `bytes` bytes (all ASCII). */
function padded(keys: unknown[], bytes: number): string {
  const json = JSON.stringify({ keys });
  expect(json.length).toBeLessThanOrEqual(bytes);
  return json + ' '.repeat(bytes - json.length);
}

/** `count` keys: the signing key plus copies under other key ids. */
const manyKeys = (count: number) => Array.from({ length: count }, (_, i) => (i === 0 ? current.publicJwk : { ...current.publicJwk, kid: `spare-${i}` }));

describe('remote JWKS limits', () => {
  it.each(['raw', 'raw-chunked'] as const)('accepts a JWKS of exactly maxJwksBytes and refuses one byte more (%s)', async (mode) => {
    const server = await serve();
    server.mode = mode;
    const token = await sign(current, rootClaims(server.origin));
    server.raw = padded([current.publicJwk], 4096);
    await expect(createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV, maxJwksBytes: 4096 }).verify(token)).resolves.toBeTruthy();
    server.raw = padded([current.publicJwk], 4097);
    const error = await expectTokenError(createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV, maxJwksBytes: 4096 }).verify(token), 'JWKS_UNAVAILABLE');
    expect(error.message).toBe(`Could not load the JWKS from ${new URL(server.origin).host}: the response is larger than 4096 bytes (maxJwksBytes)`);
  });

  it('defaults to 64 KiB: 65536 bytes pass, 65537 do not', async () => {
    const server = await serve();
    server.mode = 'raw-chunked';
    const token = await sign(current, rootClaims(server.origin));
    server.raw = padded([current.publicJwk], 65_536);
    await expect(createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV }).verify(token)).resolves.toBeTruthy();
    server.raw = padded([current.publicJwk], 65_537);
    await expectTokenError(createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV }).verify(token), 'JWKS_UNAVAILABLE');
  });

  it('stops reading an endless body soon after the limit', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(16 * 1024).fill(0x20);
    const verifier = createGrantVerifier({
      jwksUri: 'https://api.grantex.dev/.well-known/jwks.json',
      developerId: DEV,
      fetch: async () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              pulled += chunk.byteLength;
              controller.enqueue(chunk);
            },
          }),
        ),
    });
    await expectTokenError(verifier.verify(await sign(current, rootClaims('https://grantex.dev'))), 'JWKS_UNAVAILABLE');
    // The default limit plus what the stream had queued ahead; never the "whole" body.
    expect(pulled).toBeLessThanOrEqual(65_536 + 4 * chunk.byteLength);
  });

  it('refuses a declared Content-Length past the limit without reading the body', async () => {
    let read = false;
    const verifier = createGrantVerifier({
      jwksUri: 'https://api.grantex.dev/.well-known/jwks.json',
      developerId: DEV,
      maxJwksBytes: 1000,
      fetch: async () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              read = true;
              controller.enqueue(new Uint8Array(10));
              controller.close();
            },
          }, { highWaterMark: 0 }), // pulled only when read
          { headers: { 'content-length': '1001' } },
        ),
    });
    const error = await expectTokenError(verifier.verify(await sign(current, rootClaims('https://grantex.dev'))), 'JWKS_UNAVAILABLE');
    expect(error.message).toContain('larger than 1000 bytes');
    expect(read).toBe(false);
  });

  it('accepts exactly maxJwksKeys keys and refuses one more', async () => {
    const server = await serve();
    const token = await sign(current, rootClaims(server.origin));
    server.jwks = { keys: manyKeys(3) };
    await expect(createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV, maxJwksKeys: 3 }).verify(token)).resolves.toBeTruthy();
    server.jwks = { keys: manyKeys(4) };
    const error = await expectTokenError(createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV, maxJwksKeys: 3 }).verify(token), 'JWKS_UNAVAILABLE');
    expect(error.message).toContain('it has 4 keys, more than 3 (maxJwksKeys)');
  });

  it('defaults to 32 keys: 32 pass, 33 do not', async () => {
    const server = await serve();
    const token = await sign(current, rootClaims(server.origin));
    server.jwks = { keys: manyKeys(32) };
    await expect(createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV }).verify(token)).resolves.toBeTruthy();
    server.jwks = { keys: manyKeys(33) };
    await expectTokenError(createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV }).verify(token), 'JWKS_UNAVAILABLE');
  });

  it.each([0, -1, 1.5, Number.NaN, '100'])('rejects maxJwksBytes and maxJwksKeys of %s', (value) => {
    for (const name of ['maxJwksBytes', 'maxJwksKeys']) {
      expect(() => createGrantVerifier({ jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', developerId: DEV, [name]: value } as never)).toThrow(
        GrantexConfigurationError,
      );
    }
  });
});

describe('JWKS failures say what happened and where', () => {
  it('names the host and the status, and never follows a redirect', async () => {
    const server = await serve();
    const host = new URL(server.origin).host;
    const token = await sign(current, rootClaims(server.origin));
    server.mode = 'status500';
    const error = await expectTokenError(createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV }).verify(token), 'JWKS_UNAVAILABLE');
    expect(error.message).toBe(`Could not load the JWKS from ${host}: HTTP 500, expected 200`);
    server.mode = 'redirect';
    const redirected = await expectTokenError(createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV }).verify(token), 'JWKS_UNAVAILABLE');
    expect(redirected.message).toBe(`Could not load the JWKS from ${host}: HTTP 302, expected 200`);
    server.mode = 'html';
    expect((await expectTokenError(createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV }).verify(token), 'JWKS_UNAVAILABLE')).message).toContain('not JSON');
  });

  it('names the host and the cause code of a refused connection', async () => {
    const jwksUri = await unusedJwksUri();
    const error = await expectTokenError(
      createGrantVerifier({ jwksUri, developerId: DEV }).verify(await sign(current, rootClaims(new URL(jwksUri).origin))),
      'JWKS_UNAVAILABLE',
    );
    expect(error.message).toBe(`Could not load the JWKS from ${new URL(jwksUri).host}: the request failed (ECONNREFUSED)`);
  });

  it('names the timeout', async () => {
    const server = await serve();
    server.mode = 'hang';
    const error = await expectTokenError(
      createGrantVerifier({ jwksUri: server.jwksUri, developerId: DEV, timeoutMs: 100 }).verify(await sign(current, rootClaims(server.origin))),
      'JWKS_UNAVAILABLE',
    );
    expect(error.message).toBe(`Could not load the JWKS from ${new URL(server.origin).host}: no answer within 100 ms`);
  });
});

describe('verifyGrantToken: pin, audience and option checks', () => {
  it('requires developerId and rejects unknown names, both as configuration errors', async () => {
    const server = await serve();
    const token = await sign(current, rootClaims(server.origin));
    await expect(verifyGrantToken(token, { jwksUri: server.jwksUri } as never)).rejects.toBeInstanceOf(GrantexConfigurationError);
    await expect(verifyGrantToken(token, { jwksUri: server.jwksUri, developerId: DEV, requiredScope: ['x'] } as never)).rejects.toMatchObject({
      code: 'CONFIGURATION_ERROR',
      message: expect.stringContaining('"requiredScope"'),
    });
  });

  it("rejects requiredScopes: 'payments:write' as an invalid argument", async () => {
    const server = await serve();
    const token = await sign(current, rootClaims(server.origin));
    await expect(verifyGrantToken(token, { jwksUri: server.jwksUri, developerId: DEV, requiredScopes: 'payments:write' } as never)).rejects.toBeInstanceOf(
      GrantexInvalidArgumentError,
    );
  });

  it('keeps one shared verifier per developer, so the pin of one call never serves another', async () => {
    const server = await serve();
    const token = await sign(current, rootClaims(server.origin));
    await expect(verifyGrantToken(token, { jwksUri: server.jwksUri, developerId: DEV })).resolves.toBeTruthy();
    await expectTokenError(verifyGrantToken(token, { jwksUri: server.jwksUri, developerId: 'dev_01OTHER' }), 'TOKEN_WRONG_DEVELOPER', [token]);
    await expect(verifyGrantToken(token, { jwksUri: server.jwksUri, anyDeveloper: true })).resolves.toBeTruthy();
  });

  it('honours audience', async () => {
    const server = await serve();
    const token = await sign(current, rootClaims(server.origin, { aud: 'https://calendar.example' }));
    await expectTokenError(verifyGrantToken(token, { jwksUri: server.jwksUri, developerId: DEV }), 'TOKEN_AUDIENCE_INVALID');
    await expect(verifyGrantToken(token, { jwksUri: server.jwksUri, developerId: DEV, audience: 'https://calendar.example' })).resolves.toMatchObject({
      audience: 'https://calendar.example',
    });
    await expectTokenError(verifyGrantToken(token, { jwksUri: server.jwksUri, developerId: DEV, audience: 'https://mail.example' }), 'TOKEN_AUDIENCE_INVALID');
  });
});
