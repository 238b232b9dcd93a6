import { compactVerify } from 'jose';
import { GrantexConfigurationError, GrantTokenError } from '../errors.js';
import { type Authority, lazyAuthority, readRevocationOptions, type RevocationSettings } from '../revocation/index.js';
import { checkPolicy, checkRegistered, type Pin } from './checks.js';
import { TokenCache } from './cache.js';
import { toGrant } from './claims.js';
import { createKeySource, type KeySource } from './keys.js';
import { toGrantTokenError } from './map-error.js';
import { ALL_OPTIONS, assertCallOptions, type CacheBounds, CHECK_OPTIONS, readVerifierOptions } from './options.js';
import { assertTokenShape, malformed, parseClaims } from './payload.js';
import type { GrantCheckOptions, GrantVerifier, GrantVerifierOptions, VerifiedGrant } from './types.js';

// Grant tokens are only ever RS256. Pinning the list is what stops `none`, HS256 signed with the
// public key, or a token signed with the JWKS's Ed25519 key.
const ALGORITHMS = ['RS256'];

interface Context extends Pin {
  readonly getKey: KeySource['getKey'];
  readonly cache: TokenCache | undefined;
  /** The verifier's own checks, which per-call values override. */
  readonly base: GrantCheckOptions;
}

/**
 * Where a verification leaves the clock reading (epoch ms) its time checks used, so that the
 * revocation check that follows compares against the same instant instead of reading the clock
 * again: a clock read is not free on every machine.
 */
export interface ClockReading {
  now: number;
}

/** One verification with a verifier's own checks (no revocation); it leaves its clock reading in `reading`. */
export type ClockedVerify = (token: string, reading: ClockReading) => Promise<VerifiedGrant>;

/** The live revocation check after offline verification: throws for a revoked or unknown status. */
async function checkRevocation(authority: Authority, settings: RevocationSettings, token: string, grant: VerifiedGrant, now: number): Promise<VerifiedGrant> {
  const pending = authority.check(token, grant, now);
  const verdict = 'then' in pending ? await pending : pending;
  if (verdict.status === 'revoked') throw new GrantTokenError('TOKEN_REVOKED', verdict.message);
  if (verdict.status === 'unknown' && settings.onUnavailable === 'deny') throw new GrantTokenError('REVOCATION_UNKNOWN', verdict.message);
  return grant;
}

/** Per-call values replace the verifier's; `undefined` never removes a configured check. */
function merge(base: GrantCheckOptions, overrides: GrantCheckOptions): GrantCheckOptions {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) merged[key] = value;
  return merged;
}

/**
 * A copy of a cached grant with its own `Date`s: the grant is frozen, but a `Date` is not, and one
 * caller's mutation must not show up in another caller's result.
 */
function fresh(claims: Readonly<Record<string, unknown>>, grant: VerifiedGrant): VerifiedGrant {
  return Object.freeze({ ...grant, issuedAt: new Date((claims.iat as number) * 1000), expiresAt: new Date((claims.exp as number) * 1000) });
}

async function verifyWith(context: Context, options: GrantCheckOptions, token: string, reading: ClockReading): Promise<VerifiedGrant> {
  assertTokenShape(token);
  const { cache } = context;
  // One clock read serves the cache's expiry and the claims' times (and, through `reading`, the
  // revocation check): every comparison of one verification is made at the same instant.
  const hit = cache?.get(token, (reading.now = Date.now()));
  if (hit) {
    // The signature is known good; everything that depends on the clock or the call is checked again.
    checkRegistered(hit.claims, hit.grant, context, options, reading.now);
    checkPolicy(hit.grant, options);
    return fresh(hit.claims, hit.grant);
  }
  let verified;
  try {
    verified = await compactVerify(token, context.getKey, { algorithms: ALGORITHMS });
  } catch (error) {
    throw toGrantTokenError(error, token);
  }
  // An unencoded (b64: false) payload is legal JWS but never a JWT.
  if (verified.protectedHeader.b64 === false) throw malformed();
  const claims = parseClaims(verified.payload);
  const grant = toGrant(claims, true);
  // Read again after the signature check, which may have waited for the key set: the times are
  // checked against when verification ended, never against when it began.
  checkRegistered(claims, grant, context, options, (reading.now = Date.now()));
  checkPolicy(grant, options);
  // Only a token that passed every check is remembered.
  cache?.set(token, claims, grant, reading.now);
  return cache ? fresh(claims, grant) : grant;
}

/** The context of a verifier built from options already checked by `readVerifierOptions`. */
function contextOf(options: GrantVerifierOptions, developerId: string | undefined, bounds: CacheBounds | undefined): Context {
  const { getKey, issuer } = createKeySource(options);
  // A copy, so that later changes to the caller's object cannot loosen the checks.
  const base: GrantCheckOptions = {};
  for (const key of CHECK_OPTIONS) {
    const value = (options as unknown as Record<string, unknown>)[key];
    if (value !== undefined) (base as Record<string, unknown>)[key] = key === 'requiredScopes' ? [...(value as string[])] : value;
  }
  return { getKey, issuer, developerId, cache: bounds && new TokenCache(bounds), base };
}

