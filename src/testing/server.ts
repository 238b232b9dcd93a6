import { Hono } from 'hono';
import { GrantexConfigurationError, GrantexInvalidArgumentError } from '../errors.js';
import { signWebhookPayload } from '../webhooks/sign.js';
import { createClock, type TestClock, type TestClockOptions } from './clock.js';
import { DEFAULT_KEEPALIVE_MS, EventBus } from './event-bus.js';
import { eventSocketRoutes, type SocketUpgrade } from './event-socket.js';
import { eventStreamRoutes } from './event-stream.js';
import { iso, parseDuration, ulid, uuidV4 } from './encoding.js';
import { fallbackRoute, testingOperations } from './fallback.js';
import type { Route, ServerCore } from './http.js';
import { preflight, runNotFound, runRoute } from './pipeline.js';
import { RateLimiter } from './rate-limit.js';
import { accountRoutes, createDeveloper } from './routes/account.js';
import { agentRoutes } from './routes/agents.js';
import { auditRoutes } from './routes/audit.js';
import { authorizeRoutes } from './routes/authorize.js';
import { grantRoutes } from './routes/grants.js';
import { policyRoutes } from './routes/policies.js';
import { tokenRoutes } from './routes/tokens.js';
import { vaultRoutes } from './routes/vault.js';
import { WEBHOOK_EVENTS, webhookRoutes } from './routes/webhooks.js';
import { remainingBudget } from './routes/budgets.js';
import { extraRoutes } from './routes/index.js';
import { testCommerce, type TestCommerce } from './commerce/index.js';
import { createSigner, type RsaPublicJwk } from './signer.js';
import { Store, type DeliveryRecord, type LdapDirectory, type Plan } from './store.js';

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

/** The fields of routes not modelled above come from routes/index.ts; this is their order of precedence. */
const STATE_ROUTES: Route[] = [
  ...accountRoutes,
  ...agentRoutes,
  ...authorizeRoutes,
  ...tokenRoutes,
  ...grantRoutes,
  ...vaultRoutes,
  ...auditRoutes,
  ...policyRoutes,
  ...webhookRoutes,
  ...eventStreamRoutes,
  ...eventSocketRoutes,
  ...extraRoutes,
];

/** Static segments sort before parameters, so `/v1/policies/bundles` is tried before `/v1/policies/{id}`. */
function specificity(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment.startsWith('{') ? '\uffff' : segment))
    .join('/');
}

/**
 * Internal (not exported by the entry): which operations have state and which answer their spec
 * example, for the test suite and the docs.
 */
export function routeTable(): { method: string; path: string; auth: string; modelled: boolean }[] {
  const modelled = new Set(STATE_ROUTES.map((route) => `${route.method} ${route.path}`));
  return allRoutes().map((route) => ({ method: route.method, path: route.path, auth: route.auth, modelled: modelled.has(`${route.method} ${route.path}`) }));
}

/** True for `localhost`, `127.0.0.0/8` and `[::1]`: where a test's own servers listen. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** The default outbound fetch: the global one, for loopback destinations only. */
async function loopbackFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input);
  if (!isLoopbackHost(url.hostname)) {
    throw new TypeError(`the test server calls only loopback addresses by default, not ${url.host}; pass \`fetch\` to createTestServer to reach it`);
  }
  return globalThis.fetch(input, init);
}

