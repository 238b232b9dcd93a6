import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Grantex, GrantexInvalidResponseError, type GrantexError } from '../../src/index.js';
import { AGENT } from '../support/fixtures.js';
import { HostileServer, raw, reply } from '../support/hostile-server.js';

// The API never answers 3xx. Every status from 300 to 399, not only the five that fetch would
// follow, is a typed failure: never followed, never retried, never taken for a result.
const API_KEY = 'gx_live_redirects_key_0123456789abcdefghijklm';

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

function client(): Grantex {
  return new Grantex({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 2, logLevel: 'off' });
}

const STATUSES = Array.from({ length: 100 }, (_, i) => 300 + i);

describe('every 3xx answer', () => {
  it('300 through 399: UNEXPECTED_REDIRECT, one request, nothing sent to the Location', async () => {
    other.script(reply(200, AGENT));
    const outcomes: string[] = [];
    for (const status of STATUSES) {
      // 304 carries no body; the others carry one that looks like a valid result.
      server.script(status === 304 ? raw(304, '', { location: `${other.url}/v1/agents/ag_1` }) : raw(status, JSON.stringify(AGENT), { location: `${other.url}/v1/agents/ag_1`, 'content-type': 'application/json' }));
      const error = await client().agents.get('ag_1').then(
        () => undefined,
        (caught: unknown) => caught,
      );
      const code = error instanceof GrantexInvalidResponseError ? (error as GrantexError).code : String(error);
      outcomes.push(`${status} ${code} ${server.seen.length} ${(error as { status?: number } | undefined)?.status}`);
    }
    expect(outcomes).toEqual(STATUSES.map((status) => `${status} UNEXPECTED_REDIRECT 1 ${status}`));
    expect(other.seen).toHaveLength(0);
  }, 120_000);

  it('a write answered with 300 or 307 is not replayed, with or without an idempotency key', async () => {
    other.script(reply(200, {}));
    for (const status of [300, 307]) {
      server.script(raw(status, '', { location: `${other.url}/collect` }));
      const error = await client()
        .vault.store({ principalId: 'user_1', service: 'github', accessToken: 'gho_upstream_access_token_0123456789' }, { idempotencyKey: 'idem_1' })
        .catch((caught: unknown) => caught);
      expect((error as GrantexError).code).toBe('UNEXPECTED_REDIRECT');
      expect(server.seen).toHaveLength(1);
    }
    expect(other.seen).toHaveLength(0);
  });

  it('a 2xx right next to the range (299) and a 4xx (400) are not reported as redirects', async () => {
    server.script(reply(299, AGENT));
    await expect(client().agents.get('ag_1')).resolves.toMatchObject({ agentId: 'ag_1' });
    server.script(reply(400, { message: 'bad', code: 'BAD_REQUEST' }));
    const error = await client().agents.get('ag_1').catch((caught: unknown) => caught);
    expect((error as GrantexError).code).toBe('BAD_REQUEST');
  });
});
