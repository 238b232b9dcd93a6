import { GrantTokenError } from '../errors.js';

const decoder = new TextDecoder();

export const malformed = () => new GrantTokenError('TOKEN_MALFORMED', 'Grant token is not a well-formed JWT');

/** Parses a JWT payload; a claims set must be a JSON object (not an array, string or null). */
export function parseClaims(bytes: Uint8Array): Record<string, unknown> {
  let claims: unknown;
  try {
    claims = JSON.parse(decoder.decode(bytes));
  } catch {
    // Invalid JSON falls through to the object check below.
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw malformed();
  return claims as Record<string, unknown>;
}

/** Longer input is refused before any parsing or crypto; real grant tokens are about 1 KB. */
export const MAX_TOKEN_LENGTH = 16 * 1024;

/** Rejects anything that cannot be a grant token, cheaply. */
export function assertTokenShape(token: unknown): asserts token is string {
  if (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_LENGTH) {
    throw new GrantTokenError('TOKEN_MALFORMED', 'Grant token must be a non-empty string of at most 16 KB');
  }
}
