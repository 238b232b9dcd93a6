import { GrantexInvalidArgumentError } from '../errors.js';
import { PkceVerificationError } from './errors.js';

/** A PKCE pair for an authorization request (RFC 7636, method S256 only). */
export interface PkcePair {
  /** Secret: keep it until the code exchange, then send it as `codeVerifier`. */
  readonly codeVerifier: string;
  /** Public: send it with the authorization request. */
  readonly codeChallenge: string;
  readonly codeChallengeMethod: 'S256';
}

// RFC 7636 §4.1: 43-128 characters from the unreserved set.
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Computes the S256 code challenge of a verifier: base64url(SHA-256(verifier)), unpadded.
 * Throws `GrantexInvalidArgumentError` when the verifier breaks RFC 7636 (43-128 characters of
 * `A-Z a-z 0-9 - . _ ~`).
 *
 * @example
 * ```ts
 * await computeCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
 * // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 * ```
 */
export async function computeCodeChallenge(verifier: string): Promise<string> {
  if (typeof verifier !== 'string' || !VERIFIER.test(verifier)) {
    throw new GrantexInvalidArgumentError('PKCE code verifier must be 43-128 characters from A-Z a-z 0-9 - . _ ~');
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/**
 * Generates a PKCE pair: a verifier from 32 random bytes (43 characters) and its S256 challenge.
 *
 * @example
 * ```ts
 * const { codeVerifier, codeChallenge, codeChallengeMethod } = await generatePkce();
 * // Send codeChallenge and codeChallengeMethod with POST /v1/authorize and keep codeVerifier
 * // (e.g. in the session); send codeVerifier with POST /v1/token when exchanging the code.
 * ```
 */
export async function generatePkce(): Promise<PkcePair> {
  const codeVerifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  return Object.freeze({ codeVerifier, codeChallenge: await computeCodeChallenge(codeVerifier), codeChallengeMethod: 'S256' });
}

/**
 * Checks that `verifier` hashes to `challenge` (S256). Resolves when it does; otherwise rejects
 * with a {@link PkceVerificationError}: `PKCE_VERIFIER_MALFORMED` for a verifier that breaks
 * RFC 7636 (or is not a string), `PKCE_VERIFIER_MISMATCH` for one that does not hash to the
 * challenge (or a challenge that is not a string). On a server both values arrive from the client,
 * so nothing about them is a programming error. The comparison takes the same time wherever the
 * strings differ.
 *
 * It resolves to nothing rather than to a boolean on purpose: `if (!check(…))` without `await`
 * tests a Promise, which is always truthy, so a boolean verifier passes everything when the
 * `await` is forgotten. Here a failure is only ever a rejection, and TypeScript refuses
 * `if (!(await verifyCodeVerifier(…)))`.
 *
 * @example
 * ```ts
 * try {
 *   await verifyCodeVerifier(body.code_verifier, stored.codeChallenge);
 * } catch (error) {
 *   if (error instanceof PkceVerificationError) return reply.status(400).send({ error: 'invalid_grant' });
 *   throw error;
 * }
 * ```
 */
export async function verifyCodeVerifier(verifier: string, challenge: string): Promise<void> {
  let expected: string;
  try {
    expected = await computeCodeChallenge(verifier);
  } catch {
    throw new PkceVerificationError('PKCE_VERIFIER_MALFORMED', 'PKCE code verifier is not 43-128 characters from A-Z a-z 0-9 - . _ ~');
  }
  // XOR-accumulate over every character instead of returning at the first difference.
  let difference = typeof challenge === 'string' && challenge.length === expected.length ? 0 : 1;
  if (!difference) for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ challenge.charCodeAt(i);
  if (difference) throw new PkceVerificationError('PKCE_VERIFIER_MISMATCH', 'PKCE code verifier does not match the code challenge');
}
