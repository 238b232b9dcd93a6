/**
 * Guarding agent tools in a Worker: an MCP-style tool server (JSON-RPC `tools/call` over HTTP) that
 * lets a call through only when the caller's grant token allows that tool, offline. The same object
 * is a Cloudflare Worker (`export default worker`) and a `Deno.serve` / `Bun.serve` handler; this file
 * calls it with `Request` objects the way a runtime would. A test key pair stands in for the Grantex
 * signing key, so nothing else is needed.
 *
 *   node scripts/run-example.mjs examples/guard-worker.ts
 */
import { createEnforcer, defineManifest } from '@grantex/sdk/enforce';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

// --- Test fixture: a key pair, and grant tokens signed the way the Grantex API signs them. ---
const issuer = 'https://grantex.dev';
const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }] };
const mint = (scopes: string[]) =>
  new SignJWT({ agt: 'did:grantex:ag_01EXAMPLE', dev: 'dev_01EXAMPLE', scp: scopes, grnt: 'grnt_01EXAMPLE' })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setIssuer(issuer)
    .setSubject('user_123')
    .setJti(`tok_${scopes.length}`)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);

// #region manifests
// A manifest says which permission level each tool of a connector needs. Manifest JSON files written
// for other Grantex SDKs load unchanged; defineManifest validates one and freezes it.
const github = defineManifest({ connector: 'github', version: '1.0.0', tools: { list_repos: 'read', create_issue: 'write', delete_repo: 'delete' } });
const stripe = defineManifest({ connector: 'stripe', tools: { list_payments: 'read', create_payment: 'write' } });
// #endregion manifests

// #region worker
// Created once per isolate, not per request: the keys and the verified tokens stay cached.
const enforcer = createEnforcer({ jwks, issuer, developerId: 'dev_01EXAMPLE', manifests: [github, stripe] });
// In production: createEnforcer({ jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', developerId, manifests })

interface ToolsCall {
  id: number;
  method: 'tools/call';
  params: { name: string; arguments?: { amount?: number } };
}

const worker = {
  async fetch(request: Request): Promise<Response> {
    const rpc = (await request.json()) as ToolsCall;
    // This server names its tools "<connector>.<tool>".
    const [connector = '', tool = ''] = rpc.params.name.split('.');
    // null when allowed; otherwise a JSON Response { code, message }: 401 token, 403 scope, 503 keys.
    const denied = await enforcer.guard(request, { connector, tool, amount: rpc.params.arguments?.amount });
    if (denied) return denied;
    return Response.json({ jsonrpc: '2.0', id: rpc.id, result: { content: [{ type: 'text', text: `ran ${rpc.params.name}` }] } });
  },
};
// #endregion worker

// --- Drive the handler the way a runtime would. ---
const reader = await mint(['tool:github:read']);
const payer = await mint(['tool:github:write', 'tool:stripe:write:payments:capped:500']);
let id = 0;
async function call(label: string, token: string | undefined, name: string, amount?: number) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const body = JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name, arguments: amount === undefined ? {} : { amount } } });
  const response = await worker.fetch(new Request('https://tools.example/mcp', { method: 'POST', headers, body }));
  const json = (await response.json()) as { code?: string; result?: { content: { text: string }[] } };
  console.log(`${label} -> ${response.status} ${json.code ?? json.result?.content[0]?.text}`);
}

await call('github.list_repos with a read grant', reader, 'github.list_repos');
await call('github.create_issue with a read grant', reader, 'github.create_issue');
await call('stripe.create_payment of 120 under a cap of 500', payer, 'stripe.create_payment', 120);
await call('stripe.create_payment of 700 under a cap of 500', payer, 'stripe.create_payment', 700);
await call('github.fork_repo, not in the manifest', payer, 'github.fork_repo');
await call('no token', undefined, 'github.list_repos');
