// SSO logins against identity providers the test provides: OIDC (discovery, authorization code
// with PKCE, ID token checked against the IdP's JWKS), SAML (the response's issuer, audience,
// status and validity window; its XML signature is not checked) and LDAP (a directory served
// through `server.ldap.serve`). A successful callback creates an SSO session.
import { base64url, fromBase64, fromBase64url, fromUtf8, iso, randomBytes, ulid, utf8 } from '../encoding.js';
import { HttpError, isHttpUrl, isNonEmptyString, json, objectBody, type Ctx, type Route, type ServerCore } from '../http.js';
import type { SsoConnectionRecord, SsoStateRecord } from '../store.js';

const STATE_MS = 10 * 60_000;
const SESSION_MS = 8 * 3_600_000;

/** The public `/sso/*` errors carry no requestId, as on the real server. */
const ssoError = (status: number, code: string, message: string) => new HttpError(status, code, message, { message, code });
const idpFailure = (message: string) => ssoError(502, 'SSO_ERROR', message);

export interface OidcDiscovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  code_challenge_methods_supported?: string[] | undefined;
}

/** Reads the IdP's discovery document; throws with a message for the caller to report. */
export async function discover(core: ServerCore, issuerUrl: string): Promise<OidcDiscovery> {
  const url = `${issuerUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await core.outbound(url, { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new Error(`OIDC discovery failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new Error(`OIDC discovery failed: HTTP ${response.status}`);
  const doc = (await response.json().catch(() => undefined)) as Partial<OidcDiscovery> | undefined;
  if (!doc || !isNonEmptyString(doc.issuer) || !isHttpUrl(doc.authorization_endpoint) || !isHttpUrl(doc.token_endpoint) || !isHttpUrl(doc.jwks_uri)) {
    throw new Error('OIDC discovery document is incomplete');
  }
  return doc as OidcDiscovery;
}

/** The active connection an org logs in with: the one claiming `domain`, else the oldest active one. */
function loginConnection(ctx: Ctx, org: string, domain: string | null): SsoConnectionRecord | undefined {
  const active = [...ctx.core.store.ssoConnections.values()].filter((c) => c.developerId === org && c.status === 'active').sort((a, b) => a.seq - b.seq);
  return (domain !== null ? active.find((c) => (c.fields['domains'] as string[]).includes(domain.toLowerCase())) : undefined) ?? active[0];
}

async function s256(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(verifier))));
}

/** Takes a login state once; unknown, expired and used states are one 400. */
function takeState(ctx: Ctx, state: string): SsoStateRecord {
  const record = ctx.core.store.ssoStates.get(state);
  if (!record || record.used || record.expiresAt <= ctx.now) throw ssoError(400, 'BAD_REQUEST', 'Invalid or expired state');
  record.used = true;
  return record;
}

function stateConnection(ctx: Ctx, record: SsoStateRecord, protocol: SsoConnectionRecord['protocol']): SsoConnectionRecord {
  const connection = ctx.core.store.ssoConnections.get(record.connectionId);
  if (!connection || connection.protocol !== protocol) throw ssoError(404, 'NOT_FOUND', 'SSO connection not found');
  return connection;
}

/** Verifies an RS256 or ES256 JWT with the IdP's JWKS and returns its claims. */
async function verifyIdToken(core: ServerCore, token: string, discovery: OidcDiscovery): Promise<Record<string, unknown>> {
  const [h = '', p = '', s = ''] = token.split('.');
  const header = JSON.parse(fromUtf8(fromBase64url(h) ?? new Uint8Array())) as { alg?: string; kid?: string };
  const jwks = (await (await core.outbound(discovery.jwks_uri)).json()) as { keys?: (JsonWebKey & { kid?: string })[] };
  const jwk = (jwks.keys ?? []).find((k) => header.kid === undefined || k.kid === header.kid);
  const signature = fromBase64url(s);
  if (!jwk || !signature) throw new Error('no matching IdP key');
  let ok: boolean;
  if (header.alg === 'RS256') {
    const key = await crypto.subtle.importKey('jwk', { kty: jwk.kty, n: jwk.n, e: jwk.e }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
    ok = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature, utf8(`${h}.${p}`));
  } else if (header.alg === 'ES256') {
    const key = await crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    ok = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, utf8(`${h}.${p}`));
  } else {
    throw new Error('unsupported ID token algorithm');
  }
  if (!ok) throw new Error('ID token signature does not verify');
  return JSON.parse(fromUtf8(fromBase64url(p) ?? new Uint8Array())) as Record<string, unknown>;
}

