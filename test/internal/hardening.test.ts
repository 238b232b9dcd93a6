import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  AuthenticationError,
  Grantex,
  GrantexConfigurationError,
  GrantexConnectionError,
  GrantexError,
  GrantexInvalidArgumentError,
  GrantexInvalidResponseError,
  GrantTokenError,
  NotFoundError,
  type GrantexOptions,
  type RequestEvent,
  type ResponseEvent,
} from '../../src/index.js';
import { AGENT } from '../support/fixtures.js';
import { HostileServer, raw, reply, type Behaviour } from '../support/hostile-server.js';

const API_KEY = 'gx_live_hardening_key_0123456789abcdefghijklmnop';
const GRANT_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2lnbmF0dXJlLXNlY3JldA';
const VAULT_ACCESS_TOKEN = 'gho_upstream_access_token_0123456789';
const EMAIL_TOKEN = 'b3f1c0de-7a1d-4e55-9d0e-2f0d1f9d3c11';
const SSO_CODE = 'sso_authorization_code_0123456789';

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

async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** Every surface a person or a log pipeline looks at when an error happens. */
function surfaces(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 6; depth++) {
    parts.push(String(current), inspect(current, { depth: 8, showHidden: true }), JSON.stringify(current) ?? '');
    if (current instanceof Error) parts.push(current.message, current.stack ?? '');
    const record = current as { body?: unknown; headers?: Headers };
    if (record.body !== undefined) parts.push(JSON.stringify(record.body));
    if (record.headers instanceof Headers) record.headers.forEach((value, name) => parts.push(`${name}: ${value}`));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

const echo =
  (status: number, extraHeaders: Record<string, string> = {}): Behaviour =>
  (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const auth = String(req.headers['authorization'] ?? '');
      const payload = { message: `rejected ${auth} for ${req.url} with ${body}`, code: 'BAD_REQUEST', requestId: 'req_1', nested: { deep: [{ echo: `${auth} ${body}` }] } };
      res.writeHead(status, { 'content-type': 'application/json', 'www-authenticate': `Bearer realm="x", token="${auth}"`, 'x-echo': `${req.url}`, ...extraHeaders });
      res.end(JSON.stringify(payload));
    });
  };

describe('1. no credential in any logged form', () => {
  it('an echoed API key leaves no trace in the message, body, headers, cause, inspect or JSON', async () => {
    server.script(echo(400));
    const error = await failure(client().agents.get('ag_1'));
    expect(error).toBeInstanceOf(GrantexError);
    const text = surfaces(error);
    expect(text).not.toContain(API_KEY);
    expect(text).toContain('[redacted]');
  });

  it('an echoed grant token, vault token and e-mail token are scrubbed from errors and hooks', async () => {
    const events: (RequestEvent | ResponseEvent)[] = [];
    const c = client({ onRequest: (event) => events.push(event), onResponse: (event) => events.push(event) });
    server.script(echo(400));
    const errors = [
      await failure(c.grants.verify(GRANT_TOKEN)),
      await failure(c.vault.store({ principalId: 'user_1', service: 'github', accessToken: VAULT_ACCESS_TOKEN })),
      await failure(Grantex.confirmEmailVerification(EMAIL_TOKEN, { baseUrl: server.url, maxRetries: 0, logLevel: 'off', onRequest: (event) => events.push(event), onResponse: (event) => events.push(event) })),
      await failure(c.sso.handleLegacyCallback({ code: SSO_CODE, state: 'state_value_0123456789' })),
    ];
    const seen = errors.map(surfaces).join('\n') + JSON.stringify(events) + events.map((e) => ('headers' in e ? [...e.headers].join() : '')).join();
    for (const secret of [API_KEY, GRANT_TOKEN, VAULT_ACCESS_TOKEN, EMAIL_TOKEN, SSO_CODE]) expect(seen).not.toContain(secret);
    // The hooks still see where the call went, with the secret part replaced.
    expect(events.some((event) => event.url.includes('/v1/signup/verify/[redacted]'))).toBe(true);
    expect(events.some((event) => event.url.includes('code=[redacted]'))).toBe(true);
  });

  it('the 401 behind a refused vault exchange is kept as the cause, scrubbed', async () => {
    server.script(echo(401));
    const error = await failure(client().vault.exchange(GRANT_TOKEN, { service: 'github' }));
    expect(error).toBeInstanceOf(GrantTokenError);
    expect((error as GrantTokenError).cause).toBeInstanceOf(AuthenticationError);
    expect(surfaces(error)).not.toContain(GRANT_TOKEN);
    expect(surfaces(error)).not.toContain(API_KEY);
  });

  it('a connection failure whose cause mentions the key keeps only a scrubbed copy of it', async () => {
    const leaky: typeof fetch = async () => {
      throw new TypeError(`fetch failed for Authorization: Bearer ${API_KEY}`, { cause: Object.assign(new Error(`connect ECONNREFUSED (${API_KEY})`), { code: 'ECONNREFUSED' }) });
    };
    const error = await failure(client({ fetch: leaky }).agents.get('ag_1'));
    expect(error).toBeInstanceOf(GrantexConnectionError);
    expect(surfaces(error)).not.toContain(API_KEY);
  });
});

