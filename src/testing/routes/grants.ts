// Grants: list, get, revoke (cascading to delegated grants), online verification and delegation.
import { iso, parseDuration, ulid } from '../encoding.js';
import { checkGrantToken, checkJwt, issueGrantToken, issueRefreshToken, revokeCascade } from '../grant-tokens.js';
import { badRequest, HttpError, isString, json, noContent, notFound, objectBody, type Ctx, type Route } from '../http.js';
import type { GrantRecord } from '../store.js';
import { issueGrantVc } from '../credentials.js';

/**
 * A grant as `/v1/grants` shows it. The real server does not read the parent columns there, so
 * `delegationDepth` is always 0 and `parentGrantId` never appears (the compliance exports carry
 * the true depth).
 */
export const grantView = (g: GrantRecord) => ({
  grantId: g.grantId,
  agentId: g.agentId,
  principalId: g.principalId,
  developerId: g.developerId,
  scopes: [...g.scopes],
  status: g.status,
  issuedAt: iso(g.issuedAt),
  expiresAt: iso(g.expiresAt),
  ...(g.revokedAt !== undefined ? { revokedAt: iso(g.revokedAt) } : {}),
  delegationDepth: 0,
});

function ownGrant(ctx: Ctx): GrantRecord | undefined {
  const grant = ctx.core.store.grants.get(ctx.params['id']!);
  return grant && grant.developerId === ctx.developer.developerId ? grant : undefined;
}

/** Revokes a grant with its descendants and tells the developer's webhooks. */
export async function revokeGrant(ctx: Ctx, grant: GrantRecord): Promise<string[]> {
  const revoked = revokeCascade(ctx.core, grant);
  // `cascade`: descendants were revoked in this same step (their ids are not listed).
  await ctx.core.emit(grant.developerId, 'grant.revoked', { grantId: grant.grantId, cascade: revoked.length > 1 });
  return revoked;
}

