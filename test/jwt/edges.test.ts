// The edges of the grant-token checks: every limit and comparison tested exactly at it and one past,
// so that a changed operator (< for <=, startsWith for ===) fails a test.
import { beforeAll, describe, expect, it } from 'vitest';
import { createGrantVerifier, decodeGrantToken, type GrantVerifier } from '../../src/jwt/index.js';
import { expectTokenError } from './assert-error.js';
import { rootClaims, rsaKey, sign, type SigningKey } from '../support/tokens.js';

const ISSUER = 'https://grantex.test';
const DEV = 'dev_01TESTDEV';
/** The largest NumericDate a `Date` can hold: 8.64e15 ms. */
const MAX_INSTANT = 8.64e12;

let rsa: SigningKey;
let verifier: GrantVerifier;

beforeAll(async () => {
  rsa = await rsaKey('grantex-2026-11');
  verifier = createGrantVerifier({ jwks: { keys: [rsa.publicJwk] }, issuer: ISSUER, developerId: DEV });
});

describe('time claims a Date cannot hold', () => {
  it.each([
    ['exp: 1e300', { exp: 1e300 }, 'exp'],
    ['iat: -1e300', { iat: -1e300 }, 'iat'],
    ['nbf: 1e300', { nbf: 1e300 }, 'nbf'],
    ['nbf: -1e300', { nbf: -1e300 }, 'nbf'],
    ['exp one second past the largest Date', { exp: MAX_INSTANT + 1 }, 'exp'],
    ['iat one second before the smallest Date', { iat: -MAX_INSTANT - 1 }, 'iat'],
  ])('a signed token with %s is refused as an invalid claim', async (_, overrides, claim) => {
    const token = await sign(rsa, rootClaims(ISSUER, overrides));
    const error = await expectTokenError(verifier.verify(token), 'TOKEN_CLAIMS_MISSING', [token]);
    expect(error.message).toContain(`"${claim}"`);
    await expectTokenError(Promise.resolve().then(() => decodeGrantToken(token)), 'TOKEN_CLAIMS_MISSING');
  });

  it('exp exactly at the largest Date verifies, with a valid expiresAt', async () => {
    const token = await sign(rsa, rootClaims(ISSUER, { exp: MAX_INSTANT }));
    const grant = await verifier.verify(token);
    expect(grant.expiresAt.getTime()).toBe(MAX_INSTANT * 1000);
    expect(Number.isNaN(decodeGrantToken(token).expiresAt.getTime())).toBe(false);
  });

  it('iat exactly at the smallest Date decodes, with a valid issuedAt', async () => {
    const token = await sign(rsa, rootClaims(ISSUER, { iat: -MAX_INSTANT }));
    expect(decodeGrantToken(token).issuedAt.getTime()).toBe(-MAX_INSTANT * 1000);
  });
});

describe('nbf, iat and exp at exactly now', () => {
  const NOW = 1_800_000_000;
  const now = new Date(NOW * 1000);
  const strict = { now, clockTolerance: 0 };
  const token = (overrides: Record<string, unknown>) => sign(rsa, rootClaims(ISSUER, { iat: NOW - 60, exp: NOW + 3600, ...overrides }));

  it('iat equal to now is valid; one second past now is not (no tolerance)', async () => {
    await expect(verifier.verify(await token({ iat: NOW }), strict)).resolves.toMatchObject({ issuedAt: now });
    await expectTokenError(verifier.verify(await token({ iat: NOW + 1 }), strict), 'TOKEN_NOT_YET_VALID');
  });

  it('nbf equal to now is valid; one second past now is not (no tolerance)', async () => {
    await expect(verifier.verify(await token({ nbf: NOW }), strict)).resolves.toBeTruthy();
    await expectTokenError(verifier.verify(await token({ nbf: NOW + 1 }), strict), 'TOKEN_NOT_YET_VALID');
  });

  it('with the default 5 s tolerance: iat and nbf at now + 5 are valid, at now + 6 are not', async () => {
    for (const claim of ['iat', 'nbf']) {
      await expect(verifier.verify(await token({ [claim]: NOW + 5 }), { now })).resolves.toBeTruthy();
      await expectTokenError(verifier.verify(await token({ [claim]: NOW + 6 }), { now }), 'TOKEN_NOT_YET_VALID');
    }
  });

  it('a past nbf does not excuse a future iat: the later of the two counts', async () => {
    await expectTokenError(verifier.verify(await token({ nbf: NOW - 60, iat: NOW + 60 }), strict), 'TOKEN_NOT_YET_VALID');
    await expectTokenError(verifier.verify(await token({ nbf: NOW + 60, iat: NOW - 60 }), strict), 'TOKEN_NOT_YET_VALID');
  });

  it('exp equal to now has expired; one second later it has not (no tolerance)', async () => {
    await expectTokenError(verifier.verify(await token({ exp: NOW }), strict), 'TOKEN_EXPIRED');
    await expect(verifier.verify(await token({ exp: NOW + 1 }), strict)).resolves.toBeTruthy();
  });

  it('with the default 5 s tolerance: exp at now - 4 is valid, at now - 5 is not', async () => {
    await expect(verifier.verify(await token({ exp: NOW - 4 }), { now })).resolves.toBeTruthy();
    await expectTokenError(verifier.verify(await token({ exp: NOW - 5 }), { now }), 'TOKEN_EXPIRED');
  });
});

