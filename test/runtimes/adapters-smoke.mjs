// The agent-framework adapters on the runtimes the frameworks support beyond Node (the runtime
// matrix runs this on Deno and on workerd): the MCP adapter behind the MCP SDK's web-standard
// Streamable HTTP transport, and the AI SDK adapter under generateText with a scripted mock model.
// Plain ESM with no imports of its own; each harness passes the modules in. Everything runs in
// memory: a local Grantex (`@grantex/sdk/testing`) signs real grant tokens.
//
//   runAdapterSmoke({ mcp, ai, enforce, testing, mcpServer, mcpTransport, aiCore, aiTest, z }, input)
//     → { ok, results: [{ name, ok, ms, error? }] }

class CheckError extends Error {}

function assert(condition, message) {
  if (!condition) throw new CheckError(message);
}

const describe = (error) =>
  error && typeof error === 'object' ? `${error.constructor?.name ?? 'Error'}${error.code ? ` [${error.code}]` : ''}: ${error.message}` : String(error);

const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 1, text: 1, reasoning: undefined },
};

export async function runAdapterSmoke(sdk, input) {
  const { mcp, ai, enforce, testing, mcpServer, mcpTransport, aiCore, aiTest, z } = sdk;
  const checks = [];
  const check = (name, fn) => checks.push({ name, fn });

  let server;
  let enforcer;
  const tokens = {};
  check('adapters: a local Grantex signs grant tokens; an enforcer verifies them', async () => {
    server = testing.createTestServer();
    enforcer = enforce.createEnforcer({
      jwks: await server.jwks(),
      issuer: server.issuer,
      developerId: server.developerId,
      manifests: [{ connector: 'github', tools: { list_repos: 'read', create_issue: 'write' } }],
    });
    tokens.read = await server.mintGrantToken({ scp: ['tool:github:read'], agt: 'did:grantex:ag_runtime', expiresIn: '1h' });
    tokens.write = await server.mintGrantToken({ scp: ['tool:github:write'], agt: 'did:grantex:ag_runtime', expiresIn: '1h' });
  });

  check('mcp: guarded tool over the web-standard Streamable HTTP transport, allowed and denied', async () => {
    const verifier = mcp.grantexTokenVerifier(enforcer);
    const call = async (token, id) => {
      const server = new mcpServer.McpServer({ name: 'runtime-matrix', version: '1.0.0' });
      server.registerTool(
        'create_issue',
        { inputSchema: { title: z.string() } },
        mcp.guardTool(enforcer, { connector: 'github', tool: 'create_issue' }, async (args, extra) => ({
          content: [{ type: 'text', text: `opened ${args.title} for ${extra.authInfo.clientId}` }],
        })),
      );
      const transport = new mcpTransport.WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      await server.connect(transport);
      const request = new Request('https://mcp.runtime-matrix.test/mcp', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'create_issue', arguments: { title: 'Bug' } } }),
      });
      const response = await transport.handleRequest(request, { authInfo: await verifier.verifyAccessToken(token) });
      const body = await response.json();
      await server.close();
      return body.result;
    };
    const allowed = await call(tokens.write, 1);
    assert(!allowed.isError && allowed.content[0].text === 'opened Bug for did:grantex:ag_runtime', `allowed: ${JSON.stringify(allowed)}`);
    const denied = await call(tokens.read, 2);
    assert(denied.isError === true && /^PERMISSION_INSUFFICIENT: /.test(denied.content[0].text), `denied: ${JSON.stringify(denied)}`);
  });

  check('mcp: a bad token is InvalidTokenError; the RFC 9728 document is served', async () => {
    let error;
    try {
      await mcp.grantexTokenVerifier(enforcer).verifyAccessToken('not-a-grant-token');
    } catch (e) {
      error = e;
    }
    assert(error?.errorCode === 'invalid_token' && /^TOKEN_MALFORMED: /.test(error.message), `expected invalid_token, got ${describe(error)}`);
    const metadata = mcp.protectedResourceMetadata({ resource: 'https://mcp.runtime-matrix.test/mcp', authorizationServers: [server.issuer] });
    const response = metadata.handler(new Request('https://mcp.runtime-matrix.test/.well-known/oauth-protected-resource/mcp'));
    const document = await response.json();
    assert(response.status === 200 && document.authorization_servers[0] === server.issuer, `metadata: ${response.status} ${JSON.stringify(document)}`);
  });

  check('ai: generateText with a mock model calls a guarded tool, allowed and denied', async () => {
    const run = async (token) => {
      let runs = 0;
      const createIssue = ai.guardTool(
        enforcer,
        { connector: 'github', tool: 'create_issue', onDenied: 'return' },
        aiCore.tool({ inputSchema: z.object({ title: z.string() }), execute: async ({ title }) => ({ opened: title, run: ++runs }) }),
      );
      const model = new aiTest.MockLanguageModelV4({
        doGenerate: [
          { content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'createIssue', input: '{"title":"Bug"}' }], finishReason: { unified: 'tool-calls', raw: undefined }, usage, warnings: [] },
          { content: [{ type: 'text', text: 'done' }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] },
        ],
      });
      const result = await aiCore.generateText({ model, tools: { createIssue }, toolsContext: { createIssue: { grantToken: token } }, stopWhen: aiCore.isStepCount(2), prompt: 'Open an issue' });
      return { output: result.steps[0].toolResults[0]?.output, runs };
    };
    const allowed = await run(tokens.write);
    assert(allowed.output?.opened === 'Bug' && allowed.runs === 1, `allowed: ${JSON.stringify(allowed)}`);
    const denied = await run(tokens.read);
    assert(denied.output?.denied === true && denied.output.code === 'PERMISSION_INSUFFICIENT' && denied.runs === 0, `denied: ${JSON.stringify(denied)}`);
  });

  const results = [];
  for (const { name, fn } of checks) {
    const started = Date.now();
    try {
      await fn();
      results.push({ name, ok: true, ms: Date.now() - started });
    } catch (error) {
      results.push({ name, ok: false, ms: Date.now() - started, error: describe(error) });
    }
  }
  return { runtime: input.runtime, ok: results.every((r) => r.ok), results };
}
