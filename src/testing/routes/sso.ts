// SSO connections, enforcement, sessions and the legacy OIDC config. Logins and their callbacks
// are in sso-login.ts.
import { fromBase64, iso, ulid } from '../encoding.js';
import { discover } from './sso-login.js';
import { badRequest, isHttpUrl, isPlainObject, isString, isStringArray, json, noContent, notFound, objectBody, type Body, type Ctx, type Route } from '../http.js';
import type { SsoConnectionRecord } from '../store.js';

const REQUIRED: Record<SsoConnectionRecord['protocol'], string[]> = {
  oidc: ['issuerUrl', 'clientId', 'clientSecret'],
  saml: ['idpEntityId', 'idpSsoUrl', 'idpCertificate', 'spEntityId', 'spAcsUrl'],
  ldap: ['ldapUrl', 'ldapBindDn', 'ldapBindPassword', 'ldapSearchBase'],
};
const SHOWN: Record<SsoConnectionRecord['protocol'], string[]> = {
  oidc: ['issuerUrl', 'clientId'],
  saml: ['idpEntityId', 'idpSsoUrl', 'spEntityId', 'spAcsUrl'],
  ldap: ['ldapUrl', 'ldapBindDn', 'ldapSearchBase', 'ldapSearchFilter', 'ldapGroupSearchBase', 'ldapGroupSearchFilter', 'ldapTlsEnabled'],
};
const STRING_FIELDS = [...new Set(Object.values(REQUIRED).flat()), 'ldapSearchFilter', 'ldapGroupSearchBase', 'ldapGroupSearchFilter', 'groupAttribute', 'name'];
const STATUSES = ['active', 'inactive', 'testing'];

/** Secrets (client secret, IdP certificate, bind password) are never shown; `groupMappings` is a JSON string. */
const connectionView = (c: SsoConnectionRecord) => {
  const f = c.fields;
  const shown: Record<string, unknown> = {};
  for (const key of SHOWN[c.protocol]) shown[key] = f[key] ?? null;
  return {
    id: c.id,
    developerId: c.developerId,
    name: f['name'],
    protocol: c.protocol,
    status: c.status,
    ...shown,
    domains: [...(f['domains'] as string[])],
    jitProvisioning: f['jitProvisioning'],
    enforce: f['enforce'],
    groupAttribute: f['groupAttribute'] ?? null,
    groupMappings: JSON.stringify(f['groupMappings']),
    defaultScopes: [...(f['defaultScopes'] as string[])],
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
};

/** Checks the fields present in `body`; with `create`, also the protocol's required ones. */
function readFields(body: Body, protocol: SsoConnectionRecord['protocol'], create: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of STRING_FIELDS) {
    if (body[key] === undefined) continue;
    if (!isString(body[key]) || (body[key] as string).length === 0) throw badRequest(`${key} must be a non-empty string`);
    out[key] = body[key];
  }
  if (create) {
    if (!isString(body['name']) || body['name'].length === 0) throw badRequest('name is required');
    const missing = REQUIRED[protocol].filter((key) => out[key] === undefined);
    if (missing.length > 0) throw badRequest(`Missing required fields for ${protocol}: ${missing.join(', ')}`);
  }
  for (const key of ['issuerUrl', 'idpSsoUrl', 'spAcsUrl']) {
    if (out[key] !== undefined && !isHttpUrl(out[key])) throw badRequest(`${key} must be an http(s) URL`);
  }
  if (out['ldapUrl'] !== undefined && !/^ldaps?:\/\/[^\s/]+/i.test(out['ldapUrl'] as string)) throw badRequest('ldapUrl must start with ldap:// or ldaps://');
  for (const key of ['domains', 'defaultScopes']) {
    if (body[key] === undefined) continue;
    if (!isStringArray(body[key])) throw badRequest(`${key} must be an array of strings`);
    out[key] = [...(body[key] as string[])];
  }
  for (const key of ['jitProvisioning', 'enforce', 'ldapTlsEnabled']) {
    if (body[key] === undefined) continue;
    if (typeof body[key] !== 'boolean') throw badRequest(`${key} must be a boolean`);
    out[key] = body[key];
  }
  if (body['groupMappings'] !== undefined) {
    const mappings = body['groupMappings'];
    if (!isPlainObject(mappings) || !Object.values(mappings).every(isStringArray)) throw badRequest('groupMappings must map group names to scope lists');
    out['groupMappings'] = structuredClone(mappings);
  }
  return out;
}

