// Compliance reports, computed from the server's state.
import { verifyAuditChain } from '../../audit/index.js';
import { iso } from '../encoding.js';
import { HttpError, json, type Ctx, type Route } from '../http.js';
import type { GrantRecord } from '../store.js';
import { auditView } from './audit.js';
import { orderedPolicies, policyView } from './policies.js';

/**
 * `since`/`until` as the real server reads them: a value the database cannot cast to a timestamp
 * is a 500 there, and here too.
 */
function period(ctx: Ctx): { since?: number | undefined; until?: number | undefined; echo: { since?: string | undefined; until?: string | undefined } } {
  const out: { since?: number; until?: number; echo: { since?: string; until?: string } } = { echo: {} };
  for (const key of ['since', 'until'] as const) {
    const raw = ctx.query.get(key);
    if (raw === null) continue;
    const ms = Date.parse(raw);
    if (!Number.isFinite(ms)) throw new HttpError(500, 'INTERNAL_ERROR', 'An unexpected error occurred');
    out[key] = ms;
    out.echo[key] = raw;
  }
  return out;
}

const within = (ms: number, p: { since?: number | undefined; until?: number | undefined }) => (p.since === undefined || ms >= p.since) && (p.until === undefined || ms <= p.until);

/** A grant with its true delegation depth and a `revokedAt` that is always present. */
const exportGrant = (g: GrantRecord) => ({
  grantId: g.grantId,
  agentId: g.agentId,
  principalId: g.principalId,
  developerId: g.developerId,
  scopes: [...g.scopes],
  status: g.status,
  issuedAt: iso(g.issuedAt),
  expiresAt: iso(g.expiresAt),
  revokedAt: g.revokedAt === undefined ? null : iso(g.revokedAt),
  delegationDepth: g.delegationDepth,
});

function grantsIn(ctx: Ctx, p: { since?: number | undefined; until?: number | undefined }): GrantRecord[] {
  return [...ctx.core.store.grants.values()]
    .filter((g) => g.developerId === ctx.developer.developerId && within(g.issuedAt, p))
    .sort((a, b) => b.issuedAt - a.issuedAt || b.seq - a.seq);
}

const auditIn = (ctx: Ctx, p: { since?: number | undefined; until?: number | undefined }) =>
  ctx.core.store.auditChain(ctx.developer.developerId).filter((e) => within(Date.parse(e.timestamp), p));

function summary(ctx: Ctx, p: { since?: number | undefined; until?: number | undefined }) {
  const agents = [...ctx.core.store.agents.values()].filter((a) => a.developerId === ctx.developer.developerId);
  const grants = grantsIn(ctx, p);
  const entries = auditIn(ctx, p);
  const activeGrants = grants.filter((g) => g.status === 'active');
  return {
    agents: {
      total: agents.length,
      active: agents.filter((a) => a.status === 'active').length,
      suspended: agents.filter((a) => a.status === 'suspended').length,
      revoked: 0,
    },
    grants: {
      total: grants.length,
      active: activeGrants.filter((g) => g.expiresAt > ctx.now).length,
      revoked: grants.filter((g) => g.status === 'revoked').length,
      expired: activeGrants.filter((g) => g.expiresAt <= ctx.now).length,
    },
    auditEntries: {
      total: entries.length,
      success: entries.filter((e) => e.status === 'success').length,
      failure: entries.filter((e) => e.status === 'failure').length,
      blocked: entries.filter((e) => e.status === 'blocked').length,
    },
    policies: { total: orderedPolicies(ctx.core.store, ctx.developer.developerId).length },
    plan: ctx.developer.plan,
  };
}

export const complianceRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/compliance/summary',
    auth: 'apiKey',
    handler: (ctx) => {
      const p = period(ctx);
      return json(200, { generatedAt: iso(ctx.now), ...p.echo, ...summary(ctx, p) });
    },
  },
  {
    method: 'GET',
    path: '/v1/compliance/export/grants',
    auth: 'apiKey',
    handler: (ctx) => {
      const p = period(ctx);
      const status = ctx.query.get('status');
      const grants = grantsIn(ctx, p).filter((g) => status === null || g.status === status);
      return json(200, { generatedAt: iso(ctx.now), total: grants.length, grants: grants.map(exportGrant) });
    },
  },
  {
    method: 'GET',
    path: '/v1/compliance/export/audit',
    auth: 'apiKey',
    handler: (ctx) => {
      const p = period(ctx);
      const agentId = ctx.query.get('agentId');
      const status = ctx.query.get('status');
      const entries = auditIn(ctx, p).filter((e) => (agentId === null || e.agentId === agentId) && (status === null || e.status === status));
      return json(200, { generatedAt: iso(ctx.now), total: entries.length, entries: entries.map(auditView) });
    },
  },
  {
    method: 'GET',
    path: '/v1/compliance/evidence-pack',
    auth: 'apiKey',
    handler: async (ctx) => {
      const p = period(ctx);
      const entries = auditIn(ctx, p).map(auditView);
      // A filtered period is not a contiguous chain: links are checked only for the whole log.
      const report = await verifyAuditChain(entries, { checkLinks: p.since === undefined && p.until === undefined });
      const broken = report.firstBroken;
      return json(200, {
        meta: { schemaVersion: '1.0', generatedAt: iso(ctx.now), ...p.echo, framework: ctx.query.get('framework') ?? 'all' },
        summary: summary(ctx, p),
        grants: grantsIn(ctx, p).map(exportGrant),
        auditEntries: entries,
        policies: orderedPolicies(ctx.core.store, ctx.developer.developerId).map(policyView),
        chainIntegrity: {
          valid: report.valid,
          checkedEntries: report.checkedEntries,
          firstBrokenAt: broken?.entryId ?? null,
          reason: broken && broken.reason !== 'unverifiable' ? broken.reason : null,
        },
      });
    },
  },
];
