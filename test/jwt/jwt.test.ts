import { exportSPKI } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GrantexConfigurationError, GrantexInvalidArgumentError, isGrantexError } from '../../src/errors.js';
import { createGrantVerifier as createLazyVerifier } from '../../src/lazy-jwt.js';
import { createGrantVerifier, decodeGrantToken, MAX_TOKEN_LENGTH, type GrantVerifier } from '../../src/jwt/index.js';
import {
  RECORDED_DELEGATED_TOKEN,
  RECORDED_ISSUER,
  RECORDED_JWKS,
  RECORDED_NOW,
  RECORDED_ROOT_TOKEN,
} from '../support/recorded.js';
import { expectTokenError } from './assert-error.js';
import {
  b64url,
  delegatedClaims,
  ed25519Key,
  hs256,
  nowSeconds,
  rootClaims,
  rsaKey,
  sign,
  signByHand,
  signRaw,
  unsecured,
  type SigningKey,
} from '../support/tokens.js';

const ISSUER = 'https://grantex.test';
const DEV = 'dev_01TESTDEV';
const RECORDED_DEV = 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y';

let rsa: SigningKey;
let ed: SigningKey;
let stranger: SigningKey; // an RSA key that is not in the JWKS
let verifier: GrantVerifier;

beforeAll(async () => {
  [rsa, ed, stranger] = await Promise.all([rsaKey('grantex-2026-11'), ed25519Key('grantex-ed25519-2026-11'), rsaKey('grantex-2026-11')]);
  verifier = createGrantVerifier({ jwks: { keys: [rsa.publicJwk, ed.publicJwk] }, issuer: ISSUER, developerId: DEV });
});

describe('tokens recorded from a real Grantex server', () => {
  const recorded = () => createGrantVerifier({ jwks: RECORDED_JWKS, issuer: RECORDED_ISSUER, developerId: RECORDED_DEV });

  it('verifies a root grant token and maps every claim', async () => {
    const grant = await recorded().verify(RECORDED_ROOT_TOKEN, { now: RECORDED_NOW });
    expect(grant).toEqual({
      verified: true,
      tokenId: 'tok_01M81NX4VTKZM64DHSX9JMEAN6',
      grantId: 'grnt_01M81NX4VT1ACS2C7J47VD5C9R',
      principalId: 'user_live_alice',
      agentDid: 'did:grantex:ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
      developerId: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y',
      scopes: ['calendar:read', 'calendar:write', 'github:read'],
      issuedAt: new Date(1795352859 * 1000),
      expiresAt: new Date(1795439259 * 1000),
      delegationDepth: 0,
    });
    expect('audience' in grant).toBe(false);
    expect('parentGrantId' in grant).toBe(false);
  });

  it('verifies a delegated token and exposes the delegation chain', async () => {
    const grant = await recorded().verify(RECORDED_DELEGATED_TOKEN, { now: RECORDED_NOW });
    expect(grant).toMatchObject({
      grantId: 'grnt_01M81NX50FG333P31VQM590KHE',
      agentDid: 'did:grantex:ag_01M81NX4N6XTHZ6PSTX52SGEP2',
      parentAgentDid: 'did:grantex:ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
      parentGrantId: 'grnt_01M81NX4VT1ACS2C7J47VD5C9R',
      delegationDepth: 1,
      scopes: ['calendar:read'],
      expiresAt: new Date(1795356459 * 1000),
    });
  });

  it('rejects the recorded token once it has expired, and for another issuer', async () => {
    await expectTokenError(recorded().verify(RECORDED_ROOT_TOKEN, { now: new Date(1795439259 * 1000 + 10_000) }), 'TOKEN_EXPIRED', [RECORDED_ROOT_TOKEN]);
    const other = createGrantVerifier({ jwks: RECORDED_JWKS, issuer: 'https://grantex.dev', developerId: RECORDED_DEV });
    await expectTokenError(other.verify(RECORDED_ROOT_TOKEN, { now: RECORDED_NOW }), 'TOKEN_ISSUER_INVALID', [RECORDED_ROOT_TOKEN]);
  });

  it('rejects the delegated token under maxDelegationDepth 0 and accepts it under 1', async () => {
    await expectTokenError(recorded().verify(RECORDED_DELEGATED_TOKEN, { now: RECORDED_NOW, maxDelegationDepth: 0 }), 'TOKEN_DELEGATION_TOO_DEEP');
    await expect(recorded().verify(RECORDED_DELEGATED_TOKEN, { now: RECORDED_NOW, maxDelegationDepth: 1 })).resolves.toMatchObject({ delegationDepth: 1 });
    await expect(recorded().verify(RECORDED_ROOT_TOKEN, { now: RECORDED_NOW, maxDelegationDepth: 0 })).resolves.toMatchObject({ delegationDepth: 0 });
  });
});

