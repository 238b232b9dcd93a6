import { GrantTokenError } from '../errors.js';
import type { UnverifiedGrant, VerifiedGrant } from './types.js';

type Claims = Record<string, unknown>;
type Check = (value: unknown) => boolean;

const isText: Check = (value) => typeof value === 'string' && value !== '';
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
/**
 * The largest NumericDate a `Date` can hold: ECMAScript dates span ±8.64e15 ms. A time claim beyond
 * it (`exp: 1e300`) would become an Invalid Date, which compares false both ways and so slips past
 * every "is it expired" check written against the grant.
 */
const MAX_INSTANT_SECONDS = 8.64e12;
const isInstant: Check = (value) => isNumber(value) && Math.abs(value as number) <= MAX_INSTANT_SECONDS;
const isScopes: Check = (value) => Array.isArray(value) && value.every(isText);
const isDepth: Check = (value) => Number.isInteger(value) && (value as number) >= 1;

// [claim, result property, check, required]. Required claims are what every grant token carries;
// the rest are checked only when present. The last three are the delegation claims.
const CLAIMS: [string, string, Check, boolean?][] = [
  ['jti', 'tokenId', isText, true],
  ['grnt', 'grantId', isText, true],
  ['sub', 'principalId', isText, true],
  ['agt', 'agentDid', isText, true],
  ['dev', 'developerId', isText, true],
  ['scp', 'scopes', isScopes, true],
  ['iat', 'issuedAt', isInstant, true],
  ['exp', 'expiresAt', isInstant, true],
  ['nbf', '', isInstant],
  // Grantex issues a single audience string; an array is not a token it minted.
  ['aud', 'audience', isText],
  ['bdg', 'budget', isNumber],
  ['parentAgt', 'parentAgentDid', isText],
  ['parentGrnt', 'parentGrantId', isText],
  ['delegationDepth', 'delegationDepth', isDepth],
];

const invalid = (claim: string) => new GrantTokenError('TOKEN_CLAIMS_MISSING', `Grant token claim "${claim}" is missing or invalid`);

/**
 * Maps a claims set to the grant shape, rejecting any token whose claims do not match what Grantex
 * issues: a missing or mistyped claim must never surface as `undefined` in an authorization check.
 */
export function toGrant(claims: Claims, verified: true): VerifiedGrant;
export function toGrant(claims: Claims, verified: false): UnverifiedGrant;
export function toGrant(claims: Claims, verified: boolean): VerifiedGrant | UnverifiedGrant {
  const grant: Record<string, unknown> = { verified, delegationDepth: 0 };
  let delegation = 0;
  for (let i = 0; i < CLAIMS.length; i++) {
    const [claim, name, check, required] = CLAIMS[i]!;
    const value = claims[claim];
    if (value === undefined && !required) continue;
    if (!check(value)) throw invalid(claim);
    if (name) grant[name] = value;
    if (i >= CLAIMS.length - 3) delegation++;
  }
  // The three delegation claims come together; a partial set would let a delegated token pass as a root one.
  if (delegation % 3) throw invalid('delegationDepth');
  grant.scopes = Object.freeze([...(claims.scp as string[])]);
  grant.issuedAt = new Date((claims.iat as number) * 1000);
  grant.expiresAt = new Date((claims.exp as number) * 1000);
  return Object.freeze(grant) as unknown as VerifiedGrant | UnverifiedGrant;
}
