/**
 * The whole delegated-authorization flow in one file: register an agent, ask a user for access,
 * exchange the code for a grant token, check it, delegate to a sub-agent, use the credential
 * vault, and revoke.
 *
 * Runs against the local mock with `npm run demo`, or against a real server with
 * GRANTEX_BASE_URL and GRANTEX_API_KEY set (a sandbox key approves requests at once; with a live
 * key this script approves through the public consent endpoint, as the user's browser would).
 */
import { Grantex } from '@grantex/sdk';

const client = new Grantex(); // reads GRANTEX_API_KEY (and GRANTEX_BASE_URL, if set)
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
  scopes: ['calendar:read', 'calendar:write', 'github:read'],
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

await client.grants.revoke(token.grantId);
step('revoked the grant (and the delegated one with it)', { grantId: token.grantId });

client.close();
