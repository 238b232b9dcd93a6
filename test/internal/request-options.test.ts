import { describe, expect, it } from 'vitest';

import { testingOperations } from '../../generated/testing-examples.gen.js';
import { Grantex, GrantexConfigurationError, GrantexInvalidArgumentError, type RequestOptions } from '../../src/index.js';

/**
 * A call's options are checked like the constructor's: a name `RequestOptions` does not declare
 * (a typo such as `timeOut`, a snake_case `idempotency_key`) is refused before anything is sent,
 * instead of being dropped without a word.
 */
function recordingClient() {
  const urls: string[] = [];
  const answer = (id: string) => testingOperations.find((o) => o.operationId === id)!;
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    urls.push(`${request.method} ${new URL(request.url).pathname}`);
    const op = request.method === 'GET' && new URL(request.url).pathname === '/v1/agents' ? answer('listAgents') : answer('getAgent');
    return new Response(JSON.stringify(op.example), { status: op.status, headers: { 'content-type': 'application/json' } });
  };
  const client = new Grantex({ apiKey: 'gx_test_request_options_0123456789', baseUrl: 'http://api.test', fetch: fetchImpl as typeof fetch, maxRetries: 0 });
  return { client, urls };
}

describe('per-call request options', () => {
  it.each(['timeOut', 'idempotency_key', 'retries', 'fetchOptions', 'baseUrl', 'apiKey'])('refuses an unknown option %j, naming it, before sending', async (name) => {
    const { client, urls } = recordingClient();
    const refused = await client.agents.get('ag_1', { [name]: 1 } as RequestOptions).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(GrantexInvalidArgumentError);
    expect((refused as Error).message).toContain(JSON.stringify(name));
    expect((refused as Error).message).toContain('agents.get');
    expect(urls).toEqual([]);
  });

  it('refuses it on a list walk too, before the first page', async () => {
    const { client, urls } = recordingClient();
    await expect(client.agents.list({ timeOut: 5 } as RequestOptions)).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
    expect(urls).toEqual([]);
  });

  it('accepts every option RequestOptions declares, and none at all', async () => {
    const { client, urls } = recordingClient();
    const every: Required<RequestOptions> = {
      signal: new AbortController().signal,
      timeout: 5_000,
      maxRetries: 0,
      headers: { 'X-Trace': 'abc' },
      idempotencyKey: 'key-1',
    };
    await client.agents.get('ag_1', every);
    await client.agents.get('ag_1', {});
    await client.agents.get('ag_1');
    expect(urls).toEqual(['GET /v1/agents/ag_1', 'GET /v1/agents/ag_1', 'GET /v1/agents/ag_1']);
  });

  it('a static call accepts the client options it is built from, and refuses a misspelt name', async () => {
    const sent: string[] = [];
    const signup = testingOperations.find((o) => o.operationId === 'signup')!;
    const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(new Request(input, init).url);
      return new Response(JSON.stringify(signup.example), { status: signup.status, headers: { 'content-type': 'application/json' } });
    };
    const base = { baseUrl: 'http://api.test', fetch: fetchImpl as typeof fetch, maxRetries: 0, timeout: 5_000 };
    await Grantex.signup({ name: 'Acme' }, base);
    expect(sent).toEqual(['http://api.test/v1/signup']);
    // The static call's transport is built from these options first, which refuses the name.
    expect(() => Grantex.signup({ name: 'Acme' }, { ...base, timeOut: 1 } as typeof base)).toThrow(GrantexConfigurationError);
    expect(sent).toHaveLength(1);
  });

  it('refuses options that are not an object', async () => {
    const { client, urls } = recordingClient();
    await expect(client.agents.get('ag_1', 'fast' as unknown as RequestOptions)).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
    expect(urls).toEqual([]);
  });
});