describe('2. no body replayed to another origin', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`a ${status} to another origin is a typed error, and nothing reaches that origin`, async () => {
      other.script(reply(200, AGENT));
      server.script(raw(status, '', { location: `${other.url}/steal` }));
      const error = await failure(client().tokens.verify(GRANT_TOKEN));
      expect(error).toBeInstanceOf(GrantexInvalidResponseError);
      expect((error as GrantexError).code).toBe('UNEXPECTED_REDIRECT');
      expect(other.seen).toHaveLength(0);
    });
  }

  it('a redirect to the same origin is not followed either', async () => {
    server.script(raw(302, '', { location: '/v1/agents/ag_2' }), reply(200, AGENT));
    const error = await failure(client().agents.get('ag_1'));
    expect((error as GrantexError).code).toBe('UNEXPECTED_REDIRECT');
    expect(server.seen).toHaveLength(1);
  });
});

describe('3. bounded memory', () => {
  const body = (size: number): Behaviour => (_req, res) => {
    const text = `{"agentId":"${'a'.repeat(size - 14)}"}`;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  };
  const chunked = (size: number): Behaviour => (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const text = `{"agentId":"${'a'.repeat(size - 14)}"}`;
    for (let i = 0; i < text.length; i += 4096) res.write(text.slice(i, i + 4096));
    res.end();
  };

  for (const [label, behaviour] of [['declared', body], ['streamed', chunked]] as const) {
    it(`a ${label} body exactly at maxResponseBytes is read; one byte more is refused`, async () => {
      const limit = 20_000;
      server.script(behaviour(limit));
      const atLimit = await failure(client({ maxResponseBytes: limit }).agents.get('ag_1'));
      // The body is read and parsed; it fails validation (a bare agentId), not the size check.
      expect((atLimit as GrantexError).code).toBe('RESPONSE_VALIDATION_FAILED');
      server.script(behaviour(limit + 1));
      const past = await failure(client({ maxResponseBytes: limit }).agents.get('ag_1'));
      expect((past as GrantexError).code).toBe('RESPONSE_TOO_LARGE');
    });
  }

  it('refuses a maxResponseBytes below 1', () => {
    expect(() => client({ maxResponseBytes: 0 })).toThrow(GrantexConfigurationError);
  });
});

