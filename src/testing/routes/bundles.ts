// Offline authorization: consent bundles (a grant, its token, a JWKS snapshot and an Ed25519 audit
// key for a device that goes offline), their revocation and refresh, and the signed, hash-chained
// audit entries the device syncs back.
import { iso, parseDuration, sha256Hex, ulid, utf8 } from '../encoding.js';
import { issueGrantToken, revokeCascade } from '../grant-tokens.js';
import { badRequest, HttpError, isNonEmptyString, isPlainObject, isString, isStringArray, ISO_DATE, json, notFound, objectBody, type Ctx, type Route } from '../http.js';
import type { ConsentBundleRecord, GrantRecord, OfflineAuditRecord } from '../store.js';

const MAX_TTL_MS = 168 * 3_600_000;
const GENESIS = '0000000000000000';
const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

const refuse = (status: number, code: string, message: string, extra?: Record<string, unknown>) =>
  new HttpError(status, code, message, extra ? { message, code, ...extra } : undefined);

function pem(label: string, der: ArrayBuffer): string {
  const body = btoa(String.fromCharCode(...new Uint8Array(der))).replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/** The material a device takes offline: a fresh token and a fresh Ed25519 audit key pair. */
async function bundleMaterial(ctx: Ctx, bundle: ConsentBundleRecord, grant: GrantRecord): Promise<Record<string, unknown>> {
  const { token } = await issueGrantToken(ctx.core, grant);
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  bundle.auditPublicKey = pair.publicKey;
  const material = {
    bundleId: bundle.id,
    grantToken: token,
    jwksSnapshot: { keys: [await ctx.core.signer.jwk()], fetchedAt: iso(ctx.now), validUntil: iso(bundle.offlineExpiresAt) },
    offlineAuditKey: {
      publicKey: pem('PUBLIC KEY', await crypto.subtle.exportKey('spki', pair.publicKey)),
      privateKey: pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', pair.privateKey)),
      algorithm: 'Ed25519',
    },
    checkpointAt: bundle.checkpointAt,
    syncEndpoint: `${ctx.core.baseUrl()}/v1/audit/offline-sync`,
    offlineExpiresAt: iso(bundle.offlineExpiresAt),
  };
  return { ...material, data: { ...material } };
}

const entriesOf = (ctx: Ctx, bundleId: string) => ctx.core.store.offlineAudit.get(bundleId) ?? [];

const bundleView = (ctx: Ctx, b: ConsentBundleRecord) => ({
  id: b.id,
  agentId: b.agentId,
  grantId: b.grantId,
  userId: b.userId,
  scopes: [...b.scopes],
  status: b.status,
  deviceId: b.deviceId,
  devicePlatform: b.devicePlatform,
  offlineTTL: b.offlineTTL,
  offlineExpiresAt: iso(b.offlineExpiresAt),
  checkpointAt: iso(b.checkpointAt),
  auditEntryCount: entriesOf(ctx, b.id).length,
  lastSyncAt: b.lastSyncAt === null ? null : iso(b.lastSyncAt),
  createdAt: iso(b.createdAt),
  revokedAt: b.revokedAt === null ? null : iso(b.revokedAt),
});

function ownBundle(ctx: Ctx, id: string | undefined): ConsentBundleRecord {
  const bundle = ctx.core.store.bundles.get(id ?? '');
  if (!bundle || bundle.developerId !== ctx.developer.developerId) throw notFound('Consent bundle not found');
  return bundle;
}

/** The hash an offline entry must carry: SHA-256 over its fields joined with `|`. */
const entryHash = (e: Record<string, unknown>) =>
  sha256Hex([e['seq'], e['timestamp'], e['action'], e['agentDID'], e['grantId'], (e['scopes'] as string[]).join(','), e['result'], e['metadata'] === undefined ? '' : JSON.stringify(e['metadata']), e['prevHash']].join('|'));

function fromHex(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

interface EntryProblem {
  seq: number | null;
  code: string;
  message: string;
}

/** Checks one batch on its own: fields, bundle, hash, signature, and the chain within the batch. */
async function checkBatch(bundle: ConsentBundleRecord, entries: unknown[]): Promise<EntryProblem[]> {
  const problems: EntryProblem[] = [];
  let previous: Record<string, unknown> | undefined;
  for (const raw of entries) {
    const e = raw as Record<string, unknown>;
    const seq = Number.isInteger(e?.['seq']) ? (e['seq'] as number) : null;
    const wellFormed =
      isPlainObject(raw) && seq !== null && seq >= 1 && isString(e['timestamp']) && ISO_DATE.test(e['timestamp']) && isNonEmptyString(e['action']) && (e['action'] as string).length <= 256 &&
      isString(e['agentDID']) && isString(e['grantId']) && isStringArray(e['scopes']) && e['scopes'].length >= 1 && e['scopes'].length <= 100 &&
      isNonEmptyString(e['result']) && (e['result'] as string).length <= 64 && (e['metadata'] === undefined || isPlainObject(e['metadata'])) &&
      isString(e['prevHash']) && (e['prevHash'] === GENESIS || HEX64.test(e['prevHash'])) && isString(e['hash']) && HEX64.test(e['hash']) && isString(e['signature']) && HEX128.test(e['signature']);
    if (!wellFormed) {
      problems.push({ seq, code: 'INVALID_ENTRY', message: 'Entry is missing fields or has malformed values' });
    } else if (e['agentDID'] !== `did:grantex:${bundle.agentId}` || e['grantId'] !== bundle.grantId || !(e['scopes'] as string[]).every((s) => bundle.scopes.includes(s))) {
      problems.push({ seq, code: 'BUNDLE_MISMATCH', message: 'Entry does not belong to this bundle' });
    } else if ((await entryHash(e)) !== e['hash']) {
      problems.push({ seq, code: 'INVALID_HASH', message: 'Entry hash does not match its contents' });
    } else if (!(await crypto.subtle.verify({ name: 'Ed25519' }, bundle.auditPublicKey, fromHex(e['signature'] as string), utf8(e['hash'] as string)))) {
      problems.push({ seq, code: 'INVALID_SIGNATURE', message: 'Entry signature does not verify with the bundle audit key' });
    } else if (previous && seq !== (previous['seq'] as number) + 1) {
      problems.push({ seq, code: 'SEQ_GAP', message: `Expected seq ${(previous['seq'] as number) + 1}` });
    } else if (previous && e['prevHash'] !== previous['hash']) {
      problems.push({ seq, code: 'BROKEN_CHAIN', message: 'prevHash does not match the previous entry' });
    }
    previous = e;
  }
  return problems;
}

export const bundleRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/consent-bundles',
    auth: 'apiKey',
    ipLimit: 10,
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const { agentId, userId, scopes } = body;
      if (!isNonEmptyString(agentId) || !isNonEmptyString(userId) || !isStringArray(scopes) || scopes.length === 0 || scopes.length > 100) {
        throw badRequest('agentId, userId and scopes (1-100) are required');
      }
      for (const key of ['deviceId', 'devicePlatform']) if (body[key] !== undefined && !isString(body[key])) throw badRequest(`${key} must be a string`);
      if (body['offlineAuditKeyAlgorithm'] !== undefined && body['offlineAuditKeyAlgorithm'] !== 'Ed25519') throw badRequest('offlineAuditKeyAlgorithm must be Ed25519');
      const offlineTTL = body['offlineTTL'] ?? '72h';
      const ttl = parseDuration(offlineTTL);
      if (ttl === undefined || ttl <= 0) throw refuse(400, 'INVALID_TTL', 'offlineTTL must look like "72h"');
      if (ttl > MAX_TTL_MS) throw refuse(422, 'INVALID_TTL', 'offlineTTL may not exceed 168h');
      const { store } = ctx.core;
      const agent = store.agents.get(agentId);
      if (!agent || agent.developerId !== ctx.developer.developerId || agent.status !== 'active') throw notFound('Agent not found');
      const outside = scopes.filter((s) => !agent.scopes.includes(s));
      if (outside.length > 0) throw refuse(422, 'INVALID_SCOPES', `Scopes not registered for the agent: ${outside.join(', ')}`);

      // Creation times are kept distinct per developer, so the createdAt cursor of the list never skips a bundle.
      const latest = Math.max(0, ...[...store.bundles.values()].filter((b) => b.developerId === ctx.developer.developerId).map((b) => b.createdAt));
      const createdAt = Math.max(ctx.now, latest + 1);
      const grant: GrantRecord = {
        grantId: `grnt_${ulid(ctx.now)}`,
        developerId: ctx.developer.developerId,
        agentId,
        agentDid: `did:grantex:${agentId}`,
        principalId: userId,
        scopes: [...scopes],
        status: 'active',
        issuedAt: ctx.now,
        expiresAt: ctx.now + ttl,
        delegationDepth: 0,
        seq: store.nextSeq(),
      };
      store.grants.set(grant.grantId, grant);
      const bundle: ConsentBundleRecord = {
        id: `bundle_${ulid(ctx.now)}`,
        developerId: ctx.developer.developerId,
        agentId,
        grantId: grant.grantId,
        userId,
        scopes: [...scopes],
        status: 'active',
        deviceId: (body['deviceId'] as string | undefined) ?? null,
        devicePlatform: (body['devicePlatform'] as string | undefined) ?? null,
        offlineTTL: offlineTTL as string,
        offlineExpiresAt: grant.expiresAt,
        checkpointAt: ctx.now,
        auditPublicKey: undefined as unknown as CryptoKey,
        lastSyncAt: null,
        createdAt,
        revokedAt: null,
        revokedBy: null,
        seq: store.nextSeq(),
      };
      const material = await bundleMaterial(ctx, bundle, grant);
      store.bundles.set(bundle.id, bundle);
      await ctx.core.emit(bundle.developerId, 'consent_bundle.created', { bundleId: bundle.id, agentId, userId, grantId: grant.grantId, scopes: [...scopes] });
      return json(201, material);
    },
  },
  {
    method: 'GET',
    path: '/v1/consent-bundles',
    auth: 'apiKey',
    ipLimit: 100,
    handler: (ctx) => {
      const status = ctx.query.get('status');
      const agentId = ctx.query.get('agentId');
      const limitText = ctx.query.get('limit');
      const limit = limitText === null ? 50 : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badRequest('limit must be an integer from 1 to 100');
      const cursorText = ctx.query.get('cursor');
      const cursor = cursorText === null ? undefined : ISO_DATE.test(cursorText) ? Date.parse(cursorText) : NaN;
      if (Number.isNaN(cursor)) throw badRequest('cursor must be the nextCursor of a previous page');
      const matching = [...ctx.core.store.bundles.values()]
        .filter((b) => b.developerId === ctx.developer.developerId && (status === null || b.status === status) && (agentId === null || b.agentId === agentId))
        .filter((b) => cursor === undefined || b.createdAt < cursor)
        .sort((a, b) => b.createdAt - a.createdAt);
      const page = matching.slice(0, limit);
      const more = matching.length > limit;
      return json(200, { bundles: page.map((b) => bundleView(ctx, b)), ...(more ? { nextCursor: iso(page.at(-1)!.createdAt) } : {}) });
    },
  },
  {
    method: 'GET',
    path: '/v1/consent-bundles/{bundleId}',
    auth: 'apiKey',
    handler: (ctx) => json(200, bundleView(ctx, ownBundle(ctx, ctx.params['bundleId']))),
  },
  {
    method: 'GET',
    path: '/v1/consent-bundles/{bundleId}/audit',
    auth: 'apiKey',
    handler: (ctx) => {
      const bundle = ownBundle(ctx, ctx.params['bundleId']);
      const entries = entriesOf(ctx, bundle.id).slice(0, 1000);
      return json(200, {
        entries: entries.map((e) => ({
          id: e.id,
          seq: e.seq,
          timestamp: e.timestamp,
          action: e.action,
          agentDID: e.agentDID,
          grantId: e.grantId,
          scopes: [...e.scopes],
          result: e.result,
          metadata: JSON.stringify(e.metadata),
          prevHash: e.prevHash,
          hash: e.hash,
          signature: e.signature,
          syncedAt: iso(e.syncedAt),
        })),
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/consent-bundles/{bundleId}/revocation-status',
    auth: 'apiKey',
    ipLimit: 100,
    handler: (ctx) => {
      const bundle = ownBundle(ctx, ctx.params['bundleId']);
      const grant = ctx.core.store.grants.get(bundle.grantId);
      return json(200, {
        data: {
          bundleId: bundle.id,
          status: bundle.status,
          revokedAt: bundle.revokedAt === null ? null : iso(bundle.revokedAt),
          revokedBy: bundle.revokedBy,
          grantRevoked: grant?.status === 'revoked',
          checkpointAt: bundle.checkpointAt,
        },
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/consent-bundles/{bundleId}/refresh',
    auth: 'apiKey',
    ipLimit: 10,
    handler: async (ctx) => {
      const bundle = ownBundle(ctx, ctx.params['bundleId']);
      if (bundle.status === 'revoked') throw refuse(409, 'BUNDLE_REVOKED', 'Consent bundle has been revoked');
      if (bundle.offlineExpiresAt <= ctx.now) throw refuse(409, 'BUNDLE_EXPIRED', 'Consent bundle has expired');
      const grant = ctx.core.store.grants.get(bundle.grantId);
      if (!grant || grant.status !== 'active') throw refuse(409, 'GRANT_INACTIVE', 'The bundle grant is no longer active');
      // A new window from now, with the grant extended to match.
      bundle.offlineExpiresAt = ctx.now + (parseDuration(bundle.offlineTTL) ?? 0);
      bundle.checkpointAt = ctx.now;
      grant.expiresAt = bundle.offlineExpiresAt;
      return json(200, await bundleMaterial(ctx, bundle, grant));
    },
  },
  {
    method: 'POST',
    path: '/v1/consent-bundles/{bundleId}/revoke',
    auth: 'apiKey',
    ipLimit: 20,
    handler: async (ctx) => {
      const body = objectBody(ctx);
      if (body['revokeGrant'] !== undefined && typeof body['revokeGrant'] !== 'boolean') throw badRequest('revokeGrant must be a boolean');
      const bundle = ownBundle(ctx, ctx.params['bundleId']);
      if (bundle.status !== 'revoked') {
        bundle.status = 'revoked';
        bundle.revokedAt = ctx.now;
        bundle.revokedBy = ctx.developer.developerId;
        await ctx.core.emit(bundle.developerId, 'consent_bundle.revoked', { bundleId: bundle.id, grantId: bundle.grantId });
      }
      const grant = ctx.core.store.grants.get(bundle.grantId);
      if (body['revokeGrant'] === true && grant?.status === 'active') {
        // `cascade`: delegated grants went with it.
        const cascade = revokeCascade(ctx.core, grant).length > 1;
        await ctx.core.emit(grant.developerId, 'grant.revoked', { grantId: grant.grantId, cascade });
      }
      const answer = { bundleId: bundle.id, status: 'revoked', revokedAt: iso(bundle.revokedAt!) };
      return json(200, { ...answer, data: { ...answer } });
    },
  },
  {
    method: 'POST',
    path: '/v1/audit/offline-sync',
    auth: 'apiKey',
    ipLimit: 20,
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const entries = body['entries'];
      if (!isNonEmptyString(body['bundleId']) || !Array.isArray(entries) || entries.length === 0) throw badRequest('bundleId and entries are required');
      if (entries.length > 1000) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', 'At most 1000 entries per sync');
      if (body['deviceId'] !== undefined && !isString(body['deviceId'])) throw badRequest('deviceId must be a string');
      const bundle = ownBundle(ctx, body['bundleId']);
      const problems = await checkBatch(bundle, entries);
      if (problems.length > 0) throw refuse(400, 'INVALID_AUDIT_ENTRIES', 'Some audit entries are invalid', { requestId: ctx.requestId, errors: problems });

      const stored = ctx.core.store.offlineAudit.get(bundle.id) ?? [];
      const fresh: OfflineAuditRecord[] = [];
      let last = stored.at(-1);
      for (const raw of entries as Record<string, unknown>[]) {
        const seq = raw['seq'] as number;
        const existing = stored.find((e) => e.seq === seq);
        if (existing) {
          // A re-sent entry counts as accepted and is not stored again.
          if (existing.hash === raw['hash']) continue;
          throw refuse(409, 'AUDIT_CHAIN_CONFLICT', 'Entries conflict with the stored chain', { requestId: ctx.requestId, errors: [{ seq, code: 'DUPLICATE_SEQ', message: `seq ${seq} is already stored with another hash` }] });
        }
        const expected = (last?.seq ?? 0) + 1;
        if (seq !== expected) throw refuse(409, 'AUDIT_CHAIN_CONFLICT', 'Entries conflict with the stored chain', { requestId: ctx.requestId, errors: [{ seq, code: 'SEQ_GAP', message: `Expected seq ${expected}` }] });
        if (raw['prevHash'] !== (last?.hash ?? GENESIS)) {
          throw refuse(409, 'AUDIT_CHAIN_CONFLICT', 'Entries conflict with the stored chain', { requestId: ctx.requestId, errors: [{ seq, code: 'BROKEN_CHAIN', message: 'prevHash does not match the stored chain' }] });
        }
        const record: OfflineAuditRecord = {
          id: `oae_${ulid(ctx.now)}`,
          bundleId: bundle.id,
          seq,
          timestamp: raw['timestamp'] as string,
          action: raw['action'] as string,
          agentDID: raw['agentDID'] as string,
          grantId: raw['grantId'] as string,
          scopes: [...(raw['scopes'] as string[])],
          result: raw['result'] as string,
          metadata: (raw['metadata'] as Record<string, unknown> | undefined) ?? {},
          prevHash: raw['prevHash'] as string,
          hash: raw['hash'] as string,
          signature: raw['signature'] as string,
          syncedAt: ctx.now,
        };
        fresh.push(record);
        last = record;
      }
      ctx.core.store.offlineAudit.set(bundle.id, [...stored, ...fresh]);
      bundle.lastSyncAt = ctx.now;
      await ctx.core.emit(bundle.developerId, 'consent_bundle.synced', { bundleId: bundle.id, accepted: entries.length, deviceId: body['deviceId'] ?? bundle.deviceId });
      const answer = {
        accepted: entries.length,
        rejected: 0,
        revocationStatus: bundle.status === 'revoked' ? 'revoked' : 'valid',
        revokedAt: bundle.revokedAt === null ? null : iso(bundle.revokedAt),
        errors: [],
        newBundle: null,
      };
      return json(200, { ...answer, data: { ...answer } });
    },
  },
];
