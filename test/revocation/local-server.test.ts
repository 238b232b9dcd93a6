import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEnforcer, type EnforcementDecision, type Enforcer } from '../../src/enforce/index.js';
import { Grantex } from '../../src/index.js';
import { decodeGrantToken } from '../../src/jwt/index.js';
import { createTestServer, type TestServer } from '../../src/testing/index.js';
import { MANIFEST, until } from './support.js';

// End to end against the local Grantex (`@grantex/sdk/testing`), served over HTTP: its own state
// changes publish the events, its `/v1/tokens/verify` answers the online checks.
let server: TestServer;
let client: Grantex;
let url: string;

beforeAll(async () => {
  // A short keepalive: a stream's headers reach the client with its first keepalive or event.
  server = createTestServer({ eventKeepaliveInterval: 50, rateLimits: false });
  url = await server.listen(0);
  client = new Grantex({ apiKey: server.sandboxApiKey, baseUrl: url, maxRetries: 0 });
});
afterAll(async () => {
  client.close();
  await server.close();
});

async function makeEnforcer(maxStaleness = 60_000): Promise<Enforcer> {
  return createEnforcer({
    jwks: await server.jwks(),
    issuer: server.issuer,
    developerId: server.sandboxDeveloperId,
    manifests: [MANIFEST],
    revocation: { mode: 'events', apiKey: server.sandboxApiKey, baseUrl: url, maxStaleness },
  });
}

let agents = 0;
/** A root grant for a fresh agent. */
async function grant(): Promise<{ grantToken: string; grantId: string; agentId: string }> {
  const agent = await client.agents.register({ name: `revocation-${++agents}`, scopes: ['tool:github:write'] });
  const request = await client.authorize({ agentId: agent.agentId, userId: 'user_revocation', scopes: ['tool:github:write'] });
  const { grantToken, grantId } = await client.tokens.exchange({ code: request.code!, agentId: agent.agentId });
  return { grantToken, grantId, agentId: agent.agentId };
}

async function delegate(parentGrantToken: string): Promise<{ grantToken: string; grantId: string }> {
  const sub = await client.agents.register({ name: `revocation-sub-${++agents}`, scopes: ['tool:github:write'] });
  return client.grants.delegate({ parentGrantToken, subAgentId: sub.agentId, scopes: ['tool:github:write'], expiresIn: '1h' });
}

const check = (enforcer: Enforcer, grantToken: string) => enforcer.check({ grantToken, connector: 'github', tool: 'create_issue' });

/**
 * The first check opens the enforcer's feed; once the server counts the connection, every event
 * it publishes reaches the enforcer.
 */
async function connected(enforcer: Enforcer, token: string): Promise<void> {
  expect((await check(enforcer, token)).code).toBe('ALLOWED');
  await until(() => server.eventConnections >= 1);
}

async function untilCode(enforcer: Enforcer, token: string, code: string): Promise<EnforcementDecision> {
  let decision!: EnforcementDecision;
  await until(async () => (decision = await check(enforcer, token)).code === code);
  return decision;
}

describe("revocation: { mode: 'events' } against the local Grantex", () => {
  it('denies TOKEN_REVOKED after grants.revoke, from the grant.revoked event', async () => {
    await using enforcer = await makeEnforcer();
    const { grantToken, grantId } = await grant();
    await connected(enforcer, grantToken);
    await client.grants.revoke(grantId);
    const denied = await untilCode(enforcer, grantToken, 'TOKEN_REVOKED');
    expect(denied.message).toBe(`Grant ${grantId} was revoked`);
  });

  it('follows the cascade of a revoked root to grants delegated 1, 2 and 3 levels below', async () => {
    await using enforcer = await makeEnforcer();
    const root = await grant();
    const chain = [root];
    for (let depth = 1; depth <= 3; depth++) chain.push({ ...(await delegate(chain[depth - 1]!.grantToken)), agentId: '' });
    expect(chain.map((link) => decodeGrantToken(link.grantToken).delegationDepth)).toEqual([0, 1, 2, 3]);
    await connected(enforcer, root.grantToken);
    for (const link of chain) expect((await check(enforcer, link.grantToken)).code).toBe('ALLOWED');
    await client.grants.revoke(root.grantId);
    for (const link of chain.slice(1)) {
      const denied = await untilCode(enforcer, link.grantToken, 'TOKEN_REVOKED');
      expect(denied.message).toBe(`The token's grant was delegated from grant ${root.grantId}, which was revoked`);
    }
  });

  it('catches a revocation made while the feed was down (dropEventConnections)', async () => {
    await using enforcer = await makeEnforcer();
    const { grantToken, grantId } = await grant();
    await connected(enforcer, grantToken);
    server.dropEventConnections();
    await client.grants.revoke(grantId);
    const denied = await untilCode(enforcer, grantToken, 'TOKEN_REVOKED');
    // Not from an event (it was published to no one): from the online re-check after the gap.
    expect(denied.message).toMatch(/no longer accepts this token/);
  });

  it('catches a per-token revocation (tokens.revoke publishes no event) once maxStaleness has passed', async () => {
    await using enforcer = await makeEnforcer(200);
    const { grantToken } = await grant();
    await connected(enforcer, grantToken);
    await client.tokens.revoke(decodeGrantToken(grantToken).tokenId);
    const denied = await untilCode(enforcer, grantToken, 'TOKEN_REVOKED');
    expect(denied.message).toMatch(/no longer accepts this token/);
  });
});
