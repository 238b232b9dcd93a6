/**
 * A LangChain.js tool guarded by grant tokens (`@grantex/sdk/langchain` with `@langchain/core`):
 * the token travels in the run's `configurable`, which LangChain passes down through agents and
 * graphs, and the tool runs only when the grant allows the call. Runs against the local test server:
 *
 *   node scripts/run-example.mjs examples/langchain.ts
 */
import { Grantex } from '@grantex/sdk';
import { createEnforcer, EnforcementError } from '@grantex/sdk/enforce';
import { guardTool } from '@grantex/sdk/langchain';
import { createTestServer } from '@grantex/sdk/testing';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';

// --- A local Grantex and a read-only grant (in production: your Grantex and the user's consent). ---
const grantex = createTestServer();
const client = new Grantex({ apiKey: grantex.sandboxApiKey, baseUrl: grantex.url, fetch: grantex.fetch });
const agent = await client.agents.register({ name: 'repo-reader', scopes: ['tool:github:read'] });
const request = await client.authorize({ agentId: agent.agentId, userId: 'user_123', scopes: ['tool:github:read'] });
const { grantToken } = await client.tokens.exchange({ code: request.code!, agentId: agent.agentId });
const enforcer = createEnforcer({
  jwks: await grantex.jwks(),
  issuer: grantex.issuer,
  developerId: grantex.sandboxDeveloperId,
  manifests: [{ connector: 'github', tools: { list_repos: 'read', delete_repo: 'delete' } }],
});

// #region guard
const listRepos = guardTool(
  enforcer,
  { connector: 'github', tool: 'list_repos' },
  tool(async ({ org }) => `${org}/web, ${org}/api`, { name: 'list_repos', description: 'List the repositories of an organisation', schema: z.object({ org: z.string() }) }),
);
const deleteRepo = guardTool(
  enforcer,
  // The model reads the denial as the tool's output and can tell the user why.
  { connector: 'github', tool: 'delete_repo', onDenied: 'return' },
  tool(async ({ repo }) => `deleted ${repo}`, { name: 'delete_repo', description: 'Delete a repository', schema: z.object({ repo: z.string() }) }),
);
// #endregion guard

// #region invoke
const config = { configurable: { grantToken } };
console.log(`list_repos allowed: ${await listRepos.invoke({ org: 'acme' }, config)}`);
// As an agent calls it: a tool call in, a ToolMessage out.
const message = await deleteRepo.invoke({ type: 'tool_call', id: 'call_1', name: 'delete_repo', args: { repo: 'acme/web' } }, config);
console.log(`delete_repo denied: ${String(message.content)}`);
// Without a token in configurable, the call is denied (and by default it throws).
await listRepos.invoke({ org: 'acme' }).catch((error: unknown) => {
  if (error instanceof EnforcementError) console.log(`no token: ${error.code}`);
});
// #endregion invoke
