/**
 * The enforcer's keys: the grant verifier built from the key options (with its verified-token
 * cache on by default) and, with `revocation`, the live revocation check that loads on first use.
 */
import type { GrantVerifierOptions } from '../jwt/types.js';
import { type ClockedVerify, createClockedVerify } from '../jwt/verifier.js';
import { lazyAuthority, readRevocationOptions, type Authority, type RevocationSettings } from '../revocation/index.js';
import type { EnforcerOptions } from './types.js';

/** The options the enforcer hands to `createGrantVerifier` as they are. */
export const VERIFIER_KEYS = [
  'jwks', 'jwksUri', 'issuer', 'developerId', 'anyDeveloper', 'audience', 'clockTolerance', 'maxDelegationDepth',
  'timeoutMs', 'cooldownMs', 'cacheMaxAgeMs', 'fetch', 'maxJwksBytes', 'maxJwksKeys', 'cache',
];

/** What decides whether a token is good: its signature and claims, then (when asked for) revocation. */
export interface EnforcerKeys {
  /** The verifier's check; it reports the clock reading it used, for the revocation check. */
  readonly verify: ClockedVerify;
  /** The checked `revocation` option of a live mode; `undefined` offline. */
  readonly revocation: RevocationSettings | undefined;
  readonly authority: Authority | undefined;
}

/** Builds the verifier and the revocation check; their option mistakes throw here. */
export function createKeys(options: EnforcerOptions): EnforcerKeys {
  const verifierOptions: Record<string, unknown> = { cache: true };
  for (const key of VERIFIER_KEYS) {
    const value = (options as unknown as Record<string, unknown>)[key];
    if (value !== undefined) verifierOptions[key] = value;
  }
  const verify = createClockedVerify(verifierOptions as unknown as GrantVerifierOptions);
  // The online answers are kept for as many tokens as the verified-token cache holds.
  const cacheBound = (options as { cache?: { maxEntries?: unknown } }).cache;
  const revocation = readRevocationOptions(options.revocation, typeof cacheBound === 'object' && typeof cacheBound?.maxEntries === 'number' ? cacheBound.maxEntries : undefined);
  return { verify, revocation, authority: revocation && lazyAuthority(revocation) };
}