describe('valid tokens', () => {
  it('returns a frozen grant with Date times and a frozen scope list', async () => {
    const claims = rootClaims(ISSUER);
    const grant = await verifier.verify(await sign(rsa, claims));
    expect(grant.verified).toBe(true);
    expect(grant.issuedAt).toEqual(new Date((claims.iat as number) * 1000));
    expect(grant.expiresAt.getTime()).toBe((claims.exp as number) * 1000);
    expect(Object.isFrozen(grant)).toBe(true);
    expect(Object.isFrozen(grant.scopes)).toBe(true);
    expect(() => (grant.scopes as string[]).push('admin:all')).toThrow(TypeError);
    expect(() => {
      (grant as { principalId: string }).principalId = 'mallory';
    }).toThrow(TypeError);
  });

  it('verifies a delegated token and exposes the budget claim when present', async () => {
    const grant = await verifier.verify(await sign(rsa, delegatedClaims(ISSUER, { delegationDepth: 2, bdg: 12.5 })));
    expect(grant).toMatchObject({ delegationDepth: 2, parentGrantId: 'grnt_01TESTGRANT', budget: 12.5 });
  });
});

describe('algorithms: only RS256 is accepted', () => {
  it('rejects alg "none"', async () => {
    const token = unsecured(rootClaims(ISSUER), rsa.kid);
    await expectTokenError(verifier.verify(token), 'TOKEN_ALGORITHM_UNSUPPORTED', [token]);
    const noneWithSignature = token + b64url('sig');
    await expectTokenError(verifier.verify(noneWithSignature), 'TOKEN_ALGORITHM_UNSUPPORTED');
  });

  it('rejects HS256 signed with the RSA public key (key confusion)', async () => {
    const pem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    const jwkBytes = new TextEncoder().encode(JSON.stringify(rsa.publicJwk));
    for (const secret of [pem, jwkBytes]) {
      const token = await hs256(rootClaims(ISSUER), rsa.kid, secret);
      await expectTokenError(verifier.verify(token), 'TOKEN_ALGORITHM_UNSUPPORTED', [token]);
    }
  });

  it('rejects an EdDSA token even though its kid is in the JWKS', async () => {
    const token = await sign(ed, rootClaims(ISSUER));
    await expectTokenError(verifier.verify(token), 'TOKEN_ALGORITHM_UNSUPPORTED', [token]);
  });

  it('rejects other RSA algorithm names, even over a valid RS256 signature', async () => {
    for (const alg of ['RS384', 'PS256', 'rs256', 'RS256 ']) {
      const token = await signByHand(rsa, { alg }, JSON.stringify(rootClaims(ISSUER)));
      await expectTokenError(verifier.verify(token), 'TOKEN_ALGORITHM_UNSUPPORTED');
    }
    // The same construction with the right name verifies, so the rejections above are about `alg`.
    await expect(verifier.verify(await signByHand(rsa, { alg: 'RS256' }, JSON.stringify(rootClaims(ISSUER))))).resolves.toBeTruthy();
  });

  it('does not let an RS256 token use the Ed25519 key id', async () => {
    const token = await sign(rsa, rootClaims(ISSUER), { kid: ed.kid });
    await expectTokenError(verifier.verify(token), 'TOKEN_KEY_UNKNOWN');
  });
});

describe('signatures and keys', () => {
  it('rejects a token signed by another key with the same kid', async () => {
    const token = await sign(stranger, rootClaims(ISSUER));
    await expectTokenError(verifier.verify(token), 'TOKEN_SIGNATURE_INVALID', [token]);
  });

  it('rejects a token whose payload was swapped after signing', async () => {
    const [header, , signature] = (await sign(rsa, rootClaims(ISSUER))).split('.');
    const forged = `${header}.${b64url(JSON.stringify(rootClaims(ISSUER, { scp: ['admin:all'] })))}.${signature}`;
    await expectTokenError(verifier.verify(forged), 'TOKEN_SIGNATURE_INVALID', [forged]);
  });

  it('rejects a token with a flipped signature byte', async () => {
    const token = await sign(rsa, rootClaims(ISSUER));
    // A character well inside the signature: all six of its bits are data (the last character of an
    // RS256 signature carries padding bits, so changing it may decode to the same bytes).
    const at = token.length - 10;
    const flipped = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    await expectTokenError(verifier.verify(flipped), 'TOKEN_SIGNATURE_INVALID');
  });

  it('rejects a kid that is not in the JWKS', async () => {
    await expectTokenError(verifier.verify(await sign(rsa, rootClaims(ISSUER), { kid: 'grantex-1999-01' })), 'TOKEN_KEY_UNKNOWN');
  });
});

