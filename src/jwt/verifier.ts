import { compactVerify } from 'jose';
import { GrantTokenError } from '../errors.js';
import { checkPolicy, checkRegistered } from './checks.js';
import { toGrant } from './claims.js';
import { createKeySource, type KeySource } from './keys.js';
import { toGrantTokenError } from './map-error.js';
import { assertTokenShape, malformed, parseClaims } from './payload.js';
import type { GrantCheckOptions, GrantVerifier, GrantVerifierOptions, VerifiedGrant } from './types.js';

// Grant tokens are only ever RS256. Pinning the list is what stops `none`, HS256 signed with the
// public key, or a token signed with the JWKS's Ed25519 key.
const ALGORITHMS = ['RS256'];

/** Per-call values replace the verifier's; `undefined` never removes a configured check. */
function merge(base: GrantCheckOptions, overrides: GrantCheckOptions): GrantCheckOptions {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) merged[key] = value;
  return merged;
}

async function verifyWith({ getKey, issuer }: KeySource, options: GrantCheckOptions, token: string): Promise<VerifiedGrant> {
  assertTokenShape(token);
  let verified;
  try {
    verified = await compactVerify(token, getKey, { algorithms: ALGORITHMS });
  } catch (error) {
    throw toGrantTokenError(error);
  }
  // An unencoded (b64: false) payload is legal JWS but never a JWT.
  if (verified.protectedHeader.b64 === false) throw malformed();
  const claims = parseClaims(verified.payload);
  const grant = toGrant(claims, true);
  checkRegistered(claims, grant, issuer, options);
  checkPolicy(grant, options);
  return grant;
}

/**
 * Creates a verifier that checks grant tokens offline: RS256 signature against the Grantex JWKS,
 * issuer, lifetime, required claims, and optionally audience, scopes and delegation depth.
 * Build it once and reuse it: remote keys are cached, refetched at most once per cooldown when a
 * token names an unknown `kid` (key rotation), and never fetched for a token with the wrong algorithm.
 *
 * Failures throw `GrantTokenError` with a `code`; the message never contains the token.
 * Configuration mistakes throw `GrantexConfigurationError` right here.
 *
 * @example
 * ```ts
 * const verifier = createGrantVerifier({
 *   jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', // issuer: https://grantex.dev
 *   requiredScopes: ['calendar:read'],
 * });
 * const grant = await verifier.verify(token);
 * console.log(grant.principalId, grant.scopes, grant.expiresAt);
 * ```
 */
export function createGrantVerifier(options: GrantVerifierOptions): GrantVerifier {
  const keys = createKeySource(options);
  // A copy, so that later changes to the caller's object cannot loosen the checks.
  const base = { ...options };
  return Object.freeze({
    verify: (token: string, overrides?: GrantCheckOptions) =>
      verifyWith(keys, overrides ? merge(base, overrides) : base, token),
  });
}

// Remote verifiers reused by verifyGrantToken, so that calling it per request does not fetch the
// JWKS per request. Bounded: a program never needs more than a handful.
const shared = new Map<string, GrantVerifier>();

function sharedVerifier(options: GrantVerifierOptions): GrantVerifier {
  // A local JWKS or an injected fetch cannot be keyed safely by value; those get a fresh verifier.
  if (options.jwks !== undefined || options.fetch !== undefined) return createGrantVerifier(options);
  const key = [options.jwksUri, options.issuer, options.timeoutMs, options.cooldownMs, options.cacheMaxAgeMs] + '';
  let verifier = shared.get(key);
  if (!verifier) {
    verifier = createGrantVerifier(options);
    if (shared.size >= 16) shared.delete(shared.keys().next().value!);
    shared.set(key, verifier);
  }
  return verifier;
}

/**
 * Verifies one grant token offline; see {@link createGrantVerifier} for what is checked. Remote key
 * sets are shared between calls with the same `jwksUri`, so calling this per request is fine; with a
 * local `jwks` prefer {@link createGrantVerifier}, which imports the keys once.
 *
 * @example
 * ```ts
 * const grant = await verifyGrantToken(token, {
 *   jwksUri: 'http://localhost:3001/.well-known/jwks.json', // issuer: http://localhost:3001
 *   audience: 'https://calendar.example',
 * });
 * if (grant.delegationDepth > 0) console.log('delegated by', grant.parentAgentDid);
 * ```
 */
export async function verifyGrantToken(token: string, options: GrantVerifierOptions): Promise<VerifiedGrant> {
  return sharedVerifier(options).verify(token, options);
}
