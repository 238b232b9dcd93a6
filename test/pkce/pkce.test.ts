import { describe, expect, it } from 'vitest';
import { GrantexError, GrantexInvalidArgumentError } from '../../src/errors.js';
import * as pkce from '../../src/pkce/index.js';
import { computeCodeChallenge, generatePkce, PkceVerificationError, verifyCodeVerifier } from '../../src/pkce/index.js';

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

/** The code `verifyCodeVerifier` rejected with, checking the error on every surface. */
async function refusal(verifier: unknown, challenge: unknown): Promise<string> {
  const error = await verifyCodeVerifier(verifier as string, challenge as string).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PkceVerificationError);
  expect(error).toBeInstanceOf(GrantexError);
  const { code, message } = error as PkceVerificationError;
  expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'PkceVerificationError', code, message });
  // The verifier is a secret until it is used; it never appears in the error.
  if (typeof verifier === 'string' && verifier.length > 3) {
    expect(message).not.toContain(verifier);
    expect(JSON.stringify(error)).not.toContain(verifier);
  }
  return code;
}

describe('verifyCodeVerifier', () => {
  it('resolves for the matching verifier', async () => {
    await expect(verifyCodeVerifier(RFC_VERIFIER, RFC_CHALLENGE)).resolves.toBeUndefined();
    const pair = await generatePkce();
    await expect(verifyCodeVerifier(pair.codeVerifier, pair.codeChallenge)).resolves.toBeUndefined();
  });

  it('rejects a wrong verifier', async () => {
    const pair = await generatePkce();
    expect(await refusal((await generatePkce()).codeVerifier, pair.codeChallenge)).toBe('PKCE_VERIFIER_MISMATCH');
    expect(await refusal(RFC_VERIFIER.replace(/k$/, 'K'), RFC_CHALLENGE)).toBe('PKCE_VERIFIER_MISMATCH');
  });

  it('rejects a challenge that differs in one character, in length, or in type', async () => {
    for (const challenge of [RFC_CHALLENGE.replace(/M$/, 'N'), `X${RFC_CHALLENGE.slice(1)}`, `${RFC_CHALLENGE}=`, RFC_CHALLENGE.slice(0, -1), '', undefined, null, 42]) {
      expect(await refusal(RFC_VERIFIER, challenge), String(challenge)).toBe('PKCE_VERIFIER_MISMATCH');
    }
  });

  it('rejects a malformed verifier (client input) as a verification failure, not a programming error', async () => {
    for (const verifier of ['short', 'a'.repeat(42), 'a'.repeat(129), `${RFC_VERIFIER.slice(0, -1)}+`, null, undefined, 42]) {
      expect(await refusal(verifier, RFC_CHALLENGE), String(verifier)).toBe('PKCE_VERIFIER_MALFORMED');
    }
    // The boundaries of RFC 7636: 43 and 128 characters are well-formed (they just do not match).
    expect(await refusal('a'.repeat(43), RFC_CHALLENGE)).toBe('PKCE_VERIFIER_MISMATCH');
    expect(await refusal('a'.repeat(128), RFC_CHALLENGE)).toBe('PKCE_VERIFIER_MISMATCH');
  });

  it('does not accept the plain method (challenge equal to the verifier)', async () => {
    expect(await refusal(RFC_VERIFIER, RFC_VERIFIER)).toBe('PKCE_VERIFIER_MISMATCH');
  });

  it('resolves to nothing, so a result cannot be tested for truthiness; the boolean verifyPkce is gone', async () => {
    // @ts-expect-error the boolean-resolving name no longer exists
    expect(pkce.verifyPkce).toBeUndefined();
    const check = async () => {
      // @ts-expect-error TS1345: an expression of type 'void' cannot be tested for truthiness
      if (!(await verifyCodeVerifier(RFC_VERIFIER, RFC_CHALLENGE.replace(/M$/, 'N')))) return 'refused';
      return 'accepted';
    };
    await expect(check()).rejects.toBeInstanceOf(PkceVerificationError);
    const pending = verifyCodeVerifier(RFC_VERIFIER, RFC_VERIFIER);
    // @ts-expect-error TS2801: this condition will always return true since this 'Promise<void>' is always defined
    expect(pending ? 'always' : 'never').toBe('always');
    await expect(pending).rejects.toBeInstanceOf(PkceVerificationError);
  });
});
