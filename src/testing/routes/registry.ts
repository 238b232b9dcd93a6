// The trust registry (organisations by DID, verified through a DNS TXT record the test publishes)
// and the MCP server registry with its certification applications.
import { iso, ulid } from '../encoding.js';
import { badRequest, HttpError, isNonEmptyString, isPlainObject, isString, isStringArray, json, notFound, objectBody, optionalBoolean, type Ctx, type Route } from '../http.js';
import type { McpServerRecord, RegistryOrgRecord } from '../store.js';
import { txtRecords } from './billing.js';

const DID_WEB = /^did:web:((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9])$/i;
const MCP_CATEGORIES = ['productivity', 'data', 'compute', 'payments', 'communication', 'other'];
const LEVELS = ['bronze', 'silver', 'gold'];

/** A page of `items` after the one whose id is `cursor`, with the cursor of the next page when a full page was returned. */
function cursorPage<T>(ctx: Ctx, items: T[], idOf: (item: T) => string, fullPageCursor: boolean): { page: T[]; cursor?: string | undefined } {
  const limitText = ctx.query.get('limit');
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badRequest('limit must be an integer from 1 to 100');
  const cursor = ctx.query.get('cursor');
  const start = cursor === null ? 0 : items.findIndex((item) => idOf(item) === cursor) + 1;
  const page = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return { page, ...((fullPageCursor ? page.length === limit : more) && page.length > 0 ? { cursor: idOf(page.at(-1)!) } : {}) };
}

const like = (value: string | null, q: string) => value !== null && value.toLowerCase().includes(q.toLowerCase());

const orgSummary = (o: RegistryOrgRecord) => ({
  did: o.did,
  name: o.name,
  description: o.description,
  verificationLevel: o.verificationLevel,
  badges: [...o.badges],
  stats: { totalAgents: 0, weeklyActiveGrants: 0, averageRating: 0 },
  website: o.website,
  logoUrl: null,
});

const findOrg = (ctx: Ctx, key: string) => [...ctx.core.store.registryOrgs.values()].find((o) => o.orgId === key || o.did === key);

const legacyView = (o: RegistryOrgRecord) => ({
  organizationDID: o.did,
  verifiedAt: o.verifiedAt === null ? null : iso(o.verifiedAt),
  verificationMethod: o.verificationMethod,
  trustLevel: o.verificationLevel,
  domains: [o.domain],
  name: o.name,
  description: o.description,
  badges: [...o.badges],
});

/** Marks an org verified when its TXT record holds its token; 400 DNS_VERIFICATION_FAILED otherwise. */
function verifyOrgDns(ctx: Ctx, org: RegistryOrgRecord): void {
  if (!txtRecords(ctx.core.store, `_grantex-verify.${org.domain}`).includes(org.verificationToken)) {
    throw new HttpError(400, 'DNS_VERIFICATION_FAILED', `No TXT record at _grantex-verify.${org.domain} matches the verification token`);
  }
  org.verificationLevel = 'verified';
  org.verifiedAt = ctx.now;
  org.verificationMethod = 'dns-txt';
  if (!org.badges.includes('dns-verified')) org.badges.push('dns-verified');
}

const serverView = (s: McpServerRecord) => ({
  serverId: s.serverId,
  name: s.name,
  description: s.description,
  category: s.category,
  scopes: [...s.scopes],
  certified: false,
  serverUrl: s.serverUrl,
  authEndpoint: s.authEndpoint,
  npmPackage: s.npmPackage,
  weeklyActiveAgents: 0,
  stars: 0,
  status: 'active',
  createdAt: iso(s.createdAt),
});

const pendingCertification = (ctx: Ctx, serverId: string) =>
  [...ctx.core.store.certifications.values()].find((c) => c.serverId === serverId && c.status.startsWith('pending'));

