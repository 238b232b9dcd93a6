// Authorization policies (evaluated at /v1/authorize by the built-in rules) and policy bundles.
import { fromBase64, iso, sha256Hex, ulid } from '../encoding.js';
import { badRequest, HttpError, isString, isStringArray, json, noContent, notFound, objectBody, type Body, type Ctx, type Route } from '../http.js';
import type { Plan, PolicyBundleRecord, PolicyRecord, Store } from '../store.js';

const POLICY_LIMIT: Record<Plan, number> = { free: 50, pro: 500, enterprise: Infinity };

export const policyView = (p: PolicyRecord) => ({
  id: p.id,
  name: p.name,
  effect: p.effect,
  priority: p.priority,
  agentId: p.agentId,
  principalId: p.principalId,
  scopes: p.scopes && [...p.scopes],
  timeOfDayStart: p.timeOfDayStart,
  timeOfDayEnd: p.timeOfDayEnd,
  createdAt: iso(p.createdAt),
  updatedAt: iso(p.updatedAt),
});

const bundleView = (b: PolicyBundleRecord) => ({
  id: b.id,
  developerId: b.developerId,
  format: b.format,
  version: b.version,
  sha256: b.sha256,
  fileCount: b.fileCount,
  active: b.active,
  createdAt: iso(b.createdAt),
});

/** Priority first (highest wins), then the oldest policy. */
export function orderedPolicies(store: Store, developerId: string): PolicyRecord[] {
  return [...store.policies.values()].filter((p) => p.developerId === developerId).sort((a, b) => b.priority - a.priority || a.seq - b.seq);
}

const minutesOf = (hhmm: string | null): number | undefined => {
  const match = hhmm === null ? null : /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!match) return undefined;
  const [h, m] = [Number(match[1]), Number(match[2])];
  return h < 24 && m < 60 ? h * 60 + m : undefined;
};

