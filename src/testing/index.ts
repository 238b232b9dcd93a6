/**
 * A local Grantex for tests and development: `createTestServer()` returns an in-memory server with
 * real semantics for the authorization flows (real RS256 grant tokens, consent, PKCE, refresh
 * rotation, delegation, cascading revocation, vault, audit hash chain, signed webhooks) that is a
 * plain fetch handler, so it runs on every runtime. On Node, `listen()` serves it over HTTP.
 *
 * This entry is loaded by nothing else in the SDK. Workers and browsers resolve a build without
 * `listen()` (src/testing/edge.ts), so that bundlers for them never meet `node:http`.
 *
 * @example
 * ```ts
 * import { Grantex } from '@grantex/sdk';
 * import { createTestServer } from '@grantex/sdk/testing';
 *
 * const server = createTestServer();
 * const client = new Grantex({ apiKey: server.apiKey, baseUrl: server.url, fetch: server.fetch });
 * ```
 *
 * @module @grantex/sdk/testing
 */
import { startNodeServer } from './node-listen.js';
import { createServer, type TestServer, type TestServerOptions } from './server.js';

/**
 * Creates an in-memory Grantex server for tests and local development: real RS256 grant tokens
 * signed with a per-server key, real consent, PKCE, refresh rotation, delegation, revocation,
 * vault, audit hash chain, credentials with status lists, WebAuthn, SSO logins and signed webhook
 * deliveries; every operation answers from the server's state, as the real server does. The outside
 * world is switched by the test (`server.billing`, `server.dns`, `server.ldap`, the `fetch` option). It is a fetch handler, so it runs on Node, Deno, Bun, Workers and browsers.
 *
 * Two developers exist from the start: a live one (`server.apiKey`) whose authorization requests
 * wait for the principal's consent, and a sandbox one (`server.sandboxApiKey`) whose requests are
 * approved at once. `POST /v1/signup` creates more.
 *
 * @example
 * ```ts
 * import { Grantex } from '@grantex/sdk';
 * import { createTestServer } from '@grantex/sdk/testing';
 *
 * const server = createTestServer();
 * const client = new Grantex({ apiKey: server.sandboxApiKey, baseUrl: server.url, fetch: server.fetch });
 * const agent = await client.agents.register({ name: 'tester', scopes: ['files:read'] });
 * const request = await client.authorize({ agentId: agent.agentId, userId: 'user_1', scopes: ['files:read'] });
 * const { grantToken } = await client.tokens.exchange({ code: request.code!, agentId: agent.agentId });
 * ```
 */
export function createTestServer(options: TestServerOptions = {}): TestServer {
  return createServer(options, startNodeServer);
}

export type { TestServer, TestServerOptions, TestWebhookDelivery, TestWebhookEvent, MintGrantTokenClaims, TestDns, TestBilling, TestLdap } from './server.js';
export type { LdapDirectory, LdapUser } from './store.js';
export type { TestClock, TestClockOptions } from './clock.js';
export type { RsaPublicJwk } from './signer.js';
export { createSoftwareAuthenticator } from './authenticator.js';
export type { SoftwareAuthenticator, SoftwareRegistrationResponse, SoftwareAssertionResponse } from './authenticator.js';