export const registryRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/registry/orgs',
    auth: 'none',
    handler: (ctx) => {
      const q = ctx.query.get('q');
      const verified = ctx.query.get('verified');
      const badge = ctx.query.get('badge');
      const category = ctx.query.get('category');
      const sort = ctx.query.get('sort');
      if (verified !== null && verified !== 'true' && verified !== 'false') throw badRequest('verified must be true or false');
      if (sort !== null && sort !== 'average_rating') throw badRequest('sort must be average_rating');
      const orgs = [...ctx.core.store.registryOrgs.values()]
        .filter((o) => q === null || like(o.name, q) || like(o.description, q))
        .filter((o) => verified === null || (o.verificationLevel !== 'basic') === (verified === 'true'))
        .filter((o) => badge === null || o.badges.includes(badge))
        // The category matches a listed agent's; the test server lists no registry agents.
        .filter(() => category === null)
        .sort((a, b) => b.seq - a.seq);
      const { page, cursor } = cursorPage(ctx, orgs, (o) => o.orgId, false);
      return json(200, { data: page.map(orgSummary), meta: { total: orgs.length, ...(cursor ? { cursor } : {}) } });
    },
  },
  {
    method: 'POST',
    path: '/v1/registry/orgs',
    auth: 'apiKey',
    ipLimit: 10,
    handler: (ctx) => {
      const body = objectBody(ctx);
      const match = isString(body['did']) ? DID_WEB.exec(body['did']) : null;
      if (!match) throw badRequest('did must be did:web:<hostname>');
      if (!isNonEmptyString(body['name'])) throw badRequest('name is required');
      for (const key of ['description', 'website']) if (body[key] !== undefined && !isString(body[key])) throw badRequest(`${key} must be a string`);
      const contact = body['contact'] ?? {};
      if (!isPlainObject(contact) || Object.values(contact).some((v) => v !== undefined && !isString(v))) throw badRequest('contact must be {security?, dpo?}');
      const requestVerification = optionalBoolean(body, 'requestVerification') ?? false;
      if (body['verificationMethod'] !== undefined && body['verificationMethod'] !== 'dns-txt') {
        throw new HttpError(400, 'UNSUPPORTED_VERIFICATION_METHOD', 'Only dns-txt verification is supported');
      }
      const did = body['did'] as string;
      if (findOrg(ctx, did)) throw new HttpError(409, 'CONFLICT', 'This DID is already registered');
      const domain = match[1]!.toLowerCase();
      const org: RegistryOrgRecord = {
        orgId: `treg_${ulid(ctx.now)}`,
        developerId: ctx.developer.developerId,
        did,
        domain,
        name: body['name'],
        description: (body['description'] as string | undefined) ?? null,
        website: (body['website'] as string | undefined) ?? null,
        contact: { security: (contact['security'] as string | undefined) ?? null, dpo: (contact['dpo'] as string | undefined) ?? null },
        verificationToken: `grantex-verify=${ulid(ctx.now)}`,
        verificationLevel: 'basic',
        verifiedAt: null,
        verificationMethod: null,
        badges: [],
        createdAt: ctx.now,
        seq: ctx.core.store.nextSeq(),
      };
      ctx.core.store.registryOrgs.set(org.orgId, org);
      const dnsRecordName = `_grantex-verify.${domain}`;
      return json(201, {
        orgId: org.orgId,
        did,
        name: org.name,
        trustLevel: 'basic',
        domain,
        dnsRecordName,
        verificationToken: org.verificationToken,
        ...(requestVerification ? { instructions: `Publish a DNS TXT record at ${dnsRecordName} with the value ${org.verificationToken}, then call POST /v1/registry/orgs/${org.orgId}/verify-dns` } : {}),
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/registry/orgs/{did}',
    auth: 'none',
    handler: (ctx) => {
      const org = findOrg(ctx, ctx.params['did']!);
      if (!org || org.did !== ctx.params['did']) throw notFound('Organization not found');
      return json(200, {
        ...orgSummary(org),
        domain: org.domain,
        publicKeys: [],
        compliance: { soc2: false, iso27001: false, dpdp: false, gdpr: false },
        contact: { ...org.contact },
        reviewCount: 0,
        verifiedAt: org.verifiedAt === null ? null : iso(org.verifiedAt),
        verificationMethod: org.verificationMethod,
        agents: [],
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/registry/orgs/{did}/jwks',
    auth: 'none',
    handler: (ctx) => {
      const org = findOrg(ctx, ctx.params['did']!);
      if (!org || org.did !== ctx.params['did']) throw notFound('Organization not found');
      return json(200, { keys: [] });
    },
  },
  {
    method: 'POST',
    path: '/v1/registry/orgs/{orgId}/verify-dns',
    auth: 'apiKey',
    ipLimit: 10,
    handler: (ctx) => {
      const org = findOrg(ctx, ctx.params['orgId']!);
      if (!org) throw notFound('Organization not found');
      if (org.developerId !== ctx.developer.developerId) throw new HttpError(403, 'FORBIDDEN', 'Organization belongs to another developer');
      verifyOrgDns(ctx, org);
      return json(200, { orgId: org.orgId, verified: true, verificationMethod: 'dns-txt', trustLevel: 'verified', verifiedAt: iso(org.verifiedAt!), domain: org.domain });
    },
  },
  {
    method: 'GET',
    path: '/v1/trust-registry',
    auth: 'apiKey',
    handler: (ctx) => json(200, { records: [...ctx.core.store.registryOrgs.values()].sort((a, b) => b.seq - a.seq).slice(0, 100).map(legacyView) }),
  },
  {
    method: 'GET',
    path: '/v1/trust-registry/{orgDID}',
    auth: 'none',
    handler: (ctx) => {
      const org = findOrg(ctx, ctx.params['orgDID']!);
      if (!org || org.did !== ctx.params['orgDID']) throw notFound('Organization not found');
      return json(200, { ...legacyView(org), stats: orgSummary(org).stats, agents: [] });
    },
  },
  {
    method: 'POST',
    path: '/v1/trust-registry/verify-dns',
    auth: 'apiKey',
    ipLimit: 10,
    handler: (ctx) => {
      const body = objectBody(ctx);
      const domain = isString(body['domain']) ? body['domain'].trim().toLowerCase() : '';
      if (!DID_WEB.test(`did:web:${domain}`)) throw badRequest('domain is required');
      const org = findOrg(ctx, `did:web:${domain}`);
      if (!org || org.developerId !== ctx.developer.developerId) {
        throw new HttpError(400, 'DNS_VERIFICATION_FAILED', `No organization registered for ${domain} with a matching TXT record`);
      }
      verifyOrgDns(ctx, org);
      return json(200, { organizationDID: org.did, verified: true, verificationMethod: 'dns-txt', trustLevel: 'verified', verifiedAt: iso(org.verifiedAt!), domain });
    },
  },
  {
    method: 'GET',
    path: '/v1/mcp/servers',
    auth: 'none',
    handler: (ctx) => {
      const certified = ctx.query.get('certified');
      const category = ctx.query.get('category');
      const q = ctx.query.get('q');
      // Sorting by weekly_active_agents or stars ties everywhere here (both are 0): the default order stands.
      const servers = [...ctx.core.store.mcpServers.values()]
        .filter(() => certified === null || certified !== 'true')
        .filter((s) => category === null || s.category === category)
        .filter((s) => q === null || like(s.name, q) || like(s.description, q))
        .sort((a, b) => b.seq - a.seq);
      const { page, cursor } = cursorPage(ctx, servers, (s) => s.serverId, true);
      return json(200, { data: page.map(serverView), meta: { total: servers.length, ...(cursor ? { cursor } : {}) } });
    },
  },
  {
    method: 'POST',
    path: '/v1/mcp/servers',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = objectBody(ctx);
      if (!isNonEmptyString(body['name'])) throw badRequest('name is required');
      for (const key of ['description', 'serverUrl', 'authEndpoint', 'npmPackage']) if (body[key] !== undefined && !isString(body[key])) throw badRequest(`${key} must be a string`);
      const category = body['category'] ?? 'other';
      if (!MCP_CATEGORIES.includes(category as string)) throw badRequest(`category must be one of ${MCP_CATEGORIES.join(', ')}`);
      const scopes = body['scopes'] ?? [];
      if (!isStringArray(scopes)) throw badRequest('scopes must be an array of strings');
      const server: McpServerRecord = {
        serverId: `mcp_srv_${ulid(ctx.now)}`,
        developerId: ctx.developer.developerId,
        name: body['name'],
        description: (body['description'] as string | undefined) ?? null,
        category: category as string,
        scopes: [...scopes],
        serverUrl: (body['serverUrl'] as string | undefined) ?? null,
        authEndpoint: (body['authEndpoint'] as string | undefined) ?? null,
        npmPackage: (body['npmPackage'] as string | undefined) ?? null,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        seq: ctx.core.store.nextSeq(),
      };
      ctx.core.store.mcpServers.set(server.serverId, server);
      return json(201, serverView(server));
    },
  },
  {
    method: 'GET',
    path: '/v1/mcp/servers/{serverId}',
    auth: 'none',
    handler: (ctx) => {
      const server = ctx.core.store.mcpServers.get(ctx.params['serverId']!);
      if (!server) throw notFound('MCP server not found');
      const publisher = ctx.core.store.developers.get(server.developerId);
      return json(200, {
        ...serverView(server),
        certificationPending: pendingCertification(ctx, server.serverId) !== undefined,
        updatedAt: iso(server.updatedAt),
        publisher: { id: server.developerId, name: publisher?.name ?? null },
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/mcp/certification/apply',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = objectBody(ctx);
      if (!isNonEmptyString(body['serverId']) || !LEVELS.includes(body['requestedLevel'] as string)) throw badRequest('serverId and requestedLevel (bronze, silver, gold) are required');
      const server = ctx.core.store.mcpServers.get(body['serverId']);
      if (!server || server.developerId !== ctx.developer.developerId) throw notFound('MCP server not found');
      const pending = pendingCertification(ctx, server.serverId);
      if (pending) {
        const message = 'A certification application is already pending for this server';
        throw new HttpError(409, 'CERTIFICATION_PENDING', message, {
          message,
          code: 'CERTIFICATION_PENDING',
          requestId: ctx.requestId,
          certificationId: pending.certificationId,
          requestedLevel: pending.requestedLevel,
          status: pending.status,
          createdAt: iso(pending.createdAt),
        });
      }
      const certification = { certificationId: `cert_${ulid(ctx.now)}`, developerId: ctx.developer.developerId, serverId: server.serverId, requestedLevel: body['requestedLevel'] as string, status: 'pending_conformance_test', createdAt: ctx.now };
      ctx.core.store.certifications.set(certification.certificationId, certification);
      return json(202, {
        certificationId: certification.certificationId,
        serverId: server.serverId,
        requestedLevel: certification.requestedLevel,
        status: certification.status,
        conformancePassed: 0,
        conformanceTotal: 13,
        createdAt: iso(ctx.now),
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/mcp/certification/{certId}',
    auth: 'apiKey',
    handler: (ctx) => {
      const c = ctx.core.store.certifications.get(ctx.params['certId']!);
      if (!c || c.developerId !== ctx.developer.developerId) throw notFound('Certification not found');
      return json(200, {
        certificationId: c.certificationId,
        serverId: c.serverId,
        requestedLevel: c.requestedLevel,
        status: c.status,
        conformanceResults: {},
        conformancePassed: 0,
        conformanceTotal: 13,
        createdAt: iso(c.createdAt),
      });
    },
  },
];
