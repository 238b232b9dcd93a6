import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  Grantex,
  GrantexAbortError,
  GrantexConnectionError,
  GrantexInvalidResponseError,
  GrantexResponseValidationError,
  GrantexTimeoutError,
  InternalServerError,
  isGrantexError,
  RateLimitError,
  type GrantexOptions,
} from '../../src/index.js';
import { hang, HostileServer, raw, reply, resetMidBody, stallBody } from '../support/hostile-server.js';
import { AGENT } from '../support/fixtures.js';

const API_KEY = 'gx_test_hostile_server_secret_key_0001';
const GRANT_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJob3N0aWxlIn0.c2lnbmF0dXJlLXNlY3JldA';

const ERROR_BODY = { message: 'An unexpected error occurred', code: 'INTERNAL_ERROR', requestId: '3c40dfab-3131-4e2c-a5c9-4f6b0fbbe433' };

let server: HostileServer;
beforeAll(async () => {
  server = await HostileServer.start();
});
afterAll(async () => {
  await server.close();
});

function client(options: GrantexOptions = {}): Grantex {
  return new Grantex({ apiKey: API_KEY, baseUrl: server.url, timeout: 2_000, ...options });
}

/** Awaits a call that must fail, and checks the failure is an SDK error that leaks nothing. */
async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  const error = await Promise.resolve(promise).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught,
  );
  expect(isGrantexError(error), `not an SDK error: ${String(error)}`).toBe(true);
  for (const text of [String(error), JSON.stringify(error), (error as Error).stack ?? '']) {
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(GRANT_TOKEN);
  }
  return error;
}

