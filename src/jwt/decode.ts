import { base64url } from 'jose';
import { toGrant } from './claims.js';
import { malformed, parseClaims } from './payload.js';
import type { UnverifiedGrant } from './types.js';
import { assertTokenShape } from './verifier.js';

/**
 * **UNSAFE for authorization decisions.** Reads a grant token's claims WITHOUT checking its signature,
 * issuer, audience or lifetime: anyone can forge a token that decodes. Use it for logging, debugging
 * or routing, and {@link createGrantVerifier} for anything that grants access.
 *
 * Returns the same shape as a verified grant, with `verified: false`. Throws `GrantTokenError`
 * (`TOKEN_MALFORMED`, `TOKEN_CLAIMS_MISSING`) when the token is not shaped like a grant token.
 *
 * @example
 * ```ts
 * const { grantId, expiresAt } = decodeGrantToken(token); // not verified!
 * logger.info({ grantId, expiresAt }, 'received grant token');
 * ```
 */
export function decodeGrantToken(token: string): UnverifiedGrant {
  assertTokenShape(token);
  const parts = token.split('.');
  let payload;
  try {
    payload = base64url.decode(parts[1]!);
  } catch {
    // Reported below, with every other malformed input.
  }
  if (parts.length !== 3 || !payload) throw malformed();
  return toGrant(parseClaims(payload), false);
}