/** Every route: the modelled ones, then a spec-example route for each other operation of the spec. */
function allRoutes(): Route[] {
  const routes = new Map<string, Route>();
  for (const route of STATE_ROUTES) routes.set(`${route.method} ${route.path}`, route);
  for (const operation of testingOperations) {
    const key = `${operation.method} ${operation.path}`;
    if (!routes.has(key)) routes.set(key, fallbackRoute(operation));
  }
  return [...routes.values()].sort((a, b) => {
    const [x, y] = [specificity(a.path), specificity(b.path)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

const deliveryView = (d: DeliveryRecord): TestWebhookDelivery =>
  Object.freeze({
    id: d.id,
    webhookId: d.webhookId,
    url: d.url,
    method: 'POST' as const,
    headers: Object.freeze({ ...d.headers }),
    body: d.body,
    event: Object.freeze(JSON.parse(d.body) as TestWebhookEvent),
    status: d.status,
    attempts: d.attempts,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt === null ? null : iso(d.nextAttemptAt),
    createdAt: iso(d.createdAt),
  });

function isResponseLike(value: unknown): value is { ok: boolean; status: number } {
  return typeof value === 'object' && value !== null && typeof (value as Response).status === 'number' && typeof (value as Response).ok === 'boolean';
}

const API_KEY_SHAPE = /^\S{16,512}$/;
const MAX_DELIVERY_ATTEMPTS = 5;
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * Starts an HTTP server for `handle` and resolves once it listens (src/testing/node-listen.ts).
 * Upgrade requests go to `upgrade` with a way to accept them; it resolves with the answer to send
 * when the request was not upgraded.
 */
export type StartNodeServer = (
  handle: (request: Request, env?: unknown) => Promise<Response>,
  port: number,
  hostname: string,
  upgrade: (request: Request, env: unknown, accept: SocketUpgrade | undefined) => Promise<Response>,
) => Promise<{ port: number; close(): Promise<void> }>;

/** Builds a test server; `startNode` serves it over HTTP (absent from the Workers and browser build). */
export function createServer(options: TestServerOptions, startNode: StartNodeServer | undefined): TestServer {
  for (const key of ['apiKey', 'sandboxApiKey'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || !API_KEY_SHAPE.test(value))) {
      throw new GrantexInvalidArgumentError(`${key} must be 16-512 characters without spaces`);
    }
  }
  if (options.apiKey !== undefined && options.apiKey === options.sandboxApiKey) {
    throw new GrantexInvalidArgumentError('apiKey and sandboxApiKey must differ');
  }
  const maxDelegationDepth = options.maxDelegationDepth ?? 3;
  if (!Number.isInteger(maxDelegationDepth) || maxDelegationDepth < 0) {
    throw new GrantexInvalidArgumentError('maxDelegationDepth must be a non-negative integer');
  }
  const keepaliveMs = options.eventKeepaliveInterval ?? DEFAULT_KEEPALIVE_MS;
  if (!Number.isInteger(keepaliveMs) || keepaliveMs < 1 || keepaliveMs > 2_147_483_647) {
    throw new GrantexInvalidArgumentError('eventKeepaliveInterval must be an integer number of milliseconds from 1 to 2147483647');
  }
  let baseUrl = (options.url ?? 'http://grantex.test').replace(/\/+$/, '');
  try {
    new URL(baseUrl);
  } catch {
    throw new GrantexInvalidArgumentError('url must be an absolute URL');
  }

  const clock = createClock(options.clock);
  const signer = createSigner(clock.now());
  const rate = new RateLimiter(() => clock.ms(), options.rateLimits ?? true);
  const onUnexpectedError = options.onUnexpectedError ?? ((error: unknown) => console.error('grantex test server:', error));
  let store = new Store();
  const issuers = new Set<string>();
  const feed = new EventBus(keepaliveMs, onUnexpectedError);

  /**
   * One delivery attempt: to `onWebhookDelivery` when given, else a POST to the webhook's URL through
   * the outbound fetch (10 s timeout). A failure is retried on the real schedule (5 attempts,
   * 30 s·2^n apart), counted on the server clock.
   */
  async function deliver(record: DeliveryRecord): Promise<void> {
    record.attempts++;
    record.nextAttemptAt = null;
    try {
      if (options.onWebhookDelivery) {
        const outcome = await options.onWebhookDelivery(deliveryView(record));
        if (isResponseLike(outcome) && !outcome.ok) throw new Error(`HTTP ${outcome.status}`);
      } else {
        const response = await core.outbound(record.url, { method: 'POST', headers: record.headers, body: record.body, redirect: 'manual', signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
        await response.body?.cancel();
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      }
      record.status = 'delivered';
      record.deliveredAt = clock.ms();
      record.lastError = null;
    } catch (error) {
      record.lastError = error instanceof Error ? error.message : String(error);
      const retry = record.attempts < MAX_DELIVERY_ATTEMPTS;
      record.status = retry ? 'pending' : 'failed';
      if (retry) record.nextAttemptAt = clock.ms() + 30_000 * 2 ** (record.attempts - 1);
    }
  }

  /** Runs the retries that have come due on the server clock, oldest first. */
  async function deliverDue(): Promise<void> {
    const now = clock.ms();
    for (const record of store.deliveries) {
      if (record.status === 'pending' && record.nextAttemptAt !== null && record.nextAttemptAt <= now) await deliver(record);
    }
  }

  const core: ServerCore = {
    get store() {
      return store;
    },
    clock,
    signer,
    outbound: options.fetch ?? loopbackFetch,
    rate,
    maxDelegationDepth,
    commerceEnabled: options.commerce === true,
    budgetOf: (grantId) => remainingBudget(store, grantId),
    feed,
    socketUpgrades: new WeakMap(),
    issuers,
    baseUrl: () => baseUrl,
    issuer() {
      const issuer = options.issuer ?? baseUrl;
      issuers.add(issuer);
      return issuer;
    },
    async emit(developerId, type, data) {
      const now = clock.ms();
      const event = { id: `evt_${ulid(now)}`, type, createdAt: iso(now), data };
      store.events.push({ ...event, developerId, createdAt: now });
      feed.publish(developerId, event);
      if (!WEBHOOK_EVENTS.includes(type)) return;
      const subscribed = [...store.webhooks.values()]
        .filter((w) => w.developerId === developerId && w.events.includes(type))
        .sort((a, b) => a.seq - b.seq);
      for (const webhook of subscribed) {
        const body = JSON.stringify(event);
        const signature = await signWebhookPayload({ payload: body, secret: webhook.secret, timestamp: Math.floor(now / 1000) });
        const record: DeliveryRecord = {
          id: `whd_${ulid(now)}`,
          webhookId: webhook.id,
          developerId,
          eventId: event.id,
          eventType: type,
          url: webhook.url,
          body,
          headers: { 'Content-Type': 'application/json', 'User-Agent': 'Grantex-Webhooks/0.1', ...signature },
          status: 'pending',
          attempts: 0,
          lastError: null,
          createdAt: now,
          deliveredAt: null,
          nextAttemptAt: null,
          seq: store.nextSeq(),
        };
        store.deliveries.push(record);
        await deliver(record);
      }
    },
  };
  // The issuer in use from the start is accepted back even if `listen` changes the URL later.
  core.issuer();

  const seeded = { live: { developerId: '', apiKey: options.apiKey }, sandbox: { developerId: '', apiKey: options.sandboxApiKey } };
  function seed(): void {
    const now = clock.ms();
    const live = createDeveloper(store, now, {
      name: 'Test Developer',
      mode: 'live',
      plan: options.plan ?? 'free',
      ...(seeded.live.apiKey ? { apiKey: seeded.live.apiKey } : {}),
      ...(seeded.live.developerId ? { developerId: seeded.live.developerId } : {}),
    });
    const sandbox = createDeveloper(store, now, {
      name: 'Test Sandbox Developer',
      mode: 'sandbox',
      plan: options.plan ?? 'free',
      ...(seeded.sandbox.apiKey ? { apiKey: seeded.sandbox.apiKey } : {}),
      ...(seeded.sandbox.developerId ? { developerId: seeded.sandbox.developerId } : {}),
    });
    seeded.live = { developerId: live.developerId, apiKey: live.apiKey };
    seeded.sandbox = { developerId: sandbox.developerId, apiKey: sandbox.apiKey };
  }
  seed();
  const currentKey = (developerId: string) => store.developers.get(developerId)?.apiKey ?? '';

  const app = new Hono();
  for (const route of allRoutes()) {
    const path = route.path.replace(/\{([^}]+)\}/g, ':$1');
    app.on(route.method, path, (c) => runRoute(core, { onUnexpectedError }, route, c.req.raw, c.req.param() as Record<string, string>, ipOf(c.env)));
  }
  app.notFound((c) => runNotFound(core, c.req.raw, ipOf(c.env)));
  app.onError((error, c) => {
    onUnexpectedError(error);
    return c.json({ message: 'An unexpected error occurred', code: 'INTERNAL_ERROR', requestId: uuidV4() }, 500);
  });

  const handle = async (request: Request, env?: unknown): Promise<Response> => {
    if (request.method === 'OPTIONS') return preflight(request);
    // Retries due on the server clock go out before the next request is answered.
    await deliverDue();
    return app.fetch(request, env);
  };

  // An upgrade request runs through the routes like any other; only the socket route accepts it.
  const upgrade = (request: Request, env: unknown, accept: SocketUpgrade | undefined): Promise<Response> => {
    if (accept) core.socketUpgrades.set(request, accept);
    return handle(request, env);
  };

  let listening: { close(): Promise<void> } | undefined;

  const server: TestServer = {
    fetch: (input, init) => handle(input instanceof Request && init === undefined ? input : new Request(input, init)),
    get url() {
      return baseUrl;
    },
    get issuer() {
      return options.issuer ?? baseUrl;
    },
    get apiKey() {
      return currentKey(seeded.live.developerId);
    },
    get sandboxApiKey() {
      return currentKey(seeded.sandbox.developerId);
    },
    get developerId() {
      return seeded.live.developerId;
    },
    get sandboxDeveloperId() {
      return seeded.sandbox.developerId;
    },
    clock,
    dns: {
      publish(name, value) {
        if (typeof name !== 'string' || name.length === 0) throw new GrantexInvalidArgumentError('name must be a DNS name');
        const values = typeof value === 'string' ? [value] : value;
        if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) throw new GrantexInvalidArgumentError('value must be a string or an array of strings');
        const key = name.toLowerCase().replace(/\.$/, '');
        store.dnsTxt.set(key, [...(store.dnsTxt.get(key) ?? []), ...values]);
      },
      unpublish(name) {
        if (name === undefined) store.dnsTxt.clear();
        else store.dnsTxt.delete(name.toLowerCase().replace(/\.$/, ''));
      },
    },
    ldap: {
      serve(ldapUrl, directory) {
        const valid =
          typeof ldapUrl === 'string' && /^ldaps?:\/\//i.test(ldapUrl) && typeof directory?.bindDn === 'string' && typeof directory.bindPassword === 'string' && Array.isArray(directory.users) &&
          directory.users.every((u) => typeof u?.username === 'string' && typeof u.password === 'string' && typeof u.dn === 'string');
        if (!valid) throw new GrantexInvalidArgumentError('ldap.serve needs an ldap:// URL and {bindDn, bindPassword, users: [{username, password, dn}]}');
        store.ldapDirectories.set(ldapUrl, structuredClone(directory));
      },
      stop(ldapUrl) {
        if (ldapUrl === undefined) store.ldapDirectories.clear();
        else store.ldapDirectories.delete(ldapUrl);
      },
    },
    billing: {
      complete(checkoutUrl) {
        const id = typeof checkoutUrl === 'string' ? checkoutUrl.slice(checkoutUrl.lastIndexOf('/') + 1) : '';
        const checkout = store.checkouts.get(id);
        const developer = checkout && store.developers.get(checkout.developerId);
        if (!checkout || !developer) throw new GrantexInvalidArgumentError('checkoutUrl is not a checkout of this test server');
        developer.plan = checkout.plan;
        store.subscriptions.set(developer.developerId, { plan: checkout.plan, status: 'active', currentPeriodEnd: clock.ms() + 30 * 86_400_000 });
        store.checkouts.delete(id);
      },
      cancel(developerId = seeded.live.developerId) {
        const developer = store.developers.get(developerId);
        if (!developer) throw new GrantexInvalidArgumentError('developerId is not a developer of this test server');
        developer.plan = 'free';
        store.subscriptions.set(developerId, { plan: 'free', status: 'canceled', currentPeriodEnd: null });
      },
    },
    get deliveries() {
      return Object.freeze(store.deliveries.map(deliveryView));
    },
    deliverDue,
    jwks: async () => ({ keys: [await signer.jwk()] }),
    commerce: testCommerce(() => store.commerce, () => clock.ms()),
    async mintGrantToken(claims = {}) {
      const { expiresIn, ...rest } = claims;
      const now = clock.ms();
      const iat = rest.iat ?? Math.floor(now / 1000);
      let lifetime = 3600;
      if (expiresIn !== undefined) {
        const ms = typeof expiresIn === 'number' ? expiresIn * 1000 : parseDuration(expiresIn);
        if (ms === undefined || !Number.isFinite(ms)) throw new GrantexInvalidArgumentError('expiresIn must be seconds or a duration such as "15m"');
        lifetime = Math.floor(ms / 1000);
      }
      const payload = {
        agt: `did:grantex:ag_${ulid(now)}`,
        dev: seeded.live.developerId,
        scp: [] as readonly string[],
        grnt: `grnt_${ulid(now)}`,
        iss: core.issuer(),
        sub: 'user_test',
        jti: `tok_${ulid(now)}`,
        ...rest,
        iat,
        exp: rest.exp ?? iat + lifetime,
      };
      if (typeof payload.iss === 'string') issuers.add(payload.iss);
      return signer.sign(payload);
    },
    async listen(port = 0, host = '127.0.0.1') {
      if (listening) throw new GrantexConfigurationError('The test server is already listening; close() it first');
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new GrantexInvalidArgumentError('port must be an integer from 0 to 65535');
      if (!startNode) {
        throw new GrantexConfigurationError('listen() is not part of this build of @grantex/sdk/testing (Workers, browsers): serve server.fetch with the runtime\'s own server');
      }
      const started = await startNode(handle, port, host, upgrade);
      listening = started;
      const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
      baseUrl = `http://${shownHost}:${started.port}`;
      core.issuer();
      return baseUrl;
    },
    get eventConnections() {
      return feed.count();
    },
    dropEventConnections: () => feed.dropAll(),
    async close() {
      feed.dropAll();
      const current = listening;
      listening = undefined;
      await current?.close();
    },
    reset() {
      store = new Store();
      rate.clear();
      seed();
    },
  };
  const dispose = (Symbol as { asyncDispose?: symbol }).asyncDispose;
  if (dispose) Object.defineProperty(server, dispose, { value: () => server.close() });
  return server;
}

/** The client address when served by `listen` (Node bindings), else one shared key. */
function ipOf(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}
