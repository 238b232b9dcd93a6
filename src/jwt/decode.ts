import { toGrant } from './claims.js';
import { assertTokenShape, malformed, parseClaims } from './payload.js';
import type { UnverifiedGrant } from './types.js';

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
    // atob accepts unpadded input; base64url only swaps two characters.
    payload = Uint8Array.from(atob(parts[1]!.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  } catch {
    // Reported below, with every other malformed input.
  }
  if (parts.length !== 3 || !payload) throw malformed();
  return toGrant(parseClaims(payload), false);
}