describe('4. typed failures on bad input', () => {
  it('CR/LF in the client headers is refused at construction', () => {
    expect(() => client({ headers: { 'X-Trace': 'a\r\nInjected: 1' } })).toThrow(GrantexConfigurationError);
    expect(() => client({ headers: { 'X-Bad\nName': 'a' } })).toThrow(GrantexConfigurationError);
  });

  it('CR/LF in per-call headers is an invalid argument, never sent and never retried', async () => {
    server.script(reply(200, AGENT));
    const error = await failure(client({ maxRetries: 3 }).agents.get('ag_1', { headers: { 'X-Trace': 'a\r\nb' } }));
    expect(error).toBeInstanceOf(GrantexInvalidArgumentError);
    expect(server.seen).toHaveLength(0);
  });

  it('a lone surrogate in a path id is an invalid argument', async () => {
    const error = await failure(client().agents.get('ag_\uD800'));
    expect(error).toBeInstanceOf(GrantexInvalidArgumentError);
  });

  it('a key with a line break is refused at construction', () => {
    expect(() => new Grantex({ apiKey: 'gx_live_abc\r\ndef' })).toThrow(GrantexConfigurationError);
  });

  it('unknown option names are refused, not ignored', () => {
    expect(() => new Grantex({ apiKey: API_KEY, timout: 5 } as GrantexOptions)).toThrow(/Unknown option "timout"/);
  });
});

describe('7. errors that say what happened', () => {
  it('a refused connection names the method, the host and the cause code', async () => {
    const closed = await HostileServer.start();
    const url = closed.url;
    await closed.close();
    const error = await failure(new Grantex({ apiKey: API_KEY, baseUrl: url, maxRetries: 0 }).agents.list());
    expect(error).toBeInstanceOf(GrantexConnectionError);
    const message = (error as Error).message;
    expect(message).toContain('agents.list');
    expect(message).toContain(new URL(url).host);
    expect(message).toContain('ECONNREFUSED');
  });

  it('an API error message carries the status, the code and the method', async () => {
    server.script(reply(404, { message: 'Agent not found', code: 'NOT_FOUND', requestId: 'r1' }));
    const error = (await failure(client().agents.get('ag_1'))) as NotFoundError;
    expect(error.message).toBe('Agent not found (404 NOT_FOUND from agents.get)');
    expect(error.serverMessage).toBe('Agent not found');
    const status: 404 = error.status;
    expect(status).toBe(404);
  });
});