interface Identity {
  sub: string;
  email: string | null;
  name: string | null;
  groups: string[];
}

/** Records the session of a login and answers with the callback result. */
async function openSession(ctx: Ctx, connection: SsoConnectionRecord, identity: Identity): Promise<Response> {
  const f = connection.fields;
  const mappings = f['groupMappings'] as Record<string, string[]>;
  const mappedScopes = [...new Set([...(f['defaultScopes'] as string[]), ...identity.groups.flatMap((g) => mappings[g] ?? [])])];
  // The principal: provisioned just in time when the connection says so, else a SCIM user of that name.
  const scimUser = [...ctx.core.store.scimUsers.values()].find((u) => u.developerId === connection.developerId && (u.userName === identity.email || u.userName === identity.sub));
  const principalId = f['jitProvisioning'] === true ? (identity.email ?? identity.sub) : (scimUser?.userName ?? null);
  const session = {
    id: `ssosess_${ulid(ctx.now)}`,
    developerId: connection.developerId,
    connectionId: connection.id,
    principalId,
    email: identity.email,
    name: identity.name,
    idpSubject: identity.sub,
    groups: identity.groups,
    mappedScopes,
    expiresAt: ctx.now + SESSION_MS,
    createdAt: ctx.now,
    seq: ctx.core.store.nextSeq(),
  };
  ctx.core.store.ssoSessions.set(session.id, session);
  await ctx.core.emit(connection.developerId, 'sso.login', { sessionId: session.id, connectionId: connection.id, protocol: connection.protocol, principalId, email: identity.email });
  return json(200, {
    sessionId: session.id,
    email: identity.email,
    name: identity.name,
    sub: identity.sub,
    groups: [...identity.groups],
    mappedScopes: [...mappedScopes],
    principalId,
    developerId: connection.developerId,
    expiresAt: iso(session.expiresAt),
  });
}

const stringOrNull = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);
const groupsOf = (value: unknown) => (Array.isArray(value) ? value.filter((g): g is string => typeof g === 'string') : typeof value === 'string' ? [value] : []);

/** Exchanges the code at the IdP and checks the ID token (issuer, audience, expiry, nonce). */
async function oidcIdentity(ctx: Ctx, issuerUrl: string, clientId: string, clientSecret: string, code: string, record: SsoStateRecord, groupAttribute: string): Promise<Identity> {
  try {
    const discovery = await discover(ctx.core, issuerUrl);
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: record.callbackUrl, client_id: clientId, client_secret: clientSecret });
    if (record.codeVerifier) form.set('code_verifier', record.codeVerifier);
    const response = await ctx.core.outbound(discovery.token_endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() });
    if (!response.ok) throw new Error(`token exchange failed: HTTP ${response.status}`);
    const tokens = (await response.json()) as { id_token?: unknown };
    if (typeof tokens.id_token !== 'string') throw new Error('token response has no id_token');
    const claims = await verifyIdToken(ctx.core, tokens.id_token, discovery);
    const audience = Array.isArray(claims['aud']) ? claims['aud'] : [claims['aud']];
    if (claims['iss'] !== discovery.issuer) throw new Error('ID token issuer mismatch');
    if (!audience.includes(clientId)) throw new Error('ID token audience mismatch');
    if (typeof claims['exp'] !== 'number' || claims['exp'] * 1000 <= ctx.now) throw new Error('ID token expired');
    if (claims['nonce'] !== record.nonce) throw new Error('nonce mismatch');
    if (!isNonEmptyString(claims['sub'])) throw new Error('ID token has no sub');
    return { sub: claims['sub'], email: stringOrNull(claims['email']), name: stringOrNull(claims['name']), groups: groupsOf(claims[groupAttribute]) };
  } catch (error) {
    throw idpFailure(error instanceof Error ? error.message : 'OIDC login failed');
  }
}

/** The text of the first element named `local` (any namespace prefix). */
function element(xml: string, local: string): string | undefined {
  return new RegExp(`<(?:[\\w.-]+:)?${local}\\b[^>]*>([^<]*)</(?:[\\w.-]+:)?${local}>`).exec(xml)?.[1]?.trim();
}

function attribute(xml: string, local: string, name: string): string | undefined {
  return new RegExp(`<(?:[\\w.-]+:)?${local}\\b[^>]*\\b${name}="([^"]*)"`).exec(xml)?.[1];
}

