import { describe, expect, it } from 'vitest';

import { GrantexApiError, isGrantexError } from '../../src/errors.js';
import { createAuthorizedFetch, VaultExchangeError } from '../../src/vault/index.js';
import { CREDENTIAL, expectAbsent, rejection, serverWithGrant } from './support.js';
import type { TestServer } from '../../src/testing/index.js';

/** A fetch that sends Grantex calls to the local server and everything else to a recording upstream. */
function routed(server: TestServer) {
  const upstream: string[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.url.startsWith(server.url)) return server.fetch(request);
    upstream.push(request.url);
    return Response.json({ ok: true });
  };
  return { fetch, upstream };
}

async function refusedBothWays(setup: Awaited<ReturnType<typeof serverWithGrant>>, service = 'github') {
  const { server, client, grantToken } = setup;
  const net = routed(server);
  const plain = createAuthorizedFetch({ grantToken, service, allowedOrigins: ['https://api.github.com'], baseUrl: server.url, fetch: net.fetch });
  const viaClient = client.vault.authorizedFetch({ grantToken, service, allowedOrigins: ['https://api.github.com'], fetch: net.fetch });
  const errors = [await rejection(plain('https://api.github.com/user')), await rejection(viaClient('https://api.github.com/user'))];
  expect(net.upstream).toEqual([]);
  for (const error of errors) {
    expect(error).toBeInstanceOf(VaultExchangeError);
    expect(error).toBeInstanceOf(GrantexApiError);
    expect(isGrantexError(error)).toBe(true);
    expect((error as VaultExchangeError).service).toBe(service);
    expectAbsent(grantToken, error);
    expectAbsent(CREDENTIAL, error);
  }
  return errors as VaultExchangeError[];
}

describe('a refused exchange is a VaultExchangeError with the server\'s code (both paths)', () => {
  it('revoked grant -> UNAUTHORIZED (401)', async () => {
    const setup = await serverWithGrant();
    await setup.client.grants.revoke(setup.grantId);
    for (const error of await refusedBothWays(setup)) {
      expect(error.code).toBe('UNAUTHORIZED');
      expect(error.status).toBe(401);
      expect(error.serverMessage).toBe('Invalid or expired grant token');
      expect(error.toJSON()).toMatchObject({ name: 'VaultExchangeError', code: 'UNAUTHORIZED', status: 401, service: 'github' });
    }
  });

  it('a grant whose scopes do not cover the service -> FORBIDDEN (403)', async () => {
    const errors = await refusedBothWays(await serverWithGrant({ scopes: ['calendar:read'] }));
    for (const error of errors) {
      expect(error.code).toBe('FORBIDDEN');
      expect(error.status).toBe(403);
      expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('nothing stored for the user and service -> NOT_FOUND (404)', async () => {
    const errors = await refusedBothWays(await serverWithGrant({ scopes: ['github:read', 'slack:read'] }), 'slack');
    for (const error of errors) expect([error.code, error.status]).toEqual(['NOT_FOUND', 404]);
  });

  it('the grant token echoed by a server is scrubbed from the refusal', async () => {
    const grantToken = 'grant-token-that-the-server-echoes-0123';
    const fetch = async () => Response.json({ message: `token ${grantToken} is revoked`, code: 'UNAUTHORIZED', requestId: 'r1', echo: { nested: [grantToken] } }, { status: 401, headers: { 'www-authenticate': `Bearer ${grantToken}` } });
    const gh = createAuthorizedFetch({ grantToken, service: 'github', allowedOrigins: ['https://api.github.com'], baseUrl: 'https://grantex.test', fetch });
    const error = (await rejection(gh('https://api.github.com/user'))) as VaultExchangeError;
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.serverMessage).toBe('token [redacted] is revoked');
    expectAbsent(grantToken, error, error.body, [...error.headers]);
  });

  it('an exchange answer without a usable credential is an INVALID_RESPONSE that does not quote it', async () => {
    for (const accessToken of [`${CREDENTIAL}\r\nx-injected: 1`, `${CREDENTIAL} with space`, '', 42]) {
      const fetch = async (input: RequestInfo | URL) =>
        String(input).includes('/exchange') ? Response.json({ accessToken, service: 'github', credentialType: 'oauth2', tokenExpiresAt: null, metadata: '{}' }) : Response.json({});
      const gh = createAuthorizedFetch({ grantToken: 'grant-token-0123456789', service: 'github', allowedOrigins: ['https://api.github.com'], baseUrl: 'https://grantex.test', fetch });
      const error = await rejection(gh('https://api.github.com/user'));
      expect((error as { code: string }).code).toBe('INVALID_RESPONSE');
      expectAbsent(CREDENTIAL, error);
    }
  });
});
