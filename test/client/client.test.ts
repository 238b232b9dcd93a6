import { afterEach, describe, expect, it, vi } from 'vitest';

import {
  Grantex,
  GrantexConfigurationError,
  GrantexError,
  GrantexInvalidArgumentError,
  GrantexInvalidResponseError,
  GrantTokenError,
  NotFoundError,
} from '../../src/index.js';
import type { Api, DeepReadonly } from '../../src/index.js';
import { AGENT } from '../support/fixtures.js';

interface Captured {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly body: string;
}

/** A fetch that records each request and answers from a queue of canned responses. */
function recordingFetch(...responses: Array<() => Response>) {
  const requests: Captured[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push({ method: request.method, url: request.url, headers: request.headers, body: await request.text() });
    const next = responses.shift();
    if (!next) throw new Error('unexpected request');
    return next();
  };
  return { fetch: fetchImpl as typeof fetch, requests };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });


afterEach(() => {
  vi.unstubAllEnvs();
});

describe('configuration', () => {
  it('without a key or GRANTEX_API_KEY, public calls work and keyed calls name both ways to provide one, before any request', async () => {
    vi.stubEnv('GRANTEX_API_KEY', '');
    const { fetch, requests } = recordingFetch(json(200, { keys: [] }));
    const client = new Grantex({ fetch, baseUrl: 'http://api.test' });
    await expect(client.agents.list()).rejects.toThrow(GrantexConfigurationError);
    await expect(client.agents.list()).rejects.toThrow(/agents\.list needs an API key.*apiKey.*GRANTEX_API_KEY/);
    expect(requests).toHaveLength(0);
    await client.jwks();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers.get('authorization')).toBeNull();
  });

  it('falls back to GRANTEX_API_KEY', async () => {
    vi.stubEnv('GRANTEX_API_KEY', 'gx_test_from_environment_123456');
    const { fetch, requests } = recordingFetch(json(200, { agents: [] }));
    await new Grantex({ fetch }).agents.list();
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer gx_test_from_environment_123456');
  });

  it('rejects a relative baseUrl and negative numbers', () => {
    expect(() => new Grantex({ apiKey: 'k'.repeat(20), baseUrl: '/api' })).toThrow(GrantexConfigurationError);
    expect(() => new Grantex({ apiKey: 'k'.repeat(20), timeout: -1 })).toThrow(/timeout/);
    expect(() => new Grantex({ apiKey: 'k'.repeat(20), maxRetries: Number.NaN })).toThrow(/maxRetries/);
    expect(() => new Grantex({ apiKey: 'k'.repeat(20), timeout: 2 ** 31 })).toThrow(GrantexConfigurationError);
    // Seconds: 2,147,484 s is already beyond what a timer can wait.
    expect(() => new Grantex({ apiKey: 'k'.repeat(20), maxRetryAfter: 2_147_484 })).toThrow(/maxRetryAfter/);
    expect(() => new Grantex({ apiKey: 'k'.repeat(20), maxRetries: 1_000 })).toThrow(/maxRetries/);
  });

  it('results are typed by the spec (the Api namespace names every generated type)', async () => {
    const { fetch } = recordingFetch(json(200, AGENT));
    const agent: DeepReadonly<Api.Agent> = await new Grantex({ apiKey: 'gx_test_api_namespace_key', fetch }).agents.get('ag_1');
    expect(agent.did).toBe('did:grantex:ag_1');
  });

  it('defaults to the production API and joins paths under /v1', async () => {
    const { fetch, requests } = recordingFetch(json(200, AGENT));
    await new Grantex({ apiKey: 'gx_test_default_base_url_1', fetch }).agents.get('ag_1');
    expect(requests[0]!.url).toBe('https://api.grantex.dev/v1/agents/ag_1');
  });

  it('keeps two clients with two keys apart', async () => {
    const first = recordingFetch(json(200, { agents: [] }));
    const second = recordingFetch(json(200, { agents: [] }));
    const a = new Grantex({ apiKey: 'gx_test_first_client_key_1', fetch: first.fetch, baseUrl: 'http://one.test' });
    const b = new Grantex({ apiKey: 'gx_test_second_client_key_2', fetch: second.fetch, baseUrl: 'http://two.test' });
    await Promise.all([a.agents.list(), b.agents.list()]);
    expect(first.requests[0]!.headers.get('authorization')).toBe('Bearer gx_test_first_client_key_1');
    expect(first.requests[0]!.url).toBe('http://one.test/v1/agents');
    expect(second.requests[0]!.headers.get('authorization')).toBe('Bearer gx_test_second_client_key_2');
    expect(second.requests[0]!.url).toBe('http://two.test/v1/agents');
  });
});