function inWindow(policy: PolicyRecord, now: number): boolean {
  if (policy.timeOfDayStart === null || policy.timeOfDayEnd === null) return true;
  const start = minutesOf(policy.timeOfDayStart);
  const end = minutesOf(policy.timeOfDayEnd);
  if (start === undefined || end === undefined) return false;
  const date = new Date(now);
  const minute = date.getUTCHours() * 60 + date.getUTCMinutes();
  // Start inclusive, end exclusive, in UTC; a window may wrap past midnight.
  return start <= end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * The built-in policy decision: the first matching policy (by priority, then age) decides. A deny
 * matches when any requested scope is listed; an allow only when all of them are.
 */
export function evaluatePolicies(
  store: Store,
  developerId: string,
  request: { agentId: string; principalId: string; scopes: string[] },
  now: number,
): 'allow' | 'deny' | undefined {
  for (const policy of orderedPolicies(store, developerId)) {
    if (policy.agentId !== null && policy.agentId !== request.agentId) continue;
    if (policy.principalId !== null && policy.principalId !== request.principalId) continue;
    if (policy.scopes !== null) {
      const listed = new Set(policy.scopes);
      const matches = policy.effect === 'deny' ? request.scopes.some((s) => listed.has(s)) : request.scopes.every((s) => listed.has(s));
      if (!matches) continue;
    }
    if (!inWindow(policy, now)) continue;
    return policy.effect;
  }
  return undefined;
}

/** Reads the nullable condition fields; with `partial`, an omitted key stays `undefined` (unchanged). */
function readConditions(body: Body, partial: boolean): Partial<Pick<PolicyRecord, 'agentId' | 'principalId' | 'scopes' | 'timeOfDayStart' | 'timeOfDayEnd'>> {
  const out: Record<string, unknown> = {};
  for (const key of ['agentId', 'principalId', 'timeOfDayStart', 'timeOfDayEnd'] as const) {
    const value = body[key];
    if (value === undefined) {
      if (!partial) out[key] = null;
    } else if (value === null || isString(value)) out[key] = value;
    else throw badRequest(`${key} must be a string`);
  }
  const scopes = body['scopes'];
  if (scopes === undefined) {
    if (!partial) out['scopes'] = null;
  } else if (scopes === null || isStringArray(scopes)) out['scopes'] = scopes && [...scopes];
  else throw badRequest('scopes must be an array of strings');
  return out;
}

function ownPolicy(ctx: Ctx): PolicyRecord {
  const policy = ctx.core.store.policies.get(ctx.params['id']!);
  if (!policy || policy.developerId !== ctx.developer.developerId) throw notFound('Policy not found');
  return policy;
}

export const policyRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/policies',
    auth: 'apiKey',
    ipLimit: 30,
    handler: (ctx) => {
      const body = objectBody(ctx);
      if (!isString(body['name']) || body['name'].length === 0) throw badRequest('name is required');
      if (body['effect'] !== 'allow' && body['effect'] !== 'deny') throw badRequest('effect must be allow or deny');
      const priority = body['priority'] ?? 0;
      if (!Number.isInteger(priority)) throw badRequest('priority must be an integer');
      const { store } = ctx.core;
      const limit = POLICY_LIMIT[ctx.developer.plan];
      if (orderedPolicies(store, ctx.developer.developerId).length >= limit) {
        throw new HttpError(402, 'PLAN_LIMIT_EXCEEDED', `Plan limit reached: ${ctx.developer.plan} plan allows ${limit} policies. Upgrade at /v1/billing/checkout`);
      }
      const policy = {
        id: `pol_${ulid(ctx.now)}`,
        developerId: ctx.developer.developerId,
        name: body['name'],
        effect: body['effect'],
        priority: priority as number,
        ...(readConditions(body, false) as Pick<PolicyRecord, 'agentId' | 'principalId' | 'scopes' | 'timeOfDayStart' | 'timeOfDayEnd'>),
        createdAt: ctx.now,
        updatedAt: ctx.now,
        seq: store.nextSeq(),
      } satisfies PolicyRecord;
      store.policies.set(policy.id, policy);
      return json(201, policyView(policy));
    },
  },
  {
    method: 'GET',
    path: '/v1/policies',
    auth: 'apiKey',
    handler: ({ core, developer }) => {
      const policies = orderedPolicies(core.store, developer.developerId).map(policyView);
      return json(200, { policies, total: policies.length });
    },
  },
  {
    method: 'GET',
    path: '/v1/policies/{id}',
    auth: 'apiKey',
    handler: (ctx) => json(200, policyView(ownPolicy(ctx))),
  },
  {
    method: 'PATCH',
    path: '/v1/policies/{id}',
    auth: 'apiKey',
    ipLimit: 30,
    handler: (ctx) => {
      const body = objectBody(ctx);
      const policy = ownPolicy(ctx);
      if (body['name'] !== undefined && !isString(body['name'])) throw badRequest('name must be a string');
      if (body['effect'] !== undefined && body['effect'] !== 'allow' && body['effect'] !== 'deny') throw badRequest('effect must be allow or deny');
      if (body['priority'] !== undefined && !Number.isInteger(body['priority'])) throw badRequest('priority must be an integer');
      const conditions = readConditions(body, true);
      if (body['name'] !== undefined) policy.name = body['name'] as string;
      if (body['effect'] !== undefined) policy.effect = body['effect'] as 'allow' | 'deny';
      if (body['priority'] !== undefined) policy.priority = body['priority'] as number;
      Object.assign(policy, conditions);
      policy.updatedAt = ctx.now;
      return json(200, policyView(policy));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/policies/{id}',
    auth: 'apiKey',
    ipLimit: 30,
    handler: (ctx) => {
      ctx.core.store.policies.delete(ownPolicy(ctx).id);
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/v1/policies/sync',
    auth: 'apiKey',
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const { format, version, content } = body;
      if (format !== 'rego' && format !== 'cedar') throw badRequest('format must be rego or cedar');
      if (!isString(version) || version.length === 0) throw badRequest('version is required');
      const decoded = isString(content) && content.length > 0 ? fromBase64(content) : undefined;
      if (!decoded) throw badRequest('content must be base64');
      const fileCount = body['fileCount'] ?? 1;
      if (!Number.isInteger(fileCount) || (fileCount as number) < 1) throw badRequest('fileCount must be a positive integer');
      const activate = body['activate'] ?? true;
      if (typeof activate !== 'boolean') throw badRequest('activate must be a boolean');
      const { store } = ctx.core;
      if (activate) {
        for (const bundle of store.policyBundles.values()) {
          if (bundle.developerId === ctx.developer.developerId && bundle.format === format) bundle.active = false;
        }
      }
      const bundle: PolicyBundleRecord = {
        id: `pbnd_${ulid(ctx.now)}`,
        developerId: ctx.developer.developerId,
        format,
        version,
        sha256: await sha256Hex(decoded),
        fileCount: fileCount as number,
        active: activate,
        createdAt: ctx.now,
        seq: store.nextSeq(),
      };
      store.policyBundles.set(bundle.id, bundle);
      return json(201, { bundleId: bundle.id, format, version, sha256: bundle.sha256, fileCount: bundle.fileCount, activated: activate });
    },
  },
  {
    method: 'GET',
    path: '/v1/policies/bundles',
    auth: 'apiKey',
    handler: ({ core, developer, query }) => {
      const format = query.get('format');
      const bundles = [...core.store.policyBundles.values()]
        .filter((b) => b.developerId === developer.developerId && (format === null || b.format === format))
        .sort((a, b) => b.seq - a.seq)
        .slice(0, 50);
      return json(200, { bundles: bundles.map(bundleView) });
    },
  },
  {
    method: 'GET',
    path: '/v1/policies/bundles/active',
    auth: 'apiKey',
    handler: ({ core, developer, query }) => {
      const format = query.get('format');
      if (format !== 'rego' && format !== 'cedar') throw badRequest('format must be rego or cedar');
      const bundle = [...core.store.policyBundles.values()].find((b) => b.developerId === developer.developerId && b.format === format && b.active);
      if (!bundle) throw notFound(`No active ${format} bundle`);
      return json(200, bundleView(bundle));
    },
  },
  {
    method: 'POST',
    path: '/v1/policies/sync/webhook',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = objectBody(ctx);
      const repository = body['repository'];
      const fullName = typeof repository === 'object' && repository !== null ? (repository as Body)['full_name'] : undefined;
      return json(200, {
        message: 'Webhook received',
        ...(isString(body['ref']) ? { ref: body['ref'] } : {}),
        ...(isString(fullName) ? { repository: fullName } : {}),
      });
    },
  },
];
