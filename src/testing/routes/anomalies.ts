// Anomaly detection over the server's own audit log and grants, with stored findings, alerts,
// custom rules and notification channels.
import { testingOperations } from '../fallback.js';
import { cloneJson, iso, ulid } from '../encoding.js';
import { revokeCascade } from '../grant-tokens.js';
import { badRequest, isPlainObject, isString, isStringArray, json, noContent, notFound, objectBody, type Ctx, type Route } from '../http.js';
import { newestFirst, type AnomalyAlertRecord, type AnomalyChannelRecord, type AnomalyRecord } from '../store.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The ten built-in rules, as the spec's example lists them. */
const BUILT_IN_RULES: unknown[] = (() => {
  const example = testingOperations.find((o) => o.operationId === 'listAnomalyRules')?.example as { rules?: { builtIn?: boolean }[] } | undefined;
  return (example?.rules ?? []).filter((rule) => rule.builtIn === true);
})();

const anomalyView = (a: AnomalyRecord) => ({
  id: a.id,
  type: a.type,
  severity: a.severity,
  agentId: a.agentId,
  principalId: a.principalId,
  description: a.description,
  metadata: JSON.stringify(a.metadata),
  detectedAt: iso(a.detectedAt),
  acknowledgedAt: a.acknowledgedAt === null ? null : iso(a.acknowledgedAt),
});

const alertView = (a: AnomalyAlertRecord) => ({
  alertId: a.alertId,
  ruleId: a.ruleId,
  ruleName: a.ruleName,
  severity: a.severity,
  status: a.status,
  agentId: a.agentId,
  detectedAt: iso(a.detectedAt),
  description: a.description,
  context: cloneJson(a.context),
  acknowledgedAt: a.acknowledgedAt === null ? null : iso(a.acknowledgedAt),
  resolvedAt: a.resolvedAt === null ? null : iso(a.resolvedAt),
});

type Finding = Pick<AnomalyRecord, 'type' | 'severity' | 'agentId' | 'principalId' | 'description' | 'metadata'>;

/** The four built-in detections, over the developer's audit entries and grants. */
function detect(ctx: Ctx): Finding[] {
  const now = ctx.now;
  const entries = ctx.core.store.auditChain(ctx.developer.developerId).map((e) => ({ ...e, at: Date.parse(e.timestamp) }));
  const byAgent = new Map<string, typeof entries>();
  for (const entry of entries) byAgent.set(entry.agentId, [...(byAgent.get(entry.agentId) ?? []), entry]);
  const findings: Finding[] = [];
  for (const [agentId, list] of byAgent) {
    const lastHour = list.filter((e) => e.at > now - HOUR);
    if (lastHour.length > 50) {
      findings.push({ type: 'rate_spike', severity: 'high', agentId, principalId: null, description: `Agent ${agentId} performed ${lastHour.length} actions in the last hour (threshold: 50).`, metadata: { count: lastHour.length, windowHours: 1, threshold: 50 } });
    }
    const lastDay = list.filter((e) => e.at > now - DAY);
    const failed = lastDay.filter((e) => e.status !== 'success').length;
    if (lastDay.length >= 5 && failed / lastDay.length > 0.2) {
      const rate = Math.round((failed / lastDay.length) * 1000) / 1000;
      findings.push({ type: 'high_failure_rate', severity: 'medium', agentId, principalId: null, description: `Agent ${agentId} had ${failed} of ${lastDay.length} actions fail or blocked in the last 24 hours (threshold: 20%).`, metadata: { failureRate: rate, total: lastDay.length, windowHours: 24, threshold: 0.2 } });
    }
    const offHours = lastDay.filter((e) => {
      const hour = new Date(e.at).getUTCHours();
      return hour >= 22 || hour < 6;
    });
    if (offHours.length > 10) {
      findings.push({ type: 'off_hours_activity', severity: 'low', agentId, principalId: null, description: `Agent ${agentId} performed ${offHours.length} actions between 22:00 and 06:00 UTC (threshold: 10).`, metadata: { count: offHours.length, windowHours: 24, threshold: 10 } });
    }
  }
  const grants = [...ctx.core.store.grants.values()].filter((g) => g.developerId === ctx.developer.developerId).sort((a, b) => a.seq - b.seq);
  const seen = new Set<string>();
  for (const grant of grants) {
    const pair = `${grant.agentId}\u0000${grant.principalId}`;
    if (!seen.has(pair) && grant.issuedAt > now - DAY) {
      findings.push({ type: 'new_principal', severity: 'low', agentId: grant.agentId, principalId: grant.principalId, description: `Agent ${grant.agentId} received a grant from previously-unseen principal ${grant.principalId}.`, metadata: { windowHours: 24 } });
    }
    seen.add(pair);
  }
  return findings;
}

