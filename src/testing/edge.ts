/**
 * `@grantex/sdk/testing` for Workers and browsers: the same in-memory server as the Node build,
 * without `listen()` (which needs `node:http`). Serve `server.fetch` with the runtime's own server,
 * or pass it to the SDK as its `fetch`. Package.json maps the `workerd`, `worker` and `browser`
 * conditions here.
 *
 * @example
 * ```ts
 * import { createTestServer } from '@grantex/sdk/testing';
 *
 * let server: ReturnType<typeof createTestServer> | undefined;
 * export default {
 *   // Created inside a request: Workers allow crypto and random values only there.
 *   fetch: (request: Request) => (server ??= createTestServer()).fetch(request),
 * };
 * ```
 *
 * @module @grantex/sdk/testing
 */
import { createServer, type TestServer, type TestServerOptions } from './server.js';

/**
 * Creates an in-memory Grantex server for tests and local development: real RS256 grant tokens
 * signed with a per-server key, real consent, PKCE, refresh rotation, delegation, revocation,
 * vault, audit hash chain, credentials with status lists, WebAuthn, SSO logins and signed webhook
 * deliveries; every operation answers from the server's state, as the real server does. The outside
 * world is switched by the test (`server.billing`, `server.dns`, `server.ldap`, the `fetch` option). This build has no `listen()`: it is for Workers and browsers, where
 * `server.fetch` is served by the runtime or passed to the SDK as its `fetch`.
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
  return createServer(options, undefined);
}

export type { TestServer, TestServerOptions, TestWebhookDelivery, TestWebhookEvent, MintGrantTokenClaims, TestDns, TestBilling, TestLdap } from './server.js';
export type { LdapDirectory, LdapUser } from './store.js';
export type { TestClock, TestClockOptions } from './clock.js';
export type { RsaPublicJwk } from './signer.js';
export { createSoftwareAuthenticator } from './authenticator.js';
export type { SoftwareAuthenticator, SoftwareRegistrationResponse, SoftwareAssertionResponse } from './authenticator.js';
