import type { PkceVerificationErrorCode } from '../error-codes.js';
import { GrantexError } from '../errors.js';

export type { PkceVerificationErrorCode };

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
