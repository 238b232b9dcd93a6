// Verifiable credentials: the records of the VCs this server issued, their verification (signature,
// revocation, expiry), the status lists, and SD-JWT presentation with selective disclosure.
import { credentialIssuer, disclosureDigest, isRevokedAt, statusListCredential } from '../credentials.js';
import { fromBase64url, fromUtf8, iso } from '../encoding.js';
import { badRequest, isString, json, notFound, objectBody, type Route, type ServerCore } from '../http.js';
import type { VcRecord } from '../store.js';

export const vcView = (r: VcRecord) => ({
  id: r.id,
  grantId: r.grantId,
  developerId: r.developerId,
  principalId: r.principalId,
  agentDid: r.agentDid,
  credentialType: r.credentialType,
  format: r.format,
  credentialJwt: r.credentialJwt,
  status: r.status,
  statusListIdx: r.statusListIdx,
  issuedAt: iso(r.issuedAt),
  expiresAt: iso(r.expiresAt),
  revokedAt: r.revokedAt === null ? null : iso(r.revokedAt),
});

/** A signed credential's claims when its signature verifies with the server's key and it names the server as issuer. */
async function verifiedClaims(core: ServerCore, jwt: string): Promise<Record<string, unknown> | undefined> {
  const claims = await core.signer.verify(jwt);
  return claims && claims['iss'] === credentialIssuer(core) ? claims : undefined;
}

function decodeDisclosure(text: string): [string, string, unknown] | undefined {
  const bytes = fromBase64url(text);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(fromUtf8(bytes));
    return Array.isArray(value) && value.length === 3 && isString(value[0]) && isString(value[1]) ? (value as [string, string, unknown]) : undefined;
  } catch {
    return undefined;
  }
}

export const credentialRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/credentials',
    auth: 'apiKey',
    handler: ({ core, developer, query }) => {
      const filters = (['grantId', 'principalId', 'status'] as const).map((key) => [key, query.get(key)] as const);
      const records = [...core.store.vcs.values()]
        .filter((r) => r.developerId === developer.developerId && filters.every(([key, value]) => value === null || r[key] === value))
        .sort((a, b) => b.seq - a.seq)
        .slice(0, 100);
      return json(200, { credentials: records.map(vcView) });
    },
  },
  {
    method: 'GET',
    path: '/v1/credentials/{id}',
    auth: 'apiKey',
    handler: ({ core, developer, params }) => {
      const record = core.store.vcs.get(params['id']!);
      if (!record || record.developerId !== developer.developerId) throw notFound('Credential not found');
      return json(200, vcView(record));
    },
  },
  {
    method: 'POST',
    path: '/v1/credentials/verify',
    auth: 'none',
    ipLimit: 30,
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const credential = body['credential'];
      if (!isString(credential) || credential.length === 0) throw badRequest('credential is required');
      const payload = await verifiedClaims(ctx.core, credential);
      if (!payload) return json(200, { valid: false, error: 'Invalid credential signature' });
      const vcId = String(payload['jti']);
      const record = ctx.core.store.vcs.get(vcId);
      if (!record) return json(200, { valid: false, vcId, error: 'Credential not found' });
      if (record.status === 'revoked') return json(200, { valid: false, vcId, revoked: true, error: 'Credential has been revoked' });
      if (typeof payload['exp'] === 'number' && payload['exp'] * 1000 <= ctx.now) return json(200, { valid: false, vcId, expired: true, error: 'Credential has expired' });
      return json(200, { valid: true, vcId, payload });
    },
  },
  {
    method: 'GET',
    path: '/v1/credentials/status/{id}',
    auth: 'none',
    ipLimit: 60,
    handler: ({ core, params }) => {
      const list = core.store.statusLists.get(params['id']!);
      if (!list) throw notFound('Status list not found');
      return json(200, statusListCredential(core, list));
    },
  },
  {
    method: 'POST',
    path: '/v1/credentials/present',
    auth: 'none',
    ipLimit: 30,
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const sdJwt = body['sdJwt'];
      if (!isString(sdJwt) || sdJwt.length === 0) throw badRequest('sdJwt is required');
      for (const key of ['nonce', 'audience']) if (body[key] !== undefined && !isString(body[key])) throw badRequest(`${key} must be a string`);
      const [issuerJwt = '', ...rest] = sdJwt.split('~');
      const payload = await verifiedClaims(ctx.core, issuerJwt);
      if (!payload) return json(200, { valid: false, error: 'Invalid SD-JWT signature' });
      const vcId = String(payload['jti']);
      const record = ctx.core.store.sdJwts.get(vcId);
      if (!record) return json(200, { valid: false, vcId, error: 'Credential not found' });
      if (isRevokedAt(ctx.core, record.statusListId, record.statusListIdx)) return json(200, { valid: false, vcId, error: 'Credential has been revoked' });
      if (typeof payload['exp'] === 'number' && payload['exp'] * 1000 <= ctx.now) return json(200, { valid: false, vcId, error: 'Credential has expired' });
      // The last part is empty, or a key-binding JWT (not checked: these credentials bind no holder key).
      const listed = new Set(Array.isArray(payload['_sd']) ? (payload['_sd'] as unknown[]) : []);
      const disclosedClaims: Record<string, unknown> = {};
      const last = rest.at(-1);
      const disclosures = last !== undefined && (last === '' || last.includes('.')) ? rest.slice(0, -1) : rest;
      for (const disclosure of disclosures) {
        const decoded = decodeDisclosure(disclosure);
        if (!decoded || !listed.has(await disclosureDigest(disclosure))) return json(200, { valid: false, vcId, error: 'Disclosure does not match the credential' });
        disclosedClaims[decoded[1]] = decoded[2];
      }
      await ctx.core.emit(record.developerId, 'sd-jwt.presented', { vcId, grantId: record.grantId, disclosedClaims: Object.keys(disclosedClaims) });
      return json(200, { valid: true, vcId, disclosedClaims });
    },
  },
];
