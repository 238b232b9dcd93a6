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

const configError = (message: string) => new GrantexConfigurationError(message);

/** The issuer implied by a JWKS URL; `undefined` when the URL implies none. */
function issuerOf(url: URL): string | undefined {
  if (url.href === GRANTEX_JWKS) return 'https://grantex.dev';
  const { origin, pathname } = url;
  return pathname.endsWith(WELL_KNOWN) ? origin + pathname.slice(0, -WELL_KNOWN.length) : undefined;
}

function parseUrl(value: string | URL): URL {
  try {
    return new URL(value);
  } catch {
    throw configError('`jwksUri` is not a valid URL');
  }
}

function remoteKeys(url: URL, options: RemoteKeyOptions): JWTVerifyGetKey {
  try {
    return createRemoteJWKSet(url, {
      timeoutDuration: options.timeoutMs,
      cooldownDuration: options.cooldownMs,
      cacheMaxAge: options.cacheMaxAgeMs,
      [customFetch]: options.fetch,
    });
  } catch {
    throw configError('`timeoutMs`, `cooldownMs` and `cacheMaxAgeMs` must be non-negative numbers');
  }
}

/**
 * Builds the key resolver for a verifier. Exactly one of `jwks` or `jwksUri` must be given; the
 * resolver reports key problems as `TOKEN_KEY_UNKNOWN` or `JWKS_UNAVAILABLE`.
 */
export function createKeySource(options: GrantVerifierOptions): KeySource {
  const { jwks, jwksUri } = options;
  let keys: JWTVerifyGetKey;
  let issuer = options.issuer;
  if ((jwks === undefined) === (jwksUri === undefined)) throw configError('Pass exactly one of `jwksUri` or `jwks`');
  if (jwks !== undefined) {
    try {
      keys = createLocalJWKSet(jwks);
    } catch {
      throw configError('`jwks` is not a valid JSON Web Key Set');
    }
  } else {
    const url = parseUrl(jwksUri!);
    keys = remoteKeys(url, options as RemoteKeyOptions);
    issuer ??= issuerOf(url);
  }
  // Never fall back to "any issuer": a token from another Grantex deployment must not pass.
  if (typeof issuer !== 'string' || issuer === '') {
    throw configError('`issuer` is required unless `jwksUri` ends in /.well-known/jwks.json');
  }
  const getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      throw toKeyError(error);
    }
  };
  return { getKey, issuer };
}
