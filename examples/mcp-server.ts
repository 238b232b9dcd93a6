/**
 * An MCP server whose tools are guarded by grant tokens (`@grantex/sdk/mcp` with
 * `@modelcontextprotocol/sdk`): the client sends its grant token as a bearer token, the MCP SDK's
 * `requireBearerAuth` checks it with `grantexTokenVerifier` (401 with a challenge otherwise), and
 * each tool runs only when the grant allows that call. Runs against the local test server:
 *
 *   node scripts/run-example.mjs examples/mcp-server.ts
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Grantex } from '@grantex/sdk';
import { createEnforcer } from '@grantex/sdk/enforce';
import { grantexTokenVerifier, guardTool, protectedResourceMetadata } from '@grantex/sdk/mcp';
import { createTestServer } from '@grantex/sdk/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

// --- A local Grantex and a grant for the agent (in production: your Grantex and the user's consent). ---
const grantex = createTestServer();
const client = new Grantex({ apiKey: grantex.sandboxApiKey, baseUrl: grantex.url, fetch: grantex.fetch });
const agent = await client.agents.register({ name: 'triage-bot', scopes: ['tool:github:read', 'tool:github:write'] });
const grantFor = async (scopes: string[]) => {
  const request = await client.authorize({ agentId: agent.agentId, userId: 'user_123', scopes });
  return (await client.tokens.exchange({ code: request.code!, agentId: agent.agentId })).grantToken;
};

// #region server
const enforcer = createEnforcer({
  jwks: await grantex.jwks(),
  issuer: grantex.issuer,
  developerId: grantex.sandboxDeveloperId,
  manifests: [{ connector: 'github', tools: { list_repos: 'read', create_issue: 'write' } }],
});

function mcpServer(): McpServer {
  const server = new McpServer({ name: 'github-tools', version: '1.0.0' });
  server.registerTool(
    'create_issue',
    { description: 'Open a GitHub issue', inputSchema: { repo: z.string(), title: z.string() } },
    // Runs only when the caller's grant holds tool:github:write; otherwise the model reads a tool error.
    guardTool(enforcer, { connector: 'github', tool: 'create_issue' }, async ({ repo, title }) => ({
      content: [{ type: 'text', text: `opened "${title}" in ${repo}` }],
    })),
  );
  return server;
}
// #endregion server

// #region http
const app = createMcpExpressApp();
const http: Server = await new Promise((resolve) => {
  const listening: Server = app.listen(0, '127.0.0.1', () => resolve(listening));
});
const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

// RFC 9728: tells MCP clients which authorization server issues tokens for this server.
const metadata = protectedResourceMetadata({ resource: `${base}/mcp`, authorizationServers: [grantex.issuer], scopesSupported: ['tool:github:read', 'tool:github:write'] });
app.get(metadata.path, (_req: unknown, res: { json(body: unknown): void }) => res.json(metadata.document));

app.post(
  '/mcp',
  requireBearerAuth({ verifier: grantexTokenVerifier(enforcer), resourceMetadataUrl: metadata.url }),
  async (req: Parameters<StreamableHTTPServerTransport['handleRequest']>[0] & { body: unknown }, res: Parameters<StreamableHTTPServerTransport['handleRequest']>[1]) => {
    const server = mcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close().then(() => server.close()));
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  },
);
// #endregion http

// #region client
async function createIssue(grantToken: string): Promise<string> {
  const mcp = new Client({ name: 'triage-bot', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: { authorization: `Bearer ${grantToken}` } } }));
  try {
    const result = await mcp.callTool({ name: 'create_issue', arguments: { repo: 'acme/web', title: 'Broken link' } });
    const [first] = result.content as { text: string }[];
    return `${result.isError ? 'denied' : 'allowed'}: ${first!.text}`;
  } finally {
    await mcp.close();
  }
}

console.log(await createIssue(await grantFor(['tool:github:write'])));
console.log(await createIssue(await grantFor(['tool:github:read'])));

const anonymous = await fetch(`${base}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
console.log(`no token: ${anonymous.status} ${anonymous.headers.get('www-authenticate')}`);
// #endregion client

const document = await (await fetch(metadata.url)).json();
console.log(`metadata: authorization server ${document.authorization_servers[0]}`);
await new Promise((resolve) => http.close(resolve));