function samlAttributes(xml: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const pattern = /<(?:[\w.-]+:)?Attribute\b[^>]*\bName="([^"]*)"[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?Attribute>/g;
  for (const [, name, body] of xml.matchAll(pattern)) {
    out.set(name!, [...body!.matchAll(/<(?:[\w.-]+:)?AttributeValue\b[^>]*>([^<]*)</g)].map((m) => m[1]!.trim()));
  }
  return out;
}

/** Checks a SAML response against the connection; throws with the reason. */
function samlIdentity(ctx: Ctx, connection: SsoConnectionRecord, encoded: string): Identity {
  const bytes = fromBase64(encoded);
  const xml = bytes ? fromUtf8(bytes) : '';
  if (!/<(?:[\w.-]+:)?Response\b/.test(xml)) throw new Error('SAMLResponse is not a SAML response');
  const status = attribute(xml, 'StatusCode', 'Value');
  if (status !== 'urn:oasis:names:tc:SAML:2.0:status:Success') throw new Error('SAML status is not Success');
  if (element(xml, 'Issuer') !== connection.fields['idpEntityId']) throw new Error('SAML issuer does not match the connection');
  if (element(xml, 'Audience') !== connection.fields['spEntityId']) throw new Error('SAML audience does not match the connection');
  const notOnOrAfter = attribute(xml, 'Conditions', 'NotOnOrAfter');
  const notBefore = attribute(xml, 'Conditions', 'NotBefore');
  if (!notOnOrAfter || !(Date.parse(notOnOrAfter) > ctx.now) || (notBefore && Date.parse(notBefore) > ctx.now)) throw new Error('SAML assertion is outside its validity window');
  const sub = element(xml, 'NameID');
  if (!sub) throw new Error('SAML assertion has no NameID');
  const attributes = samlAttributes(xml);
  const first = (...names: string[]) => names.map((n) => attributes.get(n)?.[0]).find((v) => v !== undefined) ?? null;
  const groupAttribute = (connection.fields['groupAttribute'] as string | undefined) ?? 'groups';
  return { sub, email: first('email', 'mail'), name: first('name', 'displayName'), groups: attributes.get(groupAttribute) ?? [] };
}

