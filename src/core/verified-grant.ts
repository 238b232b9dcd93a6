/**
 * The claims of a verified grant token, named for people rather than for the wire. Shared by
 * offline verification (`verifyGrantToken`) and online verification (`client.grants.verify`), and
 * free of dependencies so both entry points can use it.
 */
export interface VerifiedGrant {
  /** `jti`: the token's own id; revoke it with `client.tokens.revoke(tokenId)`. */
  readonly tokenId: string;
  /** `grnt`: the grant this token was issued under. */
  readonly grantId: string;
  /** `sub`: the user who approved the grant. */
  readonly principalId: string;
  /** `agt`: the DID of the agent holding the token. */
  readonly agentDid: string;
  /** `dev`: the developer that owns the agent. */
  readonly developerId: string;
  /** `scp`: what the token allows. */
  readonly scopes: readonly string[];
  /** `iat` as a Date. */
  readonly issuedAt: Date;
  /** `exp` as a Date. */
  readonly expiresAt: Date;
  /** `aud`, when the authorization request named an audience. */
  readonly audience?: string | readonly string[];
  /** `parentAgt`: on delegated tokens, the DID of the delegating agent. */
  readonly parentAgentDid?: string;
  /** `parentGrnt`: on delegated tokens, the parent grant. */
  readonly parentGrantId?: string;
  /** `delegationDepth`: 1 for a direct delegation, 2 for a delegation of a delegation, … */
  readonly delegationDepth?: number;
}

/** The wire names of the claims, as carried by the JWT and by `POST /v1/grants/verify`. */
export interface GrantTokenClaimSet {
  readonly jti: string;
  readonly grnt: string;
  readonly sub: string;
  readonly agt: string;
  readonly dev: string;
  readonly scp: readonly string[];
  readonly iat: number;
  readonly exp: number;
  readonly aud?: string | readonly string[] | undefined;
  readonly parentAgt?: string | undefined;
  readonly parentGrnt?: string | undefined;
  readonly delegationDepth?: number | undefined;
}

/** Maps already-checked claims to a frozen {@link VerifiedGrant}. */
export function toVerifiedGrant(claims: GrantTokenClaimSet): VerifiedGrant {
  const grant: { -readonly [K in keyof VerifiedGrant]: VerifiedGrant[K] } = {
    tokenId: claims.jti,
    grantId: claims.grnt,
    principalId: claims.sub,
    agentDid: claims.agt,
    developerId: claims.dev,
    scopes: Object.freeze([...claims.scp]),
    issuedAt: new Date(claims.iat * 1000),
    expiresAt: new Date(claims.exp * 1000),
  };
  if (claims.aud !== undefined) grant.audience = typeof claims.aud === 'string' ? claims.aud : Object.freeze([...claims.aud]);
  if (claims.parentAgt !== undefined) grant.parentAgentDid = claims.parentAgt;
  if (claims.parentGrnt !== undefined) grant.parentGrantId = claims.parentGrnt;
  if (claims.delegationDepth !== undefined) grant.delegationDepth = claims.delegationDepth;
  return Object.freeze(grant);
}
