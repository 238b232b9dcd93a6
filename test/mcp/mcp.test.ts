// The MCP adapter with the real MCP SDK: a client and a guarded server over Streamable HTTP in one
// process, the server's bearer auth done by the MCP SDK's requireBearerAuth with our verifier.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InvalidTokenError, ServerError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { createGrantVerifier } from '../../src/jwt/index.js';
import { GrantexConfigurationError, GrantTokenError } from '../../src/errors.js';
import { grantexTokenVerifier, guardTool, protectedResourceMetadata } from '../../src/mcp/index.js';
import { expectNoToken } from '../enforce/support.js';
import { fixture, type Fixture } from '../support/adapters.js';

let f: Fixture;
let http: Server;
let base: string;
let metadata: ReturnType<typeof protectedResourceMetadata>;
const ran: string[] = [];

function mcpServer(): McpServer {
  const server = new McpServer({ name: 'grantex-adapter-test', version: '1.0.0' });
  server.registerTool(
    'create_issue',
    { description: 'Open an issue', inputSchema: { repo: z.string(), title: z.string() } },
    guardTool(f.enforcer, { connector: 'github', tool: 'create_issue' }, async (args, extra) => {
      ran.push(`create_issue ${args.repo}`);
      return { content: [{ type: 'text', text: `opened "${args.title}" in ${args.repo} for ${extra.authInfo?.clientId}` }] };
    }),
  );
  server.registerTool(
    'create_payment',
    { inputSchema: { amount: z.number() } },
    guardTool(f.enforcer, { connector: 'stripe', tool: 'create_payment', amount: (args) => args.amount }, async (args) => {
      ran.push(`create_payment ${args.amount}`);
      return { content: [{ type: 'text', text: `paid ${args.amount}` }] };
    }),
  );
  return server;
}

