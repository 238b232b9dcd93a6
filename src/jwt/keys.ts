import { createLocalJWKSet, createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { GrantexConfigurationError } from '../errors.js';
import { toKeyError } from './map-error.js';
import type { GrantVerifierOptions, RemoteKeyOptions } from './types.js';

const GRANTEX_JWKS = 'https://api.grantex.dev/.well-known/jwks.json';
const WELL_KNOWN = '/.well-known/jwks.json';

/** A key resolver plus the issuer that goes with it. */
export interface KeySource {
  readonly getKey: JWTVerifyGetKey;
  readonly issuer: string;
}

/** The issuer implied by a JWKS URL; `undefined` when the URL implies none. */
function issuerOf(url: URL): string | undefined {
  if (url.href === GRANTEX_JWKS) return 'https://grantex.dev';
  const { origin, pathname } = url;
  return pathname.endsWith(WELL_KNOWN) ? origin + pathname.slice(0, -WELL_KNOWN.length) : undefined;
}

/**
 * Builds the key resolver for a verifier. Exactly one of `jwks` or `jwksUri` must be given; the
 * resolver reports key problems as `TOKEN_KEY_UNKNOWN` or `JWKS_UNAVAILABLE`.
 */
export function createKeySource(options: GrantVerifierOptions): KeySource {
  const { jwks, jwksUri } = options;
  let { issuer } = options;
  let keys: JWTVerifyGetKey;
  try {
    if ((jwks === undefined) === (jwksUri === undefined)) throw 0;
    if (jwks) {
      keys = createLocalJWKSet(jwks);
    } else {
      const url = new URL(jwksUri!);
      const { timeoutMs, cooldownMs, cacheMaxAgeMs, fetch } = options as RemoteKeyOptions;
      keys = createRemoteJWKSet(url, { timeoutDuration: timeoutMs, cooldownDuration: cooldownMs, cacheMaxAge: cacheMaxAgeMs, [customFetch]: fetch });
      issuer ??= issuerOf(url);
    }
  } catch {
    throw new GrantexConfigurationError('Pass either `jwksUri` (a URL) or `jwks` (a JWKS), with non-negative durations');
  }
  // Never fall back to "any issuer": a token from another Grantex deployment must not pass.
  if (!issuer) throw new GrantexConfigurationError('Pass `issuer`: it cannot be derived from this `jwksUri` or `jwks`');
  // A plain `.catch` rather than an async wrapper: this runs on every verification.
  const getKey: JWTVerifyGetKey = (header, token) =>
    (keys(header, token) as Promise<CryptoKey>).catch((error: unknown) => {
      throw toKeyError(error);
    });
  return { getKey, issuer };
}
