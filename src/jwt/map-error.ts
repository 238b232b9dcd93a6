import { GrantTokenError } from '../errors.js';
import { malformed } from './payload.js';
import { quote } from './text.js';

/** The `alg` of a compact JWS header, for the message only; `undefined` when it cannot be read. */
function algorithmOf(token: string): unknown {
  try {
    const header = token.slice(0, token.indexOf('.')).replace(/-/g, '+').replace(/_/g, '/');
    return (JSON.parse(atob(header)) as { alg?: unknown }).alg;
  } catch {
    return undefined;
  }
}

/**
 * Turns a jose signature-layer error into a {@link GrantTokenError}. Matching is on jose's stable
 * `code` strings rather than its classes, so a second copy of jose cannot slip through. The jose
 * error is not kept as `cause`: nothing about the token should travel with the error.
 */
export function toGrantTokenError(error: unknown, token: string): GrantTokenError {
  if (error instanceof GrantTokenError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') {
    return new GrantTokenError('TOKEN_ALGORITHM_UNSUPPORTED', `Grant token algorithm ${quote(algorithmOf(token))} is not allowed; only "RS256" is`);
  }
  // ERR_JOSE_NOT_SUPPORTED here means an unknown "crit" header extension.
  if (code === 'ERR_JWS_INVALID' || code === 'ERR_JOSE_NOT_SUPPORTED') return malformed();
  // A bad signature, a key jose refuses, a WebCrypto failure: all mean "not verified". Fail closed.
  return new GrantTokenError('TOKEN_SIGNATURE_INVALID', 'Grant token signature is invalid');
}

/** Where keys come from, for messages about them. */
export interface KeyOrigin {
  /** The JWKS host (`api.grantex.dev`), or `undefined` for a local JWKS. */
  readonly host: string | undefined;
  readonly timeoutMs: number;
}

/**
 * Errors raised while resolving the signing key. Only "no such key" is about the token; everything
 * else (network, timeout, non-200, non-JSON, not a JWKS, too large) means the keys could not be obtained.
 */
export function toKeyError(error: unknown, kid: unknown, origin: KeyOrigin): GrantTokenError {
  // Ours, from the JWKS fetch; shared by every caller waiting on that fetch, so each gets its own copy.
  if (error instanceof GrantTokenError) return new GrantTokenError(error.code, error.message);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_JWKS_NO_MATCHING_KEY') return new GrantTokenError('TOKEN_KEY_UNKNOWN', `Grant token key id ${quote(kid)} is not in the JWKS`);
  if (code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') return new GrantTokenError('TOKEN_KEY_UNKNOWN', `Grant token key id ${quote(kid)} matches several keys of the JWKS`);
  const from = origin.host === undefined ? 'the JWKS' : `the JWKS from ${origin.host}`;
  if (code === 'ERR_JWKS_TIMEOUT') return new GrantTokenError('JWKS_UNAVAILABLE', `Could not load ${from}: no answer within ${origin.timeoutMs} ms`);
  if (code === 'ERR_JWKS_INVALID') return new GrantTokenError('JWKS_UNAVAILABLE', `Could not load ${from}: it is not a JSON Web Key Set`);
  return new GrantTokenError('JWKS_UNAVAILABLE', `Could not load ${from}`);
}
