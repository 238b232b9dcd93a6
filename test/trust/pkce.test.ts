import { describe, expect, it } from 'vitest';
import { GrantexInvalidArgumentError } from '../../src/errors.js';
import { computeCodeChallenge, generatePkce, verifyPkce } from '../../src/pkce/index.js';

// RFC 7636, Appendix B.
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

describe('computeCodeChallenge', () => {
  it('matches the RFC 7636 Appendix B vector', async () => {
    await expect(computeCodeChallenge(RFC_VERIFIER)).resolves.toBe(RFC_CHALLENGE);
  });

  it.each([43, 44, 127, 128])('accepts a %i-character verifier', async (length) => {
    const challenge = await computeCodeChallenge(ALPHABET.repeat(2).slice(0, length));
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['42 characters', 'a'.repeat(42)],
    ['129 characters', 'a'.repeat(129)],
    ['empty', ''],
    ['a space', `${'a'.repeat(42)} `],
    ['a "+"', `${'a'.repeat(42)}+`],
    ['a "/"', `${'a'.repeat(42)}/`],
    ['a "="', `${'a'.repeat(42)}=`],
    ['a non-ASCII letter', `${'a'.repeat(42)}é`],
    ['a trailing newline', `${'a'.repeat(43)}\n`],
  ])('rejects a verifier with %s, without echoing it', async (_, verifier) => {
    const error = await computeCodeChallenge(verifier).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrantexInvalidArgumentError);
    expect((error as GrantexInvalidArgumentError).code).toBe('INVALID_ARGUMENT');
    if (verifier.length > 3) expect((error as Error).message).not.toContain(verifier.trim());
  });

  it('rejects non-string input', async () => {
    await expect(computeCodeChallenge(42 as unknown as string)).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
  });
});

describe('generatePkce', () => {
  it('returns a 43-character verifier and its S256 challenge', async () => {
    const pair = await generatePkce();
    expect(pair.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pair.codeChallengeMethod).toBe('S256');
    expect(pair.codeChallenge).toBe(await computeCodeChallenge(pair.codeVerifier));
    expect(Object.isFrozen(pair)).toBe(true);
  });

  it('returns a different pair every time', async () => {
    const pairs = await Promise.all(Array.from({ length: 50 }, () => generatePkce()));
    expect(new Set(pairs.map((p) => p.codeVerifier)).size).toBe(50);
    expect(new Set(pairs.map((p) => p.codeChallenge)).size).toBe(50);
  });
});

describe('verifyPkce', () => {
  it('accepts the matching verifier', async () => {
    await expect(verifyPkce(RFC_VERIFIER, RFC_CHALLENGE)).resolves.toBe(true);
    const pair = await generatePkce();
    await expect(verifyPkce(pair.codeVerifier, pair.codeChallenge)).resolves.toBe(true);
  });

  it('rejects a wrong verifier', async () => {
    const pair = await generatePkce();
    await expect(verifyPkce((await generatePkce()).codeVerifier, pair.codeChallenge)).resolves.toBe(false);
    await expect(verifyPkce(RFC_VERIFIER.replace(/k$/, 'K'), RFC_CHALLENGE)).resolves.toBe(false);
  });

  it('rejects a challenge that differs in one character, in length, or in type', async () => {
    await expect(verifyPkce(RFC_VERIFIER, RFC_CHALLENGE.replace(/M$/, 'N'))).resolves.toBe(false);
    await expect(verifyPkce(RFC_VERIFIER, `X${RFC_CHALLENGE.slice(1)}`)).resolves.toBe(false);
    await expect(verifyPkce(RFC_VERIFIER, `${RFC_CHALLENGE}=`)).resolves.toBe(false);
    await expect(verifyPkce(RFC_VERIFIER, RFC_CHALLENGE.slice(0, -1))).resolves.toBe(false);
    await expect(verifyPkce(RFC_VERIFIER, '')).resolves.toBe(false);
    await expect(verifyPkce(RFC_VERIFIER, undefined as unknown as string)).resolves.toBe(false);
  });

  it('returns false, not an exception, for a malformed verifier', async () => {
    await expect(verifyPkce('short', RFC_CHALLENGE)).resolves.toBe(false);
    await expect(verifyPkce(null as unknown as string, RFC_CHALLENGE)).resolves.toBe(false);
  });

  it('does not accept the plain method (challenge equal to the verifier)', async () => {
    await expect(verifyPkce(RFC_VERIFIER, RFC_VERIFIER)).resolves.toBe(false);
  });
});