function ownAlert(ctx: Ctx): AnomalyAlertRecord {
  const alert = ctx.core.store.anomalyAlerts.get(ctx.params['alertId']!);
  if (!alert || alert.developerId !== ctx.developer.developerId) throw notFound('Alert not found');
  return alert;
}

function assertEnum(value: string | null, allowed: string[], name: string): void {
  if (value !== null && !allowed.includes(value)) throw badRequest(`${name} must be one of ${allowed.join(', ')}`);
}

export const anomalyRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/anomalies/detect',
    auth: 'apiKey',
    ipLimit: 30,
    handler: async (ctx) => {
      const { store } = ctx.core;
      const developerId = ctx.developer.developerId;
      for (const [id, anomaly] of store.anomalies) if (anomaly.developerId === developerId && anomaly.acknowledgedAt === null) store.anomalies.delete(id);
      const detected = detect(ctx).map((finding): AnomalyRecord => {
        const record = { id: `anm_${ulid(ctx.now)}`, developerId, ...finding, detectedAt: ctx.now, acknowledgedAt: null, seq: store.nextSeq() };
        store.anomalies.set(record.id, record);
        const alert: AnomalyAlertRecord = {
          alertId: `anm_${ulid(ctx.now)}`,
          developerId,
          ruleId: null,
          ruleName: finding.type,
          severity: finding.severity,
          status: 'open',
          agentId: finding.agentId,
          detectedAt: ctx.now,
          description: finding.description,
          context: cloneJson(finding.metadata),
          acknowledgedAt: null,
          resolvedAt: null,
          seq: store.nextSeq(),
        };
        store.anomalyAlerts.set(alert.alertId, alert);
        return record;
      });
      // Agents with a high or critical finding lose every active grant.
      const risky = new Set(detected.filter((a) => a.severity === 'high' || a.severity === 'critical').map((a) => a.agentId));
      const revoked: string[] = [];
      for (const grant of store.grants.values()) {
        if (grant.developerId === developerId && risky.has(grant.agentId) && grant.status === 'active') revoked.push(...revokeCascade(ctx.core, grant));
      }
      if (revoked.length > 0) await ctx.core.emit(developerId, 'anomaly.auto_revoked', { revokedGrants: revoked, anomalyCount: detected.length });
      return json(200, {
        detectedAt: iso(ctx.now),
        total: detected.length,
        autoRevokedGrants: revoked.length,
        anomalies: detected.map((a) => ({ ...anomalyView(a), metadata: cloneJson(a.metadata) })),
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/anomalies',
    auth: 'apiKey',
    handler: ({ core, developer, query }) => {
      const onlyOpen = query.get('unacknowledged') === 'true';
      const anomalies = newestFirst(core.store.anomalies.values(), developer.developerId).filter((a) => !onlyOpen || a.acknowledgedAt === null);
      return json(200, { anomalies: anomalies.map(anomalyView), total: anomalies.length });
    },
  },
  {
    method: 'PATCH',
    path: '/v1/anomalies/{id}/acknowledge',
    auth: 'apiKey',
    handler: ({ core, developer, params, now }) => {
      const anomaly = core.store.anomalies.get(params['id']!);
      if (!anomaly || anomaly.developerId !== developer.developerId) throw notFound('Anomaly not found');
      anomaly.acknowledgedAt ??= now;
      return json(200, anomalyView(anomaly));
    },
  },
  {
    method: 'GET',
    path: '/v1/anomaly/alerts',
    auth: 'apiKey',
    handler: ({ core, developer, query }) => {
      const status = query.get('status');
      const severity = query.get('severity');
      const agentId = query.get('agentId');
      assertEnum(status, ['open', 'acknowledged', 'resolved'], 'status');
      assertEnum(severity, SEVERITIES, 'severity');
      const requested = Number(query.get('limit') ?? '100');
      const limit = Number.isFinite(requested) ? Math.min(1000, Math.max(1, Math.floor(requested))) : 100;
      const data = newestFirst(core.store.anomalyAlerts.values(), developer.developerId)
        .filter((a) => (status === null || a.status === status) && (severity === null || a.severity === severity) && (agentId === null || a.agentId === agentId))
        .slice(0, limit);
      return json(200, { data: data.map(alertView) });
    },
  },
  { method: 'GET', path: '/v1/anomaly/alerts/{alertId}', auth: 'apiKey', handler: (ctx) => json(200, alertView(ownAlert(ctx))) },
  {
    method: 'POST',
    path: '/v1/anomaly/alerts/{alertId}/acknowledge',
    auth: 'apiKey',
    handler: (ctx) => {
      const alert = ownAlert(ctx);
      alert.status = 'acknowledged';
      alert.acknowledgedAt = ctx.now;
      return json(200, alertView(alert));
    },
  },
  {
    method: 'POST',
    path: '/v1/anomaly/alerts/{alertId}/resolve',
    auth: 'apiKey',
    handler: (ctx) => {
      const alert = ownAlert(ctx);
      alert.status = 'resolved';
      alert.resolvedAt = ctx.now;
      return json(200, alertView(alert));
    },
  },
  {
    method: 'GET',
    path: '/v1/anomaly/metrics',
    auth: 'apiKey',
    handler: ({ core, developer, query, now }) => {
      const window = query.get('window') ?? '24h';
      assertEnum(window, ['1h', '6h', '24h'], 'window');
      const agentId = query.get('agentId');
      const since = now - Number.parseInt(window, 10) * HOUR;
      const alerts = [...core.store.anomalyAlerts.values()].filter((a) => a.developerId === developer.developerId && a.detectedAt > since && (agentId === null || a.agentId === agentId));
      const count = (pick: (a: AnomalyAlertRecord) => boolean) => alerts.filter(pick).length;
      return json(200, {
        window,
        total: alerts.length,
        byStatus: { open: count((a) => a.status === 'open'), acknowledged: count((a) => a.status === 'acknowledged'), resolved: count((a) => a.status === 'resolved') },
        bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, count((a) => a.severity === s)])),
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/anomaly/rules',
    auth: 'apiKey',
    handler: ({ core, developer }) => {
      const custom = newestFirst(core.store.anomalyRules.values(), developer.developerId).map((r) => ({
        id: r.id,
        ruleId: r.ruleId,
        name: r.name,
        description: r.description,
        condition: JSON.stringify(r.condition),
        severity: r.severity,
        alertChannels: [...r.alertChannels],
        enabled: r.enabled,
        builtIn: false,
        createdAt: iso(r.createdAt),
      }));
      return json(200, { rules: [...cloneJson(BUILT_IN_RULES), ...custom] });
    },
  },
  {
    method: 'POST',
    path: '/v1/anomaly/rules',
    auth: 'apiKey',
    ipLimit: 30,
    handler: (ctx) => {
      const body = objectBody(ctx);
      const { ruleId, name, condition, description, alertChannels } = body;
      const severity = body['severity'] ?? 'medium';
      if (!isString(ruleId) || ruleId.length === 0 || !isString(name) || name.length === 0 || !isPlainObject(condition)) {
        throw badRequest('ruleId, name and condition are required');
      }
      if (description !== undefined && !isString(description)) throw badRequest('description must be a string');
      if (!SEVERITIES.includes(severity as string)) throw badRequest('severity must be critical, high, medium or low');
      if (alertChannels !== undefined && !isStringArray(alertChannels)) throw badRequest('alertChannels must be an array of strings');
      const { store } = ctx.core;
      const rule = {
        id: `arule_${ulid(ctx.now)}`,
        developerId: ctx.developer.developerId,
        ruleId,
        name,
        description: (description as string | undefined) ?? null,
        condition: cloneJson(condition),
        severity: severity as 'critical' | 'high' | 'medium' | 'low',
        alertChannels: [...((alertChannels as string[] | undefined) ?? [])],
        enabled: true,
        createdAt: ctx.now,
        seq: store.nextSeq(),
      };
      store.anomalyRules.set(rule.id, rule);
      const { id, description: d, condition: c, severity: s, alertChannels: channels, enabled } = rule;
      return json(201, { id, ruleId, name, description: d, condition: cloneJson(c), severity: s, alertChannels: [...channels], enabled });
    },
  },
  {
    method: 'PATCH',
    path: '/v1/anomaly/rules/{ruleId}',
    auth: 'apiKey',
    handler: (ctx) => {
      const enabled = objectBody(ctx)['enabled'];
      if (typeof enabled !== 'boolean') throw badRequest('enabled must be a boolean');
      const rule = ctx.core.store.anomalyRules.get(ctx.params['ruleId']!);
      if (!rule || rule.developerId !== ctx.developer.developerId) throw notFound('Rule not found');
      rule.enabled = enabled;
      return json(200, {
        id: rule.id,
        ruleId: rule.ruleId,
        name: rule.name,
        description: rule.description,
        condition: JSON.stringify(rule.condition),
        severity: rule.severity,
        alertChannels: [...rule.alertChannels],
        enabled: rule.enabled,
        builtIn: false,
        createdAt: iso(rule.createdAt),
      });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/anomaly/rules/{ruleId}',
    auth: 'apiKey',
    handler: ({ core, developer, params }) => {
      const rule = core.store.anomalyRules.get(params['ruleId']!);
      if (!rule || rule.developerId !== developer.developerId) throw notFound('Rule not found');
      core.store.anomalyRules.delete(rule.id);
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/v1/anomaly/channels',
    auth: 'apiKey',
    handler: ({ core, developer }) =>
      json(200, {
        channels: newestFirst(core.store.anomalyChannels.values(), developer.developerId).map((c) => ({
          id: c.id,
          type: c.type,
          name: c.name,
          config: JSON.stringify(c.config),
          severities: [...c.severities],
          enabled: c.enabled,
          createdAt: iso(c.createdAt),
        })),
      }),
  },
  {
    method: 'POST',
    path: '/v1/anomaly/channels',
    auth: 'apiKey',
    ipLimit: 30,
    handler: (ctx) => {
      const body = objectBody(ctx);
      const { type, name, config } = body;
      const severities = body['severities'] ?? ['critical', 'high'];
      if (type !== 'slack' && type !== 'webhook' && type !== 'email') throw badRequest('type must be slack, webhook or email');
      if (!isString(name) || name.length === 0 || !isPlainObject(config)) throw badRequest('name and config are required');
      if (!isStringArray(severities)) throw badRequest('severities must be an array of strings');
      const { store } = ctx.core;
      const channel: AnomalyChannelRecord = { id: `achan_${ulid(ctx.now)}`, developerId: ctx.developer.developerId, type, name, config: cloneJson(config), severities: [...severities], enabled: true, createdAt: ctx.now, seq: store.nextSeq() };
      store.anomalyChannels.set(channel.id, channel);
      return json(201, { id: channel.id, type, name, config: cloneJson(config), severities: [...severities], enabled: true });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/anomaly/channels/{channelId}',
    auth: 'apiKey',
    handler: ({ core, developer, params }) => {
      const channel = core.store.anomalyChannels.get(params['channelId']!);
      if (!channel || channel.developerId !== developer.developerId) throw notFound('Channel not found');
      core.store.anomalyChannels.delete(channel.id);
      return noContent();
    },
  },
];
