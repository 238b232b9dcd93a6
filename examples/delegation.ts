/**
 * Delegation: an agent that holds a grant token hands a sub-agent a narrower token (a subset of
 * its scopes, a shorter life). Revoking the parent grant revokes every grant delegated from it.
 *
 *   GRANTEX_BASE_URL=… GRANTEX_API_KEY=… node scripts/run-example.mjs examples/delegation.ts
 */
import { Grantex } from '@grantex/sdk';
import { decodeGrantToken } from '@grantex/sdk/jwt';

const client = new Grantex();

const planner = await client.agents.register({ name: 'trip-planner', scopes: ['calendar:read', 'booking:write'] });
const booker = await client.agents.register({ name: 'hotel-booker', scopes: ['booking:write'] });

const request = await client.authorize({ agentId: planner.agentId, userId: 'user_123', scopes: ['calendar:read', 'booking:write'] });
const code = request.code ?? (await client.consent.approve(request.authRequestId)).code;
const parent = await client.tokens.exchange({ code, agentId: planner.agentId });

// #region delegate
// The planner delegates booking only, for one hour, to the booker.
const child = await client.grants.delegate({
  parentGrantToken: parent.grantToken,
  subAgentId: booker.agentId,
  scopes: ['booking:write'],
  expiresIn: '1h',
});
// #endregion delegate
console.log('delegated grant', child.grantId, 'scopes', child.scopes.join(' '));

// #region inspect
// A delegated token records its depth and parent; offline verifiers can limit the depth with
// `maxDelegationDepth`. (decodeGrantToken does not verify: use it only to look.)
const claims = decodeGrantToken(child.grantToken);
console.log('delegation depth', claims.delegationDepth, 'parent grant', claims.parentGrantId ?? '(none)');
// #endregion inspect

// #region revoke
// Revoking the parent grant cascades to everything delegated from it.
await client.grants.revoke(parent.grantId);
// #endregion revoke
console.log('revoked parent grant', parent.grantId);
client.close();
