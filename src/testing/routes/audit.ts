// The audit log: append-only, one SHA-256 hash chain per developer, computed by the rule the real
// server uses (the same rule `verifyAuditChain` checks). There is no route that changes or removes
// an entry, and readers get copies.
import { computeAuditEntryHash } from '../../audit/index.js';
import { cloneJson, iso, ulid } from '../encoding.js';
import { badRequest, HttpError, isPlainObject, isString, json, notFound, objectBody, type Route } from '../http.js';
import type { AuditRecord, Plan } from '../store.js';

const AUDIT_LIMIT: Record<Plan, number> = { free: 20_000, pro: 1_000_000, enterprise: Infinity };
const STATUSES = ['success', 'failure', 'blocked'];

export const auditView = (e: AuditRecord) => ({
  entryId: e.entryId,
  agentId: e.agentId,
  agentDid: e.agentDid,
  grantId: e.grantId,
  principalId: e.principalId,
  developerId: e.developerId,
  action: e.action,
  metadata: cloneJson(e.metadata),
  hash: e.hash,
  prevHash: e.prevHash,
  timestamp: e.timestamp,
  status: e.status,
});

export const auditRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/audit/log',
    auth: 'apiKey',
    ipLimit: 30,
    handler: async (ctx) => {
      const body = objectBody(ctx);
      for (const key of ['agentId', 'agentDid', 'grantId', 'principalId', 'action']) {
        if (!isString(body[key]) || (body[key] as string).length === 0) throw badRequest(`${key} is required`);
      }
      const metadata = body['metadata'] ?? {};
      if (!isPlainObject(metadata)) throw badRequest('metadata must be an object');
      const status = body['status'] ?? 'success';
      if (!STATUSES.includes(status as string)) throw badRequest('status must be success, failure or blocked');
      const chain = ctx.core.store.auditChain(ctx.developer.developerId);
      const limit = AUDIT_LIMIT[ctx.developer.plan];
      if (chain.length >= limit) {
        throw new HttpError(402, 'PLAN_LIMIT_EXCEEDED', `Plan limit reached: ${ctx.developer.plan} plan allows ${limit} audit entries. Upgrade at /v1/billing/checkout`);
      }
      const entry = {
        entryId: `alog_${ulid(ctx.now)}`,
        agentId: body['agentId'] as string,
        agentDid: body['agentDid'] as string,
        grantId: body['grantId'] as string,
        principalId: body['principalId'] as string,
        developerId: ctx.developer.developerId,
        action: body['action'] as string,
        metadata: cloneJson(metadata),
        prevHash: chain.at(-1)?.hash ?? null,
        timestamp: iso(ctx.now),
        status: status as AuditRecord['status'],
      };
      const record: AuditRecord = Object.freeze({ ...entry, hash: (await computeAuditEntryHash(entry))! }) as AuditRecord;
      chain.push(record);
      return json(201, auditView(record));
    },
  },
  {
    method: 'GET',
    path: '/v1/audit/entries',
    auth: 'apiKey',
    handler: ({ core, developer, query }) => {
      const filters = ['agentId', 'grantId', 'principalId', 'action'] as const;
      const entries = core.store
        .auditChain(developer.developerId)
        .filter((e) => filters.every((key) => query.get(key) === null || e[key] === query.get(key)));
      return json(200, { entries: entries.map(auditView) });
    },
  },
  {
    method: 'GET',
    path: '/v1/audit/{id}',
    auth: 'apiKey',
    handler: ({ core, developer, params }) => {
      const entry = core.store.auditChain(developer.developerId).find((e) => e.entryId === params['id']);
      if (!entry) throw notFound('Audit entry not found');
      return json(200, auditView(entry));
    },
  },
];
