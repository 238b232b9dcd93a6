import { GrantTokenError } from '../errors.js';
import type { UnverifiedGrant, VerifiedGrant } from './types.js';

type Claims = Record<string, unknown>;

// String claims every grant token carries, with the name they get in the result.
const REQUIRED = [['jti', 'tokenId'], ['grnt', 'grantId'], ['sub', 'principalId'], ['agt', 'agentDid'], ['dev', 'developerId']] as const;

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isSeconds = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function invalid(claim: string): GrantTokenError {
  return new GrantTokenError('TOKEN_CLAIMS_MISSING', `Grant token claim "${claim}" is missing or invalid`);
}

/**
 * Maps a claims set to the grant shape, rejecting any token whose claims do not match what Grantex
 * issues: a missing or mistyped claim must never surface as `undefined` in an authorization check.
 */
export function toGrant(claims: Claims, verified: true): VerifiedGrant;
export function toGrant(claims: Claims, verified: false): UnverifiedGrant;
export function toGrant(claims: Claims, verified: boolean): VerifiedGrant | UnverifiedGrant {
  const grant: Record<string, unknown> = { verified };
  for (const [claim, name] of REQUIRED) {
    if (!isText(claims[claim])) throw invalid(claim);
    grant[name] = claims[claim];
  }
  const { scp, iat, exp, aud, bdg, parentAgt, parentGrnt, delegationDepth } = claims;
  if (!Array.isArray(scp) || !scp.every(isText)) throw invalid('scp');
  if (!isSeconds(iat)) throw invalid('iat');
  if (!isSeconds(exp)) throw invalid('exp');
  grant.scopes = Object.freeze([...scp]);
  grant.issuedAt = new Date(iat * 1000);
  grant.expiresAt = new Date(exp * 1000);
  if (aud !== undefined) {
    // Grantex issues a single audience string; anything else is not a token it minted.
    if (!isText(aud)) throw invalid('aud');
    grant.audience = aud;
  }
  if (bdg !== undefined) {
    if (!isSeconds(bdg)) throw invalid('bdg');
    grant.budget = bdg;
  }
  grant.delegationDepth = 0;
  // The three delegation claims come together; a partial set would let a delegated token pass as a root one.
  if (parentAgt !== undefined || parentGrnt !== undefined || delegationDepth !== undefined) {
    if (!isText(parentAgt)) throw invalid('parentAgt');
    if (!isText(parentGrnt)) throw invalid('parentGrnt');
    if (!Number.isInteger(delegationDepth) || (delegationDepth as number) < 1) throw invalid('delegationDepth');
    grant.parentAgentDid = parentAgt;
    grant.parentGrantId = parentGrnt;
    grant.delegationDepth = delegationDepth;
  }
  return Object.freeze(grant) as unknown as VerifiedGrant | UnverifiedGrant;
}
