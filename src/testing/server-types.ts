// The public types of `@grantex/sdk/testing`: the server, its options, and what it hands to a
// test (webhook deliveries, grant-token claims, the DNS, billing and LDAP controls).
import type { TestClock, TestClockOptions } from './clock.js';
import type { TestCommerce } from './commerce/index.js';
import type { RsaPublicJwk } from './signer.js';
import type { LdapDirectory, Plan } from './store.js';

/** The event a webhook delivery carries (its body, parsed). */
export interface TestWebhookEvent {
  readonly id: string;
  readonly type: string;
  readonly createdAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * One webhook delivery, signed exactly as the real server signs it: `X-Grantex-Signature` (HMAC of
 * the body), `X-Grantex-Timestamp` and `X-Grantex-Signature-V2` (HMAC of `"<timestamp>.<body>"`),
 * both keyed with the webhook's `secret`. `url`, `method`, `headers` and `body` are a ready
 * `fetch` request, should a test want to forward it.
 */
export interface TestWebhookDelivery {
  /** The delivery id (`whd_…`), as in `GET /v1/webhooks/{id}/deliveries`. */
  readonly id: string;
  readonly webhookId: string;
  /** The subscription's URL, where the server POSTs the delivery (unless `onWebhookDelivery` takes it). */
  readonly url: string;
  readonly method: 'POST';
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body, exactly as signed. */
  readonly body: string;
  readonly event: TestWebhookEvent;
  /**
   * `delivered` after a 2xx answer; `pending` while a failed delivery has attempts left; `failed`
   * after the fifth failed attempt.
   */
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly lastError: string | null;
  /** When the next attempt is due on the server clock (30 s·2^n after a failure), or null. */
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
}

/**
 * Claims for {@link TestServer.mintGrantToken}, with the wire names of a grant token. Every claim
 * has a default; `expiresIn` (an API duration or seconds) sets `exp` from `iat`.
 */
export interface MintGrantTokenClaims {
  /** The principal (default `"user_test"`). */
  sub?: string | undefined;
  /** The agent DID (default a fresh `did:grantex:ag_…`). */
  agt?: string | undefined;
  /** The developer (default the live developer of the server). */
  dev?: string | undefined;
  /** The scopes (default none). */
  scp?: readonly string[] | undefined;
  /** The token id (default a fresh `tok_…`). */
  jti?: string | undefined;
  /** The grant id (default a fresh `grnt_…`). */
  grnt?: string | undefined;
  /** Issued at, Unix seconds (default the server clock). */
  iat?: number | undefined;
  /** Expiry, Unix seconds (default `iat` + 1 hour, or `iat` + `expiresIn`). */
  exp?: number | undefined;
  /** Lifetime instead of `exp`: seconds, or a duration such as `"15m"`. */
  expiresIn?: number | string | undefined;
  /** The audience; absent unless given. */
  aud?: string | undefined;
  /** The issuer (default the server's issuer). */
  iss?: string | undefined;
  parentAgt?: string | undefined;
  parentGrnt?: string | undefined;
  delegationDepth?: number | undefined;
  bdg?: number | undefined;
  /** Any other claim to include. */
  [claim: string]: unknown;
}

/**
 * The DNS that the test server's verifications read (custom domains, trust-registry orgs). Nothing
 * is published by default, so a verification fails until the test publishes the TXT record the
 * real server would look up.
 *
 * @example
 * ```ts
 * const domain = await client.domains.create({ domain: 'auth.example.com' });
 * server.dns.publish('_grantex.auth.example.com', domain.verificationToken);
 * await client.domains.verify(domain.id); // { verified: true, … }
 * ```
 */
export interface TestDns {
  /** Publishes TXT values at `name` (such as `_grantex.auth.example.com`), beside any already there. */
  publish(name: string, value: string | readonly string[]): void;
  /** Removes the TXT records at `name`, or every record when no name is given. */
  unpublish(name?: string): void;
}

/**
 * Stripe, as the test server sees it: a checkout changes nothing until the test completes it,
 * as a paying customer would; cancelling returns the developer to the free plan.
 *
 * @example
 * ```ts
 * const { checkoutUrl } = await client.billing.checkout({ plan: 'enterprise', successUrl, cancelUrl });
 * server.billing.complete(checkoutUrl);
 * await client.billing.subscription(); // { plan: 'enterprise', status: 'active', … }
 * ```
 */
export interface TestBilling {
  /**
   * Completes a checkout by its `checkoutUrl`: the developer who began it moves to its plan, with an
   * active subscription for 30 days. Throws `INVALID_ARGUMENT` for a URL this server did not issue.
   */
  complete(checkoutUrl: string): void;
  /** Cancels a developer's subscription (default: the live developer): plan `free`, status `canceled`. */
  cancel(developerId?: string): void;
}

/**
 * LDAP directories for the SSO connections' logins and tests: the test server speaks no LDAP, so a
 * connection's `ldapUrl` reaches the directory served here under that URL, or nothing.
 *
 * @example
 * ```ts
 * server.ldap.serve('ldap://ldap.example.com', {
 *   bindDn: 'cn=grantex,dc=example,dc=com',
 *   bindPassword: 'bind-secret',
 *   users: [{ username: 'carol', password: 'c0rrect', dn: 'uid=carol,dc=example,dc=com', groups: ['Engineering'] }],
 * });
 * ```
 */
export interface TestLdap {
  /** Serves a directory at `ldapUrl`, replacing any served there before. */
  serve(ldapUrl: string, directory: LdapDirectory): void;
  /** Stops serving the directory at `ldapUrl`, or every directory when no URL is given. */
  stop(ldapUrl?: string): void;
}

/**
 * Options of {@link createTestServer}. All are optional.
 *
 * @example
 * ```ts
 * const server = createTestServer({
 *   clock: { start: '2026-01-01T00:00:00Z', frozen: true },
 *   onWebhookDelivery: (delivery) => received.push(delivery.event),
 * });
 * ```
 */
export interface TestServerOptions {
  /**
   * The server's base URL until `listen` gives it a real one (default `http://grantex.test`, a name
   * that never resolves). It appears in `consentUrl`s and, unless `issuer` is set, as the `iss` of
   * every token.
   */
  url?: string | undefined;
  /** A fixed `iss` for every token (default: the server's URL at the time of signing). */
  issuer?: string | undefined;
  /** A fixed live API key (16-512 characters, no spaces) instead of a random `gx_live_…` one. */
  apiKey?: string | undefined;
  /** A fixed sandbox API key instead of a random `gx_test_…` one. */
  sandboxApiKey?: string | undefined;
  /** The plan of the two built-in developers, which sets their rate and count limits (default `free`). */
  plan?: Plan | undefined;
  /** Where the clock starts and whether it runs by itself. */
  clock?: TestClockOptions | undefined;
  /**
   * Refuse requests over the real limits with 429 (default true). When false the limits are still
   * counted and reported in the `X-RateLimit-*` headers, but nothing is refused.
   */
  rateLimits?: boolean | undefined;
  /** The longest delegation chain (default 3, as the real server). */
  maxDelegationDepth?: number | undefined;
  /**
   * Takes each webhook delivery attempt in place of the POST to the webhook's URL, in order, before
   * the request that caused it is answered. Return (or resolve) a non-2xx `Response`, or throw, to
   * make the attempt fail; it is then retried as the real server retries.
   */
  onWebhookDelivery?: ((delivery: TestWebhookDelivery) => unknown) | undefined;
  /**
   * The fetch the server uses for its own outbound calls: webhook deliveries to their URLs, OIDC
   * discovery and token exchange with an SSO connection's identity provider. Pass a fetch handler
   * of a test endpoint or IdP to keep everything in memory. By default the global `fetch` is used
   * for loopback addresses only (`localhost`, `127.0.0.0/8`, `[::1]`), where a test's own endpoints
   * listen; a call elsewhere fails like an unreachable host, so a test suite never reaches the
   * internet by accident. Pass `fetch: globalThis.fetch` to allow every address.
   */
  fetch?: ((input: string | URL | Request, init?: RequestInit) => Promise<Response>) | undefined;
  /** Called with errors the server did not expect; they answer 500. Default: `console.error`. */
  onUnexpectedError?: ((error: unknown) => void) | undefined;
  /**
   * Milliseconds between the `: keepalive` comments of each live event stream and the pings of
   * each event socket (default 30 000, as the real server). A stream's status and headers reach
   * the client with its first event or keepalive, so a short interval makes a quiet stream open
   * sooner in tests. An integer from 1 to 2 147 483 647.
   */
  eventKeepaliveInterval?: number | undefined;
  /**
   * Serve agentic commerce (`/v1/commerce/*`, discovery and MCP). Off by default, as on a real
   * deployment: every commerce route then answers 503 `commerce_disabled`.
   */
  commerce?: boolean | undefined;
}

/**
 * An in-memory Grantex server. `fetch` is a standard fetch handler, so it runs on every runtime
 * and plugs into the SDK as its `fetch`; on Node, `listen` also serves it over HTTP.
 *
 * @example
 * ```ts
 * const server = createTestServer();
 * const client = new Grantex({ apiKey: server.apiKey, baseUrl: server.url, fetch: server.fetch });
 * const agent = await client.agents.register({ name: 'tester', scopes: ['files:read'] });
 * ```
 */
export interface TestServer {
  /**
   * Answers one request. Takes a `Request` (fetch-handler style, e.g. a Worker's `fetch`) or
   * `fetch`'s own arguments, so it can be passed wherever a `fetch` function is expected.
   */
  readonly fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** The base URL: `http://grantex.test` (or the `url` option) until `listen` binds a real one. */
  readonly url: string;
  /** The issuer the server currently signs with (`iss`). */
  readonly issuer: string;
  /** The live key of the built-in live developer; authorization requests wait for consent. */
  readonly apiKey: string;
  /** The key of the built-in sandbox developer; authorization requests are approved at once. */
  readonly sandboxApiKey: string;
  /** The built-in live developer's id (the `dev` claim of its tokens). */
  readonly developerId: string;
  /** The built-in sandbox developer's id. */
  readonly sandboxDeveloperId: string;
  /** The server's clock; move it to test expiry. */
  readonly clock: TestClock;
  /** TXT records for the DNS checks of domains and the trust registry. */
  readonly dns: TestDns;
  /** Completes or cancels checkouts, in place of Stripe. */
  readonly billing: TestBilling;
  /** LDAP directories for SSO logins. */
  readonly ldap: TestLdap;
  /**
   * Runs the webhook retries that have come due on the server clock (any request does too): after
   * `clock.advance('30s')`, the first retry of a failed delivery.
   */
  deliverDue(): Promise<void>;
  /** Every webhook delivery so far, oldest first (a snapshot). */
  readonly deliveries: readonly TestWebhookDelivery[];
  /** The public signing keys, as `/.well-known/jwks.json` serves them (for offline verifiers). */
  jwks(): Promise<{ keys: RsaPublicJwk[] }>;
  /** Commerce steps no API offers: merchant keys, the user's consent, the provider settling a payment. */
  readonly commerce: TestCommerce;
  /**
   * Signs a grant token with the server's key, for testing a resource server. The token verifies
   * offline against the server's JWKS; the server itself does not know it, so online verification
   * reports it as unknown.
   */
  mintGrantToken(claims?: MintGrantTokenClaims): Promise<string>;
  /**
   * Serves the server over HTTP with Hono's Node adapter (Node, and runtimes with `node:http`).
   * `port` 0 (the default) picks a free port; `host` defaults to `127.0.0.1`. Resolves with the
   * URL, which becomes `server.url`. The Workers and browser build rejects with
   * `CONFIGURATION_ERROR`.
   */
  listen(port?: number, host?: string): Promise<string>;
  /** Ends every live event connection and stops serving over HTTP (if `listen` was called). */
  close(): Promise<void>;
  /** How many live event connections (SSE streams and sockets, of every developer) are open now. */
  readonly eventConnections: number;
  /**
   * Ends every open live event connection from the server's side, as a network drop or a server
   * restart would: SSE streams end, sockets close with code 1001. Events published afterwards
   * reach only the connections opened afterwards (the feed keeps no history), so a client that
   * reconnects has missed whatever happened in between. Answers how many connections were open.
   *
   * @example
   * ```ts
   * const server = createTestServer({ eventKeepaliveInterval: 1000 });
   * const client = new Grantex({ apiKey: server.apiKey, baseUrl: server.url, fetch: server.fetch });
   * const gaps: EventGapNotice[] = [];
   * const stream = client.events.stream({ onGap: (notice) => gaps.push(notice) });
   * // … once the stream is connected (server.eventConnections === 1):
   * server.dropEventConnections(); // the stream reconnects and reports a gap
   * ```
   */
  dropEventConnections(): number;
  /**
   * Forgets everything written since creation: developers created by signup, agents, grants,
   * tokens, vault, audit, webhooks, deliveries and rate-limit windows. Keeps the built-in
   * developers with their current API keys, the signing key, the URL and the clock. Open live
   * event connections stay open (use `dropEventConnections` to end them).
   */
  reset(): void;
}