export const grantRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/grants',
    auth: 'apiKey',
    handler: ({ core, developer, query }) => {
      const agentId = query.get('agentId');
      const principalId = query.get('principalId');
      const status = query.get('status');
      const grants = [...core.store.grants.values()]
        .filter(
          (g) =>
            g.developerId === developer.developerId &&
            (agentId === null || g.agentId === agentId) &&
            (principalId === null || g.principalId === principalId) &&
            (status === null || g.status === status),
        )
        .sort((a, b) => b.issuedAt - a.issuedAt || b.seq - a.seq);
      return json(200, { grants: grants.map(grantView) });
    },
  },
  {
    method: 'GET',
    path: '/v1/grants/{id}',
    auth: 'apiKey',
    handler: (ctx) => {
      const grant = ownGrant(ctx);
      if (!grant) throw notFound('Grant not found');
      return json(200, grantView(grant));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/grants/{id}',
    auth: 'apiKey',
    handler: async (ctx) => {
      const grant = ownGrant(ctx);
      if (!grant || grant.status !== 'active') throw notFound('Grant not found or already revoked');
      await revokeGrant(ctx, grant);
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/v1/grants/verify',
    auth: 'apiKey',
    handler: async (ctx) => {
      const body = objectBody(ctx);
      if (!isString(body['token']) || body['token'].length === 0) throw badRequest('token is required');
      // A JWT that fails on its own (signature, format, issuer, claims, and also expiry) is a 400 here.
      const jwt = await checkJwt(ctx.core, body['token']);
      if (!jwt.claims || jwt.problem) throw badRequest('Invalid token');
      const check = await checkGrantToken(ctx.core, body['token'], ctx.developer.developerId);
      if (!check.ok) return json(200, { active: false, reason: check.problem });
      const c = check.claims;
      const claims: Record<string, unknown> = { sub: c.sub, agt: c.agt, dev: c.dev, scp: [...c.scp], jti: c.jti, grnt: c.grnt, iat: c.iat, exp: c.exp };
      for (const key of ['iss', 'aud', 'parentAgt', 'parentGrnt', 'delegationDepth', 'bdg'] as const) if (c[key] !== undefined) claims[key] = c[key];
      return json(200, { active: true, claims });
    },
  },
  {
    method: 'POST',
    path: '/v1/grants/delegate',
    auth: 'apiKey',
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const { parentGrantToken, subAgentId, scopes, credentialFormat } = body;
      const expiresIn = body['expiresIn'] ?? '1h';
      if (!isString(parentGrantToken) || parentGrantToken.length === 0 || !isString(subAgentId) || subAgentId.length === 0 || !Array.isArray(scopes) || scopes.length === 0) {
        throw badRequest('parentGrantToken, subAgentId, and scopes are required');
      }
      if (!isString(expiresIn)) throw badRequest('expiresIn must be a string like "1h", "30m", or "1d"');
      if (scopes.length > 100 || scopes.some((s) => !isString(s) || s.length === 0 || s.length > 256)) {
        throw badRequest('scopes must contain 1 to 100 non-empty strings of at most 256 characters');
      }
      if (credentialFormat !== undefined && !['jwt', 'vc-jwt', 'both'].includes(credentialFormat as string)) {
        throw badRequest('credentialFormat must be jwt, vc-jwt, or both');
      }
      const { store } = ctx.core;
      const { claims, problem: jwtProblem } = await checkJwt(ctx.core, parentGrantToken);
      if (!claims) throw badRequest('Invalid parentGrantToken');
      if (claims.dev !== ctx.developer.developerId) throw new HttpError(403, 'FORBIDDEN', 'Parent grant belongs to a different developer');
      const check = await checkGrantToken(ctx.core, parentGrantToken, ctx.developer.developerId);
      if (!check.ok) {
        if (check.problem === 'revoked') throw badRequest('Parent grant has been revoked');
        if (check.problem === 'expired' || jwtProblem === 'expired') throw badRequest('Parent grant has expired');
        throw badRequest('Invalid parentGrantToken claims');
      }
      const parent = check.grant;
      const parentDepth = typeof claims.delegationDepth === 'number' ? claims.delegationDepth : 0;
      if (parentDepth + 1 > ctx.core.maxDelegationDepth) {
        throw new HttpError(403, 'DELEGATION_DEPTH_EXCEEDED', `Delegation depth limit reached: chains may not exceed ${ctx.core.maxDelegationDepth} hop(s)`);
      }
      const extra = (scopes as string[]).filter((s) => !claims.scp.includes(s));
      if (extra.length > 0) throw badRequest(`Requested scopes exceed parent grant scopes: ${extra.join(', ')}`);
      const subAgent = store.agents.get(subAgentId);
      if (!subAgent || subAgent.developerId !== ctx.developer.developerId || subAgent.status !== 'active') throw notFound('Sub-agent not found');
      const lifetime = parseDuration(expiresIn);
      if (lifetime === undefined || lifetime <= 0) throw badRequest('Invalid expiresIn format. Use e.g. "1h", "30m", or "1d".');
      if (parent.status !== 'active') throw badRequest('Parent grant is no longer active');

      // exp = min(parent exp, now + expiresIn), on whole seconds as the token carries them.
      const expiresAt = Math.min(ctx.now + lifetime, claims.exp * 1000);
      const grant: GrantRecord = {
        grantId: `grnt_${ulid(ctx.now)}`,
        developerId: ctx.developer.developerId,
        agentId: subAgent.agentId,
        agentDid: `did:grantex:${subAgent.agentId}`,
        principalId: claims.sub,
        scopes: [...(scopes as string[])],
        status: 'active',
        issuedAt: ctx.now,
        expiresAt,
        ...(typeof claims.aud === 'string' ? { audience: claims.aud } : {}),
        parentGrantId: parent.grantId,
        parentAgentDid: claims.agt,
        delegationDepth: parentDepth + 1,
        seq: store.nextSeq(),
      };
      store.grants.set(grant.grantId, grant);
      const { token, jti } = await issueGrantToken(ctx.core, grant);
      const refreshToken = issueRefreshToken(ctx.core, grant);
      const answer: Record<string, unknown> = {
        grantToken: token,
        expiresAt: iso(expiresAt),
        scopes: [...grant.scopes],
        grantId: grant.grantId,
        refreshToken,
      };
      if (credentialFormat === 'vc-jwt' || credentialFormat === 'both') answer['verifiableCredential'] = await issueGrantVc(ctx.core, grant);
      const common = { grantId: grant.grantId, agentId: grant.agentId, principalId: grant.principalId, scopes: [...grant.scopes], expiresAt: iso(expiresAt) };
      await ctx.core.emit(grant.developerId, 'grant.created', { ...common, delegationDepth: grant.delegationDepth, parentGrantId: parent.grantId });
      await ctx.core.emit(grant.developerId, 'token.issued', { tokenId: jti, ...common });
      return json(201, answer);
    },
  },
];
