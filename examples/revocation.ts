/**
 * Revocation: offline checks cannot see a grant revoked after its token was issued. An enforcer (or
 * verifier) with `revocation: { mode: 'events' }` follows the live event feed and denies the next
 * call, and asks the API online about what the feed cannot say. Runs against the local Grantex
 * (`@grantex/sdk/testing`) served on 127.0.0.1, so it needs no account:
 *
 *   node scripts/run-example.mjs examples/revocation.ts
 */
import { createGrantVerifier, Grantex, isGrantexError } from '@grantex/sdk';
import { createEnforcer, type EnforcementDecision } from '@grantex/sdk/enforce';
import { createTestServer } from '@grantex/sdk/testing';

// A local Grantex whose state changes publish live events (a 1 s keepalive, so streams open fast).
const server = createTestServer({ eventKeepaliveInterval: 1_000 });
const baseUrl = await server.listen(0);
const apiKey = server.sandboxApiKey;
const developerId = server.sandboxDeveloperId;
const client = new Grantex({ apiKey, baseUrl });
const agent = await client.agents.register({ name: 'calendar-agent', scopes: ['tool:calendar:read'] });
const helper = await client.agents.register({ name: 'calendar-helper', scopes: ['tool:calendar:read'] });

async function newGrant(): Promise<{ grantToken: string; grantId: string }> {
  const request = await client.authorize({ agentId: agent.agentId, userId: 'user_123', scopes: ['tool:calendar:read'] });
  return client.tokens.exchange({ code: request.code!, agentId: agent.agentId });
}

// #region events
const enforcer = createEnforcer({
  jwksUri: `${baseUrl}/.well-known/jwks.json`,
  developerId,
  manifests: [{ connector: 'calendar', tools: { list_events: 'read' } }],
  // One feed per enforcer, filtered to the events that end authority; loaded on the first check.
  revocation: { mode: 'events', apiKey, baseUrl },
});
// #endregion events

// #region revoke
const { grantToken, grantId } = await newGrant();
const call = { grantToken, connector: 'calendar', tool: 'list_events' };
console.log(`before: ${(await enforcer.check(call)).code}`);
await client.grants.revoke(grantId);
const returned = performance.now();
const tick = () => new Promise((resolve) => setTimeout(resolve, 1)); // lets the feed's bytes in
let decision = await enforcer.check(call);
while (decision.allowed) decision = await tick().then(() => enforcer.check(call));
console.log(`after: ${decision.code} (${decision.message}), ${(performance.now() - returned).toFixed(1)} ms after the revoke call returned`);
// #endregion revoke

// #region cascade
// Revoking a grant revokes everything delegated from it; the event names only that grant. The
// enforcer follows the lineage of the tokens it has seen (grnt → parentGrnt), at every depth.
const root = await newGrant();
const child = await client.grants.delegate({ parentGrantToken: root.grantToken, subAgentId: helper.agentId, scopes: ['tool:calendar:read'], expiresIn: '1h' });
const childCall = { grantToken: child.grantToken, connector: 'calendar', tool: 'list_events' };
await enforcer.check({ ...childCall, grantToken: root.grantToken });
console.log(`delegated, before: ${(await enforcer.check(childCall)).code}`);
await client.grants.revoke(root.grantId);
let childDecision = await enforcer.check(childCall);
while (childDecision.allowed) childDecision = await tick().then(() => enforcer.check(childCall));
console.log(`delegated, after: ${childDecision.code} (${childDecision.message})`);
// #endregion cascade

// #region per-token
// Revoking one token (by its jti) publishes no event: the online check finds it, at the latest
// maxStaleness after the last answer about that token.
const verifier = createGrantVerifier({ jwksUri: `${baseUrl}/.well-known/jwks.json`, developerId, revocation: { mode: 'online', apiKey, baseUrl, maxStaleness: 200 } });
const single = await newGrant();
const { tokenId } = await verifier.verify(single.grantToken);
await client.tokens.revoke(tokenId);
await new Promise((resolve) => setTimeout(resolve, 250));
try {
  await verifier.verify(single.grantToken);
} catch (error) {
  if (isGrantexError(error)) console.log(`token ${tokenId}: ${error.code}`);
}
// #endregion per-token

// #region unavailable
// When the API cannot say (unreachable, rate limited, the key refused) within maxStaleness:
// 'deny' (the default) denies with REVOCATION_UNKNOWN, which guard answers with 503 ...
const unreachable = { apiKey, baseUrl: 'http://127.0.0.1:9', maxStaleness: 1_000 };
const closed = createEnforcer({ jwksUri: `${baseUrl}/.well-known/jwks.json`, developerId, manifests: [{ connector: 'calendar', tools: { list_events: 'read' } }], revocation: { mode: 'online', ...unreachable } });
const fresh = await newGrant();
const denied = await closed.guard(new Request('https://tools.example/events', { headers: { authorization: `Bearer ${fresh.grantToken}` } }), { connector: 'calendar', tool: 'list_events' });
console.log(`fail closed: ${denied?.status} ${JSON.parse(await denied!.text()).code}`);
// ... and 'allow' lets the call through, flagged in the decision that onDecision receives.
const audit: EnforcementDecision[] = [];
const open = createEnforcer({
  jwksUri: `${baseUrl}/.well-known/jwks.json`,
  developerId,
  manifests: [{ connector: 'calendar', tools: { list_events: 'read' } }],
  revocation: { mode: 'online', ...unreachable, onUnavailable: 'allow' },
  onDecision: (d) => void audit.push(d),
});
const allowed = await open.check({ grantToken: fresh.grantToken, connector: 'calendar', tool: 'list_events' });
console.log(`fail open: ${allowed.code}, revocationUnknown ${audit[0]?.revocationUnknown}`);
// #endregion unavailable

// #region close
// close() ends the feed. An enforcer that is never closed does not hold a process either: its
// feed closes by itself once no answer depends on it, and its timers do not keep Node running.
await enforcer.close();
await verifier.close();
// #endregion close
await Promise.all([closed.close(), open.close()]);
client.close();
await server.close();
