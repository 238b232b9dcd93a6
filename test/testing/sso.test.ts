import { afterEach, describe, expect, it } from 'vitest';

import { Grantex } from '../../src/index.js';
import { createTestServer } from '../../src/testing/index.js';
import { expectAllValid, validatingFetch, type Checked } from './support.js';

const b64url = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

/** The IdP URL of an OIDC or SAML login answer (LDAP answers have none). */
function urlOf(login: object): string {
  if (!('authorizeUrl' in login) || typeof login.authorizeUrl !== 'string') throw new Error('the login answer has no authorizeUrl');
  return login.authorizeUrl;
}

/** A small OIDC identity provider living in memory: discovery, JWKS, authorize (by the test) and token. */
async function createIdp(issuer = 'https://idp.test') {
  const keys = (await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = { ...(await crypto.subtle.exportKey('jwk', keys.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { nonce: string; clientId: string; redirectUri: string; challenge: string | null; claims: Record<string, unknown> }>();
  const idp = {
    up: true,
    tokenRequests: [] as URLSearchParams[],
    /** The user signs in at the authorize URL; the IdP redirects back with this code. */
    authorize(authorizeUrl: string, claims: Record<string, unknown>) {
      const url = new URL(authorizeUrl);
      const code = b64url(crypto.getRandomValues(new Uint8Array(12)));
      codes.set(code, { nonce: url.searchParams.get('nonce')!, clientId: url.searchParams.get('client_id')!, redirectUri: url.searchParams.get('redirect_uri')!, challenge: url.searchParams.get('code_challenge'), claims });
      return code;
    },
    async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
      const request = input instanceof Request ? input : new Request(input, init);
      const url = new URL(request.url);
      if (!idp.up || url.origin !== issuer) return new Response('down', { status: 503 });
      if (url.pathname === '/.well-known/openid-configuration') {
        return Response.json({ issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, code_challenge_methods_supported: ['S256'] });
      }
      if (url.pathname === '/jwks') return Response.json({ keys: [jwk] });
      if (url.pathname === '/token' && request.method === 'POST') {
        const form = new URLSearchParams(await request.text());
        idp.tokenRequests.push(form);
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
        if (!grant || grant.clientId !== form.get('client_id') || grant.redirectUri !== form.get('redirect_uri') || grant.challenge !== challenge) {
          return Response.json({ error: 'invalid_grant' }, { status: 400 });
        }
        const now = Math.floor(Date.now() / 1000);
        const payload = { iss: issuer, aud: grant.clientId, iat: now, exp: now + 300, nonce: grant.nonce, ...grant.claims };
        const input = `${b64url(JSON.stringify({ alg: 'RS256', kid: 'idp-1' }))}.${b64url(JSON.stringify(payload))}`;
        const signature = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', keys.privateKey, new TextEncoder().encode(input)));
        return Response.json({ id_token: `${input}.${b64url(signature)}`, access_token: 'at', token_type: 'Bearer' });
      }
      return new Response('not found', { status: 404 });
    },
  };
  return idp;
}

let checked: Checked[] = [];
afterEach(() => expectAllValid(checked));

async function setup() {
  const idp = await createIdp();
  const server = createTestServer({ fetch: idp.fetch, onUnexpectedError: (error) => { throw error; } });
  const validating = validatingFetch(server);
  checked = validating.checked;
  const client = new Grantex({ apiKey: server.apiKey, baseUrl: server.url, fetch: validating.fetch as typeof fetch, maxRetries: 0 });
  const call = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = path.startsWith('/v1/') ? { authorization: `Bearer ${server.apiKey}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await validating.fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  };
  return { idp, server, client, call };
}

const oidcConnection = {
  name: 'Acme IdP',
  protocol: 'oidc' as const,
  issuerUrl: 'https://idp.test',
  clientId: 'grantex-client',
  clientSecret: 'idp-client-secret',
  jitProvisioning: true,
  groupMappings: { Engineering: ['calendar:write'] },
  defaultScopes: ['calendar:read'],
};

describe('OIDC login', () => {
  it('login, IdP sign-in and callback open a session with mapped scopes; the session is listed and revoked once', async () => {
    const { idp, server, client, call } = await setup();
    const connection = await client.sso.connections.create(oidcConnection);
    const login = await client.sso.loginUrl({ org: server.developerId, redirectUri: 'https://app.example/sso' });
    expect(login).toMatchObject({ protocol: 'oidc', connectionId: connection.id });
    const authorize = new URL(urlOf(login));
    expect(authorize.origin + authorize.pathname).toBe('https://idp.test/authorize');
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({ client_id: 'grantex-client', redirect_uri: 'https://app.example/sso', response_type: 'code', scope: 'openid email profile', code_challenge_method: 'S256' });

    const code = idp.authorize(urlOf(login), { sub: 'idp|alice', email: 'alice@acme.example', name: 'Alice', groups: ['Engineering'] });
    const state = authorize.searchParams.get('state')!;
    const result = await client.sso.handleOidcCallback({ code, state, redirect_uri: 'https://app.example/sso' });
    expect(result).toMatchObject({ sub: 'idp|alice', email: 'alice@acme.example', name: 'Alice', groups: ['Engineering'], mappedScopes: ['calendar:read', 'calendar:write'], principalId: 'alice@acme.example', developerId: server.developerId });
    expect(idp.tokenRequests[0]!.get('client_secret')).toBe('idp-client-secret');

    const sessions = await client.sso.sessions();
    expect(sessions.sessions).toEqual([expect.objectContaining({ id: result.sessionId, connectionId: connection.id, idpSubject: 'idp|alice' })]);
    // The state is single-use.
    expect((await call('POST', '/sso/callback/oidc', { code, state, redirect_uri: 'https://app.example/sso' })).status).toBe(400);
    await client.sso.revokeSession(result.sessionId);
    expect((await call('DELETE', `/v1/sso/sessions/${result.sessionId}`)).status).toBe(404);
    expect((await client.sso.sessions()).sessions).toEqual([]);
  });

  it('a nonce, code or redirect that does not match is refused; sessions expire after 8 hours', async () => {
    const { idp, server, client, call } = await setup();
    await client.sso.connections.create(oidcConnection);
    const start = async () => {
      const login = await client.sso.loginUrl({ org: server.developerId });
      return { url: urlOf(login), state: new URL(urlOf(login)).searchParams.get('state')! };
    };
    let login = await start();
    const wrongNonce = idp.authorize(login.url.replace(/nonce=[^&]+/, 'nonce=forged'), { sub: 'idp|mallory' });
    const refused = await call('POST', '/sso/callback/oidc', { code: wrongNonce, state: login.state });
    expect([refused.status, refused.body.code]).toEqual([502, 'SSO_ERROR']);
    expect(refused.body).not.toHaveProperty('requestId');
    login = await start();
    expect((await call('POST', '/sso/callback/oidc', { code: 'never-issued', state: login.state })).status).toBe(502);

    const bound = await client.sso.loginUrl({ org: server.developerId, redirectUri: 'https://app.example/sso' });
    const boundState = new URL(urlOf(bound)).searchParams.get('state')!;
    expect((await call('POST', '/sso/callback/oidc', { code: 'x', state: boundState, redirect_uri: 'https://evil.example/sso' })).status).toBe(400);

    login = await start();
    const code = idp.authorize(login.url, { sub: 'idp|bob' });
    await call('POST', '/sso/callback/oidc', { code, state: login.state });
    expect((await client.sso.sessions()).sessions).toHaveLength(1);
    server.clock.advance('8h');
    expect((await client.sso.sessions()).sessions).toEqual([]);

    login = await start();
    server.clock.advance('10m');
    expect((await call('POST', '/sso/callback/oidc', { code: 'x', state: login.state })).status).toBe(400);
  });

  it('the connection test runs discovery for real: 200 with the endpoints, 422 when the IdP is down', async () => {
    const { idp, client, call } = await setup();
    const connection = await client.sso.connections.create(oidcConnection);
    expect(await client.sso.connections.test(connection.id)).toEqual({ success: true, protocol: 'oidc', issuer: 'https://idp.test', authorizationEndpoint: 'https://idp.test/authorize', tokenEndpoint: 'https://idp.test/token', jwksUri: 'https://idp.test/jwks' });
    idp.up = false;
    const down = await call('POST', `/v1/sso/connections/${connection.id}/test`);
    expect(down).toEqual({ status: 422, body: { success: false, protocol: 'oidc', error: expect.stringContaining('503') } });
  });

  it('an org without an active connection is 404', async () => {
    const { server, call } = await setup();
    expect((await call('GET', `/sso/login?org=${server.developerId}`)).status).toBe(404);
    expect((await call('GET', '/sso/login')).status).toBe(400);
  });
});

const certificate = Buffer.concat([Buffer.from([0x30, 0x81, 0x80]), Buffer.alloc(128, 7)]).toString('base64');
const samlConnection = { name: 'Acme SAML', protocol: 'saml' as const, idpEntityId: 'https://idp.acme.example', idpSsoUrl: 'https://idp.acme.example/sso', idpCertificate: certificate, spEntityId: 'https://grantex.test/sp', spAcsUrl: 'https://grantex.test/sso/callback/saml' };

function samlResponse({ issuer = samlConnection.idpEntityId, audience = samlConnection.spEntityId, notOnOrAfter = new Date(Date.now() + 300_000).toISOString() } = {}) {
  const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Issuer>${issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion><saml:Issuer>${issuer}</saml:Issuer><saml:Subject><saml:NameID>dave@acme.example</saml:NameID></saml:Subject><saml:Conditions NotBefore="2020-01-01T00:00:00Z" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue>dave@acme.example</saml:AttributeValue></saml:Attribute><saml:Attribute Name="groups"><saml:AttributeValue>Engineering</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>`;
  return Buffer.from(xml).toString('base64');
}

describe('SAML login', () => {
  it('login names the IdP SSO URL with a RelayState; a matching response opens a session; a bogus one is 502', async () => {
    const { server, client, call } = await setup();
    const connection = await client.sso.connections.create({ ...samlConnection, groupMappings: { Engineering: ['calendar:write'] } });
    expect(await client.sso.connections.test(connection.id)).toMatchObject({ success: true, protocol: 'saml' });
    const start = async () => new URL(urlOf(await client.sso.loginUrl({ org: server.developerId }))).searchParams.get('RelayState')!;
    const relay = await start();
    const login = await call('POST', '/sso/callback/saml', { SAMLResponse: samlResponse(), RelayState: relay });
    expect(login.body).toMatchObject({ sub: 'dave@acme.example', email: 'dave@acme.example', groups: ['Engineering'], mappedScopes: ['calendar:write'], principalId: null });
    expect((await call('POST', '/sso/callback/saml', { SAMLResponse: samlResponse(), RelayState: relay })).status).toBe(400);

    const bogus = await call('POST', '/sso/callback/saml', { SAMLResponse: Buffer.from('<samlp:Response ID="_x">...</samlp:Response>').toString('base64'), RelayState: await start() });
    expect([bogus.status, bogus.body.code]).toEqual([502, 'SSO_ERROR']);
    expect((await call('POST', '/sso/callback/saml', { SAMLResponse: samlResponse({ audience: 'https://other.example' }), RelayState: await start() })).status).toBe(502);
    expect((await call('POST', '/sso/callback/saml', { SAMLResponse: samlResponse({ issuer: 'https://evil.example' }), RelayState: await start() })).status).toBe(502);
    expect((await call('POST', '/sso/callback/saml', { SAMLResponse: samlResponse({ notOnOrAfter: '2020-01-02T00:00:00Z' }), RelayState: await start() })).status).toBe(502);
  });

  it('a connection whose certificate is not one fails its test with 422', async () => {
    const { client, call } = await setup();
    const connection = await client.sso.connections.create({ ...samlConnection, idpCertificate: 'not a certificate' });
    expect(await call('POST', `/v1/sso/connections/${connection.id}/test`)).toMatchObject({ status: 422, body: { success: false, protocol: 'saml' } });
  });
});

describe('LDAP login', () => {
  const ldap = { name: 'Directory', protocol: 'ldap' as const, ldapUrl: 'ldap://ldap.acme.example', ldapBindDn: 'cn=grantex,dc=acme', ldapBindPassword: 'bind-secret', ldapSearchBase: 'dc=acme' };
  const directory = { bindDn: 'cn=grantex,dc=acme', bindPassword: 'bind-secret', users: [{ username: 'carol', password: 'c0rrect', dn: 'uid=carol,dc=acme', email: 'carol@acme.example', groups: ['Support'] }] };

  it('the right password opens a session with the DN as sub; a wrong one is 401; the test binds for real', async () => {
    const { server, client, call } = await setup();
    const connection = await client.sso.connections.create(ldap);
    expect((await call('POST', `/v1/sso/connections/${connection.id}/test`)).status).toBe(422);
    server.ldap.serve(ldap.ldapUrl, directory);
    expect(await client.sso.connections.test(connection.id)).toEqual({ success: true, protocol: 'ldap', ldapUrl: ldap.ldapUrl, ldapSearchBase: 'dc=acme', ldapTlsEnabled: false });

    const login = (password: string) => call('POST', '/sso/callback/ldap', { username: 'carol', password, connectionId: connection.id, org: server.developerId });
    const wrong = await login('wrong');
    expect([wrong.status, wrong.body.code]).toEqual([401, 'SSO_AUTH_FAILED']);
    expect((await login('c0rrect')).body).toMatchObject({ sub: 'uid=carol,dc=acme', email: 'carol@acme.example', groups: ['Support'] });
    expect((await call('POST', '/sso/callback/ldap', { username: 'carol', password: 'c0rrect', connectionId: 'sso_01M82D3K8WB2NQ5Y7HXT0FMC4J', org: server.developerId })).status).toBe(404);

    server.ldap.serve(ldap.ldapUrl, { ...directory, bindPassword: 'rotated' });
    expect((await call('POST', `/v1/sso/connections/${connection.id}/test`)).body).toMatchObject({ success: false, error: expect.stringContaining('bind') });
    expect(() => server.ldap.serve('http://not-ldap', directory)).toThrow(/ldap/);
  });
});
