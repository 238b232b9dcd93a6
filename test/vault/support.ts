// Shared set-up of the authorized-fetch tests: a scripted Grantex exchange and upstream behind one
// recording fetch, a local test server with a stored credential, and the secrecy assertion.
import { inspect } from 'node:util';
import { expect } from 'vitest';

import { Grantex } from '../../src/index.js';
import { createTestServer, type TestServer } from '../../src/testing/index.js';

export const BASE_URL = 'https://grantex.test';
export const GRANT_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.grant-token-for-tests.c2lnbmF0dXJl';
/** Distinctive enough that any trace of it in an output is found. */
export const CREDENTIAL = 'gho_VaultCredential0123456789abcdefXYZ';

/** One request as the network saw it. */
export interface Seen {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface ExchangeAnswer {
  readonly status?: number;
  readonly body?: unknown;
}

/**
 * A fetch that plays the Grantex exchange (answers from `exchange`, in order, the last one
 * repeated) and an upstream (`upstream(request)`), and records both.
 */
export function scriptedNetwork(options: {
  exchange?: ExchangeAnswer[] | ((grantToken: string, call: number) => ExchangeAnswer | Promise<ExchangeAnswer>);
  upstream?: (request: Request, seen: Seen) => Response | Promise<Response>;
} = {}) {
  const exchanges: Seen[] = [];
  const upstreamCalls: Seen[] = [];
  const answers = options.exchange ?? [{ body: { accessToken: CREDENTIAL, service: 'github', credentialType: 'oauth2', tokenExpiresAt: null, metadata: '{}' } }];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const seen: Seen = { url: request.url, method: request.method, headers: Object.fromEntries(request.headers), body: request.body ? await request.text() : '' };
    if (request.url === `${BASE_URL}/v1/vault/credentials/exchange`) {
      exchanges.push(seen);
      const token = (request.headers.get('authorization') ?? '').replace(/^Bearer /, '');
      const answer = typeof answers === 'function' ? await answers(token, exchanges.length) : answers[Math.min(exchanges.length, answers.length) - 1]!;
      return Response.json(answer.body ?? {}, { status: answer.status ?? 200 });
    }
    upstreamCalls.push(seen);
    return options.upstream ? options.upstream(request, seen) : Response.json({ ok: true });
  };
  return { fetch, exchanges, upstreamCalls };
}

/** An exchange answer with this credential and expiry. */
export function answer(accessToken: string, tokenExpiresAt: string | null = null): ExchangeAnswer {
  return { body: { accessToken, service: 'github', credentialType: 'oauth2', tokenExpiresAt, metadata: '{}' } };
}

/** Every way `value` can be printed or serialised, its causes included. */
export function surfaces(value: unknown): string[] {
  const out: string[] = [];
  let current: unknown = value;
  for (let depth = 0; current !== undefined && current !== null && depth < 6; depth++) {
    out.push(inspect(current, { depth: 8, showHidden: true, getters: true }));
    try {
      out.push(JSON.stringify(current) ?? '');
    } catch {
      out.push('(not serialisable)');
    }
    out.push(String(current));
    if (current instanceof Error) {
      out.push(current.message, String(current.stack));
      for (const name of Object.getOwnPropertyNames(current)) out.push(inspect((current as unknown as Record<string, unknown>)[name], { depth: 8, showHidden: true }));
      current = (current as { cause?: unknown }).cause;
    } else current = undefined;
  }
  return out;
}

/** Asserts that the secret (and its URL-encoded forms) appears in none of the values' surfaces. */
export function expectAbsent(secret: string, ...values: unknown[]): void {
  const forms = [secret, encodeURIComponent(secret), secret.slice(4, -4)];
  for (const value of values) {
    for (const text of surfaces(value)) for (const form of forms) expect(text).not.toContain(form);
  }
}

/** Awaits a rejection and returns the error. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** A local Grantex with a sandbox grant for `scopes` and a stored github credential for its user. */
export async function serverWithGrant(options: { scopes?: string[]; credential?: string; tokenExpiresAt?: string } = {}) {
  const server: TestServer = createTestServer({ rateLimits: false });
  const client = new Grantex({ apiKey: server.sandboxApiKey, baseUrl: server.url, fetch: server.fetch, maxRetries: 0 });
  const scopes = options.scopes ?? ['github:read'];
  const agent = await client.agents.register({ name: 'repo-helper', scopes });
  const request = await client.authorize({ agentId: agent.agentId, userId: 'user_alice', scopes });
  const { grantToken, grantId } = await client.tokens.exchange({ code: request.code!, agentId: agent.agentId });
  await client.vault.store({
    principalId: 'user_alice',
    service: 'github',
    accessToken: options.credential ?? CREDENTIAL,
    ...(options.tokenExpiresAt && { tokenExpiresAt: options.tokenExpiresAt }),
  });
  return { server, client, grantToken, grantId };
}
