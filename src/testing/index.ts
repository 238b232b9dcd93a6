/**
 * A local Grantex for tests and development: `createTestServer()` returns an in-memory server with
 * real semantics for the authorization flows (real RS256 grant tokens, consent, PKCE, refresh
 * rotation, delegation, cascading revocation, vault, audit hash chain, signed webhooks) that is a
 * plain fetch handler, so it runs on every runtime. On Node, `listen()` serves it over HTTP.
 *
 * This entry is loaded by nothing else in the SDK.
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
export {
  createTestServer,
  type TestServer,
  type TestServerOptions,
  type TestWebhookDelivery,
  type TestWebhookEvent,
  type MintGrantTokenClaims,
} from './server.js';
export type { TestClock, TestClockOptions } from './clock.js';
export type { RsaPublicJwk } from './signer.js';