beforeAll(async () => {
  f = await fixture();
  const app = createMcpExpressApp();
  http = await new Promise<Server>((resolve) => {
    const listening: Server = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  metadata = protectedResourceMetadata({ resource: `${base}/mcp`, authorizationServers: [f.server.issuer], scopesSupported: ['tool:github:read', 'tool:github:write'] });
  // The fetch-style handler behind an Express route.
  app.get(metadata.path, async (req: { url: string; method: string }, res: { status(n: number): { set(h: Record<string, string>): { send(b: string): void } } }) => {
    const response = metadata.handler(new Request(base + req.url, { method: req.method }))!;
    res.status(response.status).set(Object.fromEntries(response.headers)).send(await response.text());
  });
  const bearer = requireBearerAuth({ verifier: grantexTokenVerifier(f.enforcer), resourceMetadataUrl: metadata.url });
  app.post('/mcp', bearer, async (req: Parameters<StreamableHTTPServerTransport['handleRequest']>[0] & { body: unknown }, res: Parameters<StreamableHTTPServerTransport['handleRequest']>[1]) => {
    // Stateless: one server and transport per request.
    const server = mcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close().then(() => server.close()));
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
});

afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
});

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'grantex-adapter-test-client', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

const textOf = (result: Awaited<ReturnType<Client['callTool']>>): string => {
  const [first] = result.content as { type: string; text: string }[];
  return first!.text;
};

describe('@grantex/sdk/mcp over Streamable HTTP', () => {
  it('runs an allowed tool call and passes the verified grant to the callback', async () => {
    const token = await f.token(['tool:github:write']);
    const client = await connect(token);
    try {
      const result = await client.callTool({ name: 'create_issue', arguments: { repo: 'acme/web', title: 'Broken link' } });
      console.log(`mcp allowed: ${JSON.stringify(result)}`);
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toBe('opened "Broken link" in acme/web for did:grantex:ag_adapters');
      expect(ran).toContain('create_issue acme/web');
    } finally {
      await client.close();
    }
  });

  it('answers a denied call with a tool error and does not run the callback', async () => {
    const token = await f.token(['tool:github:read']);
    const client = await connect(token);
    const before = ran.length;
    try {
      const result = await client.callTool({ name: 'create_issue', arguments: { repo: 'acme/web', title: 'Nope' } });
      console.log(`mcp denied: ${JSON.stringify(result)}`);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^PERMISSION_INSUFFICIENT: .*needs write; the grant holds read$/);
      expect(ran.length).toBe(before);
      expectNoToken(token, result);
    } finally {
      await client.close();
    }
  });

  it('checks the amount from the arguments: at the cap runs, one past it is denied', async () => {
    const client = await connect(await f.token(['tool:stripe:write:capped:100']));
    try {
      expect(textOf(await client.callTool({ name: 'create_payment', arguments: { amount: 100 } }))).toBe('paid 100');
      const over = await client.callTool({ name: 'create_payment', arguments: { amount: 101 } });
      expect(over.isError).toBe(true);
      expect(textOf(over)).toMatch(/^AMOUNT_OVER_CAP: Amount 101 is over the grant's cap of 100/);
      expect(ran).toContain('create_payment 100');
      expect(ran).not.toContain('create_payment 101');
    } finally {
      await client.close();
    }
  });

  it('refuses a bad token at the HTTP layer: 401 with the WWW-Authenticate challenge', async () => {
    const good = await f.token(['tool:github:write']);
    const expired = await f.server.mintGrantToken({ scp: ['tool:github:write'], iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 });
    const forged = `${good.slice(0, -4)}${good.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const cases: [string, Record<string, string>, RegExp][] = [
      ['no token', {}, /error_description="Missing Authorization header"/],
      ['expired', { authorization: `Bearer ${expired}` }, /error_description="TOKEN_EXPIRED: /],
      ['forged', { authorization: `Bearer ${forged}` }, /error_description="TOKEN_SIGNATURE_INVALID: /],
      ['not a JWT', { authorization: 'Bearer not-a-grant-token' }, /error_description="TOKEN_MALFORMED: /],
    ];
    for (const [name, headers, description] of cases) {
      const response = await fetch(`${base}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      const challenge = response.headers.get('www-authenticate') ?? '';
      if (name === 'expired') console.log(`mcp 401 (${name}): WWW-Authenticate: ${challenge}`);
      expect(response.status, name).toBe(401);
      expect(challenge, name).toMatch(/^Bearer error="invalid_token", /);
      expect(challenge, name).toMatch(description);
      expect(challenge, name).toContain(`resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`);
      const body = await response.json();
      expect(body.error).toBe('invalid_token');
      expectNoToken(good, challenge, body);
      expectNoToken(expired, challenge, body);
    }
  });

  it('serves the RFC 9728 metadata document at the URL the challenge names', async () => {
    const response = await fetch(metadata.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const document = await response.json();
    console.log(`mcp metadata: ${JSON.stringify(document)}`);
    expect(document).toEqual({
      resource: `${base}/mcp`,
      authorization_servers: [f.server.issuer],
      scopes_supported: ['tool:github:read', 'tool:github:write'],
      bearer_methods_supported: ['header'],
    });
  });
});

describe('guardTool (MCP) without the transport', () => {
  it('denies a call without a verified token as TOKEN_MALFORMED, saying where the token was looked for', async () => {
    let runs = 0;
    const guarded = guardTool(f.enforcer, { connector: 'github', tool: 'list_repos' }, async () => {
      runs++;
      return { content: [{ type: 'text' as const, text: 'ran' }] };
    });
    const result = await guarded({}, {});
    expect(result).toEqual({ isError: true, content: [{ type: 'text', text: expect.stringMatching(/^TOKEN_MALFORMED: No grant token for this call: .*extra\.authInfo\.token/) }] });
    expect(runs).toBe(0);
  });

  it('takes the token from the grantToken option instead, as a string or a function of extra', async () => {
    const token = await f.token(['tool:github:read']);
    type Extra = { authInfo?: { token: string }; sessionToken?: string };
    const callback = async (args: { org: string }, _extra: Extra) => ({ content: [{ type: 'text' as const, text: `repos of ${args.org}` }] });
    expect(await guardTool(f.enforcer, { connector: 'github', tool: 'list_repos', grantToken: token }, callback)({ org: 'acme' }, {})).toEqual({ content: [{ type: 'text', text: 'repos of acme' }] });
    const fromExtra = guardTool(f.enforcer, { connector: 'github', tool: 'list_repos', grantToken: (extra) => extra.sessionToken }, callback);
    expect(await fromExtra({ org: 'acme' }, { sessionToken: token })).toEqual({ content: [{ type: 'text', text: 'repos of acme' }] });
    expect(await fromExtra({ org: 'acme' }, {})).toMatchObject({ isError: true, content: [{ text: expect.stringMatching(/^TOKEN_MALFORMED: No grant token for this call: the grantToken option returned none$/) }] });
  });

  it('rejects bad options at once with GrantexConfigurationError', () => {
    const callback = async () => ({ content: [] });
    const bad: unknown[] = [
      { connector: 'github' },
      { connector: '', tool: 'list_repos' },
      { connector: 'github', tool: 'list_repos', amount: 5 },
      { connector: 'github', tool: 'list_repos', grantToken: '' },
      { connector: 'github', tool: 'list_repos', amonut: () => 1 },
    ];
    for (const options of bad) {
      expect(() => guardTool(f.enforcer, options as { connector: string; tool: string }, callback), JSON.stringify(options)).toThrow(GrantexConfigurationError);
    }
    expect(() => guardTool({} as typeof f.enforcer, { connector: 'github', tool: 'list_repos' }, callback)).toThrow(GrantexConfigurationError);
    expect(() => guardTool(f.enforcer, { connector: 'github', tool: 'list_repos' }, 'nope' as unknown as typeof callback)).toThrow(GrantexConfigurationError);
  });
});

describe('grantexTokenVerifier', () => {
  it('turns a grant token into AuthInfo: agent DID, scopes, expiry in seconds, the grant', async () => {
    const token = await f.server.mintGrantToken({ scp: ['tool:github:read'], agt: 'did:grantex:ag_mcp', aud: 'https://mcp.example.com/mcp', expiresIn: '10m' } as Parameters<typeof f.server.mintGrantToken>[0]);
    const verifier = grantexTokenVerifier(createGrantVerifier({ jwks: await f.server.jwks(), issuer: f.server.issuer, developerId: f.server.developerId, audience: 'https://mcp.example.com/mcp' }));
    const info = await verifier.verifyAccessToken(token);
    expect(info).toMatchObject({ token, clientId: 'did:grantex:ag_mcp', scopes: ['tool:github:read'] });
    expect(info.resource?.href).toBe('https://mcp.example.com/mcp');
    expect(info.expiresAt).toBe(Math.floor((info.extra!['grant'] as { expiresAt: Date }).expiresAt.getTime() / 1000));
    expect(info.expiresAt! - Date.now() / 1000).toBeGreaterThan(500);
  });

  it('accepts a token through the enforcer, also in permissive mode, and refuses a bad one', async () => {
    const token = await f.token(['tool:github:read']);
    const info = await grantexTokenVerifier(f.enforcer).verifyAccessToken(token);
    expect(info.clientId).toBe('did:grantex:ag_adapters');
    expect(info.resource).toBeUndefined();
    const error = await grantexTokenVerifier(f.enforcer).verifyAccessToken(token.slice(0, -2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as Error).message).toMatch(/^TOKEN_SIGNATURE_INVALID: /);
    expectNoToken(token, error);
  });

  it('says ServerError (500, no re-authentication) when the keys cannot be loaded', async () => {
    const verifier = grantexTokenVerifier({
      verify: async () => {
        throw new GrantTokenError('JWKS_UNAVAILABLE', 'JWKS could not be fetched');
      },
    });
    const error = await verifier.verifyAccessToken('x.y.z').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).not.toBeInstanceOf(InvalidTokenError);
  });

  it('keeps quotes and control characters out of the challenge text', async () => {
    const verifier = grantexTokenVerifier({
      verify: async () => {
        throw new GrantTokenError('TOKEN_ISSUER_INVALID', 'Grant token issuer "evil\r\nx" is not "https://grantex.dev"');
      },
    });
    const error = (await verifier.verifyAccessToken('x.y.z').catch((e: unknown) => e)) as Error;
    expect(error.message).toBe("TOKEN_ISSUER_INVALID: Grant token issuer 'evil??x' is not 'https://grantex.dev'");
  });

  it('rejects something that is neither an enforcer nor a verifier', () => {
    expect(() => grantexTokenVerifier({} as never)).toThrow(GrantexConfigurationError);
    expect(() => grantexTokenVerifier(null as never)).toThrow(GrantexConfigurationError);
  });
});