/** A verifier, with the live revocation check after verification when `revocation` asks. */
function build(options: GrantVerifierOptions, developerId: string | undefined, bounds: CacheBounds | undefined, revocation?: RevocationSettings): GrantVerifier {
  const context = contextOf(options, developerId, bounds);
  const authority = revocation && lazyAuthority(revocation);
  const close = async (): Promise<void> => {
    await authority?.close();
  };
  return Object.freeze({
    verify: async (token: string, overrides?: GrantCheckOptions) => {
      if (overrides !== undefined) assertCallOptions(overrides);
      const reading = { now: NaN };
      const grant = await verifyWith(context, overrides === undefined ? context.base : merge(context.base, overrides), token, reading);
      return authority ? checkRevocation(authority, revocation, token, grant, reading.now) : grant;
    },
    close,
    [Symbol.asyncDispose]: close,
  });
}

/**
 * Creates a verifier that checks grant tokens offline: RS256 signature against the Grantex JWKS,
 * issuer, the developer the token was minted for, lifetime, required claims, and optionally
 * audience, scopes and delegation depth. Build it once and reuse it: remote keys are cached,
 * refetched at most once per cooldown when a token names an unknown `kid` (key rotation), and never
 * fetched for a token with the wrong algorithm. With `cache`, a token that verified is answered
 * from memory (see {@link TokenCacheOptions}).
 *
 * `developerId` is required: every Grantex developer's tokens share one issuer and signing key, so
 * without it a token minted for another developer would verify. Pass `anyDeveloper: true` to accept
 * any developer's tokens on purpose.
 *
 * Failures throw `GrantTokenError` with a `code`; the message names the expected and actual values
 * (issuer, audience, developer, times) and never contains the token. Configuration mistakes, unknown
 * option names included, throw `GrantexConfigurationError` right here.
 *
 * @example
 * ```ts
 * const verifier = createGrantVerifier({
 *   jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', // issuer: https://grantex.dev
 *   developerId: 'dev_01HXYZ',
 *   requiredScopes: ['calendar:read'],
 * });
 * const grant = await verifier.verify(token);
 * console.log(grant.principalId, grant.scopes, grant.expiresAt);
 * ```
 */
export function createGrantVerifier(options: GrantVerifierOptions): GrantVerifier {
  const { developerId, cache } = readVerifierOptions(options, ALL_OPTIONS);
  const revocation = readRevocationOptions(options.revocation, cache?.maxEntries);
  return build(options, developerId, cache, revocation);
}

/**
 * The enforcer's check: what `createGrantVerifier` would verify, without `revocation` (the
 * enforcer runs its own check after the policy, at the clock reading this check leaves).
 */
export function createClockedVerify(options: GrantVerifierOptions): ClockedVerify {
  const { developerId, cache } = readVerifierOptions(options, ALL_OPTIONS);
  const context = contextOf(options, developerId, cache);
  return (token, reading) => verifyWith(context, context.base, token, reading);
}

// Remote verifiers reused by verifyGrantToken, so that calling it per request does not fetch the
// JWKS per request. Bounded: a program never needs more than a handful.
const shared = new Map<string, GrantVerifier>();

function sharedVerifier(options: GrantVerifierOptions): GrantVerifier {
  if (options.revocation !== undefined) {
    throw new GrantexConfigurationError('verifyGrantToken checks offline only; for `revocation`, build a verifier once with createGrantVerifier and reuse it');
  }
  // `options` holds no checks here, so only names, the pin, the cache and the limits are checked.
  const { developerId, cache } = readVerifierOptions(options, ALL_OPTIONS);
  // A local JWKS or an injected fetch cannot be keyed safely by value; those get a fresh verifier.
  if (options.jwks !== undefined || options.fetch !== undefined) return build(options, developerId, cache);
  const { jwksUri, issuer, timeoutMs, cooldownMs, cacheMaxAgeMs, maxJwksBytes, maxJwksKeys, anyDeveloper } = options;
  const key = JSON.stringify([String(jwksUri), issuer, developerId, anyDeveloper, timeoutMs, cooldownMs, cacheMaxAgeMs, maxJwksBytes, maxJwksKeys, cache]);
  let verifier = shared.get(key);
  if (!verifier) {
    verifier = build(options, developerId, cache);
    if (shared.size >= 16) shared.delete(shared.keys().next().value!);
    shared.set(key, verifier);
  }
  return verifier;
}

/**
 * Verifies one grant token offline; see {@link createGrantVerifier} for what is checked, and for
 * `developerId`, which is required here too. Remote key sets are shared between calls with the same
 * `jwksUri`, so calling this per request is fine; with a local `jwks` prefer
 * {@link createGrantVerifier}, which imports the keys once.
 *
 * Configuration mistakes reject with `GrantexConfigurationError`, unusable check values
 * (`requiredScopes: 'a:b'`) with `GrantexInvalidArgumentError`, a failed check with `GrantTokenError`.
 *
 * @example
 * ```ts
 * const grant = await verifyGrantToken(token, {
 *   jwksUri: 'http://localhost:3001/.well-known/jwks.json', // issuer: http://localhost:3001
 *   developerId: 'dev_01HXYZ',
 *   audience: 'https://calendar.example',
 * });
 * if (grant.delegationDepth > 0) console.log('delegated by', grant.parentAgentDid);
 * ```
 */
export async function verifyGrantToken(token: string, options: GrantVerifierOptions): Promise<VerifiedGrant> {
  // The key source and the pin make the shared verifier; the checks are applied per call.
  const verifierOptions: Record<string, unknown> = {};
  const checks: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options ?? {})) (CHECK_OPTIONS.includes(key) ? checks : verifierOptions)[key] = value;
  return sharedVerifier(verifierOptions as unknown as GrantVerifierOptions).verify(token, checks);
}
