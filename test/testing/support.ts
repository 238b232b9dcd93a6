import * as v from 'valibot';
import { expect } from 'vitest';

import * as schemas from '../../generated/valibot.gen.js';
import { testingOperations, type TestingOperation } from '../../generated/testing-examples.gen.js';
import { createTestServer, type TestServer, type TestServerOptions } from '../../src/testing/index.js';

/** The spec operation a request is for, by method and path template. */
const matchers = testingOperations.map((operation) => ({
  operation,
  pattern: new RegExp(`^${operation.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

export function operationFor(method: string, pathname: string): TestingOperation | undefined {
  // Static paths first, as the server routes them.
  const candidates = matchers.filter((m) => m.operation.method === method && m.pattern.test(pathname));
  candidates.sort((a, b) => (a.operation.path.match(/\{/g)?.length ?? 0) - (b.operation.path.match(/\{/g)?.length ?? 0));
  return candidates[0]?.operation;
}

/** The generated validator of an operation's success body (`v<OperationId>Response`). */
export function responseSchema(operationId: string): v.GenericSchema | undefined {
  const name = `v${operationId[0]!.toUpperCase()}${operationId.slice(1)}Response`;
  return (schemas as unknown as Record<string, v.GenericSchema>)[name];
}

/** Every success answer that went through {@link validatingFetch}, with the issues found. */
export interface Checked {
  readonly operationId: string;
  readonly status: number;
  readonly issues: string[];
}

/**
 * Wraps a test server's fetch so that every 2xx JSON answer of a spec operation is checked
 * against the generated validator of that operation. Problems are collected in `checked`.
 */
export function validatingFetch(server: TestServer, checked: Checked[] = []) {
  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const response = await server.fetch(request);
    const operation = operationFor(request.method, new URL(request.url).pathname);
    if (operation && response.status >= 200 && response.status < 300) {
      const issues: string[] = [];
      if (response.status !== operation.status) issues.push(`status ${response.status}, spec says ${operation.status}`);
      if ((response.headers.get('content-type') ?? '').includes('json')) {
        const schema = responseSchema(operation.operationId);
        if (!schema) issues.push('no generated validator');
        else {
          const result = v.safeParse(schema, await response.clone().json());
          if (!result.success) issues.push(...result.issues.map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`));
        }
      }
      checked.push({ operationId: operation.operationId, status: response.status, issues });
    }
    return response;
  };
  return { fetch, checked };
}

/** Asserts that every checked answer was valid. */
export function expectAllValid(checked: readonly Checked[]): void {
  const bad = checked.filter((c) => c.issues.length > 0).map((c) => `${c.operationId}: ${c.issues.join('; ')}`);
  expect(bad).toEqual([]);
}

export interface Harness {
  readonly server: TestServer;
  /** The server's fetch, checking every success answer (see {@link validatingFetch}). */
  readonly fetch: typeof globalThis.fetch;
  readonly checked: Checked[];
  /** A raw call: JSON in and out, API key of the live developer unless `key` says otherwise (`null` for none). */
  call(method: string, path: string, options?: { body?: unknown; key?: string | null; headers?: Record<string, string>; raw?: BodyInit }): Promise<Answer>;
}

export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly text: string;
  readonly headers: Headers;
}

export function harness(options: TestServerOptions = {}): Harness {
  const server = createTestServer({ onUnexpectedError: (error) => { throw error; }, ...options });
  const { fetch, checked } = validatingFetch(server);
  return {
    server,
    fetch: fetch as typeof globalThis.fetch,
    checked,
    async call(method, path, { body, key, headers = {}, raw } = {}) {
      const all: Record<string, string> = {};
      if (key !== null) all['authorization'] = `Bearer ${key ?? server.apiKey}`;
      if (body !== undefined) all['content-type'] = 'application/json';
      const init: RequestInit = { method, headers: { ...all, ...headers } };
      if (body !== undefined) init.body = JSON.stringify(body);
      if (raw !== undefined) init.body = raw;
      const response = await fetch(`${server.url}${path}`, init);
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, body: parsed, text, headers: response.headers };
    },
  };
}

/** Registers an agent and walks a sandbox or live authorization to a grant token, with raw calls. */
export async function grantFor(
  h: Harness,
  { scopes = ['calendar:read', 'calendar:write', 'github:read'], principalId = 'user_alice', key, expiresIn, extra = {} }: { scopes?: string[]; principalId?: string; key?: string; expiresIn?: string; extra?: Record<string, unknown> } = {},
) {
  const agent = await h.call('POST', '/v1/agents', { key, body: { name: 'calendar-agent', scopes } });
  const authorize = await h.call('POST', '/v1/authorize', { key, body: { agentId: agent.body.agentId, principalId, scopes, ...(expiresIn ? { expiresIn } : {}), ...extra } });
  const code = authorize.body.code ?? (await h.call('POST', `/v1/consent/${authorize.body.authRequestId}/approve`, { key: null })).body.code;
  const token = await h.call('POST', '/v1/token', { key, body: { code, agentId: agent.body.agentId } });
  expect(token.status).toBe(201);
  return { agentId: agent.body.agentId as string, agentDid: agent.body.did as string, code: code as string, ...(token.body as { grantToken: string; grantId: string; refreshToken: string; expiresAt: string; scopes: string[] }) };
}

export const decodeJwt = (token: string) => {
  const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(atob(part!.replace(/-/g, '+').replace(/_/g, '/'))));
  return { header, payload };
};