describe('protectedResourceMetadata', () => {
  const options = { resource: 'https://mcp.example.com/tools/mcp', authorizationServers: ['https://grantex.dev'] };

  it('places the document per RFC 9728 §3.1 and answers only there', async () => {
    const m = protectedResourceMetadata(options);
    expect(m.url).toBe('https://mcp.example.com/.well-known/oauth-protected-resource/tools/mcp');
    expect(protectedResourceMetadata({ ...options, resource: 'https://mcp.example.com' }).path).toBe('/.well-known/oauth-protected-resource');
    expect(protectedResourceMetadata({ ...options, resource: 'https://mcp.example.com/' }).path).toBe('/.well-known/oauth-protected-resource');
    expect(m.handler(new Request('https://mcp.example.com/.well-known/oauth-protected-resource'))).toBeNull();
    expect(m.handler(new Request('https://mcp.example.com/tools/mcp'))).toBeNull();
    const ok = m.handler(new Request(m.url))!;
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(await ok.json()).toEqual({ resource: options.resource, authorization_servers: ['https://grantex.dev'], bearer_methods_supported: ['header'] });
    expect(m.handler(new Request(m.url, { method: 'OPTIONS' }))!.status).toBe(204);
    const head = m.handler(new Request(m.url, { method: 'HEAD' }))!;
    expect([head.status, await head.text()]).toEqual([200, '']);
    const post = m.handler(new Request(m.url, { method: 'POST', body: '{}' }))!;
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD, OPTIONS']);
    expect(Object.isFrozen(m.document)).toBe(true);
  });

  it('rejects bad options with GrantexConfigurationError', () => {
    const bad: unknown[] = [
      { ...options, resource: 'mcp.example.com' },
      { ...options, resource: 'ftp://mcp.example.com' },
      { ...options, resource: 'https://mcp.example.com/mcp#frag' },
      { ...options, authorizationServers: [] },
      { ...options, authorizationServers: ['not a url'] },
      { ...options, scopesSupported: ['tool:github:read', 'two words'] },
      { ...options, scopes: ['x'] },
      null,
    ];
    for (const value of bad) expect(() => protectedResourceMetadata(value as typeof options), JSON.stringify(value)).toThrow(GrantexConfigurationError);
  });
});
