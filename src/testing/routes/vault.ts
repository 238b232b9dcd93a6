// The credential vault: upstream credentials stored per (principal, service) and released only to
// an agent presenting an active grant token whose scopes cover the service.
import { iso, ulid } from '../encoding.js';
import { checkGrantToken } from '../grant-tokens.js';
import { badRequest, HttpError, isPlainObject, isString, ISO_DATE, json, noContent, notFound, objectBody, type Ctx, type Route } from '../http.js';
import { newestFirst, type VaultRecord } from '../store.js';

const SERVICE = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/** Metadata is read back as a JSON-encoded string, as the real server double-encodes it. */
const vaultView = (v: VaultRecord) => ({
  id: v.id,
  principalId: v.principalId,
  service: v.service,
  credentialType: v.credentialType,
  tokenExpiresAt: v.tokenExpiresAt,
  metadata: JSON.stringify(v.metadata),
  createdAt: iso(v.createdAt),
  updatedAt: iso(v.updatedAt),
});

function ownCredential(ctx: Ctx): VaultRecord {
  const record = ctx.core.store.vault.get(ctx.params['id']!);
  if (!record || record.developerId !== ctx.developer.developerId) throw notFound('Vault credential not found');
  return record;
}

/** The scopes that let a grant token release a service's credential (compared case-insensitively). */
export function scopesForService(service: string): string[] {
  const s = service.toLowerCase();
  return ['*', `${s}:*`, `${s}:read`, `${s}:credentials:read`, `vault:${s}:*`, `vault:${s}:read`, 'vault:credentials:exchange'];
}

export const vaultRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/vault/credentials',
    auth: 'apiKey',
    ipLimit: 30,
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const { principalId, service, accessToken, refreshToken, tokenExpiresAt, metadata } = body;
      const credentialType = body['credentialType'] ?? 'oauth2';
      if (!isString(principalId) || principalId.length === 0) throw badRequest('principalId is required');
      if (!isString(service) || !SERVICE.test(service)) throw badRequest('service is required and must match ^[a-z0-9][a-z0-9._-]{0,63}$');
      if (!isString(accessToken) || accessToken.length === 0) throw badRequest('accessToken is required');
      if (!isString(credentialType) || credentialType.length === 0) throw badRequest('credentialType must be a string');
      if (refreshToken !== undefined && !isString(refreshToken)) throw badRequest('refreshToken must be a string');
      if (tokenExpiresAt !== undefined && (!isString(tokenExpiresAt) || !ISO_DATE.test(tokenExpiresAt))) throw badRequest('tokenExpiresAt must be an ISO-8601 date-time');
      if (metadata !== undefined && !isPlainObject(metadata)) throw badRequest('metadata must be an object');
      const { store } = ctx.core;
      const developerId = ctx.developer.developerId;
      // An upsert on (developer, principal, service): a second store replaces the secret and keeps the id.
      let record = [...store.vault.values()].find((v) => v.developerId === developerId && v.principalId === principalId && v.service === service);
      const fields = {
        credentialType,
        accessToken,
        ...(isString(refreshToken) ? { refreshToken } : {}),
        tokenExpiresAt: isString(tokenExpiresAt) ? new Date(tokenExpiresAt).toISOString() : null,
        metadata: structuredClone((metadata as Record<string, unknown> | undefined) ?? {}),
        updatedAt: ctx.now,
      };
      if (record) {
        delete record.refreshToken;
        Object.assign(record, fields);
      } else {
        record = { id: `vault_${ulid(ctx.now)}`, developerId, principalId, service, createdAt: ctx.now, seq: store.nextSeq(), ...fields };
        store.vault.set(record.id, record);
      }
      await ctx.core.emit(developerId, 'vault.credential.stored', { credentialId: record.id, principalId, service });
      return json(201, { id: record.id, principalId, service, credentialType, createdAt: iso(record.createdAt) });
    },
  },
  {
    method: 'GET',
    path: '/v1/vault/credentials',
    auth: 'apiKey',
    handler: ({ core, developer, query }) => {
      const principalId = query.get('principalId');
      const service = query.get('service');
      const credentials = newestFirst(core.store.vault.values(), developer.developerId).filter(
        (v) => (principalId === null || v.principalId === principalId) && (service === null || v.service === service),
      );
      return json(200, { credentials: credentials.map(vaultView) });
    },
  },
  {
    method: 'GET',
    path: '/v1/vault/credentials/{id}',
    auth: 'apiKey',
    handler: (ctx) => json(200, vaultView(ownCredential(ctx))),
  },
  {
    method: 'DELETE',
    path: '/v1/vault/credentials/{id}',
    auth: 'apiKey',
    ipLimit: 30,
    handler: async (ctx) => {
      const record = ownCredential(ctx);
      ctx.core.store.vault.delete(record.id);
      await ctx.core.emit(record.developerId, 'vault.credential.deleted', { credentialId: record.id, principalId: record.principalId, service: record.service });
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/v1/vault/credentials/exchange',
    auth: 'grantToken',
    ipLimit: 20,
    handler: async (ctx) => {
      const check = await checkGrantToken(ctx.core, ctx.bearer);
      if (!check.ok) throw new HttpError(401, 'UNAUTHORIZED', 'Invalid or expired grant token');
      const body = objectBody(ctx);
      const service = body['service'];
      if (!isString(service) || !SERVICE.test(service)) throw badRequest('service is required and must match ^[a-z0-9][a-z0-9._-]{0,63}$');
      const granted = new Set(check.claims.scp.map((s) => s.toLowerCase()));
      if (!scopesForService(service).some((s) => granted.has(s))) {
        throw new HttpError(403, 'FORBIDDEN', `Grant token is not scoped for ${service} credential exchange`);
      }
      const record = [...ctx.core.store.vault.values()].find(
        (v) => v.developerId === check.claims.dev && v.principalId === check.claims.sub && v.service === service,
      );
      if (!record) throw notFound(`No ${service} credential stored for this principal`);
      await ctx.core.emit(record.developerId, 'vault.credential.exchanged', {
        credentialId: record.id,
        principalId: record.principalId,
        service,
        grantId: check.claims.grnt,
      });
      return json(200, {
        accessToken: record.accessToken,
        service: record.service,
        credentialType: record.credentialType,
        tokenExpiresAt: record.tokenExpiresAt,
        metadata: JSON.stringify(record.metadata),
      });
    },
  },
];
