// End to end over real HTTP on loopback: the local Grantex (`@grantex/sdk/testing`) stores and
// releases the credential, and a small upstream accepts only that credential.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

import { Grantex } from '../../src/index.js';
import { createAuthorizedFetch, VaultExchangeError } from '../../src/vault/index.js';
import { CREDENTIAL, expectAbsent, rejection, serverWithGrant } from './support.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** An upstream on 127.0.0.1 that answers 200 only to `Bearer <accepted>` (or `?access_token=`), 401 otherwise. */
async function upstream(accepted: () => string) {
  const seen: { path: string; authorized: boolean }[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const given = request.headers.authorization?.replace(/^Bearer /, '') ?? url.searchParams.get('access_token');
    const authorized = given === accepted();
    url.searchParams.delete('access_token');
    seen.push({ path: url.pathname + url.search, authorized });
    response.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' });
    response.end(JSON.stringify(authorized ? { repos: ['alice/dotfiles'], path: url.pathname } : { message: 'Bad credentials' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function grantexOverHttp(options?: Parameters<typeof serverWithGrant>[0]) {
  const setup = await serverWithGrant(options);
  await setup.server.listen(0);
  closers.push(() => setup.server.close());
  const client = new Grantex({ apiKey: setup.server.sandboxApiKey, baseUrl: setup.server.url, maxRetries: 0 });
  return { ...setup, client };
}

describe('end to end: store -> exchange -> upstream, over HTTP', () => {
  it('createAuthorizedFetch with the global fetch; the real Response is detached from the credential-bearing URL', async () => {
    const { server, grantToken } = await grantexOverHttp();
    const api = await upstream(() => CREDENTIAL);
    for (const inject of [undefined, { query: 'access_token' }] as const) {
      const gh = createAuthorizedFetch({ grantToken, service: 'github', allowedOrigins: [api.origin], baseUrl: server.url, ...(inject && { inject }) });
      const response = await gh(`${api.origin}/user/repos?per_page=1`);
      expect(response.status).toBe(200);
      expect(response.url).toBe(`${api.origin}/user/repos?per_page=1`);
      expectAbsent(CREDENTIAL, response, inspect(response, { showHidden: true }));
      expect(await response.json()).toEqual({ repos: ['alice/dotfiles'], path: '/user/repos' });
    }
    expect(api.seen.map((s) => s.authorized)).toEqual([true, true]);
  });

  it('client.vault.authorizedFetch: a credential rotated in the vault is picked up after one upstream 401', async () => {
    const { client, grantToken } = await grantexOverHttp();
    let current = CREDENTIAL;
    const api = await upstream(() => current);
    const gh = client.vault.authorizedFetch({ grantToken, service: 'github', allowedOrigins: [api.origin] });
    expect((await gh(`${api.origin}/user`)).status).toBe(200);
    current = 'gho_RotatedCredential9876543210zyxw';
    await client.vault.store({ principalId: 'user_alice', service: 'github', accessToken: current });
    expect((await gh(`${api.origin}/user`)).status).toBe(200);
    expect(api.seen.map((s) => s.authorized)).toEqual([true, false, true]);
  });

  it('a revoked grant stops the next exchange: VaultExchangeError UNAUTHORIZED once the cached credential expires', async () => {
    const { server, client, grantToken, grantId } = await grantexOverHttp();
    const api = await upstream(() => CREDENTIAL);
    server.clock.freeze();
    const gh = createAuthorizedFetch({ grantToken, service: 'github', allowedOrigins: [api.origin], baseUrl: server.url, now: server.clock.now });
    expect((await gh(`${api.origin}/user`)).status).toBe(200);
    await client.grants.revoke(grantId);
    // Still cached: revocation takes effect at the next exchange.
    expect((await gh(`${api.origin}/user`)).status).toBe(200);
    server.clock.advance('5m');
    const error = await rejection(gh(`${api.origin}/user`));
    expect(error).toBeInstanceOf(VaultExchangeError);
    expect((error as VaultExchangeError).code).toBe('UNAUTHORIZED');
    expect(api.seen).toHaveLength(2);
    expectAbsent(CREDENTIAL, error);
    expectAbsent(grantToken, error);
  });

  it('a credential stored with tokenExpiresAt is exchanged again at that instant', async () => {
    const start = Date.parse('2026-12-01T10:00:00.000Z');
    const expiry = new Date(start + 60_000).toISOString();
    const { server, grantToken } = await grantexOverHttp({ tokenExpiresAt: expiry });
    const api = await upstream(() => CREDENTIAL);
    let now = start;
    const exchanges: string[] = [];
    const fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/v1/vault/credentials/exchange')) exchanges.push(String(input));
      return globalThis.fetch(input, init);
    };
    const gh = createAuthorizedFetch({ grantToken, service: 'github', allowedOrigins: [api.origin], baseUrl: server.url, fetch, now: () => now });
    await gh(`${api.origin}/a`);
    now = Date.parse(expiry) - 1;
    await gh(`${api.origin}/b`);
    expect(exchanges).toHaveLength(1);
    now = Date.parse(expiry);
    await gh(`${api.origin}/c`);
    expect(exchanges).toHaveLength(2);
  });
});
