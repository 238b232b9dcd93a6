/**
 * Testing against a local Grantex: `createTestServer()` from `@grantex/sdk/testing` is an in-memory
 * server with real flows and real RS256 tokens. It is a fetch handler, so the SDK talks to it
 * without a network, on any runtime; on Node it can also listen on a port.
 *
 * Needs no account and no API key: `node scripts/run-example.mjs examples/testing.ts`.
 */
import { createGrantVerifier, Grantex, verifyWebhook } from '@grantex/sdk';
import { createTestServer } from '@grantex/sdk/testing';

// #region client
const server = createTestServer();
// The sandbox developer's requests are approved at once; `server.apiKey` is a live key whose
// requests wait for consent.
const client = new Grantex({ apiKey: server.sandboxApiKey, baseUrl: server.url, fetch: server.fetch });
// #endregion client

// #region flow
const agent = await client.agents.register({ name: 'calendar-assistant', scopes: ['calendar:read'] });
const request = await client.authorize({ agentId: agent.agentId, userId: 'user_123', scopes: ['calendar:read'] });
const { grantToken, grantId } = await client.tokens.exchange({ code: request.code!, agentId: agent.agentId });
console.log(`grant ${grantId} issued`);
// #endregion flow

// #region offline
// Real RS256 tokens: verify them offline against the server's keys, as a resource server would.
const verifier = createGrantVerifier({ jwks: await server.jwks(), issuer: server.issuer, developerId: server.sandboxDeveloperId });
const grant = await verifier.verify(grantToken);
console.log(`offline: ${grant.principalId} may use ${grant.scopes.join(', ')}`);

// A resource server's own tests can mint tokens directly, with any claims.
const minted = await server.mintGrantToken({ sub: 'user_456', scp: ['calendar:read'], dev: server.sandboxDeveloperId, expiresIn: '5m' });
console.log(`minted token for ${(await verifier.verify(minted)).principalId}`);
// #endregion offline

// #region clock
// The server's clock moves on request: tokens expire without waiting.
server.clock.advance('25h');
console.log(`after 25 hours the server says valid: ${(await client.tokens.verify(grantToken)).valid}`);
// #endregion clock

// #region webhooks
const webhook = await client.webhooks.create({ url: 'https://app.example/hooks/grantex', events: ['grant.revoked'] });
const fresh = await client.authorize({ agentId: agent.agentId, userId: 'user_123', scopes: ['calendar:read'] });
const second = await client.tokens.exchange({ code: fresh.code!, agentId: agent.agentId });
await client.grants.revoke(second.grantId);
// Every delivery is recorded, signed as the real server signs it.
for (const delivery of server.deliveries) {
  await verifyWebhook({ payload: delivery.body, headers: delivery.headers, secret: webhook.secret!, now: server.clock.now() });
  console.log(`delivery ${delivery.event.type} for ${String(delivery.event.data['grantId'])} verified`);
}
// #endregion webhooks

// #region events
// The live feed carries the server's own events. Wait until the stream is connected: events
// published before that are not replayed, as on the real server.
const feed = client.events.stream({ types: ['grant.revoked'] })[Symbol.asyncIterator]();
const nextEvent = feed.next();
while (server.eventConnections === 0) await new Promise((resolve) => setTimeout(resolve, 1));
const third = await client.tokens.exchange({ code: (await client.authorize({ agentId: agent.agentId, userId: 'user_123', scopes: ['calendar:read'] })).code!, agentId: agent.agentId });
await client.grants.revoke(third.grantId);
const { value: event } = await nextEvent;
console.log(`live event ${event?.type}: ${JSON.stringify(event?.data)}`);
await feed.return?.();
// #endregion events

// #region listen
// On Node, the same server can serve other processes over HTTP.
const url = await server.listen(0);
const health = await fetch(`${url}/health`);
console.log(`listening: ${health.status} ${JSON.stringify(await health.json())}`);
await server.close();
// #endregion listen
