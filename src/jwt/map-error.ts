import { GrantTokenError } from '../errors.js';
import { malformed } from './payload.js';

/**
 * Turns a jose signature-layer error into a {@link GrantTokenError}. Matching is on jose's stable
 * `code` strings rather than its classes, so a second copy of jose cannot slip through. The jose
 * error is not kept as `cause`: nothing about the token should travel with the error.
 */
export function toGrantTokenError(error: unknown): GrantTokenError {
  if (error instanceof GrantTokenError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') {
    return new GrantTokenError('TOKEN_ALGORITHM_UNSUPPORTED', 'Grant token algorithm is not RS256');
  }
  // ERR_JOSE_NOT_SUPPORTED here means an unknown "crit" header extension.
  if (code === 'ERR_JWS_INVALID' || code === 'ERR_JOSE_NOT_SUPPORTED') return malformed();
  // A bad signature, a key jose refuses, a WebCrypto failure: all mean "not verified". Fail closed.
  return new GrantTokenError('TOKEN_SIGNATURE_INVALID', 'Grant token signature is invalid');
}

/**
 * Errors raised while resolving the signing key. Only "no such key" is about the token; everything
 * else (network, timeout, non-200, non-JSON, not a JWKS) means the keys could not be obtained.
 */
export function toKeyError(error: unknown): GrantTokenError {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS'
    ? new GrantTokenError('TOKEN_KEY_UNKNOWN', 'Grant token key id is not in the JWKS')
    : new GrantTokenError('JWKS_UNAVAILABLE', 'Could not load the JWKS');
}
