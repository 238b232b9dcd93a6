import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Grantex, GrantexConfigurationError, GrantexError, type GrantexOptions } from '../../src/index.js';
import { AGENT } from '../support/fixtures.js';
import { HostileServer, raw, reply } from '../support/hostile-server.js';

const API_KEY = 'gx_live_options_key_0123456789abcdefghijklmnopq';

let server: HostileServer;
let other: HostileServer;
beforeAll(async () => {
  server = await HostileServer.start();
  other = await HostileServer.start();
});
afterAll(async () => {
  await server.close();
  await other.close();
});

function client(options: GrantexOptions = {}): Grantex {
  return new Grantex({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 0, logLevel: 'off', ...options });
}

/** What a fetch received on each call: the request ky built and the extra init it passed. */
function spyFetch(): { fetch: typeof fetch; calls: { request: Request; init: Record<string, unknown> }[] } {
  const calls: { request: Request; init: Record<string, unknown> }[] = [];
  return {
    calls,
    fetch: async (input, init) => {
      calls.push({ request: input as Request, init: (init ?? {}) as Record<string, unknown> });
      return Response.json(AGENT);
    },
  };
}

function refusal(make: () => unknown): GrantexError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(GrantexConfigurationError);
    return error as GrantexError;
  }
  throw new Error('expected construction to be refused');
}

describe('fetchOptions carry transport settings only', () => {
  // The attacks of a careless or hostile options object, each of which changed what a call is.
  const attacks: [string, Record<string, unknown>][] = [
    ['redirect', { redirect: 'follow' }],
    ['prefixUrl', { prefixUrl: 'https://attacker.example' }],
    ['method', { method: 'DELETE' }],
    ['json', { json: { replaced: true } }],
    ['retry', { retry: { methods: ['post'], limit: 5 } }],
    ['throwHttpErrors', { throwHttpErrors: false }],
    ['body', { body: '{"replaced":true}' }],
    ['headers', { headers: { Authorization: 'Bearer other' } }],
    ['hooks', { hooks: { beforeRequest: [() => undefined] } }],
    ['searchParams', { searchParams: { extra: '1' } }],
    ['timeout', { timeout: false }],
    ['signal', { signal: new AbortController().signal }],
    ['fetch', { fetch: globalThis.fetch }],
    ['parseJson', { parseJson: () => ({}) }],
    ['referrer', { referrer: 'https://attacker.example/' }],
    ['duplex', { duplex: 'half' }],
    ['window', { window: null }],
    ['verbose', { verbose: true }],
    ['onDownloadProgress', { onDownloadProgress: () => undefined }],
    ['__proto__', JSON.parse('{"__proto__":{"redirect":"follow"}}') as Record<string, unknown>],
  ];

  for (const [key, fetchOptions] of attacks) {
    it(`fetchOptions.${key} is refused at construction, naming the key`, () => {
      const error = refusal(() => client({ fetchOptions }));
      expect(error.code).toBe('CONFIGURATION_ERROR');
      expect(error.message).toContain(`fetchOptions.${key} is not allowed`);
    });
  }

  it('a symbol key is refused too', () => {
    const error = refusal(() => client({ fetchOptions: { [Symbol('redirect')]: 'follow' } }));
    expect(error.message).toContain('fetchOptions.Symbol(redirect)');
  });

  it('fetchOptions that are not a plain object are refused', () => {
    for (const fetchOptions of [null, 'redirect', ['redirect'], new Map([['redirect', 'follow']])]) {
      refusal(() => client({ fetchOptions: fetchOptions as never }));
    }
  });

  it('withOptions and a static call refuse them the same way', async () => {
    refusal(() => client().withOptions({ fetchOptions: { redirect: 'follow' } }));
    server.script(reply(200, {}));
    const error = await (async () => Grantex.confirmEmailVerification('email_token_0123456789', { baseUrl: server.url, fetchOptions: { prefixUrl: other.url } }))().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GrantexConfigurationError);
    expect(server.seen).toHaveLength(0);
  });

  it('the 307 that replayed a vault.store body is now refused before anything is sent', async () => {
    other.script(reply(200, {}));
    server.script(raw(307, '', { location: `${other.url}/collect` }));
    refusal(() => client({ fetchOptions: { redirect: 'follow' } }));
    // Without the option, the same answer is a typed error and the other origin sees nothing.
    const error = await client()
      .vault.store({ principalId: 'user_1', service: 'github', accessToken: 'gho_upstream_access_token_0123456789' })
      .catch((caught: unknown) => caught);
    expect((error as GrantexError).code).toBe('UNEXPECTED_REDIRECT');
    expect(other.seen).toHaveLength(0);
  });

  it('transport settings reach fetch unchanged, and the SDK keeps its own method, URL, redirect policy and headers', async () => {
    const dispatcher = { marker: 'proxy' };
    const spy = spyFetch();
    await client({
      fetch: spy.fetch,
      fetchOptions: { dispatcher, cache: 'no-store', credentials: 'omit', keepalive: true, referrerPolicy: 'no-referrer', mode: 'cors', integrity: '', priority: 'high' },
    }).agents.get('ag_1');
    expect(spy.calls).toHaveLength(1);
    const { request, init } = spy.calls[0]!;
    expect(init['dispatcher']).toBe(dispatcher);
    expect(request.cache).toBe('no-store');
    expect(request.credentials).toBe('omit');
    expect(request.keepalive).toBe(true);
    expect(request.referrerPolicy).toBe('no-referrer');
    expect(request.method).toBe('GET');
    expect(request.redirect).toBe('manual');
    expect(request.url).toBe(`${server.url}/v1/agents/ag_1`);
    expect(request.headers.get('authorization')).toBe(`Bearer ${API_KEY}`);
  });
});

