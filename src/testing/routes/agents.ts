import { iso, ulid } from '../encoding.js';
import { badRequest, HttpError, isString, json, noContent, notFound, objectBody, type Body, type Ctx, type Route } from '../http.js';
import { newestFirst, type AgentRecord, type Plan } from '../store.js';

const AGENT_LIMIT: Record<Plan, number> = { free: 500, pro: 5000, enterprise: Infinity };

export const agentView = (a: AgentRecord) => ({
  agentId: a.agentId,
  did: `did:grantex:${a.agentId}`,
  developerId: a.developerId,
  name: a.name,
  description: a.description,
  scopes: [...a.scopes],
  status: a.status,
  createdAt: iso(a.createdAt),
  updatedAt: iso(a.updatedAt),
});

function readScopes(body: Body): string[] | undefined {
  const scopes = body['scopes'];
  if (scopes === undefined) return undefined;
  if (!Array.isArray(scopes) || scopes.length > 100 || scopes.some((s) => !isString(s) || s.length < 1 || s.length > 256)) {
    throw badRequest('scopes must be an array of at most 100 strings of 1-256 characters');
  }
  return [...(scopes as string[])];
}

function ownAgent(ctx: Ctx): AgentRecord {
  const agent = ctx.core.store.agents.get(ctx.params['id']!);
  if (!agent || agent.developerId !== ctx.developer.developerId) throw notFound('Agent not found');
  return agent;
}

export const agentRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/agents',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = objectBody(ctx);
      if (!isString(body['name']) || body['name'].trim().length === 0) throw badRequest('name is required');
      if (body['description'] !== undefined && !isString(body['description'])) throw badRequest('description must be a string');
      const scopes = readScopes(body) ?? [];
      const { store } = ctx.core;
      const limit = AGENT_LIMIT[ctx.developer.plan];
      const count = [...store.agents.values()].filter((a) => a.developerId === ctx.developer.developerId).length;
      if (count >= limit) {
        throw new HttpError(402, 'PLAN_LIMIT_EXCEEDED', `Plan limit reached: ${ctx.developer.plan} plan allows ${limit} agent(s). Upgrade at /v1/billing/checkout`);
      }
      const agent: AgentRecord = {
        agentId: `ag_${ulid(ctx.now)}`,
        developerId: ctx.developer.developerId,
        name: body['name'].trim(),
        description: (body['description'] as string | undefined) ?? '',
        scopes,
        status: 'active',
        createdAt: ctx.now,
        updatedAt: ctx.now,
        seq: store.nextSeq(),
      };
      store.agents.set(agent.agentId, agent);
      return json(201, agentView(agent));
    },
  },
  {
    method: 'GET',
    path: '/v1/agents',
    auth: 'apiKey',
    handler: ({ core, developer }) => json(200, { agents: newestFirst(core.store.agents.values(), developer.developerId).map(agentView) }),
  },
  {
    method: 'GET',
    path: '/v1/agents/{id}',
    auth: 'apiKey',
    handler: (ctx) => json(200, agentView(ownAgent(ctx))),
  },
  {
    method: 'PATCH',
    path: '/v1/agents/{id}',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = objectBody(ctx);
      const agent = ownAgent(ctx);
      const { name, description, status } = body;
      const scopes = readScopes(body);
      if (name === undefined && description === undefined && scopes === undefined && status === undefined) {
        throw badRequest('At least one of name, description, scopes or status is required');
      }
      if (name !== undefined && (!isString(name) || name.trim().length === 0)) throw badRequest('name must be a non-empty string');
      if (description !== undefined && !isString(description)) throw badRequest('description must be a string');
      if (status !== undefined && status !== 'active' && status !== 'suspended') throw badRequest('status must be active or suspended');
      if (name !== undefined) agent.name = (name as string).trim();
      if (description !== undefined) agent.description = description as string;
      if (scopes !== undefined) agent.scopes = scopes;
      if (status !== undefined) agent.status = status;
      agent.updatedAt = ctx.now;
      return json(200, agentView(agent));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/agents/{id}',
    auth: 'apiKey',
    handler: (ctx) => {
      const agent = ownAgent(ctx);
      const { store } = ctx.core;
      // One transaction on the real server: the agent, its grants with their tokens and refresh
      // tokens, and its authorization requests all go.
      const grantIds = new Set([...store.grants.values()].filter((g) => g.agentId === agent.agentId).map((g) => g.grantId));
      for (const id of grantIds) store.grants.delete(id);
      for (const [jti, token] of store.tokens) if (grantIds.has(token.grantId)) store.tokens.delete(jti);
      for (const [id, refresh] of store.refreshTokens) if (grantIds.has(refresh.grantId)) store.refreshTokens.delete(id);
      for (const [id, request] of store.authRequests) {
        if (request.agentId !== agent.agentId) continue;
        store.authRequests.delete(id);
        if (request.code !== undefined) store.codes.delete(request.code);
      }
      store.agents.delete(agent.agentId);
      return noContent();
    },
  },
];
