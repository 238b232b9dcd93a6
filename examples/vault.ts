/**
 * The credential vault: store a user's upstream credential (a GitHub token, say) once; an agent
 * later trades its grant token for it, and only when its scopes cover the service. The agent never
 * sees the credential before the user approved, and the API key never leaves your backend.
 *
 *   GRANTEX_BASE_URL=… GRANTEX_API_KEY=… node scripts/run-example.mjs examples/vault.ts
 */
import { Grantex } from '@grantex/sdk';

const client = new Grantex();
const userId = 'user_123';

// #region store
// Your backend, after the user connected GitHub through your own OAuth flow:
const stored = await client.vault.store({
  principalId: userId,
  service: 'github',
  accessToken: 'gho_example_upstream_token',
  metadata: { login: 'alice' },
});
// #endregion store
console.log('stored credential', stored.id, 'for', stored.service);

// #region list
// Listing shows metadata only, never the secret.
const { credentials } = await client.vault.list({ principalId: userId });
for (const credential of credentials) console.log('vault holds', credential.service, 'for', credential.principalId, credential.metadata);
// #endregion list

// The agent obtains a grant token that covers the service…
const agent = await client.agents.register({ name: 'repo-helper', scopes: ['github:read'] });
const request = await client.authorize({ agentId: agent.agentId, userId, scopes: ['github:read'] });
const code = request.code ?? (await client.consent.approve(request.authRequestId)).code;
const { grantToken, grantId } = await client.tokens.exchange({ code, agentId: agent.agentId });

// #region exchange
// …and exchanges it for the credential. This call is authenticated with the grant token.
const released = await client.vault.exchange(grantToken, { service: 'github' });
// use released.accessToken against the GitHub API
// #endregion exchange
console.log('agent received a', released.service, 'credential:', `${released.accessToken.slice(0, 8)}…`);

// #region delete
// Revoking the grant stops future exchanges; deleting removes the credential itself.
await client.grants.revoke(grantId);
await client.vault.delete(stored.id);
// #endregion delete
console.log('revoked grant and deleted credential');
client.close();
