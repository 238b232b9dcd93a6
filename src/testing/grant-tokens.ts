// Issuing and checking grant tokens: real RS256 JWTs whose jti, grant and expiry the server
// tracks, so that revocation, refresh rotation and expiry behave as on the real server.
import { revokeGrantCredentials } from './credentials.js';
import { ulid } from './encoding.js';
import type { ServerCore } from './http.js';
import type { GrantRecord } from './store.js';

/** Refresh tokens live for at most 30 days, and never longer than their grant. */
const REFRESH_LIFETIME_MS = 30 * 86_400_000;

export interface GrantTokenClaims {
  sub: string;
  agt: string;
  dev: string;
  scp: string[];
  jti: string;
  grnt: string;
  iat: number;
  exp: number;
  iss?: string | undefined;
  aud?: string | undefined;
  parentAgt?: string | undefined;
  parentGrnt?: string | undefined;
  delegationDepth?: number | undefined;
  bdg?: number | undefined;
  [claim: string]: unknown;
}

/** Why a presented grant token is not usable. `invalid` covers signature, format, issuer and claims. */
export type TokenProblem = 'invalid' | 'expired' | 'not_found' | 'revoked' | 'wrong_developer';

export type TokenCheck =
  | { readonly ok: true; readonly claims: GrantTokenClaims; readonly grant: GrantRecord }
  | { readonly ok: false; readonly problem: TokenProblem; readonly claims?: GrantTokenClaims | undefined };

const seconds = (ms: number) => Math.floor(ms / 1000);

/** Signs a new token for `grant` and records its jti. `exp` is the grant's expiry. */
export async function issueGrantToken(core: ServerCore, grant: GrantRecord, extra: { bdg?: number | undefined } = {}): Promise<{ token: string; jti: string }> {
  const now = core.clock.ms();
  const jti = `tok_${ulid(now)}`;
  // The claim order follows recorded tokens of the real server.
  const payload: Record<string, unknown> = { agt: grant.agentDid, dev: grant.developerId, scp: [...grant.scopes], grnt: grant.grantId };
  if (grant.parentGrantId !== undefined) {
    if (grant.parentAgentDid !== undefined) payload['parentAgt'] = grant.parentAgentDid;
    payload['parentGrnt'] = grant.parentGrantId;
    payload['delegationDepth'] = grant.delegationDepth;
  }
  if (grant.audience !== undefined) payload['aud'] = grant.audience;
  if (extra.bdg !== undefined) payload['bdg'] = extra.bdg;
  Object.assign(payload, { iss: core.issuer(), sub: grant.principalId, jti, iat: seconds(now), exp: seconds(grant.expiresAt) });
  const token = await core.signer.sign(payload);
  core.store.tokens.set(jti, { jti, grantId: grant.grantId, developerId: grant.developerId, issuedAt: now, expiresAt: grant.expiresAt, revoked: false });
  return { token, jti };
}

/** Records a new single-use refresh token for `grant`. */
export function issueRefreshToken(core: ServerCore, grant: GrantRecord): string {
  const now = core.clock.ms();
  const id = `ref_${ulid(now)}`;
  core.store.refreshTokens.set(id, {
    id,
    grantId: grant.grantId,
    developerId: grant.developerId,
    expiresAt: Math.min(now + REFRESH_LIFETIME_MS, grant.expiresAt),
    used: false,
  });
  return id;
}

function readClaims(payload: Record<string, unknown>): GrantTokenClaims | undefined {
  const strings = ['sub', 'agt', 'dev', 'jti', 'grnt'] as const;
  if (strings.some((claim) => typeof payload[claim] !== 'string')) return undefined;
  if (!Array.isArray(payload['scp']) || !payload['scp'].every((s) => typeof s === 'string')) return undefined;
  if (!Number.isFinite(payload['iat']) || !Number.isFinite(payload['exp'])) return undefined;
  return payload as GrantTokenClaims;
}

/** Checks the JWT only: signature with this server's key, an issuer this server used, the claims, and `exp`. */
export async function checkJwt(core: ServerCore, token: unknown): Promise<{ claims?: GrantTokenClaims | undefined; problem?: 'invalid' | 'expired' | undefined }> {
  if (typeof token !== 'string') return { problem: 'invalid' };
  const payload = await core.signer.verify(token);
  const claims = payload && readClaims(payload);
  if (!claims || (claims.iss !== undefined && !core.issuers.has(claims.iss))) return { problem: 'invalid' };
  if (claims.exp <= seconds(core.clock.ms())) return { claims, problem: 'expired' };
  return { claims };
}

/**
 * Full check of a presented grant token: the JWT, then the server's records (the jti is known and
 * not revoked, its grant is active and not expired). With `developerId`, a token of another
 * developer is reported as `wrong_developer`.
 */
export async function checkGrantToken(core: ServerCore, token: unknown, developerId?: string): Promise<TokenCheck> {
  const { claims, problem } = await checkJwt(core, token);
  if (!claims) return { ok: false, problem: problem ?? 'invalid' };
  if (problem) return { ok: false, problem, claims };
  if (developerId !== undefined && claims.dev !== developerId) return { ok: false, problem: 'wrong_developer', claims };
  const record = core.store.tokens.get(claims.jti);
  const grant = record && core.store.grants.get(record.grantId);
  if (!record || !grant || record.grantId !== claims.grnt || record.developerId !== claims.dev) return { ok: false, problem: 'not_found', claims };
  if (record.revoked || grant.status !== 'active') return { ok: false, problem: 'revoked', claims };
  if (grant.expiresAt <= core.clock.ms()) return { ok: false, problem: 'expired', claims };
  return { ok: true, claims, grant };
}

/**
 * Revokes `grant` and every active grant delegated from it, at any depth; returns the ids revoked.
 * Their tokens stop verifying because verification reads the grant's status; their VCs are revoked.
 */
export function revokeCascade(core: ServerCore, grant: GrantRecord): string[] {
  const now = core.clock.ms();
  const revoked: string[] = [];
  const queue = [grant];
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (current.status !== 'active') continue;
    current.status = 'revoked';
    current.revokedAt = now;
    revoked.push(current.grantId);
    for (const child of core.store.grants.values()) {
      if (child.parentGrantId === current.grantId && child.status === 'active') queue.push(child);
    }
  }
  // Their credentials are revoked with them: the status-list bits are set.
  revokeGrantCredentials(core, revoked, now);
  return revoked;
}