describe('a client owns copies of headers and fetchOptions', () => {
  it("mutating the caller's headers after construction changes nothing sent", async () => {
    const headers: Record<string, string> = { 'X-Team': 'payments' };
    const c = client({ headers });
    headers['X-Team'] = 'changed';
    headers['Authorization'] = 'Bearer someone-else';
    headers['X-Added'] = '1';
    server.script(reply(200, AGENT));
    await c.agents.get('ag_1');
    const seen = server.seen[0]!.headers;
    expect(seen['x-team']).toBe('payments');
    expect(seen['authorization']).toBe(`Bearer ${API_KEY}`);
    expect(seen['x-added']).toBeUndefined();
  });

  it("mutating the caller's fetchOptions after construction changes nothing sent", async () => {
    const first = { marker: 'first' };
    const fetchOptions: Record<string, unknown> = { dispatcher: first };
    const spy = spyFetch();
    const c = client({ fetch: spy.fetch, fetchOptions });
    fetchOptions['dispatcher'] = { marker: 'second' };
    fetchOptions['redirect'] = 'follow';
    fetchOptions['prefixUrl'] = other.url;
    fetchOptions['method'] = 'DELETE';
    await c.agents.get('ag_1');
    const { request, init } = spy.calls[0]!;
    expect(init['dispatcher']).toBe(first);
    expect(request.redirect).toBe('manual');
    expect(request.method).toBe('GET');
    expect(request.url.startsWith(server.url)).toBe(true);
  });

  it("a static call copies fetchOptions too: a mutation right after the call changes nothing sent", async () => {
    const first = { marker: 'first' };
    const fetchOptions: Record<string, unknown> = { dispatcher: first };
    const spy = spyFetch();
    // The request goes out after the HTTP stack loads, so this mutation happens before it is sent.
    const pending = Grantex.confirmEmailVerification('email_token_0123456789', { baseUrl: server.url, fetch: spy.fetch, fetchOptions, validation: 'off' });
    fetchOptions['dispatcher'] = { marker: 'second' };
    fetchOptions['redirect'] = 'follow';
    await pending;
    expect(spy.calls[0]!.init['dispatcher']).toBe(first);
    expect(spy.calls[0]!.request.redirect).toBe('manual');
  });

  it("withOptions starts from the client's copy, not from the caller's mutated objects", async () => {
    const headers: Record<string, string> = { 'X-Team': 'payments' };
    const fetchOptions: Record<string, unknown> = { keepalive: false };
    const spy = spyFetch();
    const original = client({ headers, fetch: spy.fetch, fetchOptions });
    headers['X-Team'] = 'changed';
    fetchOptions['redirect'] = 'follow';
    const derived = original.withOptions({ timeout: 60_000 });
    await derived.agents.get('ag_1');
    expect(spy.calls[0]!.request.headers.get('x-team')).toBe('payments');
    expect(spy.calls[0]!.request.redirect).toBe('manual');
  });

  it("the options given to withOptions are copied too", async () => {
    const headers: Record<string, string> = { 'X-Team': 'payments' };
    const spy = spyFetch();
    const derived = client({ fetch: spy.fetch }).withOptions({ headers });
    headers['X-Team'] = 'changed';
    await derived.agents.get('ag_1');
    expect(spy.calls[0]!.request.headers.get('x-team')).toBe('payments');
  });

  it('a getter on headers is read once: the client and withOptions agree', async () => {
    let reads = 0;
    const headers = {
      get 'X-Count'(): string {
        reads++;
        return String(reads);
      },
    };
    const spy = spyFetch();
    const original = client({ headers, fetch: spy.fetch });
    await original.agents.get('ag_1');
    await original.withOptions({}).agents.get('ag_1');
    expect(spy.calls.map((call) => call.request.headers.get('x-count'))).toEqual(['1', '1']);
  });
});