describe('malformed input', () => {
  it.each([
    ['empty string', ''],
    ['garbage', 'garbage'],
    ['three garbage segments', 'a.b.c'],
    ['not.a.jwt', 'not.a.jwt'],
    ['two segments', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0'],
    ['five segments (JWE)', 'a.b.c.d.e'],
    ['header not JSON', `${b64url('nope')}.${b64url('{}')}.${b64url('sig')}`],
    ['non-string: number', 42],
    ['non-string: null', null],
    ['non-string: undefined', undefined],
    ['non-string: object', { token: 'x' }],
    ['non-string: bytes', new Uint8Array([1, 2, 3])],
  ])('rejects %s as TOKEN_MALFORMED', async (_, input) => {
    await expectTokenError(verifier.verify(input as string), 'TOKEN_MALFORMED');
  });

  it('rejects oversized input before parsing it', async () => {
    const token = await sign(rsa, rootClaims(ISSUER, { pad: 'x'.repeat(MAX_TOKEN_LENGTH) }));
    expect(token.length).toBeGreaterThan(MAX_TOKEN_LENGTH);
    await expectTokenError(verifier.verify(token), 'TOKEN_MALFORMED', [token]);
  });

  it('rejects a signed payload that is not a JSON object', async () => {
    for (const payload of ['[1,2]', '"text"', 'null', 'not json']) {
      await expectTokenError(verifier.verify(await signRaw(rsa, payload)), 'TOKEN_MALFORMED');
    }
  });

  it('rejects an unencoded (b64: false) payload even when correctly signed', async () => {
    const claims = JSON.stringify(rootClaims(ISSUER, { iss: 'https://grantex' })); // no "." allowed unencoded
    const token = await signByHand(rsa, { alg: 'RS256', b64: false, crit: ['b64'] }, claims);
    await expectTokenError(verifier.verify(token), 'TOKEN_MALFORMED');
  });

  it('rejects an unknown critical header', async () => {
    const token = await signByHand(rsa, { alg: 'RS256', crit: ['x-custom'], 'x-custom': 1 }, JSON.stringify(rootClaims(ISSUER)));
    await expectTokenError(verifier.verify(token), 'TOKEN_MALFORMED');
  });
});

describe('claims', () => {
  it.each(['jti', 'sub', 'agt', 'dev', 'scp', 'iat', 'exp', 'grnt'])('rejects a token without "%s"', async (claim) => {
    const token = await sign(rsa, rootClaims(ISSUER, { [claim]: undefined }));
    const error = await expectTokenError(verifier.verify(token), 'TOKEN_CLAIMS_MISSING', [token]);
    expect(error.message).toContain(`"${claim}"`);
  });

  it.each([
    ['scp as a string', { scp: 'calendar:read' }, 'scp'],
    ['scp with a number', { scp: ['calendar:read', 7] }, 'scp'],
    ['sub as a number', { sub: 42 }, 'sub'],
    ['empty jti', { jti: '' }, 'jti'],
    ['exp as a string', { exp: '1795439259' }, 'exp'],
    ['nbf as a string', { nbf: 'soon' }, 'nbf'],
    ['aud as an array', { aud: ['a', 'b'] }, 'aud'],
    ['delegationDepth 0', { parentAgt: 'did:x', parentGrnt: 'grnt_x', delegationDepth: 0 }, 'delegationDepth'],
    ['delegationDepth 1.5', { parentAgt: 'did:x', parentGrnt: 'grnt_x', delegationDepth: 1.5 }, 'delegationDepth'],
    ['delegationDepth without parents', { delegationDepth: 1 }, 'delegationDepth'],
    ['parentGrnt without depth', { parentGrnt: 'grnt_x' }, 'delegationDepth'],
  ])('rejects %s', async (_, overrides, claim) => {
    const error = await expectTokenError(verifier.verify(await sign(rsa, rootClaims(ISSUER, overrides))), 'TOKEN_CLAIMS_MISSING');
    expect(error.message).toContain(`"${claim}"`);
  });

  it('rejects a wrong or missing issuer', async () => {
    await expectTokenError(verifier.verify(await sign(rsa, rootClaims('https://evil.test'))), 'TOKEN_ISSUER_INVALID');
    await expectTokenError(verifier.verify(await sign(rsa, rootClaims(`${ISSUER}/`))), 'TOKEN_ISSUER_INVALID');
    await expectTokenError(verifier.verify(await sign(rsa, rootClaims(ISSUER, { iss: undefined }))), 'TOKEN_ISSUER_INVALID');
  });
});

describe('audience', () => {
  it('accepts a matching audience and exposes it', async () => {
    const token = await sign(rsa, rootClaims(ISSUER, { aud: 'https://calendar.example' }));
    const grant = await verifier.verify(token, { audience: 'https://calendar.example' });
    expect(grant.audience).toBe('https://calendar.example');
  });

  it('rejects a different audience', async () => {
    const token = await sign(rsa, rootClaims(ISSUER, { aud: 'https://mail.example' }));
    await expectTokenError(verifier.verify(token, { audience: 'https://calendar.example' }), 'TOKEN_AUDIENCE_INVALID', [token]);
  });

  it('rejects an audience-restricted token when the verifier names no audience', async () => {
    await expectTokenError(verifier.verify(await sign(rsa, rootClaims(ISSUER, { aud: 'https://mail.example' }))), 'TOKEN_AUDIENCE_INVALID');
  });

  it('rejects a token without aud when the verifier requires one', async () => {
    await expectTokenError(verifier.verify(await sign(rsa, rootClaims(ISSUER)), { audience: 'https://calendar.example' }), 'TOKEN_AUDIENCE_INVALID');
  });
});

describe('time', () => {
  const at = (offset: number) => nowSeconds() + offset;

  it('rejects an expired token', async () => {
    const token = await sign(rsa, rootClaims(ISSUER, { iat: at(-7200), exp: at(-60) }));
    await expectTokenError(verifier.verify(token), 'TOKEN_EXPIRED', [token]);
  });

  it('applies the default 5 s tolerance to exp, and none when asked', async () => {
    const token = await sign(rsa, rootClaims(ISSUER, { iat: at(-7200), exp: at(-2) }));
    await expect(verifier.verify(token)).resolves.toBeTruthy();
    await expectTokenError(verifier.verify(token, { clockTolerance: 0 }), 'TOKEN_EXPIRED');
  });

  it('rejects nbf in the future', async () => {
    await expectTokenError(verifier.verify(await sign(rsa, rootClaims(ISSUER, { nbf: at(120) }))), 'TOKEN_NOT_YET_VALID');
    await expect(verifier.verify(await sign(rsa, rootClaims(ISSUER, { nbf: at(-1) })))).resolves.toBeTruthy();
  });

  it('rejects iat in the future beyond the tolerance, accepts it within', async () => {
    const future = await sign(rsa, rootClaims(ISSUER, { iat: at(120), exp: at(3600) }));
    await expectTokenError(verifier.verify(future), 'TOKEN_NOT_YET_VALID');
    await expect(verifier.verify(future, { clockTolerance: 300 })).resolves.toBeTruthy();
    const slightly = await sign(rsa, rootClaims(ISSUER, { iat: at(3), exp: at(3600) }));
    await expect(verifier.verify(slightly)).resolves.toBeTruthy();
    await expectTokenError(verifier.verify(slightly, { clockTolerance: 0 }), 'TOKEN_NOT_YET_VALID');
  });

  it('checks against `now` when given', async () => {
    const token = await sign(rsa, rootClaims(ISSUER, { iat: 1_000_000, exp: 1_000_600 }));
    await expect(verifier.verify(token, { now: new Date(1_000_300 * 1000) })).resolves.toBeTruthy();
    await expectTokenError(verifier.verify(token, { now: new Date(1_000_700 * 1000) }), 'TOKEN_EXPIRED');
    await expectTokenError(verifier.verify(token, { now: new Date(999_000 * 1000) }), 'TOKEN_NOT_YET_VALID');
  });

  it('fails closed when the tolerance is not a number', async () => {
    const token = await sign(rsa, rootClaims(ISSUER));
    await expectTokenError(verifier.verify(token, { clockTolerance: Number.NaN }), 'TOKEN_EXPIRED');
  });
});

describe('scopes and delegation policy', () => {
  it('lists the missing scopes', async () => {
    const token = await sign(rsa, rootClaims(ISSUER));
    const error = await expectTokenError(
      verifier.verify(token, { requiredScopes: ['calendar:read', 'mail:send', 'github:read'] }),
      'TOKEN_SCOPES_MISSING',
      [token],
    );
    expect(error.missingScopes).toEqual(['mail:send', 'github:read']);
    expect(Object.isFrozen(error.missingScopes)).toBe(true);
    expect(JSON.parse(JSON.stringify(error)).missingScopes).toEqual(['mail:send', 'github:read']);
    await expect(verifier.verify(token, { requiredScopes: ['calendar:write', 'calendar:read'] })).resolves.toBeTruthy();
  });

  it('enforces maxDelegationDepth', async () => {
    const depth2 = await sign(rsa, delegatedClaims(ISSUER, { delegationDepth: 2 }));
    await expectTokenError(verifier.verify(depth2, { maxDelegationDepth: 1 }), 'TOKEN_DELEGATION_TOO_DEEP');
    await expect(verifier.verify(depth2, { maxDelegationDepth: 2 })).resolves.toMatchObject({ delegationDepth: 2 });
  });

  it('keeps verifier-level checks when a call passes undefined, and lets a call override them', async () => {
    const strict = createGrantVerifier({ jwks: { keys: [rsa.publicJwk] }, issuer: ISSUER, developerId: DEV, requiredScopes: ['mail:send'], maxDelegationDepth: 0 });
    const token = await sign(rsa, rootClaims(ISSUER));
    await expectTokenError(strict.verify(token), 'TOKEN_SCOPES_MISSING');
    await expectTokenError(strict.verify(token, { requiredScopes: undefined }), 'TOKEN_SCOPES_MISSING');
    await expect(strict.verify(token, { requiredScopes: ['calendar:read'] })).resolves.toBeTruthy();
    const delegated = await sign(rsa, delegatedClaims(ISSUER));
    await expectTokenError(strict.verify(delegated, { requiredScopes: [], maxDelegationDepth: undefined }), 'TOKEN_DELEGATION_TOO_DEEP');
  });

  it('is not affected by later changes to the options object', async () => {
    const options = { jwks: { keys: [rsa.publicJwk] }, issuer: ISSUER, developerId: DEV, requiredScopes: ['mail:send'] };
    const pinned = createGrantVerifier(options);
    options.requiredScopes = [];
    options.issuer = 'https://evil.test';
    await expectTokenError(pinned.verify(await sign(rsa, rootClaims(ISSUER))), 'TOKEN_SCOPES_MISSING');
  });
});

describe('configuration', () => {
  it.each([
    ['neither jwks nor jwksUri', {}],
    ['both jwks and jwksUri', { jwks: RECORDED_JWKS, jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', issuer: 'x' }],
    ['a local jwks without issuer', { jwks: RECORDED_JWKS }],
    ['a jwksUri that implies no issuer', { jwksUri: 'https://keys.example/jwks' }],
    ['an invalid jwksUri', { jwksUri: 'not a url', issuer: 'x' }],
    ['a malformed jwks', { jwks: { keys: 'nope' }, issuer: 'x' }],
    ['a negative timeout', { jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', timeoutMs: -1 }],
  ])('throws GrantexConfigurationError for %s', (_, options) => {
    let caught: unknown;
    try {
      createGrantVerifier({ developerId: DEV, ...options } as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GrantexConfigurationError);
    expect(isGrantexError(caught)).toBe(true);
  });
});

describe('decodeGrantToken (unverified)', () => {
  it('decodes any well-shaped token without checking it, and says so', async () => {
    const token = await sign(stranger, delegatedClaims('https://anyone.example', { exp: 1 }));
    const grant = decodeGrantToken(token);
    expect(grant.verified).toBe(false);
    expect(grant).toMatchObject({ grantId: 'grnt_01CHILDGRANT', delegationDepth: 1, expiresAt: new Date(1000) });
    expect(Object.isFrozen(grant)).toBe(true);
  });

  it('decodes the recorded token', () => {
    expect(decodeGrantToken(RECORDED_ROOT_TOKEN)).toMatchObject({ tokenId: 'tok_01M81NX4VTKZM64DHSX9JMEAN6', verified: false });
  });

  it('throws for malformed tokens and missing claims', async () => {
    for (const input of ['', 'garbage', 'a.b.c', 'a.!!!.c', 42]) {
      await expectTokenError(Promise.resolve().then(() => decodeGrantToken(input as string)), 'TOKEN_MALFORMED');
    }
    const token = await sign(rsa, rootClaims(ISSUER, { grnt: undefined }));
    await expectTokenError(Promise.resolve().then(() => decodeGrantToken(token)), 'TOKEN_CLAIMS_MISSING');
  });
});

/** Runs `fn`, expecting it to throw (or reject with) a GrantexError of `type`; returns the error. */
async function expectThrown<T>(fn: () => unknown, type: new (...args: never[]) => T): Promise<T> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(type);
  expect(isGrantexError(caught)).toBe(true);
  return caught as T;
}

describe('developer pin', () => {
  it('rejects a token minted for another developer and names both', async () => {
    const token = await sign(rsa, rootClaims(ISSUER, { dev: 'dev_01OTHER' }));
    const error = await expectTokenError(verifier.verify(token), 'TOKEN_WRONG_DEVELOPER', [token]);
    expect(error.message).toBe('Grant token was issued for developer "dev_01OTHER", not "dev_01TESTDEV"');
  });

  it('accepts any developer only when asked to', async () => {
    const open = createGrantVerifier({ jwks: { keys: [rsa.publicJwk] }, issuer: ISSUER, anyDeveloper: true });
    await expect(open.verify(await sign(rsa, rootClaims(ISSUER, { dev: 'dev_01OTHER' })))).resolves.toMatchObject({ developerId: 'dev_01OTHER' });
  });

  it.each([
    ['neither developerId nor anyDeveloper', {}],
    ['both', { developerId: DEV, anyDeveloper: true }],
    ['anyDeveloper: false', { anyDeveloper: false }],
    ['anyDeveloper: "yes"', { anyDeveloper: 'yes' }],
    ['an empty developerId', { developerId: '' }],
    ['a numeric developerId', { developerId: 42 }],
  ])('refuses to build a verifier with %s', async (_, pin) => {
    const options = { jwks: { keys: [rsa.publicJwk] }, issuer: ISSUER, ...pin } as never;
    const error = await expectThrown(() => createGrantVerifier(options), GrantexConfigurationError);
    expect(error.message).toMatch(/developerId|anyDeveloper/);
    // The main entry's lazy door reports it at once too, before loading anything.
    await expectThrown(() => createLazyVerifier(options), GrantexConfigurationError);
  });

  it('cannot be changed or lifted per call', async () => {
    const token = await sign(rsa, rootClaims(ISSUER, { dev: 'dev_01OTHER' }));
    for (const overrides of [{ developerId: 'dev_01OTHER' }, { anyDeveloper: true }]) {
      const error = await expectThrown(() => verifier.verify(token, overrides as never), GrantexInvalidArgumentError);
      expect(error.code).toBe('INVALID_ARGUMENT');
    }
  });

  it('is kept by the lazy main-entry verifier even if the options object changes', async () => {
    const options: Record<string, unknown> = { jwks: { keys: [rsa.publicJwk] }, issuer: ISSUER, developerId: DEV, requiredScopes: ['calendar:read'] };
    const lazy = createLazyVerifier(options as never);
    options.developerId = 'dev_01OTHER';
    (options.requiredScopes as string[]).length = 0;
    (options.requiredScopes as string[]).push('mail:send');
    await expect(lazy.verify(await sign(rsa, rootClaims(ISSUER)))).resolves.toMatchObject({ developerId: DEV });
  });
});

describe('unknown option names and unusable values', () => {
  const base = () => ({ jwks: { keys: [rsa.publicJwk] }, issuer: ISSUER, developerId: DEV });

  it('rejects a misspelt option at construction, naming it', async () => {
    for (const name of ['requiredScope', 'developerID', 'audiences', 'maxAge']) {
      const error = await expectThrown(() => createGrantVerifier({ ...base(), [name]: ['x'] } as never), GrantexConfigurationError);
      expect(error.message).toContain(`"${name}"`);
    }
  });

  it('rejects a misspelt option per call', async () => {
    const token = await sign(rsa, rootClaims(ISSUER));
    const error = await expectThrown(() => verifier.verify(token, { requiredScope: ['mail:send'] } as never), GrantexInvalidArgumentError);
    expect(error.message).toContain('"requiredScope"');
    // Key-source options are not per-call checks either.
    await expectThrown(() => verifier.verify(token, { issuer: 'https://evil.test' } as never), GrantexInvalidArgumentError);
  });

  it("turns requiredScopes: 'payments:write' into a typed error, never a TypeError", async () => {
    const token = await sign(rsa, rootClaims(ISSUER));
    const atBuild = await expectThrown(() => createGrantVerifier({ ...base(), requiredScopes: 'payments:write' } as never), GrantexConfigurationError);
    expect(atBuild.message).toContain('requiredScopes');
    const perCall = await expectThrown(() => verifier.verify(token, { requiredScopes: 'payments:write' } as never), GrantexInvalidArgumentError);
    expect(perCall.message).toContain("['payments:write']");
    await expectThrown(() => verifier.verify(token, { requiredScopes: ['a', 7] } as never), GrantexInvalidArgumentError);
  });

  it.each([
    ['now as a number', { now: 1_000_000 }],
    ['now as an invalid Date', { now: new Date(Number.NaN) }],
    ['audience as a number', { audience: 42 }],
    ['an empty audience', { audience: '' }],
    ['maxDelegationDepth as a string', { maxDelegationDepth: 'one' }],
    ['a negative maxDelegationDepth', { maxDelegationDepth: -1 }],
    ['options that are not an object', 'strict'],
  ])('rejects %s per call with INVALID_ARGUMENT', async (_, overrides) => {
    const token = await sign(rsa, rootClaims(ISSUER));
    await expectThrown(() => verifier.verify(token, overrides as never), GrantexInvalidArgumentError);
  });

  it('accepts a Date from another realm for `now`', async () => {
    const token = await sign(rsa, rootClaims(ISSUER, { iat: 1_000_000, exp: 1_000_600 }));
    const foreign = { getTime: () => 1_000_300_000 } as Date;
    await expect(verifier.verify(token, { now: foreign })).resolves.toBeTruthy();
  });
});

describe('messages name expected and actual values', () => {
  const message = async (promise: Promise<unknown>, code: string, token?: string) =>
    (await expectTokenError(promise, code, token ? [token] : [])).message;

  it('issuer', async () => {
    const token = await sign(rsa, rootClaims('https://evil.test'));
    expect(await message(verifier.verify(token), 'TOKEN_ISSUER_INVALID', token)).toBe(
      'Grant token issuer "https://evil.test" does not match the expected "https://grantex.test"',
    );
    const none = await sign(rsa, rootClaims(ISSUER, { iss: undefined }));
    expect(await message(verifier.verify(none), 'TOKEN_ISSUER_INVALID')).toBe('Grant token has no issuer; expected "https://grantex.test"');
  });

  it('audience, in each of its three failures', async () => {
    const mail = await sign(rsa, rootClaims(ISSUER, { aud: 'https://mail.example' }));
    expect(await message(verifier.verify(mail, { audience: 'https://calendar.example' }), 'TOKEN_AUDIENCE_INVALID')).toBe(
      'Grant token audience "https://mail.example" does not match the expected "https://calendar.example"',
    );
    expect(await message(verifier.verify(mail), 'TOKEN_AUDIENCE_INVALID')).toContain('restricted to audience "https://mail.example"');
    const plain = await sign(rsa, rootClaims(ISSUER));
    expect(await message(verifier.verify(plain, { audience: 'https://calendar.example' }), 'TOKEN_AUDIENCE_INVALID')).toBe(
      'Grant token has no audience; expected "https://calendar.example"',
    );
  });

  it('times, key ids, algorithms and delegation depth', async () => {
    const expired = await sign(rsa, rootClaims(ISSUER, { iat: 1_000_000, exp: 1_000_600 }));
    expect(await message(verifier.verify(expired), 'TOKEN_EXPIRED')).toMatch(/^Grant token expired at 1970-01-12T13:56:40\.000Z \(now 20\d\d-/);
    const early = await sign(rsa, rootClaims(ISSUER, { nbf: nowSeconds() + 3600 }));
    expect(await message(verifier.verify(early), 'TOKEN_NOT_YET_VALID')).toMatch(/^Grant token is not valid before 20\d\d-.*Z \(nbf or iat; now /);
    const unknownKid = await sign(rsa, rootClaims(ISSUER), { kid: 'grantex-1999-01' });
    expect(await message(verifier.verify(unknownKid), 'TOKEN_KEY_UNKNOWN')).toBe('Grant token key id "grantex-1999-01" is not in the JWKS');
    const hs = await hs256(rootClaims(ISSUER), rsa.kid, new Uint8Array(32));
    expect(await message(verifier.verify(hs), 'TOKEN_ALGORITHM_UNSUPPORTED', hs)).toBe('Grant token algorithm "HS256" is not allowed; only "RS256" is');
    const deep = await sign(rsa, delegatedClaims(ISSUER, { delegationDepth: 3 }));
    expect(await message(verifier.verify(deep, { maxDelegationDepth: 1 }), 'TOKEN_DELEGATION_TOO_DEEP')).toBe('Grant token delegation depth 3 exceeds the maximum 1');
  });

  it('quotes attacker-chosen values: escaped, on one line, cut short', async () => {
    const hostile = `https://evil.test/\n[ERROR] forged log line \u202e${'x'.repeat(500)}`;
    const text = await message(verifier.verify(await sign(rsa, rootClaims(hostile))), 'TOKEN_ISSUER_INVALID');
    expect(text).not.toMatch(/[\n\r\u202e]/);
    expect(text).toContain('\\n[ERROR] forged log line \\u202e');
    expect(text.length).toBeLessThan(200);
  });
});

describe('verified-token cache', () => {
  const keys = () => ({ jwks: { keys: [rsa.publicJwk] }, issuer: ISSUER, developerId: DEV });
  let signatureChecks: ReturnType<typeof vi.spyOn>;

  beforeAll(() => {
    signatureChecks = vi.spyOn(crypto.subtle, 'verify');
  });
  afterEach(() => {
    vi.useRealTimers();
    signatureChecks.mockClear();
  });

  /** Signature checks made while running `fn`. */
  async function checksDuring(fn: () => Promise<unknown>): Promise<number> {
    const before = signatureChecks.mock.calls.length;
    await fn();
    return signatureChecks.mock.calls.length - before;
  }

  it('is off by default: every call checks the signature', async () => {
    const plain = createGrantVerifier(keys());
    const token = await sign(rsa, rootClaims(ISSUER));
    await plain.verify(token);
    expect(await checksDuring(() => plain.verify(token))).toBe(1);
  });

  it('answers a verified token from memory, each time with a grant of its own', async () => {
    const cached = createGrantVerifier({ ...keys(), cache: true });
    const token = await sign(rsa, rootClaims(ISSUER));
    const first = await cached.verify(token);
    let second!: Awaited<ReturnType<typeof cached.verify>>;
    expect(await checksDuring(async () => (second = await cached.verify(token)))).toBe(0);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(Object.isFrozen(second)).toBe(true);
    // A caller that mutates its Date cannot move another caller's expiry, nor the cache's.
    first.expiresAt.setTime(8.64e15);
    second.expiresAt.setTime(0);
    expect((await cached.verify(token)).expiresAt.getTime()).toBe(second.issuedAt.getTime() + 3_600_000);
  });

  it('keys on the exact token string', async () => {
    const cached = createGrantVerifier({ ...keys(), cache: true });
    const token = await sign(rsa, rootClaims(ISSUER));
    await cached.verify(token);
    // A character well inside the signature: all six of its bits are data (the last character of an
    // RS256 signature carries padding bits, so changing it may decode to the same bytes).
    const at = token.length - 10;
    const flipped = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    await expectTokenError(cached.verify(flipped), 'TOKEN_SIGNATURE_INVALID');
    expect(await checksDuring(() => cached.verify(token + ' ').catch(() => {}))).toBe(1);
  });

  it('still applies per-call checks and the clock on a hit', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_800_000_000_000);
    const cached = createGrantVerifier({ ...keys(), cache: { maxAgeMs: 3_600_000 } });
    const token = await sign(rsa, rootClaims(ISSUER, { iat: 1_800_000_000, exp: 1_800_000_100 }));
    await cached.verify(token);
    expect(
      await checksDuring(async () => {
        await expectTokenError(cached.verify(token, { requiredScopes: ['mail:send'] }), 'TOKEN_SCOPES_MISSING');
        await expectTokenError(cached.verify(token, { audience: 'https://calendar.example' }), 'TOKEN_AUDIENCE_INVALID');
        await expectTokenError(cached.verify(token, { now: new Date(1_800_000_200_000) }), 'TOKEN_EXPIRED');
      }),
    ).toBe(0);
    // Past exp (and the tolerance) by the real clock: expired, whatever the cache held.
    vi.setSystemTime(1_800_000_106_000);
    await expectTokenError(cached.verify(token), 'TOKEN_EXPIRED');
  });

  it('holds an entry until now + maxAgeMs: a hit 1 ms before, a miss at that instant', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_800_000_000_000);
    const cached = createGrantVerifier({ ...keys(), cache: { maxAgeMs: 1000 } });
    const token = await sign(rsa, rootClaims(ISSUER, { iat: 1_800_000_000, exp: 1_800_003_600 }));
    await cached.verify(token);
    vi.setSystemTime(1_800_000_000_999);
    expect(await checksDuring(() => cached.verify(token))).toBe(0);
    vi.setSystemTime(1_800_000_001_000);
    expect(await checksDuring(() => cached.verify(token))).toBe(1);
    // Verified again, so cached again from that instant.
    expect(await checksDuring(() => cached.verify(token))).toBe(0);
  });

  it('never holds an entry past exp: a hit 1 ms before, a miss at exp, and not cached again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_800_000_000_000);
    const cached = createGrantVerifier({ ...keys(), cache: true });
    const token = await sign(rsa, rootClaims(ISSUER, { iat: 1_800_000_000, exp: 1_800_000_030 }));
    await cached.verify(token);
    vi.setSystemTime(1_800_000_029_999);
    expect(await checksDuring(() => cached.verify(token))).toBe(0);
    vi.setSystemTime(1_800_000_030_000);
    // Within the 5 s clock tolerance the token still verifies, but from now on only the slow way.
    expect(await checksDuring(() => cached.verify(token))).toBe(1);
    expect(await checksDuring(() => cached.verify(token))).toBe(1);
  });

  it('is bounded: at maxEntries every token stays, one more drops the least recently used', async () => {
    const cached = createGrantVerifier({ ...keys(), cache: { maxEntries: 2 } });
    const [a, b, c] = await Promise.all([1, 2, 3].map((i) => sign(rsa, rootClaims(ISSUER, { jti: `tok_${i}` }))));
    await cached.verify(a!);
    await cached.verify(b!);
    expect(await checksDuring(async () => (await cached.verify(a!), await cached.verify(b!)))).toBe(0);
    await cached.verify(a!); // a is now the most recently used
    await cached.verify(c!); // drops b
    expect(await checksDuring(async () => (await cached.verify(a!), await cached.verify(c!)))).toBe(0);
    expect(await checksDuring(() => cached.verify(b!))).toBe(1);
  });

  it('does not cache failures', async () => {
    const cached = createGrantVerifier({ ...keys(), cache: true });
    const token = await sign(rsa, rootClaims(ISSUER, { dev: 'dev_01OTHER' }));
    expect(await checksDuring(() => cached.verify(token).catch(() => {}))).toBe(1);
    expect(await checksDuring(() => cached.verify(token).catch(() => {}))).toBe(1);
    // A token refused by a per-call check is not remembered either, until it passes.
    const good = await sign(rsa, rootClaims(ISSUER));
    expect(await checksDuring(() => cached.verify(good, { requiredScopes: ['mail:send'] }).catch(() => {}))).toBe(1);
    expect(await checksDuring(() => cached.verify(good))).toBe(1);
    expect(await checksDuring(() => cached.verify(good))).toBe(0);
  });

  it.each([
    ['cache: "yes"', 'yes'],
    ['maxEntries 0', { maxEntries: 0 }],
    ['maxEntries 1.5', { maxEntries: 1.5 }],
    ['maxAgeMs 0', { maxAgeMs: 0 }],
    ['maxAgeMs NaN', { maxAgeMs: Number.NaN }],
    ['an unknown cache option', { maxSize: 10 }],
  ])('rejects %s', async (_, cache) => {
    await expectThrown(() => createGrantVerifier({ ...keys(), cache } as never), GrantexConfigurationError);
  });

  it('accepts the smallest bounds: one entry for 1 ms', () => {
    expect(() => createGrantVerifier({ ...keys(), cache: { maxEntries: 1, maxAgeMs: 1 } })).not.toThrow();
  });
});