function ownConnection(ctx: Ctx): SsoConnectionRecord {
  const connection = ctx.core.store.ssoConnections.get(ctx.params['id']!);
  if (!connection || connection.developerId !== ctx.developer.developerId) throw notFound('SSO connection not found');
  return connection;
}

const configView = (developerId: string, ctx: Ctx) => {
  const c = ctx.core.store.ssoConfigs.get(developerId);
  if (!c) throw notFound('SSO config not found');
  return { issuerUrl: c.issuerUrl, clientId: c.clientId, redirectUri: c.redirectUri, createdAt: iso(c.createdAt), updatedAt: iso(c.updatedAt) };
};

export const ssoRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/sso/connections',
    auth: 'apiKey',
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const protocol = body['protocol'];
      if (protocol !== 'oidc' && protocol !== 'saml' && protocol !== 'ldap') throw badRequest('protocol must be oidc, saml or ldap');
      const fields = {
        domains: [],
        jitProvisioning: false,
        enforce: false,
        groupMappings: {},
        defaultScopes: [],
        ...(protocol === 'ldap' ? { ldapSearchFilter: '(uid={{username}})', ldapGroupSearchFilter: '(member={{dn}})', ldapTlsEnabled: false } : {}),
        ...readFields(body, protocol, true),
      };
      const { store } = ctx.core;
      const connection: SsoConnectionRecord = {
        id: `sso_${ulid(ctx.now)}`,
        developerId: ctx.developer.developerId,
        protocol,
        status: 'active',
        fields,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        seq: store.nextSeq(),
      };
      store.ssoConnections.set(connection.id, connection);
      await ctx.core.emit(connection.developerId, 'sso.connection.created', { connectionId: connection.id, protocol });
      return json(201, connectionView(connection));
    },
  },
  {
    method: 'GET',
    path: '/v1/sso/connections',
    auth: 'apiKey',
    handler: ({ core, developer }) =>
      json(200, {
        connections: [...core.store.ssoConnections.values()].filter((c) => c.developerId === developer.developerId).sort((a, b) => a.seq - b.seq).map(connectionView),
      }),
  },
  {
    method: 'GET',
    path: '/v1/sso/connections/{id}',
    auth: 'apiKey',
    handler: (ctx) => json(200, connectionView(ownConnection(ctx))),
  },
  {
    method: 'PATCH',
    path: '/v1/sso/connections/{id}',
    auth: 'apiKey',
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const connection = ownConnection(ctx);
      // `protocol` is ignored on update.
      const { protocol: _ignored, status, ...rest } = body;
      const fields = readFields(rest, connection.protocol, false);
      if (status !== undefined && !STATUSES.includes(status as string)) throw badRequest('status must be active, inactive or testing');
      if (Object.keys(fields).length === 0 && status === undefined) throw badRequest('No fields to update');
      Object.assign(connection.fields, fields);
      if (status !== undefined) connection.status = status as SsoConnectionRecord['status'];
      connection.updatedAt = ctx.now;
      await ctx.core.emit(connection.developerId, 'sso.connection.updated', { connectionId: connection.id });
      return json(200, connectionView(connection));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/sso/connections/{id}',
    auth: 'apiKey',
    handler: async (ctx) => {
      const connection = ownConnection(ctx);
      ctx.core.store.ssoConnections.delete(connection.id);
      await ctx.core.emit(connection.developerId, 'sso.connection.deleted', { connectionId: connection.id });
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/v1/sso/connections/{id}/test',
    auth: 'apiKey',
    // Tries the connection for real: OIDC discovery through the server's outbound fetch, the IdP
    // certificate's encoding for SAML, a bind against the directory served for the LDAP URL.
    handler: async (ctx) => {
      const c = ownConnection(ctx);
      const f = c.fields;
      const failed = (error: string) => json(422, { success: false, protocol: c.protocol, error });
      if (c.protocol === 'saml') {
        const der = fromBase64(String(f['idpCertificate']).replace(/-----(BEGIN|END) CERTIFICATE-----/g, ''));
        if (!der || der[0] !== 0x30 || der.length < 64) return failed('idpCertificate is not a PEM or base64 DER certificate');
        return json(200, { success: true, protocol: 'saml', idpEntityId: f['idpEntityId'], idpSsoUrl: f['idpSsoUrl'] });
      }
      if (c.protocol === 'ldap') {
        const directory = ctx.core.store.ldapDirectories.get(f['ldapUrl'] as string);
        if (!directory) return failed(`Cannot reach ${f['ldapUrl']}`);
        if (directory.bindDn !== f['ldapBindDn'] || directory.bindPassword !== f['ldapBindPassword']) return failed('LDAP bind failed: invalid credentials');
        return json(200, { success: true, protocol: 'ldap', ldapUrl: f['ldapUrl'], ldapSearchBase: f['ldapSearchBase'], ldapTlsEnabled: f['ldapTlsEnabled'] === true });
      }
      try {
        const doc = await discover(ctx.core, f['issuerUrl'] as string);
        return json(200, { success: true, protocol: 'oidc', issuer: doc.issuer, authorizationEndpoint: doc.authorization_endpoint, tokenEndpoint: doc.token_endpoint, jwksUri: doc.jwks_uri });
      } catch (error) {
        return failed(error instanceof Error ? error.message : 'OIDC discovery failed');
      }
    },
  },
  {
    method: 'POST',
    path: '/v1/sso/enforce',
    auth: 'apiKey',
    handler: (ctx) => {
      const enforce = objectBody(ctx)['enforce'];
      if (typeof enforce !== 'boolean') throw badRequest('enforce must be a boolean');
      for (const c of ctx.core.store.ssoConnections.values()) {
        if (c.developerId === ctx.developer.developerId && c.status === 'active') {
          c.fields['enforce'] = enforce;
          c.updatedAt = ctx.now;
        }
      }
      return json(200, { enforce, developerId: ctx.developer.developerId });
    },
  },
  {
    method: 'GET',
    path: '/v1/sso/sessions',
    auth: 'apiKey',
    handler: (ctx) => {
      const sessions = [...ctx.core.store.ssoSessions.values()]
        .filter((s) => s.developerId === ctx.developer.developerId && s.expiresAt > ctx.now)
        .sort((a, b) => b.seq - a.seq);
      return json(200, {
        sessions: sessions.map((s) => ({
          id: s.id,
          connectionId: s.connectionId,
          principalId: s.principalId,
          email: s.email,
          name: s.name,
          idpSubject: s.idpSubject,
          groups: [...s.groups],
          mappedScopes: [...s.mappedScopes],
          expiresAt: iso(s.expiresAt),
          createdAt: iso(s.createdAt),
        })),
      });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/sso/sessions/{id}',
    auth: 'apiKey',
    handler: (ctx) => {
      const session = ctx.core.store.ssoSessions.get(ctx.params['id']!);
      if (!session || session.developerId !== ctx.developer.developerId) throw notFound('SSO session not found');
      ctx.core.store.ssoSessions.delete(session.id);
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/v1/sso/config',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = objectBody(ctx);
      for (const key of ['issuerUrl', 'clientId', 'clientSecret', 'redirectUri']) {
        if (!isString(body[key]) || (body[key] as string).length === 0) throw badRequest(`${key} is required`);
      }
      const { store } = ctx.core;
      const existing = store.ssoConfigs.get(ctx.developer.developerId);
      store.ssoConfigs.set(ctx.developer.developerId, {
        issuerUrl: body['issuerUrl'] as string,
        clientId: body['clientId'] as string,
        clientSecret: body['clientSecret'] as string,
        redirectUri: body['redirectUri'] as string,
        createdAt: existing?.createdAt ?? ctx.now,
        updatedAt: ctx.now,
      });
      return json(201, configView(ctx.developer.developerId, ctx));
    },
  },
  {
    method: 'GET',
    path: '/v1/sso/config',
    auth: 'apiKey',
    handler: (ctx) => json(200, configView(ctx.developer.developerId, ctx)),
  },
  {
    method: 'DELETE',
    path: '/v1/sso/config',
    auth: 'apiKey',
    handler: (ctx) => {
      if (!ctx.core.store.ssoConfigs.delete(ctx.developer.developerId)) throw notFound('SSO config not found');
      return noContent();
    },
  },
];
