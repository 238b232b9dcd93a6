import { GrantTokenError, type GrantTokenErrorCode } from '../errors.js';
import type { GrantCheckOptions, GrantClaims } from './types.js';

const reject = (code: GrantTokenErrorCode, message: string, missingScopes?: string[]) =>
  new GrantTokenError(code, `Grant token ${message}`, { missingScopes });

/**
 * The checks jose's `jwtVerify` would make, done here on the already-typed grant so the bundle does
 * not carry jose's general-purpose claims validator. Times are whole seconds, as in the token.
 */
export function checkRegistered(
  claims: Record<string, unknown>,
  grant: GrantClaims,
  issuer: string,
  { audience, clockTolerance = 0, now }: GrantCheckOptions,
): void {
  const { nbf } = claims;
  const time = Math.floor((now ?? new Date()).getTime() / 1000);
  if (claims.iss !== issuer) throw reject('TOKEN_ISSUER_INVALID', 'issuer is not the expected issuer');
  // RFC 7519 §4.1.3: a token restricted to an audience is not for a verifier that names none; and a
  // verifier that names one accepts only tokens restricted to it.
  if (grant.audience !== audience) throw reject('TOKEN_AUDIENCE_INVALID', 'audience does not match');
  if (grant.expiresAt.getTime() / 1000 <= time - clockTolerance) throw reject('TOKEN_EXPIRED', 'has expired');
  if (nbf !== undefined && typeof nbf !== 'number') throw reject('TOKEN_CLAIMS_MISSING', 'claim "nbf" is invalid');
  // A token stamped in the future was issued by a clock we cannot trust, or was crafted.
  if (Math.max(nbf ?? 0, grant.issuedAt.getTime() / 1000) > time + clockTolerance) {
    throw reject('TOKEN_NOT_YET_VALID', 'is not valid yet (nbf or iat is in the future)');
  }
}

/** Applies the caller's authorization policy (scopes, delegation depth) to an authentic grant. */
export function checkPolicy(grant: GrantClaims, { requiredScopes, maxDelegationDepth }: GrantCheckOptions): void {
  const missing = requiredScopes?.filter((scope) => !grant.scopes.includes(scope));
  if (missing?.length) throw reject('TOKEN_SCOPES_MISSING', `lacks required scopes: ${missing.join(', ')}`, missing);
  if (grant.delegationDepth > (maxDelegationDepth ?? Infinity)) {
    throw reject('TOKEN_DELEGATION_TOO_DEEP', `delegation depth exceeds ${maxDelegationDepth}`);
  }
}