describe('a client without an API key', () => {
  it('makes public calls and refuses keyed ones before sending', async () => {
    vi.stubEnv('GRANTEX_API_KEY', '');
    try {
      server.script(reply(200, { status: 'healthy', database: 'ok', redis: 'ok' }));
      const keyless = new Grantex({ baseUrl: server.url, maxRetries: 0 });
      expect((await keyless.health()).status).toBe('healthy');
      expect(server.seen[0]!.headers['authorization']).toBeUndefined();
      const error = await failure(keyless.grants.list());
      expect(error).toBeInstanceOf(GrantexConfigurationError);
      expect((error as Error).message).toMatch(/GRANTEX_API_KEY/);
      expect(server.seen).toHaveLength(1);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('in a browser an API key is refused unless dangerouslyAllowBrowser is set', () => {
    vi.stubGlobal('window', {});
    vi.stubGlobal('document', {});
    try {
      expect(() => new Grantex({ apiKey: API_KEY })).toThrow(/dangerouslyAllowBrowser/);
      expect(() => new Grantex({ apiKey: API_KEY, dangerouslyAllowBrowser: true })).not.toThrow();
      expect(() => new Grantex({})).not.toThrow();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('logging and transport options', () => {
  it('debug logs one redacted line per attempt with method, path template, status, duration and attempt', async () => {
    const lines: string[] = [];
    const logger = { debug: (m: string) => lines.push(`debug ${m}`), info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`) };
    server.script(reply(503, { message: 'busy', code: 'INTERNAL_ERROR' }), reply(200, AGENT));
    await client({ logger, logLevel: 'debug', maxRetries: 1 }).agents.get('ag_1');
    const attempts = lines.filter((line) => line.startsWith('debug'));
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatch(/agents\.get GET \/v1\/agents\/\{id\} -> 503 in \d+ ms \(attempt 1\)/);
    expect(attempts[1]).toMatch(/-> 200 in \d+ ms \(attempt 2\)/);
    expect(lines.some((line) => line.startsWith('info') && line.includes('retry 1 after status 503'))).toBe(true);
    expect(lines.join('\n')).not.toContain(API_KEY);
  });

  it('logLevel warn prints no per-attempt lines; an unknown level is refused', async () => {
    const lines: string[] = [];
    const logger = { debug: (m: string) => lines.push(m), info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    server.script(reply(200, AGENT));
    await client({ logger, logLevel: 'warn' }).agents.get('ag_1');
    expect(lines).toEqual([]);
    expect(() => client({ logLevel: 'loud' as never })).toThrow(GrantexConfigurationError);
  });

  it('GRANTEX_LOG sets the level where the runtime has an environment', async () => {
    vi.stubEnv('GRANTEX_LOG', 'debug');
    try {
      const lines: string[] = [];
      const logger = { debug: (m: string) => lines.push(m), info: () => {}, warn: () => {}, error: () => {} };
      server.script(reply(200, AGENT));
      await new Grantex({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 0, logger }).agents.get('ag_1');
      expect(lines).toHaveLength(1);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('fetchOptions reach fetch on every call', async () => {
    const seen: unknown[] = [];
    const spy: typeof fetch = (_input, init) => {
      seen.push((init as { dispatcher?: unknown } | undefined)?.dispatcher);
      return Promise.resolve(Response.json(AGENT));
    };
    await client({ fetch: spy, fetchOptions: { dispatcher: 'proxy-marker' } }).agents.get('ag_1');
    expect(seen).toEqual(['proxy-marker']);
  });

  it('withOptions returns a client that shares nothing mutable with the original', async () => {
    const original = client();
    const patient = original.withOptions({ timeout: 60_000, maxRetries: 3 });
    expect(patient).not.toBe(original);
    original.close();
    server.script(reply(200, AGENT));
    await expect(patient.agents.get('ag_1')).resolves.toMatchObject({ agentId: AGENT.agentId });
    await expect(original.agents.get('ag_1')).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });
});

describe('Deno without --allow-env', () => {
  it('the no-key error says how to grant env access instead of claiming the variable is unset', async () => {
    const denied = { env: { get: () => { throw new Error('Requires env access to "GRANTEX_API_KEY", run again with the --allow-env flag'); } } };
    vi.stubGlobal('Deno', denied);
    try {
      const error = await failure(new Grantex({ baseUrl: server.url }).agents.list());
      expect(error).toBeInstanceOf(GrantexConfigurationError);
      expect((error as Error).message).toContain('--allow-env=GRANTEX_API_KEY');
    } finally {
      vi.unstubAllGlobals();
    }
    const error = await failure(new Grantex({ baseUrl: server.url }).agents.list());
    expect((error as Error).message).not.toContain('--allow-env');
  });
});

describe('close() and the waits between attempts', () => {
  it('close() during a Retry-After wait ends the call at once, and nothing more is sent', async () => {
    // An hour-long wait: a call that sat it out would outlive the test's timeout.
    server.script(reply(503, { message: 'busy', code: 'INTERNAL_ERROR' }, { 'retry-after': '3600' }), reply(200, AGENT));
    const c = client({ maxRetries: 2, maxRetryAfter: 3600 });
    const pending = failure(c.agents.get('ag_1'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    c.close();
    const error = await pending;
    expect((error as GrantexError).code).toBe('ABORTED');
    expect(server.seen).toHaveLength(1);
  });

  it("the caller's signal ends a backoff wait the same way", async () => {
    server.script(reply(503, { message: 'busy', code: 'INTERNAL_ERROR' }, { 'retry-after': '30' }), reply(200, AGENT));
    const controller = new AbortController();
    const pending = failure(client({ maxRetries: 2 }).agents.get('ag_1', { signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    controller.abort();
    expect(((await pending) as GrantexError).code).toBe('ABORTED');
    expect(server.seen).toHaveLength(1);
  });
});