describe('the developer pin is an exact match', () => {
  it.each([
    ['a longer id that starts with the pinned one', `${DEV}2`],
    ['a shorter id the pinned one starts with', DEV.slice(0, -1)],
    ['the pinned id with a suffix after a separator', `${DEV}:other`],
    ['the pinned id in another case', DEV.toLowerCase()],
    ['the pinned id with surrounding space', ` ${DEV} `],
  ])('refuses %s', async (_, developerId) => {
    const token = await sign(rsa, rootClaims(ISSUER, { dev: developerId }));
    await expectTokenError(verifier.verify(token), 'TOKEN_WRONG_DEVELOPER', [token]);
  });

  it('accepts the pinned id itself', async () => {
    await expect(verifier.verify(await sign(rsa, rootClaims(ISSUER, { dev: DEV })))).resolves.toMatchObject({ developerId: DEV });
  });
});

describe('required scopes are exact', () => {
  it.each([
    ['a longer scope that starts with the required one', ['calendar:readwrite']],
    ['a scope that extends the required one', ['calendar:read:all']],
    ['the required scope in another case', ['Calendar:read']],
  ])('%s does not satisfy it', async (_, scp) => {
    const error = await expectTokenError(verifier.verify(await sign(rsa, rootClaims(ISSUER, { scp })), { requiredScopes: ['calendar:read'] }), 'TOKEN_SCOPES_MISSING');
    expect(error.missingScopes).toEqual(['calendar:read']);
  });

  it('the required scope itself does', async () => {
    await expect(verifier.verify(await sign(rsa, rootClaims(ISSUER, { scp: ['calendar:readwrite', 'calendar:read'] })), { requiredScopes: ['calendar:read'] })).resolves.toBeTruthy();
  });
});

describe('the delegation claims come as a set of three', () => {
  it.each([
    ['parentAgt and parentGrnt without delegationDepth', { parentAgt: 'did:grantex:ag_parent', parentGrnt: 'grnt_parent' }],
    ['parentAgt and delegationDepth without parentGrnt', { parentAgt: 'did:grantex:ag_parent', delegationDepth: 1 }],
    ['parentGrnt and delegationDepth without parentAgt', { parentGrnt: 'grnt_parent', delegationDepth: 1 }],
    ['parentAgt alone', { parentAgt: 'did:grantex:ag_parent' }],
  ])('%s is refused', async (_, overrides) => {
    const error = await expectTokenError(verifier.verify(await sign(rsa, rootClaims(ISSUER, overrides))), 'TOKEN_CLAIMS_MISSING');
    expect(error.message).toContain('"delegationDepth"');
  });

  it('all three are a delegated token', async () => {
    const grant = await verifier.verify(await sign(rsa, rootClaims(ISSUER, { parentAgt: 'did:grantex:ag_parent', parentGrnt: 'grnt_parent', delegationDepth: 2 })));
    expect(grant).toMatchObject({ parentAgentDid: 'did:grantex:ag_parent', parentGrantId: 'grnt_parent', delegationDepth: 2 });
  });
});
