import { describe, expect, it } from 'vitest';

import { AuthorizedFetchError, createAuthorizedFetch } from '../../src/vault/index.js';
import { BASE_URL, CREDENTIAL, GRANT_TOKEN, rejection, scriptedNetwork, type Seen } from './support.js';

const base = { grantToken: GRANT_TOKEN, service: 'github', allowedOrigins: ['https://api.github.com', 'https://uploads.github.com'], baseUrl: BASE_URL };

/** An upstream that redirects by a table of `url -> [status, location]` and answers 200 elsewhere. */
function redirecting(table: Record<string, [number, string]>) {
  return (request: Request) => {
    const hop = table[request.url.replace(/[?&]access_token=[^&]*/, '')];
    return hop ? new Response('moved', { status: hop[0], headers: { location: hop[1] } }) : Response.json({ at: request.url });
  };
}

const carried = (call: Seen) => call.headers['authorization'] === `Bearer ${CREDENTIAL}` || call.url.includes(CREDENTIAL);

describe('redirects', () => {
  it('by default a 3xx to another origin is returned as it is and nothing goes there', async () => {
    const net = scriptedNetwork({ upstream: redirecting({ 'https://api.github.com/download': [302, 'https://evil.example/steal'] }) });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch });
    const response = await gh('https://api.github.com/download');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://evil.example/steal');
    expect(response.redirected).toBe(false);
    expect(await response.text()).toBe('moved');
    expect(net.upstreamCalls.map((c) => c.url)).toEqual(['https://api.github.com/download']);
  });

  it('by default even a same-origin 3xx is returned as it is', async () => {
    const net = scriptedNetwork({ upstream: redirecting({ 'https://api.github.com/a': [301, '/b'] }) });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch });
    expect((await gh('https://api.github.com/a')).status).toBe(301);
    expect(net.upstreamCalls).toHaveLength(1);
  });

  it('followRedirects: within the allowed origins the credential goes along', async () => {
    const net = scriptedNetwork({ upstream: redirecting({ 'https://api.github.com/a': [301, '/b'], 'https://api.github.com/b': [307, 'https://uploads.github.com/c'] }) });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, followRedirects: true });
    const response = await gh('https://api.github.com/a');
    expect(response.status).toBe(200);
    expect(response.url).toBe('https://uploads.github.com/c');
    expect(response.redirected).toBe(true);
    expect(net.upstreamCalls.map((c) => [c.url, carried(c)])).toEqual([
      ['https://api.github.com/a', true],
      ['https://api.github.com/b', true],
      ['https://uploads.github.com/c', true],
    ]);
  });

  it('followRedirects: a redirect to another origin is followed without the credential, and it is not added back later on that chain', async () => {
    const net = scriptedNetwork({
      upstream: redirecting({
        'https://api.github.com/archive': [302, 'https://objects.example/blob?sig=1'],
        'https://objects.example/blob?sig=1': [302, 'https://api.github.com/admin'],
      }),
    });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, followRedirects: true, inject: { query: 'access_token' } });
    const response = await gh('https://api.github.com/archive');
    expect(response.status).toBe(200);
    expect(net.upstreamCalls.map((c) => [c.url.replace(CREDENTIAL, 'CREDENTIAL'), carried(c)])).toEqual([
      ['https://api.github.com/archive?access_token=CREDENTIAL', true],
      ['https://objects.example/blob?sig=1', false],
      ['https://api.github.com/admin', false],
    ]);
    expect(response.url).toBe('https://api.github.com/admin');
  });

  it('followRedirects: a trailing-dot variant of an allowed host does not get the credential', async () => {
    const net = scriptedNetwork({ upstream: redirecting({ 'https://api.github.com/a': [302, 'https://api.github.com./b'] }) });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, followRedirects: true });
    await gh('https://api.github.com/a');
    expect(net.upstreamCalls.map(carried)).toEqual([true, false]);
  });

  it('followRedirects: 303 (and 301/302 after POST) switch to GET without the body; 307/308 keep both', async () => {
    const net = scriptedNetwork({
      upstream: redirecting({
        'https://api.github.com/p1': [303, '/p2'],
        'https://api.github.com/q1': [308, '/q2'],
        'https://api.github.com/r1': [302, '/r2'],
      }),
    });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, followRedirects: true });
    await gh('https://api.github.com/p1', { method: 'POST', body: 'data', headers: { 'content-type': 'text/plain' } });
    await gh('https://api.github.com/q1', { method: 'PUT', body: 'data' });
    await gh('https://api.github.com/r1', { method: 'POST', body: 'data' });
    expect(net.upstreamCalls.map((c) => [c.url.slice(-2), c.method, c.body, c.headers['content-type'] ?? null])).toEqual([
      ['p1', 'POST', 'data', 'text/plain'],
      ['p2', 'GET', '', null],
      ['q1', 'PUT', 'data', 'text/plain;charset=UTF-8'],
      ['q2', 'PUT', 'data', 'text/plain;charset=UTF-8'],
      ['r1', 'POST', 'data', 'text/plain;charset=UTF-8'],
      ['r2', 'GET', '', null],
    ]);
  });

  it('followRedirects: a Location that echoes the credential, or goes to a non-http scheme, is not followed', async () => {
    for (const location of [`https://api.github.com/x?token=${CREDENTIAL}`, 'ftp://api.github.com/x', 'https://u:p@api.github.com/x']) {
      const net = scriptedNetwork({ upstream: redirecting({ 'https://api.github.com/a': [302, location] }) });
      const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, followRedirects: true });
      const response = await gh('https://api.github.com/a');
      expect(response.status).toBe(302);
      expect(net.upstreamCalls).toHaveLength(1);
    }
  });

  it('followRedirects: a cookie is dropped when a redirect changes origin', async () => {
    const net = scriptedNetwork({ upstream: redirecting({ 'https://api.github.com/a': [302, 'https://objects.example/b'] }) });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, followRedirects: true });
    await gh('https://api.github.com/a', { headers: { cookie: 'session=1', 'x-keep': 'yes' } });
    expect(net.upstreamCalls[1]!.headers['cookie']).toBeUndefined();
    expect(net.upstreamCalls[1]!.headers['x-keep']).toBe('yes');
  });

  it('followRedirects: 20 redirects are followed, the 21st is refused with TOO_MANY_REDIRECTS', async () => {
    const chain = (length: number) => Object.fromEntries(Array.from({ length }, (_, i) => [`https://api.github.com/${i}`, [302, `/${i + 1}`] as [number, string]]));
    const ok = scriptedNetwork({ upstream: redirecting(chain(20)) });
    const response = await createAuthorizedFetch({ ...base, fetch: ok.fetch, followRedirects: true })('https://api.github.com/0');
    expect(response.status).toBe(200);
    expect(ok.upstreamCalls).toHaveLength(21);
    const loop = scriptedNetwork({ upstream: redirecting(chain(21)) });
    const error = await rejection(createAuthorizedFetch({ ...base, fetch: loop.fetch, followRedirects: true })('https://api.github.com/0'));
    expect(error).toBeInstanceOf(AuthorizedFetchError);
    expect((error as AuthorizedFetchError).code).toBe('TOO_MANY_REDIRECTS');
    expect(loop.upstreamCalls).toHaveLength(21);
  });

  it('a redirect the runtime hides (a browser\'s opaque redirect) is a typed error', async () => {
    const opaque = Object.defineProperty(new Response(null, { status: 200 }), 'type', { value: 'opaqueredirect' });
    const net = scriptedNetwork({ upstream: () => opaque });
    const error = await rejection(createAuthorizedFetch({ ...base, fetch: net.fetch })('https://api.github.com/a'));
    expect((error as AuthorizedFetchError).code).toBe('REDIRECT_HIDDEN');
  });
});
