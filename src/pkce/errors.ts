import { GrantexError } from '../errors.js';

/** Why a PKCE code verifier was refused. */
export type PkceVerificationErrorCode =
  /** Not 43-128 characters of `A-Z a-z 0-9 - . _ ~` (RFC 7636 §4.1), or not a string. */
  | 'PKCE_VERIFIER_MALFORMED'
  /** Well-formed, but its S256 hash is not the challenge (or the challenge is not a string). */
  | 'PKCE_VERIFIER_MISMATCH';

/**
 * A PKCE code verifier did not prove possession of the challenge. On a server both values come
 * from the client, so answer with a 400 (`invalid_grant`). The message never contains the
 * verifier.
 *
 * @example
 * ```ts
 * try {
 *   await verifyCodeVerifier(body.code_verifier, stored.codeChallenge);
 * } catch (error) {
 *   if (error instanceof PkceVerificationError) return Response.json({ error: 'invalid_grant' }, { status: 400 });
 *   throw error;
 * }
 * ```
 */
export class PkceVerificationError extends GrantexError {
  override name = 'PkceVerificationError';
  declare readonly code: PkceVerificationErrorCode;

  constructor(code: PkceVerificationErrorCode, message: string) {
    super(message, code);
  }
}
