import { describe, expect, it } from 'vitest';

import { AuthorizedFetchError, createAuthorizedFetch } from '../../src/vault/index.js';
import { GrantexConfigurationError } from '../../src/errors.js';
import { BASE_URL, CREDENTIAL, GRANT_TOKEN, rejection, scriptedNetwork } from './support.js';

const base = { grantToken: GRANT_TOKEN, service: 'github', allowedOrigins: ['https://api.github.com'], baseUrl: BASE_URL };

describe('injection', () => {
  it('by default sends Authorization: Bearer <credential>, and exchanges with the grant token as bearer', async () => {
    const net = scriptedNetwork();
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch });
    const response = await gh('https://api.github.com/user/repos?per_page=5', { headers: { accept: 'application/vnd.github+json' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(net.exchanges).toHaveLength(1);
    expect(net.exchanges[0]!.method).toBe('POST');
    expect(net.exchanges[0]!.headers['authorization']).toBe(`Bearer ${GRANT_TOKEN}`);
    expect(JSON.parse(net.exchanges[0]!.body)).toEqual({ service: 'github' });
    expect(net.upstreamCalls).toEqual([
      {
        url: 'https://api.github.com/user/repos?per_page=5',
        method: 'GET',
        headers: { accept: 'application/vnd.github+json', authorization: `Bearer ${CREDENTIAL}` },
        body: '',
      },
    ]);
  });

  it('{ header, scheme } writes "<scheme> <credential>" into that header', async () => {
    const net = scriptedNetwork();
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, inject: { header: 'Authorization', scheme: 'token' } });
    await gh('https://api.github.com/user');
    expect(net.upstreamCalls[0]!.headers['authorization']).toBe(`token ${CREDENTIAL}`);
  });

  it('{ header } without a scheme writes the credential alone', async () => {
    const net = scriptedNetwork();
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, inject: { header: 'X-Api-Key' } });
    await gh('https://api.github.com/user');
    expect(net.upstreamCalls[0]!.headers['x-api-key']).toBe(CREDENTIAL);
    expect(net.upstreamCalls[0]!.headers['authorization']).toBeUndefined();
  });

  it('{ query } adds the credential as a query parameter, keeping the others', async () => {
    const net = scriptedNetwork();
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, inject: { query: 'access_token' } });
    await gh('https://api.github.com/search?q=a%20b&page=2');
    const sent = new URL(net.upstreamCalls[0]!.url);
    expect(sent.searchParams.get('access_token')).toBe(CREDENTIAL);
    expect(sent.searchParams.get('q')).toBe('a b');
    expect(sent.searchParams.get('page')).toBe('2');
    expect(net.upstreamCalls[0]!.headers['authorization']).toBeUndefined();
  });

  it('forwards method, body and headers of a Request, and of init over it', async () => {
    const net = scriptedNetwork();
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch });
    const request = new Request('https://api.github.com/repos/o/r/issues', { method: 'POST', body: JSON.stringify({ title: 'bug' }), headers: { 'content-type': 'application/json' } });
    await gh(request, { headers: { 'content-type': 'application/json', 'x-trace': '1' } });
    expect(net.upstreamCalls[0]).toMatchObject({ method: 'POST', body: '{"title":"bug"}' });
    expect(net.upstreamCalls[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'x-trace': '1', authorization: `Bearer ${CREDENTIAL}` });
  });

  it('a caller\'s Authorization header is refused, not replaced, and nothing is sent', async () => {
    const net = scriptedNetwork();
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch });
    for (const init of [{ headers: { Authorization: 'Bearer mine' } }, { headers: new Headers({ authorization: 'Basic eDp5' }) }]) {
      const error = await rejection(gh('https://api.github.com/user', init));
      expect(error).toBeInstanceOf(AuthorizedFetchError);
      expect((error as AuthorizedFetchError).code).toBe('AUTHORIZATION_CONFLICT');
    }
    const error = await rejection(gh(new Request('https://api.github.com/user', { headers: { authorization: 'Bearer mine' } })));
    expect((error as AuthorizedFetchError).code).toBe('AUTHORIZATION_CONFLICT');
    // With query injection too: the upstream would get two credentials.
    const query = createAuthorizedFetch({ ...base, fetch: net.fetch, inject: { query: 'access_token' } });
    expect(((await rejection(query('https://api.github.com/user', { headers: { authorization: 'x' } }))) as AuthorizedFetchError).code).toBe('AUTHORIZATION_CONFLICT');
    expect(net.exchanges).toHaveLength(0);
    expect(net.upstreamCalls).toHaveLength(0);
  });

  it('the header or query parameter the credential goes into is refused when the caller set it', async () => {
    const net = scriptedNetwork();
    const header = createAuthorizedFetch({ ...base, fetch: net.fetch, inject: { header: 'x-api-key' } });
    expect(((await rejection(header('https://api.github.com/user', { headers: { 'X-API-KEY': 'mine' } }))) as AuthorizedFetchError).code).toBe('AUTHORIZATION_CONFLICT');
    const query = createAuthorizedFetch({ ...base, fetch: net.fetch, inject: { query: 'access_token' } });
    expect(((await rejection(query('https://api.github.com/user?access_token=mine'))) as AuthorizedFetchError).code).toBe('AUTHORIZATION_CONFLICT');
    expect(net.exchanges).toHaveLength(0);
    expect(net.upstreamCalls).toHaveLength(0);
  });

  it('bad options throw GrantexConfigurationError at creation', () => {
    const bad: Record<string, unknown>[] = [
      { ...base, grantToken: undefined },
      { ...base, getGrantToken: () => 'x' },
      { ...base, grantToken: 'has space' },
      { ...base, service: 'GitHub API' },
      { ...base, allowedOrigins: [] },
      { ...base, allowedOrigins: 'https://api.github.com' },
      { ...base, baseUrl: 'ftp://grantex.test' },
      { ...base, inject: { header: 'bad header' } },
      { ...base, inject: { header: 'authorization', scheme: 'two words' } },
      { ...base, inject: { query: '' } },
      { ...base, inject: { header: 'a', query: 'b' } },
      { ...base, inject: { query: 'a', scheme: 'Bearer' } },
      { ...base, followRedirects: 'yes' },
      { ...base, fetch: 'fetch' },
      { ...base, now: 5 },
      { ...base, retries: 3 },
    ];
    for (const options of bad) expect(() => createAuthorizedFetch(options as never), JSON.stringify(options)).toThrow(GrantexConfigurationError);
  });

  it('creating one sends nothing; the exchange waits for the first request', async () => {
    const net = scriptedNetwork();
    createAuthorizedFetch({ ...base, fetch: net.fetch });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(net.exchanges).toHaveLength(0);
  });

  it('getGrantToken is asked on every request; a throw or a non-token is a typed error before anything is sent', async () => {
    const net = scriptedNetwork();
    let calls = 0;
    const gh = createAuthorizedFetch({ ...base, grantToken: undefined, getGrantToken: async () => (calls++, GRANT_TOKEN), fetch: net.fetch });
    await gh('https://api.github.com/a');
    await gh('https://api.github.com/b');
    expect(calls).toBe(2);
    expect(net.exchanges).toHaveLength(1);
    for (const getGrantToken of [() => { throw new Error('vault down'); }, () => '', () => 42 as unknown as string]) {
      const other = scriptedNetwork();
      const failing = createAuthorizedFetch({ ...base, grantToken: undefined, getGrantToken, fetch: other.fetch });
      const error = await rejection(failing('https://api.github.com/a'));
      expect((error as AuthorizedFetchError).code).toBe('GRANT_TOKEN_UNAVAILABLE');
      expect(other.exchanges.length + other.upstreamCalls.length).toBe(0);
    }
  });
});
