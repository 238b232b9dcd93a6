// Principal sessions: a short-lived token with which one principal sees and revokes their grants.
import { iso, parseDuration } from '../encoding.js';
import { badRequest, isString, json, noContent, notFound, objectBody, type Ctx, type Route } from '../http.js';
import { revokeGrant } from './grants.js';

const MAX_SESSION_MS = 86_400_000;

const activeGrantsOf = (ctx: Ctx, developerId: string, principalId: string) =>
  [...ctx.core.store.grants.values()]
    .filter((g) => g.developerId === developerId && g.principalId === principalId && g.status === 'active' && g.expiresAt > ctx.now)
    .sort((a, b) => b.issuedAt - a.issuedAt || b.seq - a.seq);

export const principalRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/principal-sessions',
    auth: 'apiKey',
    ipLimit: 10,
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const principalId = body['principalId'];
      if (!isString(principalId) || principalId.length === 0) throw badRequest('principalId is required');
      const lifetime = parseDuration(body['expiresIn'] ?? '1h');
      if (lifetime === undefined || lifetime <= 0) throw badRequest('Invalid expiresIn format. Use e.g. "1h", "30m", "24h".');
      if (activeGrantsOf(ctx, ctx.developer.developerId, principalId).length === 0) throw notFound('No active grants found for this principal');
      const expiresAt = ctx.now + Math.min(lifetime, MAX_SESSION_MS);
      const sessionToken = await ctx.core.signer.sign({
        iss: ctx.core.issuer(),
        sub: principalId,
        dev: ctx.developer.developerId,
        purpose: 'principal_dashboard',
        iat: Math.floor(ctx.now / 1000),
        exp: Math.floor(expiresAt / 1000),
      });
      // Built from the request's host name without its port, as the real server does.
      const dashboardUrl = `${ctx.url.protocol}//${ctx.url.hostname}/permissions#session=${sessionToken}`;
      return json(201, { sessionToken, dashboardUrl, expiresAt: iso(expiresAt) });
    },
  },
  {
    method: 'GET',
    path: '/v1/principal/grants',
    auth: 'principalSession',
    handler: (ctx) => {
      const principalId = ctx.principalId!;
      const grants = activeGrantsOf(ctx, ctx.developer.developerId, principalId).map((g) => {
        const agent = ctx.core.store.agents.get(g.agentId);
        return {
          grantId: g.grantId,
          agentId: g.agentId,
          agentName: agent?.name ?? null,
          agentDescription: agent ? agent.description : null,
          agentDid: agent ? `did:grantex:${agent.agentId}` : null,
          scopes: [...g.scopes],
          status: 'active' as const,
          issuedAt: iso(g.issuedAt),
          expiresAt: iso(g.expiresAt),
          delegationDepth: g.delegationDepth,
        };
      });
      return json(200, { grants, principalId });
    },
  },
  {
    method: 'GET',
    path: '/v1/principal/audit',
    auth: 'principalSession',
    handler: (ctx) => {
      const entries = ctx.core.store
        .auditChain(ctx.developer.developerId)
        .filter((e) => e.principalId === ctx.principalId)
        .reverse()
        .slice(0, 100)
        .map((e) => ({
          entryId: e.entryId,
          agentId: e.agentId,
          agentDid: e.agentDid,
          grantId: e.grantId,
          principalId: e.principalId,
          action: e.action,
          metadata: structuredClone(e.metadata),
          status: e.status,
          timestamp: e.timestamp,
        }));
      return json(200, { entries });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/principal/grants/{id}',
    auth: 'principalSession',
    handler: async (ctx) => {
      const grant = ctx.core.store.grants.get(ctx.params['id']!);
      if (!grant || grant.developerId !== ctx.developer.developerId || grant.principalId !== ctx.principalId || grant.status !== 'active') {
        throw notFound('Grant not found or already revoked');
      }
      await revokeGrant(ctx, grant);
      return noContent();
    },
  },
];
