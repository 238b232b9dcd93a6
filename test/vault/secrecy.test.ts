import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';

import { Grantex, GrantexAbortError, GrantexConnectionError } from '../../src/index.js';
import { createAuthorizedFetch } from '../../src/vault/index.js';
import { answer, BASE_URL, CREDENTIAL, expectAbsent, GRANT_TOKEN, rejection, scriptedNetwork } from './support.js';

const base = { grantToken: GRANT_TOKEN, service: 'github', allowedOrigins: ['https://api.github.com'], baseUrl: BASE_URL };

/** An upstream that fails the way runtimes do: the URL and the request headers quoted in the error and its cause. */
function failingUpstream(request: Request): never {
  const detail = `connect ECONNREFUSED for ${request.url} (authorization: ${request.headers.get('authorization')})`;
  throw new TypeError(`fetch failed: ${detail}`, { cause: Object.assign(new Error(detail, { cause: new Error(detail) }), { code: 'ECONNREFUSED' }) });
}

describe('the credential never leaves the helper', () => {
  it('a failed upstream request: the error, its causes, inspect, JSON and stack carry no credential (header and query forms)', async () => {
    for (const inject of [undefined, { query: 'access_token' }] as const) {
      const net = scriptedNetwork({ upstream: failingUpstream });
      const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, ...(inject && { inject }) });
      const error = await rejection(gh('https://api.github.com/user'));
      expect(error).toBeInstanceOf(GrantexConnectionError);
      expect((error as GrantexConnectionError).message).toBe('Could not reach https://api.github.com: ECONNREFUSED');
      expect(((error as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
      // The failure really quoted it: the check below is not vacuous.
      expect(inspect(((error as Error).cause as Error).message)).toContain('[redacted]');
      expectAbsent(CREDENTIAL, error);
      expectAbsent(GRANT_TOKEN, error);
    }
  });

  it('a credential shorter than usual secrets is scrubbed all the same', async () => {
    const net = scriptedNetwork({ exchange: [answer('k9Zq5')], upstream: failingUpstream });
    const error = await rejection(createAuthorizedFetch({ ...base, fetch: net.fetch })('https://api.github.com/user'));
    for (const text of [inspect(error, { showHidden: true, depth: 8 }), JSON.stringify(error), String((error as Error).stack)]) expect(text).not.toContain('k9Zq5');
  });

  it('an abort while the exchange is pending is a GrantexAbortError; the shared exchange goes on for others', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const net = scriptedNetwork({ exchange: async () => (await gate, answer(CREDENTIAL)) });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch });
    const controller = new AbortController();
    const aborted = gh('https://api.github.com/a', { signal: controller.signal });
    const other = gh('https://api.github.com/b');
    controller.abort();
    const error = await rejection(aborted);
    expect(error).toBeInstanceOf(GrantexAbortError);
    release();
    expect((await other).status).toBe(200);
    expect(net.upstreamCalls.map((c) => c.url)).toEqual(['https://api.github.com/b']);
    expectAbsent(CREDENTIAL, error);
  });

  it('the returned Response holds no credential: not its url, properties, inspect or JSON, even with query injection', async () => {
    // Like a real fetch, the upstream's response remembers the URL it was fetched from.
    const net = scriptedNetwork({ upstream: (request) => Object.defineProperty(Response.json({ ok: true }), 'url', { value: request.url }) });
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch, inject: { query: 'access_token' } });
    const response = await gh('https://api.github.com/user?page=2');
    expect(net.upstreamCalls[0]!.url).toContain(CREDENTIAL);
    expect(response.url).toBe('https://api.github.com/user?page=2');
    expectAbsent(CREDENTIAL, response, response.headers, Reflect.ownKeys(response).map((key) => (response as unknown as Record<PropertyKey, unknown>)[key]));
    expect(await response.json()).toEqual({ ok: true });
  });

  it('the authorized fetch itself exposes nothing: no properties, inspect or JSON', async () => {
    const net = scriptedNetwork();
    const gh = createAuthorizedFetch({ ...base, fetch: net.fetch });
    await gh('https://api.github.com/user');
    expect(Reflect.ownKeys(gh).sort()).toEqual(['length', 'name']);
    expectAbsent(CREDENTIAL, gh);
    expectAbsent(GRANT_TOKEN, gh);
  });

  it('client.vault.authorizedFetch: hooks, debug logs, the client and its errors never see the credential or the grant token', async () => {
    const seen: unknown[] = [];
    const lines: string[] = [];
    const log = (...args: unknown[]) => lines.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '));
    const net = scriptedNetwork({ upstream: (request) => (request.url.endsWith('/fail') ? failingUpstream(request) : Response.json({ ok: true })) });
    const client = new Grantex({
      apiKey: 'gx_test_0123456789abcdef',
      baseUrl: BASE_URL,
      fetch: net.fetch,
      onRequest: (event) => seen.push(event),
      onResponse: (event) => seen.push(event),
      logger: { debug: log, info: log, warn: log, error: log },
      logLevel: 'debug',
    });
    const gh = client.vault.authorizedFetch({ grantToken: GRANT_TOKEN, service: 'github', allowedOrigins: ['https://api.github.com'] });
    const response = await gh('https://api.github.com/user');
    const failure = await rejection(gh('https://api.github.com/fail'));
    expect(response.status).toBe(200);
    expect(net.exchanges).toHaveLength(1);
    expect(net.upstreamCalls[0]!.headers['authorization']).toBe(`Bearer ${CREDENTIAL}`);
    // The exchange went through the client: its hooks fired and it logged.
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(lines.some((line) => line.includes('vault.exchange'))).toBe(true);
    expectAbsent(CREDENTIAL, seen, lines, client, client.vault, gh, response, failure);
    expectAbsent(GRANT_TOKEN, seen, lines, client, failure);
  });

  it('client.vault.authorizedFetch: an exchange answer that fails validation does not quote the credential', async () => {
    const net = scriptedNetwork({ exchange: [{ body: { accessToken: CREDENTIAL, service: 42, credentialType: 'oauth2', tokenExpiresAt: 'soon', metadata: '{}' } }] });
    const warnings: unknown[] = [];
    for (const validation of ['strict', 'warn'] as const) {
      const client = new Grantex({ apiKey: 'gx_test_0123456789abcdef', baseUrl: BASE_URL, fetch: net.fetch, validation, onValidationWarning: (w) => warnings.push(w) });
      const error = await rejection(client.vault.authorizedFetch({ grantToken: GRANT_TOKEN, service: 'github', allowedOrigins: ['https://api.github.com'] })('https://api.github.com/user'));
      expectAbsent(CREDENTIAL, error);
    }
    expect(warnings).toHaveLength(1);
    expectAbsent(CREDENTIAL, warnings);
  });

  it('client.vault.authorizedFetch takes the client\'s base URL and refuses its own; bad options reject the first call', async () => {
    const client = new Grantex({ apiKey: 'gx_test_0123456789abcdef', baseUrl: BASE_URL });
    const withBase = client.vault.authorizedFetch({ ...base });
    expect(((await rejection(withBase('https://api.github.com/user'))) as { code: string }).code).toBe('CONFIGURATION_ERROR');
    const badOrigin = client.vault.authorizedFetch({ grantToken: GRANT_TOKEN, service: 'github', allowedOrigins: ['http://api.github.com'] });
    expect(((await rejection(badOrigin('https://api.github.com/user'))) as { code: string }).code).toBe('CONFIGURATION_ERROR');
    expect(() => client.vault.authorizedFetch(null as never)).toThrow(/must be an object/);
  });
});
