/**
 * The whole delegated-authorization flow in one file: register an agent, ask a user for access,
 * exchange the code for a grant token, verify it offline against the server's published keys,
 * check it online, delegate to a sub-agent, use the credential vault, guard a tool call that stops
 * working the moment its grant is revoked, and revoke.
 *
 * `npm run demo` runs it against the local test server (`@grantex/sdk/testing`), with a live key:
 * the script approves through the public consent endpoint, as the user's browser would. Against a
 * real server, set GRANTEX_BASE_URL and GRANTEX_API_KEY (a sandbox key approves requests at once).
 * Set GRANTEX_ISSUER too when the server signs tokens as another address than the one you reach it
 * at (a self-hosted server at `http://127.0.0.1:3001` that issues as `http://localhost:3001`).
 */
import { createGrantVerifier, DEFAULT_BASE_URL, Grantex, isGrantexError } from '@grantex/sdk';
import { createEnforcer } from '@grantex/sdk/enforce';

const client = new Grantex(); // reads GRANTEX_API_KEY (and GRANTEX_BASE_URL, if set)
const baseUrl = process.env.GRANTEX_BASE_URL ?? DEFAULT_BASE_URL;
// The `iss` the server signs with; without it, the verifier expects the one its JWKS URL implies.
const issuer = process.env.GRANTEX_ISSUER;
const userId = 'user_quickstart_alice';

/** Shows the start of a credential, never the whole of it. */
const preview = (secret: string) => `${secret.slice(0, 12)}…`;

function step(title: string, detail: Record<string, unknown>): void {
  console.log(`✔ ${title}`);
  for (const [key, value] of Object.entries(detail)) console.log(`    ${key}: ${JSON.stringify(value)}`);
}

const agent = await client.agents.register({
  name: 'calendar-assistant',
  description: 'Reads and organises the calendar',
  scopes: ['calendar:read', 'calendar:write', 'github:read', 'tool:calendar:read'],
});
step('registered agent', { agentId: agent.agentId, did: agent.did });

const subAgent = await client.agents.register({ name: 'calendar-summariser', scopes: ['calendar:read'] });
step('registered sub-agent', { agentId: subAgent.agentId });

const request = await client.authorize({
  agentId: agent.agentId,
  userId,
  scopes: ['calendar:read', 'calendar:write', 'github:read'],
  expiresIn: '24h',
});
step('created authorization request', { authRequestId: request.authRequestId, consentUrl: request.consentUrl });

// Sandbox keys are approved at once; otherwise the user approves on the consent page.
const code = request.code ?? (await client.consent.approve(request.authRequestId)).code;
step('user approved', { code: preview(code) });

const token = await client.tokens.exchange({ code, agentId: agent.agentId });
step('exchanged code for a grant token', { grantId: token.grantId, scopes: token.scopes, expiresAt: token.expiresAt });

// The grant token is a signed JWT: any service the agent calls can check it offline, with the
// keys the server publishes, without an API key or a call per request. Pin your developer id so
// that tokens minted for another developer are refused.
const { developerId } = await client.me();
const verifier = createGrantVerifier({
  jwksUri: `${baseUrl}/.well-known/jwks.json`,
  ...(issuer ? { issuer } : {}),
  developerId,
  requiredScopes: ['calendar:read'],
});
const grant = await verifier.verify(token.grantToken).catch((error: unknown) => {
  if (!isGrantexError(error) || error.code !== 'TOKEN_ISSUER_INVALID') throw error;
  // A self-hosted server may sign as another address than the one it is reached at.
  const payload = token.grantToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
  const signedAs = (JSON.parse(atob(payload)) as { iss?: string }).iss;
  console.error(`✘ offline verification: the server signs its tokens as ${JSON.stringify(signedAs)}, not as the issuer expected here.`);
  console.error(`    Set GRANTEX_ISSUER=${signedAs ?? '<the issuer your server signs with>'} (its JWT_ISSUER) and run again.`);
  process.exit(1);
});
step('verified the grant token offline against the JWKS', {
  principalId: grant.principalId,
  agentDid: grant.agentDid,
  scopes: grant.scopes,
  expiresAt: grant.expiresAt.toISOString(),
});

const check = await client.tokens.verify(token.grantToken);
step('verified the token online', { valid: check.valid });

const delegated = await client.grants.delegate({
  parentGrantToken: token.grantToken,
  subAgentId: subAgent.agentId,
  scopes: ['calendar:read'],
  expiresIn: '1h',
});
step('delegated to the sub-agent', { grantId: delegated.grantId, scopes: delegated.scopes });

const stored = await client.vault.store({
  principalId: userId,
  service: 'github',
  accessToken: 'gho_example_upstream_token',
  metadata: { login: 'alice' },
});
step('stored an upstream credential in the vault', { id: stored.id, service: stored.service });

const released = await client.vault.exchange(token.grantToken, { service: 'github' });
step('agent exchanged its grant token for the credential', {
  service: released.service,
  accessToken: preview(released.accessToken),
  metadata: released.metadata,
});

// A tool server guards its tools with an enforcer. Offline checks alone would keep allowing a
// revoked grant until its token expires; in 'events' mode the enforcer follows the live event feed
// and denies the next call once the grant is revoked.
const toolRequest = await client.authorize({ agentId: agent.agentId, userId, scopes: ['tool:calendar:read'] });
const toolCode = toolRequest.code ?? (await client.consent.approve(toolRequest.authRequestId)).code;
const toolGrant = await client.tokens.exchange({ code: toolCode, agentId: agent.agentId });
const enforcer = createEnforcer({
  jwksUri: `${baseUrl}/.well-known/jwks.json`,
  ...(issuer ? { issuer } : {}),
  developerId,
  manifests: [{ connector: 'calendar', tools: { list_events: 'read' } }],
  revocation: { mode: 'events', apiKey: process.env.GRANTEX_API_KEY!, baseUrl },
});
const toolCall = { grantToken: toolGrant.grantToken, connector: 'calendar', tool: 'list_events' };
const before = await enforcer.check(toolCall);
step("enforcer in 'events' mode allowed a tool call", { code: before.code, grantId: toolGrant.grantId });
// The first check opened the feed; give it a moment to connect before the revocation.
await new Promise((resolve) => setTimeout(resolve, 500));
await client.grants.revoke(toolGrant.grantId);
const revokedAt = performance.now();
let after = await enforcer.check(toolCall);
// Between checks, a turn of the event loop lets the feed's bytes in.
while (after.allowed && performance.now() - revokedAt < 10_000) after = await new Promise((resolve) => setTimeout(resolve, 1)).then(() => enforcer.check(toolCall));
const elapsed = performance.now() - revokedAt;
step('revoked that grant: the next check is denied', {
  code: after.code,
  message: after.message,
  msAfterRevokeReturned: Math.round(elapsed * 10) / 10,
});
await enforcer.close();

await client.grants.revoke(token.grantId);
const afterRevoke = await client.tokens.verify(delegated.grantToken);
step('revoked the grant (and the delegated one with it)', { grantId: token.grantId, delegatedTokenValid: afterRevoke.valid });

client.close();