export const ssoLoginRoutes: Route[] = [
  {
    method: 'GET',
    path: '/sso/login',
    auth: 'none',
    handler: async (ctx) => {
      const org = ctx.query.get('org');
      const redirectUri = ctx.query.get('redirect_uri');
      if (!org) throw ssoError(400, 'BAD_REQUEST', 'org is required');
      if (redirectUri !== null && !isHttpUrl(redirectUri)) throw ssoError(400, 'BAD_REQUEST', 'redirect_uri must be an http(s) URL');
      const connection = loginConnection(ctx, org, ctx.query.get('domain'));
      if (!connection) throw ssoError(404, 'NOT_FOUND', 'No active SSO connection for this organization');
      const f = connection.fields;
      if (connection.protocol === 'ldap') {
        return json(200, { protocol: 'ldap', connectionId: connection.id, ldapUrl: f['ldapUrl'], message: 'Submit the username and password to POST /sso/callback/ldap' });
      }
      const state = base64url(randomBytes(24));
      const record: SsoStateRecord = {
        state,
        developerId: org,
        connectionId: connection.id,
        nonce: base64url(randomBytes(16)),
        codeVerifier: null,
        callbackUrl: redirectUri ?? `${ctx.core.baseUrl()}/sso/callback/${connection.protocol}`,
        redirectUri,
        expiresAt: ctx.now + STATE_MS,
        used: false,
      };
      let authorizeUrl: URL;
      if (connection.protocol === 'oidc') {
        let discovery: OidcDiscovery;
        try {
          discovery = await discover(ctx.core, f['issuerUrl'] as string);
        } catch (error) {
          throw idpFailure(error instanceof Error ? error.message : 'OIDC discovery failed');
        }
        authorizeUrl = new URL(discovery.authorization_endpoint);
        const params = { client_id: f['clientId'] as string, redirect_uri: record.callbackUrl, response_type: 'code', scope: 'openid email profile', state, nonce: record.nonce };
        for (const [key, value] of Object.entries(params)) authorizeUrl.searchParams.set(key, value);
        if (discovery.code_challenge_methods_supported?.includes('S256')) {
          record.codeVerifier = base64url(randomBytes(32));
          authorizeUrl.searchParams.set('code_challenge', await s256(record.codeVerifier));
          authorizeUrl.searchParams.set('code_challenge_method', 'S256');
        }
      } else {
        // HTTP-Redirect binding, with the request base64-encoded (not deflated).
        const request = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_${ulid(ctx.now)}" Version="2.0" IssueInstant="${iso(ctx.now)}" AssertionConsumerServiceURL="${f['spAcsUrl']}"><saml:Issuer>${f['spEntityId']}</saml:Issuer></samlp:AuthnRequest>`;
        authorizeUrl = new URL(f['idpSsoUrl'] as string);
        authorizeUrl.searchParams.set('SAMLRequest', btoa(request));
        authorizeUrl.searchParams.set('RelayState', state);
      }
      ctx.core.store.ssoStates.set(state, record);
      return json(200, { authorizeUrl: authorizeUrl.toString(), protocol: connection.protocol, connectionId: connection.id });
    },
  },
  {
    method: 'POST',
    path: '/sso/callback/oidc',
    auth: 'none',
    ipLimit: 20,
    handler: async (ctx) => {
      const body = objectBody(ctx);
      if (!isNonEmptyString(body['code']) || !isNonEmptyString(body['state'])) throw ssoError(400, 'BAD_REQUEST', 'code and state are required');
      const record = takeState(ctx, body['state']);
      if (record.redirectUri !== null && body['redirect_uri'] !== record.redirectUri) throw ssoError(400, 'BAD_REQUEST', 'redirect_uri does not match the login');
      const connection = stateConnection(ctx, record, 'oidc');
      const f = connection.fields;
      const identity = await oidcIdentity(ctx, f['issuerUrl'] as string, f['clientId'] as string, f['clientSecret'] as string, body['code'], record, (f['groupAttribute'] as string | undefined) ?? 'groups');
      return openSession(ctx, connection, identity);
    },
  },
  {
    method: 'POST',
    path: '/sso/callback/saml',
    auth: 'none',
    ipLimit: 20,
    handler: async (ctx) => {
      const body = objectBody(ctx);
      if (!isNonEmptyString(body['SAMLResponse']) || !isNonEmptyString(body['RelayState'])) throw ssoError(400, 'BAD_REQUEST', 'SAMLResponse and RelayState are required');
      const record = takeState(ctx, body['RelayState']);
      const connection = stateConnection(ctx, record, 'saml');
      let identity: Identity;
      try {
        identity = samlIdentity(ctx, connection, body['SAMLResponse']);
      } catch (error) {
        throw idpFailure(`SAML response verification failed: ${error instanceof Error ? error.message : ''}`);
      }
      return openSession(ctx, connection, identity);
    },
  },
  {
    method: 'POST',
    path: '/sso/callback/ldap',
    auth: 'none',
    ipLimit: 10,
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const { username, password, connectionId, org } = body;
      if (!isNonEmptyString(username) || !isNonEmptyString(password) || !isNonEmptyString(connectionId) || !isNonEmptyString(org)) {
        throw ssoError(400, 'BAD_REQUEST', 'username, password, connectionId and org are required');
      }
      const connection = ctx.core.store.ssoConnections.get(connectionId);
      if (!connection || connection.developerId !== org || connection.protocol !== 'ldap' || connection.status !== 'active') throw ssoError(404, 'NOT_FOUND', 'SSO connection not found');
      const f = connection.fields;
      const directory = ctx.core.store.ldapDirectories.get(f['ldapUrl'] as string);
      const refused = () => ssoError(401, 'SSO_AUTH_FAILED', 'Invalid username or password');
      if (!directory || directory.bindDn !== f['ldapBindDn'] || directory.bindPassword !== f['ldapBindPassword']) throw refused();
      const user = directory.users.find((u) => u.username === username);
      if (!user || user.password !== password) throw refused();
      return openSession(ctx, connection, { sub: user.dn, email: user.email ?? null, name: user.name ?? null, groups: [...(user.groups ?? [])] });
    },
  },
  {
    method: 'GET',
    path: '/sso/callback',
    auth: 'none',
    handler: async (ctx) => {
      const code = ctx.query.get('code');
      const state = ctx.query.get('state');
      if (!code || !state) throw ssoError(400, 'BAD_REQUEST', 'code and state are required');
      const record = takeState(ctx, state);
      const config = ctx.core.store.ssoConfigs.get(record.developerId);
      if (!config) throw ssoError(404, 'NOT_FOUND', 'SSO config not found');
      const identity = await oidcIdentity(ctx, config.issuerUrl, config.clientId, config.clientSecret, code, record, 'groups');
      return json(200, { email: identity.email, name: identity.name, sub: identity.sub, developerId: record.developerId });
    },
  },
];
