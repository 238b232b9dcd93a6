// The state of one server and how it is wired: the store (replaced on reset), the clock and the
// signing key, the rate windows, the live event feed and webhook deliveries behind `emit`, and
// the URL the server is reached at (moved by `listen`). This is the ServerCore the routes see.
import { createClock, type ServerClock } from './clock.js';
import { createDeliveries, type Deliveries } from './deliveries.js';
import { iso, ulid } from './encoding.js';
import { EventBus } from './event-bus.js';
import type { ServerCore } from './http.js';
import { loopbackFetch } from './outbound.js';
import { RateLimiter } from './rate-limit.js';
import { remainingBudget } from './routes/budgets.js';
import type { ServerSettings } from './server-options.js';
import type { TestServerOptions } from './server-types.js';
import { createSigner } from './signer.js';
import { Store } from './store.js';

/** A server's state and the handles createServer needs beside the routes' ServerCore. */
export interface ServerRuntime {
  readonly core: ServerCore;
  readonly clock: ServerClock;
  readonly feed: EventBus;
  readonly deliveries: Deliveries;
  /** Forgets everything written: a fresh store and empty rate windows. */
  clear(): void;
  /** The server is now reached at `baseUrl` (after `listen`); tokens signed for it are accepted back. */
  moveTo(baseUrl: string): void;
}

export function createRuntime(options: TestServerOptions, settings: ServerSettings): ServerRuntime {
  const clock = createClock(options.clock);
  const signer = createSigner(clock.now());
  const rate = new RateLimiter(() => clock.ms(), options.rateLimits ?? true);
  let store = new Store();
  let baseUrl = settings.baseUrl;
  const issuers = new Set<string>();
  const feed = new EventBus(settings.keepaliveMs, settings.onUnexpectedError);
  const outbound = options.fetch ?? loopbackFetch;
  const deliveries = createDeliveries(() => store, clock, outbound, options.onWebhookDelivery);

  const core: ServerCore = {
    get store() {
      return store;
    },
    clock,
    signer,
    outbound,
    rate,
    maxDelegationDepth: settings.maxDelegationDepth,
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
    // The event bus wiring: recorded, sent to the live feed, then delivered to webhooks.
    async emit(developerId, type, data) {
      const now = clock.ms();
      const event = { id: `evt_${ulid(now)}`, type, createdAt: iso(now), data };
      store.events.push({ ...event, developerId, createdAt: now });
      feed.publish(developerId, event);
      await deliveries.dispatch(developerId, event, now);
    },
  };
  // The issuer in use from the start is accepted back even if `listen` changes the URL later.
  core.issuer();

  return {
    core,
    clock,
    feed,
    deliveries,
    clear() {
      store = new Store();
      rate.clear();
    },
    moveTo(url) {
      baseUrl = url;
      core.issuer();
    },
  };
}