describe('requests', () => {
  it('authorize sends userId as the wire principalId', async () => {
    const { fetch, requests } = recordingFetch(
      json(201, { authRequestId: 'areq_1', consentUrl: 'https://grantex.dev/consent?req=areq_1', expiresAt: '2026-11-23T13:07:39.377Z' }),
    );
    const client = new Grantex({ apiKey: 'gx_test_authorize_key_123', fetch });
    await client.authorize({ agentId: 'ag_1', userId: 'user_1', scopes: ['calendar:read'] });
    expect(JSON.parse(requests[0]!.body)).toEqual({ agentId: 'ag_1', principalId: 'user_1', scopes: ['calendar:read'] });
  });

  it('vault exchange authenticates with the grant token, not the API key', async () => {
    const { fetch, requests } = recordingFetch(
      json(200, { accessToken: 'gho_x', service: 'github', credentialType: 'oauth2', tokenExpiresAt: null, metadata: '{"login":"alice"}' }),
    );
    const client = new Grantex({ apiKey: 'gx_test_vault_exchange_key', fetch });
    const result = await client.vault.exchange('eyJ.grant.token', { service: 'github' });
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer eyJ.grant.token');
    expect(result.metadata).toEqual({ login: 'alice' });
  });

  it('public endpoints send no Authorization header', async () => {
    const { fetch, requests } = recordingFetch(json(200, { status: 'healthy', database: 'ok', redis: 'ok' }));
    await new Grantex({ apiKey: 'gx_test_public_endpoint_key', fetch }).health();
    expect(requests[0]!.headers.get('authorization')).toBeNull();
  });

  it.each(['../grants/x', 'a/b', 'x?y=1', 'ä#frag'])('encodes the path id %j into one segment', async (id) => {
    const { fetch, requests } = recordingFetch(json(200, AGENT));
    await new Grantex({ apiKey: 'gx_test_path_encoding_key', fetch }).agents.get(id);
    const url = new URL(requests[0]!.url);
    expect(url.pathname).toBe(`/v1/agents/${encodeURIComponent(id)}`);
    expect(url.search).toBe('');
  });

  it.each(['', '.', '..'])('refuses the path id %j before sending anything', async (id) => {
    const { fetch, requests } = recordingFetch();
    const client = new Grantex({ apiKey: 'gx_test_path_guard_key_12', fetch });
    await expect(client.agents.get(id)).rejects.toThrow(GrantexInvalidArgumentError);
    expect(requests).toHaveLength(0);
  });

  it('a double-encoded metadata that is not an object is a typed error', async () => {
    const credential = {
      id: 'vault_1',
      principalId: 'u',
      service: 'github',
      credentialType: 'oauth2',
      tokenExpiresAt: null,
      metadata: 'not json',
      createdAt: '2026-11-22T13:07:39.831Z',
      updatedAt: '2026-11-22T13:07:39.831Z',
    };
    const { fetch } = recordingFetch(json(200, credential));
    await expect(new Grantex({ apiKey: 'gx_test_metadata_key_1234', fetch }).vault.get('vault_1')).rejects.toBeInstanceOf(
      GrantexInvalidResponseError,
    );
  });
});

describe('vault exchange verdicts on the grant token', () => {
  const error = (status: number, code: string, message: string) => json(status, { message, code, requestId: 'req-1' });

  it.each([
    [401, 'UNAUTHORIZED', 'Invalid or expired grant token', 'TOKEN_INVALID'],
    [403, 'FORBIDDEN', 'Grant token is not scoped for slack credential exchange', 'TOKEN_SCOPES_MISSING'],
  ])('%i is a GrantTokenError (%s → %s) that keeps the API error as cause', async (status, serverCode, message, code) => {
    const { fetch } = recordingFetch(error(status, serverCode, message));
    const failure = await new Grantex({ apiKey: 'gx_test_vault_verdict_key_1', fetch })
      .vault.exchange('eyJ.grant.token', { service: 'slack' })
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(GrantTokenError);
    expect((failure as GrantTokenError).code).toBe(code);
    expect((failure as GrantTokenError).cause).toMatchObject({ status, code: serverCode, requestId: 'req-1' });
  });

  it('no stored credential stays a NotFoundError', async () => {
    const { fetch } = recordingFetch(error(404, 'NOT_FOUND', 'No credential found'));
    const failure = await new Grantex({ apiKey: 'gx_test_vault_verdict_key_2', fetch })
      .vault.exchange('eyJ.grant.token', { service: 'github' })
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(NotFoundError);
  });
});

describe('errors and secrets', () => {
  it('scrubs the API key and tokens from a server message that echoes them', async () => {
    const apiKey = 'gx_test_echoed_secret_key_987';
    const { fetch } = recordingFetch(json(404, { message: `No agent for key ${apiKey}`, code: 'NOT_FOUND', requestId: 'r-1' }));
    const error = await new Grantex({ apiKey, fetch }).agents.get('ag_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    for (const text of [String(error), JSON.stringify(error), (error as Error).stack ?? '']) {
      expect(text).not.toContain(apiKey);
    }
    expect((error as NotFoundError).message).toContain('[redacted]');
  });

  it('withResponse exposes status, headers and rate limits alongside the data', async () => {
    const { fetch } = recordingFetch(
      json(200, AGENT, { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '99', 'x-ratelimit-reset': '42' }),
    );
    const client = new Grantex({ apiKey: 'gx_test_with_response_key', fetch });
    const { data, status, rateLimit } = await client.agents.get('ag_1').withResponse();
    expect(data.agentId).toBe('ag_1');
    expect(status).toBe(200);
    expect(rateLimit).toEqual({ limit: 100, remaining: 99, resetSeconds: 42 });
    expect(client.lastRateLimit).toEqual({ limit: 100, remaining: 99, resetSeconds: 42 });
  });

  it('a closed client refuses new calls with CLIENT_CLOSED', async () => {
    const { fetch } = recordingFetch();
    const client = new Grantex({ apiKey: 'gx_test_closed_client_key', fetch });
    await client[Symbol.asyncDispose]();
    const error = await client.agents.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GrantexError);
    expect((error as GrantexError).code).toBe('CLIENT_CLOSED');
  });
});
