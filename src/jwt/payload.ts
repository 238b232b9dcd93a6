import { GrantTokenError } from '../errors.js';

export const malformed = () => new GrantTokenError('TOKEN_MALFORMED', 'Grant token is not a well-formed JWT');

/** Parses a JWT payload; a claims set must be a JSON object (not an array, string or null). */
export function parseClaims(bytes: Uint8Array): Record<string, unknown> {
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    // Invalid JSON falls through to the object check below.
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw malformed();
  return claims as Record<string, unknown>;
}
