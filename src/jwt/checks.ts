import { GrantTokenError, type GrantTokenErrorCode } from '../errors.js';
import { instant, quote } from './text.js';
import type { GrantCheckOptions, GrantClaims } from './types.js';

const reject = (code: GrantTokenErrorCode, message: string, missingScopes?: string[]) =>
  new GrantTokenError(code, 'Grant token ' + message, { missingScopes });

/** What a verifier pins for every token: the issuer and, unless any developer is accepted, the developer. */
export interface Pin {
  readonly issuer: string;
  readonly developerId: string | undefined;
}

/**
 * The registered-claim checks jose's `jwtVerify` would make, plus the developer pin, done on the
 * already-typed grant so the bundle does not carry jose's general-purpose claims validator. Times
 * are whole seconds and come from the claims, not from the grant's `Date`s, which a caller can mutate.
 * Messages name the expected and the actual value: none of them is a secret. `clock` is the
 * caller's reading of the clock (epoch ms), used unless the options pin `now`: the caller reads it
 * once per verification and shares it with the cache and the revocation check, because a clock
 * read is not free on every machine.
 */
export function checkRegistered(claims: Record<string, unknown>, grant: GrantClaims, pin: Pin, options: GrantCheckOptions, clock: number): void {
  const { audience, clockTolerance = 5 } = options;
  const now = Math.floor((options.now === undefined ? clock : options.now.getTime()) / 1000);
  const { issuer, developerId } = pin;
  if (claims.iss !== issuer) {
    throw reject('TOKEN_ISSUER_INVALID', claims.iss === undefined ? `has no issuer; expected ${quote(issuer)}` : `issuer ${quote(claims.iss)} does not match the expected ${quote(issuer)}`);
  }
  if (developerId !== undefined && grant.developerId !== developerId) {
    throw reject('TOKEN_WRONG_DEVELOPER', `was issued for developer ${quote(grant.developerId)}, not ${quote(developerId)}`);
  }
  // RFC 7519 §4.1.3: a token restricted to an audience is not for a verifier that names none, and a
  // verifier that names one accepts only tokens restricted to it.
  if (grant.audience !== audience) {
    throw reject(
      'TOKEN_AUDIENCE_INVALID',
      audience === undefined
        ? `is restricted to audience ${quote(grant.audience)}; set \`audience\` to accept it`
        : grant.audience === undefined
          ? `has no audience; expected ${quote(audience)}`
          : `audience ${quote(grant.audience)} does not match the expected ${quote(audience)}`,
    );
  }
  const exp = claims.exp as number;
  // Comparisons are negated so that a nonsensical tolerance (NaN, a string) rejects every token
  // instead of silently disabling the check.
  if (!(exp > now - clockTolerance)) {
    throw reject('TOKEN_EXPIRED', `expired at ${instant(exp)} (now ${instant(now)}, clock tolerance ${quote(clockTolerance)} s)`);
  }
  // A token stamped in the future comes from a clock we cannot trust, or was crafted.
  const notBefore = Math.max((claims.nbf as number | undefined) ?? 0, claims.iat as number);
  if (!(notBefore - clockTolerance <= now)) {
    throw reject('TOKEN_NOT_YET_VALID', `is not valid before ${instant(notBefore)} (nbf or iat; now ${instant(now)}, clock tolerance ${quote(clockTolerance)} s)`);
  }
}

/** Applies the caller's authorization policy (scopes, delegation depth) to an authentic grant. */
export function checkPolicy(grant: GrantClaims, { requiredScopes, maxDelegationDepth = Infinity }: GrantCheckOptions): void {
  const missing = requiredScopes?.filter((scope) => !grant.scopes.includes(scope));
  if (missing?.length) throw reject('TOKEN_SCOPES_MISSING', 'lacks required scopes: ' + missing.map(quote).join(', '), missing);
  if (!(grant.delegationDepth <= maxDelegationDepth)) {
    throw reject('TOKEN_DELEGATION_TOO_DEEP', `delegation depth ${grant.delegationDepth} exceeds the maximum ${quote(maxDelegationDepth)}`);
  }
}