describe('retries', () => {
  it('429 with Retry-After: 1, then 200: succeeds after waiting at least a second', async () => {
    server.script(reply(429, { message: 'slow down', code: 'RATE_LIMIT_EXCEEDED', requestId: 'r' }, { 'retry-after': '1' }), reply(200, AGENT));
    const agent = await client().agents.get('ag_1');
    expect(agent.agentId).toBe('ag_1');
    expect(server.seen).toHaveLength(2);
    expect(server.seen[1]!.at - server.seen[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('429 with Retry-After: 3600 fails at once with the wait in the error', async () => {
    server.script(reply(429, { message: 'Plan rate limit exceeded', code: 'RATE_LIMIT_EXCEEDED', requestId: 'r' }, { 'retry-after': '3600', 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3600' }));
    // A client that waited the hour would outlive the test's timeout: no clock is read here.
    const error = await failure(client().agents.get('ag_1'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(3600);
    expect((error as RateLimitError).rateLimit).toEqual({ limit: 100, remaining: 0, resetSeconds: 3600 });
    expect(server.seen).toHaveLength(1);
  });

  it('503 twice, then 200: succeeds on the third attempt', async () => {
    server.script(reply(503, ERROR_BODY), reply(503, ERROR_BODY), reply(200, AGENT));
    const agent = await client().agents.get('ag_1');
    expect(agent.agentId).toBe('ag_1');
    expect(server.seen).toHaveLength(3);
  });

  it('500 on a POST without an idempotency key: exactly one request reaches the server', async () => {
    server.script(reply(500, ERROR_BODY));
    const error = await failure(client().agents.register({ name: 'a' }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(server.seen).toHaveLength(1);
  });

  it('500 on a POST with an idempotency key: retried, with the same key on every attempt', async () => {
    server.script(reply(500, ERROR_BODY), reply(500, ERROR_BODY), reply(201, AGENT));
    const agent = await client().agents.register({ name: 'a' }, { idempotencyKey: 'register-a-1' });
    expect(agent.agentId).toBe('ag_1');
    expect(server.seen.map((request) => request.headers['idempotency-key'])).toEqual(['register-a-1', 'register-a-1', 'register-a-1']);
  });

  it("idempotencyKeys: 'auto' generates one key per call and reuses it on retries", async () => {
    server.script(reply(503, ERROR_BODY), reply(201, AGENT));
    await client({ idempotencyKeys: 'auto' }).agents.register({ name: 'a' });
    const keys = server.seen.map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('a 400 is never retried', async () => {
    server.script(reply(400, { message: 'name is required', code: 'BAD_REQUEST', requestId: 'r' }));
    await failure(client().agents.get('ag_1'));
    expect(server.seen).toHaveLength(1);
  });

  it('maxRetries per call overrides the client', async () => {
    server.script(reply(503, ERROR_BODY));
    await failure(client({ maxRetries: 5 }).agents.get('ag_1', { maxRetries: 0 }));
    expect(server.seen).toHaveLength(1);
  });
});

describe('timeouts, stalls and broken connections', () => {
  it('headers, then a body that stalls: times out instead of hanging', async () => {
    // The body never completes, so only the timeout can end this call.
    server.script(stallBody);
    const error = await failure(client({ timeout: 300, maxRetries: 0 }).agents.get('ag_1'));
    expect(error).toBeInstanceOf(GrantexTimeoutError);
    expect((error as GrantexTimeoutError).timeoutMs).toBe(300);
  });

  it('a hung connection times out on every attempt, and each attempt is retried for a GET', async () => {
    server.script(hang);
    const error = await failure(client({ timeout: 200, maxRetries: 1 }).agents.get('ag_1'));
    expect(error).toBeInstanceOf(GrantexTimeoutError);
    expect(server.seen).toHaveLength(2);
  });

  it('a connection reset mid-body is a connection error', async () => {
    server.script(resetMidBody);
    const error = await failure(client({ maxRetries: 0 }).agents.get('ag_1'));
    expect(error).toBeInstanceOf(GrantexConnectionError);
    expect(error).not.toBeInstanceOf(GrantexTimeoutError);
  });

  it('a refused connection is a connection error after the retries', async () => {
    const closed = await HostileServer.start();
    const url = closed.url;
    await closed.close();
    const error = await failure(new Grantex({ apiKey: API_KEY, baseUrl: url, maxRetries: 1 }).agents.get('ag_1'));
    expect(error).toBeInstanceOf(GrantexConnectionError);
  });
});

describe('bodies that lie', () => {
  it('truncated JSON is a typed error, not a SyntaxError', async () => {
    server.script(raw(200, '{"agentId":"ag_1","did":', { 'content-type': 'application/json' }));
    const error = await failure(client().agents.get('ag_1'));
    expect(error).toBeInstanceOf(GrantexInvalidResponseError);
    expect((error as GrantexInvalidResponseError).operation).toBe('agents.get');
  });

  it('an HTML page with 200 is a typed error', async () => {
    server.script(raw(200, '<!DOCTYPE html><html><body>Welcome</body></html>', { 'content-type': 'text/html' }));
    const error = await failure(client().agents.get('ag_1'));
    expect(error).toBeInstanceOf(GrantexInvalidResponseError);
  });

  it('an HTML page with 502 is a server error whose message is not the page', async () => {
    server.script(raw(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { 'content-type': 'text/html' }));
    const error = await failure(client({ maxRetries: 0 }).agents.get('ag_1'));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(502);
    expect((error as InternalServerError).message).not.toContain('<html>');
  });

  it('a JSON body labelled text/plain is still read and validated', async () => {
    server.script(raw(200, JSON.stringify(AGENT), { 'content-type': 'text/plain' }));
    const agent = await client().agents.get('ag_1');
    expect(agent.agentId).toBe('ag_1');
  });

  it('a 200 missing a required field names the operation and the path', async () => {
    const { agentId: _dropped, ...withoutId } = AGENT;
    server.script(reply(200, withoutId));
    const error = await failure(client().agents.get('ag_1'));
    expect(error).toBeInstanceOf(GrantexResponseValidationError);
    const validation = error as GrantexResponseValidationError;
    expect(validation.operation).toBe('agents.get');
    expect(validation.issues.map((issue) => issue.path)).toContain('agentId');
    expect(validation.message).toContain('agentId');
  });

  it('a 200 with a wrong-typed field fails validation at that path', async () => {
    server.script(reply(200, { ...AGENT, scopes: 'x:read' }));
    const error = await failure(client().agents.get('ag_1'));
    expect((error as GrantexResponseValidationError).issues[0]!.path).toBe('scopes');
  });

  it('a 200 with extra fields passes and keeps them', async () => {
    server.script(reply(200, { ...AGENT, addedByANewerServer: 42 }));
    const agent = await client().agents.get('ag_1');
    expect((agent as unknown as Record<string, unknown>)['addedByANewerServer']).toBe(42);
  });

  it('a 204 where JSON was promised is a typed error', async () => {
    server.script((_req, res) => res.writeHead(204).end());
    const error = await failure(client().agents.get('ag_1'));
    expect(error).toBeInstanceOf(GrantexInvalidResponseError);
  });

  it('a 204 where the spec promises no body resolves to undefined', async () => {
    server.script((_req, res) => res.writeHead(204).end());
    await expect(client().agents.delete('ag_1')).resolves.toBeUndefined();
  });
});

describe('validation modes', () => {
  it("'warn' returns the data and reports the problem", async () => {
    server.script(reply(200, { ...AGENT, scopes: 'x:read' }));
    const warnings: GrantexResponseValidationError[] = [];
    const agent = await client({ validation: 'warn', onValidationWarning: (warning) => warnings.push(warning) }).agents.get('ag_1');
    expect(agent.agentId).toBe('ag_1');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.issues[0]!.path).toBe('scopes');
  });

  it("'off' returns the data without checking it", async () => {
    server.script(reply(200, { unexpected: true }));
    const agent = await client({ validation: 'off' }).agents.get('ag_1');
    expect(agent).toEqual({ unexpected: true });
  });
});

describe('abort', () => {
  it('a caller abort during the wait between retries ends the call at once, as an abort', async () => {
    // An hour-long wait: a call that sat it out would outlive the test's timeout.
    server.script(reply(503, ERROR_BODY, { 'retry-after': '3600' }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const error = await failure(client({ maxRetryAfter: 3600 }).agents.get('ag_1', { signal: controller.signal }));
    expect(error).toBeInstanceOf(GrantexAbortError);
    expect(error).not.toBeInstanceOf(GrantexTimeoutError);
    expect(server.seen).toHaveLength(1);
  });

  it('an already-aborted signal sends nothing', async () => {
    server.script(reply(200, AGENT));
    const error = await failure(client().agents.get('ag_1', { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(GrantexAbortError);
    expect(server.seen).toHaveLength(0);
  });

  it('close() cancels a request in flight', async () => {
    server.script(hang);
    const grantex = client({ timeout: 10_000 });
    const pending = grantex.agents.get('ag_1');
    setTimeout(() => grantex.close(), 100);
    expect(await failure(pending)).toBeInstanceOf(GrantexAbortError);
  });
});

describe('observability', () => {
  it('hooks see every attempt, with status and retry count, and never the credentials', async () => {
    server.script(reply(503, ERROR_BODY), reply(200, AGENT));
    const events: string[] = [];
    await client({
      onRequest: (event) => events.push(`request ${event.operation} #${event.retryCount} ${JSON.stringify(event)}`),
      onResponse: (event) => events.push(`response ${event.status} #${event.retryCount}`),
    }).agents.get('ag_1');
    expect(events.map((event) => event.split(' {')[0])).toEqual([
      'request agents.get #0',
      'response 503 #0',
      'request agents.get #1',
      'response 200 #1',
    ]);
    expect(events.join('\n')).not.toContain(API_KEY);
  });

  it('a hook that throws neither fails nor retries the request', async () => {
    server.script(reply(200, AGENT));
    const agent = await client({
      onRequest: () => {
        throw new Error('broken logger');
      },
    }).agents.get('ag_1');
    expect(agent.agentId).toBe('ag_1');
    expect(server.seen).toHaveLength(1);
  });

  it('an out-of-range per-call timeout is a typed error and sends nothing', async () => {
    server.script(reply(200, AGENT));
    await failure(client().agents.get('ag_1', { timeout: 2 ** 31 }));
    expect(server.seen).toHaveLength(0);
  });

  it('identifies the SDK and its version outside browsers', async () => {
    server.script(reply(200, AGENT));
    await client().agents.get('ag_1');
    expect(server.seen[0]!.headers['user-agent']).toMatch(/^grantex-typescript\/\d+\.\d+\.\d+/);
  });

  it('the vault exchange failure never shows the grant token', async () => {
    server.script(reply(401, { message: `Invalid or expired grant token ${GRANT_TOKEN}`, code: 'UNAUTHORIZED', requestId: 'r' }));
    await failure(client().vault.exchange(GRANT_TOKEN, { service: 'github' }));
    expect(server.seen[0]!.headers.authorization).toBe(`Bearer ${GRANT_TOKEN}`);
  });
});
