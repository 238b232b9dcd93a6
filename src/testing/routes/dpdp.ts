// DPDP (India's Digital Personal Data Protection Act) records: consent notices, consent records
// tied to grants, withdrawal and erasure (which revoke grants), grievances and exports.
import { iso, sha256Hex, ulid } from '../encoding.js';
import { revokeCascade } from '../grant-tokens.js';
import { badRequest, HttpError, isNonEmptyString, isPlainObject, json, notFound, objectBody, optionalDate, type Body, type Ctx, type Route } from '../http.js';
import type { DpdpRecord } from '../store.js';

const DAY_MS = 86_400_000;
const EXPORT_TYPES = ['dpdp-audit', 'gdpr-article-15', 'eu-ai-act-conformance'];

const conflict = (code: string, message: string) => new HttpError(409, code, message);

function purposesOf(body: Body): { code: string; description: string }[] {
  const purposes = body['purposes'];
  if (!Array.isArray(purposes) || purposes.length === 0 || !purposes.every((p) => isPlainObject(p) && isNonEmptyString(p['code']) && isNonEmptyString(p['description']))) {
    throw badRequest('purposes must be a non-empty array of {code, description}');
  }
  return purposes.map((p) => ({ code: p['code'] as string, description: p['description'] as string }));
}

function requireStrings(body: Body, keys: readonly string[]): void {
  const missing = keys.filter((key) => !isNonEmptyString(body[key]));
  if (missing.length > 0) throw badRequest(`Missing required fields: ${missing.join(', ')}`);
}

/** A record as the single read shows it; `purposes` is a JSON string, as the real server double-encodes it. */
const recordView = (r: DpdpRecord) => ({
  recordId: r.recordId,
  grantId: r.grantId,
  dataPrincipalId: r.dataPrincipalId,
  dataFiduciaryName: r.dataFiduciaryName,
  purposes: JSON.stringify(r.purposes),
  scopes: [...r.scopes],
  consentNoticeId: r.consentNoticeId,
  status: r.status,
  consentGivenAt: iso(r.consentGivenAt),
  processingExpiresAt: iso(r.processingExpiresAt),
  retentionUntil: iso(r.retentionUntil),
  accessCount: r.accessCount,
  ...(r.lastAccessedAt !== null ? { lastAccessedAt: iso(r.lastAccessedAt) } : {}),
  withdrawnAt: r.withdrawnAt === null ? null : iso(r.withdrawnAt),
  withdrawnReason: r.withdrawnReason,
  createdAt: iso(r.createdAt),
});

/** The list shape: no lastAccessedAt and no withdrawnReason. */
function listView(r: DpdpRecord) {
  const { lastAccessedAt: _seen, withdrawnReason: _reason, ...rest } = recordView(r);
  return rest;
}

const ownRecords = (ctx: Ctx) => [...ctx.core.store.dpdpRecords.values()].filter((r) => r.developerId === ctx.developer.developerId).sort((a, b) => b.seq - a.seq);

function touch(r: DpdpRecord, now: number): void {
  r.accessCount += 1;
  r.lastAccessedAt = now;
}

/** Stamps a key into the metadata of audit entries, as the real server marks deleted or erased data. */
function stampAudit(ctx: Ctx, match: (entry: { grantId: string; principalId: string }) => boolean, key: string): void {
  for (const entry of ctx.core.store.auditChain(ctx.developer.developerId)) if (match(entry)) entry.metadata = { ...entry.metadata, [key]: iso(ctx.now) };
}

