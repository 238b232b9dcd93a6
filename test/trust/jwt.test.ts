import { exportSPKI } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { GrantexConfigurationError, isGrantexError } from '../../src/errors.js';
import { createGrantVerifier, decodeGrantToken, MAX_TOKEN_LENGTH, type GrantVerifier } from '../../src/jwt/index.js';
import {
  RECORDED_DELEGATED_TOKEN,
  RECORDED_ISSUER,
  RECORDED_JWKS,
  RECORDED_NOW,
  RECORDED_ROOT_TOKEN,
} from './fixtures/recorded.js';
import { expectTokenError } from './support/assert-error.js';
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
} from './support/tokens.js';

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
    const flipped = token.slice(0, -2) + (token.endsWith('AA') ? 'AB' : 'AA');
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
