import { GrantTokenError, type GrantTokenErrorCode } from '../errors.js';
import type { GrantCheckOptions, GrantClaims } from './types.js';

const reject = (code: GrantTokenErrorCode, message: string, missingScopes?: string[]) =>
  new GrantTokenError(code, 'Grant token ' + message, { missingScopes });

/**
 * The registered-claim checks jose's `jwtVerify` would make, done on the already-typed grant so the
 * bundle does not carry jose's general-purpose claims validator. Times are whole seconds.
 */
export function checkRegistered(claims: Record<string, unknown>, grant: GrantClaims, issuer: string, options: GrantCheckOptions): void {
  const { audience, clockTolerance = 5 } = options;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const seconds = (date: Date) => date.getTime() / 1000;
  if (claims.iss !== issuer) throw reject('TOKEN_ISSUER_INVALID', 'issuer does not match');
  // RFC 7519 §4.1.3: a token restricted to an audience is not for a verifier that names none, and a
  // verifier that names one accepts only tokens restricted to it.
  if (grant.audience !== audience) throw reject('TOKEN_AUDIENCE_INVALID', 'audience does not match');
  // Comparisons are negated so that a nonsensical tolerance (NaN, a string) rejects every token
  // instead of silently disabling the check.
  if (!(seconds(grant.expiresAt) > now - clockTolerance)) throw reject('TOKEN_EXPIRED', 'has expired');
  // A token stamped in the future comes from a clock we cannot trust, or was crafted.
  if (!(Math.max((claims.nbf as number | undefined) ?? 0, seconds(grant.issuedAt)) - clockTolerance <= now)) {
    throw reject('TOKEN_NOT_YET_VALID', 'is not valid yet (nbf or iat is in the future)');
  }
}

/** Applies the caller's authorization policy (scopes, delegation depth) to an authentic grant. */
export function checkPolicy(grant: GrantClaims, { requiredScopes, maxDelegationDepth = Infinity }: GrantCheckOptions): void {
  const missing = requiredScopes?.filter((scope) => !grant.scopes.includes(scope));
  if (missing?.length) throw reject('TOKEN_SCOPES_MISSING', 'lacks required scopes: ' + missing.join(', '), missing);
  if (!(grant.delegationDepth <= maxDelegationDepth)) throw reject('TOKEN_DELEGATION_TOO_DEEP', 'delegation is too deep');
}
