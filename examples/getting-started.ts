/**
 * Getting started: the README's quickstart, as a file that runs. Register an agent, ask a user for
 * access, exchange the code for a grant token, delegate part of it to a sub-agent, revoke.
 *
 *   GRANTEX_API_KEY=gx_test_… node scripts/run-example.mjs examples/getting-started.ts
 *
 * (`npm run demo` runs the longer examples/quickstart.ts against a local mock of the API.)
 */
import type { Grant, GrantsPage } from '@grantex/sdk';
// #region readme-quickstart
import { Grantex } from '@grantex/sdk';

const client = new Grantex({ apiKey: process.env.GRANTEX_API_KEY });

const agent = await client.agents.register({
  name: 'calendar-assistant',
  scopes: ['calendar:read', 'calendar:write'],
});
const subAgent = await client.agents.register({ name: 'calendar-summariser', scopes: ['calendar:read'] });

// Ask the user. `userId` is your id for them (the wire calls it principalId).
const request = await client.authorize({ agentId: agent.agentId, userId: 'user_123', scopes: ['calendar:read'] });
console.log('send the user to', request.consentUrl);

// After consent, exchange the code for a grant token. A sandbox key gets the code at once;
// here the public consent endpoint stands in for the user's browser.
const code = request.code ?? (await client.consent.approve(request.authRequestId)).code;
const { grantToken, grantId } = await client.tokens.exchange({ code, agentId: agent.agentId });

// Delegate part of it to a sub-agent, then revoke everything at once.
await client.grants.delegate({ parentGrantToken: grantToken, subAgentId: subAgent.agentId, scopes: ['calendar:read'], expiresIn: '1h' });
await client.grants.revoke(grantId);
// #endregion readme-quickstart

console.log('revoked grant', grantId);

// #region readme-lists
const page = await client.grants.list({ status: 'active' });
console.log(`${page.grants.length} active grants on the first page`);
for await (const grant of client.grants.list({ status: 'active' })) console.log(grant.grantId, grant.scopes);
// #endregion readme-lists

// #region readme-pages
let grantsPage: GrantsPage = await client.grants.list({ status: 'active', pageSize: 50 });
const active: Grant[] = [...grantsPage.grants];
while (grantsPage.hasNextPage()) {
  grantsPage = await grantsPage.getNextPage();
  active.push(...grantsPage.grants);
}
console.log(`${active.length} active grants in all`);
// #endregion readme-pages

client.close();