/** The snake_case rows an export carries, as the real server dumps its tables. */
const recordRow = (r: DpdpRecord) => ({
  id: r.recordId,
  developer_id: r.developerId,
  grant_id: r.grantId,
  data_principal_id: r.dataPrincipalId,
  data_fiduciary_name: r.dataFiduciaryName,
  purposes: r.purposes,
  scopes: [...r.scopes],
  consent_notice_id: r.consentNoticeId,
  consent_notice_hash: r.consentNoticeHash,
  status: r.status,
  consent_given_at: iso(r.consentGivenAt),
  processing_expires_at: iso(r.processingExpiresAt),
  retention_until: iso(r.retentionUntil),
  access_count: r.accessCount,
  last_accessed_at: r.lastAccessedAt === null ? null : iso(r.lastAccessedAt),
  withdrawn_at: r.withdrawnAt === null ? null : iso(r.withdrawnAt),
  withdrawn_reason: r.withdrawnReason,
  created_at: iso(r.createdAt),
});

export const dpdpRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/dpdp/consent-notices',
    auth: 'apiKey',
    handler: async (ctx) => {
      const body = objectBody(ctx);
      requireStrings(body, ['noticeId', 'version', 'title', 'content']);
      const purposes = purposesOf(body);
      const language = body['language'] ?? 'en';
      if (!isNonEmptyString(language)) throw badRequest('language must be a string');
      const { store } = ctx.core;
      const noticeId = body['noticeId'] as string;
      const version = body['version'] as string;
      if (store.dpdpNotices.some((n) => n.developerId === ctx.developer.developerId && n.noticeId === noticeId && n.version === version)) {
        throw conflict('CONFLICT', 'A consent notice with this noticeId and version already exists');
      }
      const content = body['content'] as string;
      const notice = {
        id: `notice_${ulid(ctx.now)}`,
        developerId: ctx.developer.developerId,
        noticeId,
        version,
        language,
        title: body['title'] as string,
        content,
        contentHash: await sha256Hex(content),
        purposes,
        createdAt: ctx.now,
        seq: store.nextSeq(),
      };
      store.dpdpNotices.push(notice);
      return json(201, { id: notice.id, noticeId, version, language, contentHash: notice.contentHash, createdAt: iso(ctx.now) });
    },
  },
  {
    method: 'POST',
    path: '/v1/dpdp/consent-records',
    auth: 'apiKey',
    handler: async (ctx) => {
      const body = objectBody(ctx);
      requireStrings(body, ['grantId', 'dataPrincipalId', 'consentNoticeId']);
      const purposes = purposesOf(body);
      const processingExpiresAt = optionalDate(body['processingExpiresAt'], 'processingExpiresAt');
      if (processingExpiresAt === undefined) throw badRequest('processingExpiresAt is required');
      const { store } = ctx.core;
      const grant = store.grants.get(body['grantId'] as string);
      if (!grant || grant.developerId !== ctx.developer.developerId) throw new HttpError(400, 'INVALID_GRANT', 'Grant not found');
      // The latest version of the notice is the one consented to.
      const notice = store.dpdpNotices.filter((n) => n.developerId === ctx.developer.developerId && n.noticeId === body['consentNoticeId']).at(-1);
      if (!notice) throw new HttpError(400, 'INVALID_NOTICE', 'Consent notice not found');
      const record: DpdpRecord = {
        recordId: `crec_${ulid(ctx.now)}`,
        developerId: ctx.developer.developerId,
        grantId: grant.grantId,
        dataPrincipalId: body['dataPrincipalId'] as string,
        dataFiduciaryName: ctx.developer.name,
        purposes,
        scopes: [...grant.scopes],
        consentNoticeId: notice.noticeId,
        consentNoticeHash: notice.contentHash,
        status: 'active',
        consentGivenAt: ctx.now,
        processingExpiresAt,
        retentionUntil: processingExpiresAt + 30 * DAY_MS,
        accessCount: 0,
        lastAccessedAt: null,
        withdrawnAt: null,
        withdrawnReason: null,
        createdAt: ctx.now,
        seq: store.nextSeq(),
      };
      store.dpdpRecords.set(record.recordId, record);
      await ctx.core.emit(record.developerId, 'dpdp.consent.created', { recordId: record.recordId, grantId: record.grantId, dataPrincipalId: record.dataPrincipalId });
      return json(201, {
        recordId: record.recordId,
        grantId: record.grantId,
        dataPrincipalId: record.dataPrincipalId,
        consentNoticeHash: record.consentNoticeHash,
        // The test server holds no Ed25519 key, so its proofs take the real server's keyless form.
        consentProof: { type: 'none', reason: 'ed25519-key-unavailable' },
        processingExpiresAt: iso(record.processingExpiresAt),
        retentionUntil: iso(record.retentionUntil),
        status: record.status,
        createdAt: iso(record.createdAt),
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/dpdp/consent-records',
    auth: 'apiKey',
    handler: (ctx) => {
      const principal = ctx.query.get('dataPrincipalId');
      const records = principal === null ? ownRecords(ctx).slice(0, 100) : ownRecords(ctx).filter((r) => r.dataPrincipalId === principal);
      return json(200, { records: records.map(listView), totalRecords: records.length });
    },
  },
  {
    method: 'GET',
    path: '/v1/dpdp/consent-records/{recordId}',
    auth: 'apiKey',
    handler: (ctx) => {
      const record = ctx.core.store.dpdpRecords.get(ctx.params['recordId']!);
      if (!record || record.developerId !== ctx.developer.developerId) throw notFound('Consent record not found');
      // The answer already counts this read.
      touch(record, ctx.now);
      return json(200, recordView(record));
    },
  },
  {
    method: 'POST',
    path: '/v1/dpdp/consent-records/{recordId}/withdraw',
    auth: 'apiKey',
    handler: async (ctx) => {
      const body = objectBody(ctx);
      if (!isNonEmptyString(body['reason'])) throw badRequest('reason is required');
      for (const key of ['revokeGrant', 'deleteProcessedData']) if (body[key] !== undefined && typeof body[key] !== 'boolean') throw badRequest(`${key} must be a boolean`);
      const record = ctx.core.store.dpdpRecords.get(ctx.params['recordId']!);
      if (!record || record.developerId !== ctx.developer.developerId) throw notFound('Consent record not found');
      if (record.status !== 'active') throw conflict('ALREADY_WITHDRAWN', 'Consent has already been withdrawn');
      record.status = 'withdrawn';
      record.withdrawnAt = ctx.now;
      record.withdrawnReason = body['reason'];
      let grantRevoked = false;
      const grant = ctx.core.store.grants.get(record.grantId);
      if (body['revokeGrant'] === true && grant?.status === 'active') {
        // `cascade`: delegated grants went with it.
        const cascade = revokeCascade(ctx.core, grant).length > 1;
        await ctx.core.emit(grant.developerId, 'grant.revoked', { grantId: grant.grantId, cascade });
        grantRevoked = true;
      }
      const dataDeleted = body['deleteProcessedData'] === true;
      if (dataDeleted) stampAudit(ctx, (entry) => entry.grantId === record.grantId, 'dataDeletedAt');
      await ctx.core.emit(record.developerId, 'dpdp.consent.withdrawn', { recordId: record.recordId, grantId: record.grantId, dataPrincipalId: record.dataPrincipalId, grantRevoked });
      return json(200, { recordId: record.recordId, status: 'withdrawn', withdrawnAt: iso(ctx.now), grantRevoked, dataDeleted });
    },
  },
  {
    method: 'GET',
    path: '/v1/dpdp/data-principals/{principalId}/records',
    auth: 'apiKey',
    handler: (ctx) => {
      const principal = ctx.params['principalId']!;
      const records = ownRecords(ctx).filter((r) => r.dataPrincipalId === principal);
      for (const record of records) touch(record, ctx.now);
      return json(200, {
        dataPrincipalId: principal,
        records: records.map((r) => {
          const { dataPrincipalId: _principal, ...rest } = recordView(r);
          return rest;
        }),
        totalRecords: records.length,
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/dpdp/data-principals/{principalId}/erasure',
    auth: 'apiKey',
    handler: async (ctx) => {
      const principal = ctx.params['principalId']!;
      const records = ownRecords(ctx).filter((r) => r.dataPrincipalId === principal);
      if (records.length === 0) throw notFound('No consent records found for this data principal');
      let recordsErased = 0;
      let grantsRevoked = 0;
      for (const record of records) {
        if (record.status !== 'erased') recordsErased += 1;
        record.status = 'erased';
        const grant = ctx.core.store.grants.get(record.grantId);
        if (grant?.status === 'active') {
          // `cascade`: delegated grants went with it.
          const cascade = revokeCascade(ctx.core, grant).length > 1;
          await ctx.core.emit(grant.developerId, 'grant.revoked', { grantId: grant.grantId, cascade });
          grantsRevoked += 1;
        }
      }
      stampAudit(ctx, (entry) => entry.principalId === principal, 'erasedAt');
      const requestId = `ER-${new Date(ctx.now).getUTCFullYear()}-${ulid(ctx.now)}`;
      await ctx.core.emit(ctx.developer.developerId, 'dpdp.erasure.completed', { requestId, dataPrincipalId: principal, recordsErased, grantsRevoked });
      return json(201, { requestId, dataPrincipalId: principal, status: 'completed', recordsErased, grantsRevoked, submittedAt: iso(ctx.now), expectedCompletionBy: iso(ctx.now + 7 * DAY_MS) });
    },
  },
  {
    method: 'POST',
    path: '/v1/dpdp/grievances',
    auth: 'apiKey',
    handler: async (ctx) => {
      const body = objectBody(ctx);
      requireStrings(body, ['dataPrincipalId', 'type', 'description']);
      if (body['recordId'] !== undefined && !isNonEmptyString(body['recordId'])) throw badRequest('recordId must be a string');
      const evidence = body['evidence'] ?? {};
      if (!isPlainObject(evidence)) throw badRequest('evidence must be an object');
      const grievanceId = `grv_${ulid(ctx.now)}`;
      const record = {
        grievanceId,
        developerId: ctx.developer.developerId,
        dataPrincipalId: body['dataPrincipalId'] as string,
        recordId: (body['recordId'] as string | undefined) ?? null,
        type: body['type'] as string,
        description: body['description'] as string,
        evidence,
        status: 'submitted',
        referenceNumber: `GRV-${new Date(ctx.now).getUTCFullYear()}-${ulid(ctx.now)}`,
        expectedResolutionBy: ctx.now + 7 * DAY_MS,
        createdAt: ctx.now,
        seq: ctx.core.store.nextSeq(),
      };
      ctx.core.store.grievances.set(grievanceId, record);
      await ctx.core.emit(record.developerId, 'dpdp.grievance.filed', { grievanceId, referenceNumber: record.referenceNumber, dataPrincipalId: record.dataPrincipalId, type: record.type });
      return json(202, {
        grievanceId,
        referenceNumber: record.referenceNumber,
        type: record.type,
        status: record.status,
        expectedResolutionBy: iso(record.expectedResolutionBy),
        createdAt: iso(record.createdAt),
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/dpdp/grievances/{grievanceId}',
    auth: 'apiKey',
    handler: (ctx) => {
      const g = ctx.core.store.grievances.get(ctx.params['grievanceId']!);
      if (!g || g.developerId !== ctx.developer.developerId) throw notFound('Grievance not found');
      return json(200, {
        grievanceId: g.grievanceId,
        dataPrincipalId: g.dataPrincipalId,
        recordId: g.recordId,
        type: g.type,
        description: g.description,
        evidence: JSON.stringify(g.evidence),
        status: g.status,
        referenceNumber: g.referenceNumber,
        expectedResolutionBy: iso(g.expectedResolutionBy),
        resolvedAt: null,
        resolution: null,
        createdAt: iso(g.createdAt),
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/dpdp/exports',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = objectBody(ctx);
      if (!EXPORT_TYPES.includes(body['type'] as string)) throw badRequest(`type must be one of ${EXPORT_TYPES.join(', ')}`);
      const from = optionalDate(body['dateFrom'], 'dateFrom');
      const to = optionalDate(body['dateTo'], 'dateTo');
      if (from === undefined || to === undefined) throw badRequest('dateFrom and dateTo are required');
      const format = body['format'] ?? 'json';
      if (!isNonEmptyString(format)) throw badRequest('format must be a string');
      for (const key of ['includeActionLog', 'includeConsentRecords']) if (body[key] !== undefined && typeof body[key] !== 'boolean') throw badRequest(`${key} must be a boolean`);
      const principal = body['dataPrincipalId'];
      if (principal !== undefined && !isNonEmptyString(principal)) throw badRequest('dataPrincipalId must be a string');
      const type = body['type'] as string;
      const inRange = (ms: number) => ms >= from && ms <= to;
      const data: Record<string, unknown> = { exportType: type, dateRange: { from: iso(from), to: iso(to) }, generatedAt: iso(ctx.now), developerId: ctx.developer.developerId };
      let recordCount = 0;
      if (body['includeConsentRecords'] !== false) {
        const rows = ownRecords(ctx).filter((r) => inRange(r.createdAt) && (principal === undefined || r.dataPrincipalId === principal)).map(recordRow);
        data['consentRecords'] = rows;
        recordCount += rows.length;
      }
      if (body['includeActionLog'] !== false) {
        const rows = ctx.core.store
          .auditChain(ctx.developer.developerId)
          .filter((e) => inRange(Date.parse(e.timestamp)) && (principal === undefined || e.principalId === principal))
          .slice(0, 1000)
          .map((e) => ({ id: e.entryId, agent_id: e.agentId, agent_did: e.agentDid, grant_id: e.grantId, principal_id: e.principalId, developer_id: e.developerId, action: e.action, metadata: e.metadata, hash: e.hash, prev_hash: e.prevHash, status: e.status, timestamp: e.timestamp }));
        data['auditLog'] = rows;
        recordCount += rows.length;
      }
      if (type === 'dpdp-audit') {
        const rows = [...ctx.core.store.grievances.values()]
          .filter((g) => g.developerId === ctx.developer.developerId && inRange(g.createdAt) && (principal === undefined || g.dataPrincipalId === principal))
          .map((g) => ({ id: g.grievanceId, developer_id: g.developerId, data_principal_id: g.dataPrincipalId, record_id: g.recordId, type: g.type, description: g.description, evidence: g.evidence, status: g.status, reference_number: g.referenceNumber, expected_resolution_by: iso(g.expectedResolutionBy), resolved_at: null, resolution: null, created_at: iso(g.createdAt) }));
        data['grievances'] = rows;
        recordCount += rows.length;
      }
      const exportId = `exp_${ulid(ctx.now)}`;
      const expiresAt = ctx.now + 7 * DAY_MS;
      ctx.core.store.dpdpExports.set(exportId, { exportId, developerId: ctx.developer.developerId, type, dateFrom: from, dateTo: to, format, recordCount, data, expiresAt, createdAt: ctx.now });
      return json(201, { exportId, type, format, recordCount, data, expiresAt: iso(expiresAt), createdAt: iso(ctx.now) });
    },
  },
  {
    method: 'GET',
    path: '/v1/dpdp/exports/{exportId}',
    auth: 'apiKey',
    handler: (ctx) => {
      const e = ctx.core.store.dpdpExports.get(ctx.params['exportId']!);
      if (!e || e.developerId !== ctx.developer.developerId) throw notFound('Export not found');
      return json(200, {
        exportId: e.exportId,
        type: e.type,
        dateFrom: iso(e.dateFrom),
        dateTo: iso(e.dateTo),
        format: e.format,
        status: 'complete',
        recordCount: e.recordCount,
        data: JSON.stringify(e.data),
        expiresAt: iso(e.expiresAt),
        createdAt: iso(e.createdAt),
      });
    },
  },
];
