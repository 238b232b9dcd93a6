/**
 * The credentials an authorized fetch holds, per grant token: exchanged on first use, kept until
 * their expiry (or five minutes when they have none), one exchange in flight per grant token, and
 * replaced once the upstream has refused one. Nothing here is reachable from outside the closure
 * of one authorized fetch.
 */
import type { Exchange } from './exchange.js';

/** A credential and the instant (epoch ms) from which it is no longer used. */
export interface Held {
  readonly value: string;
  readonly until: number;
}

interface Slot {
  pending: Promise<Held> | undefined;
  held: Held | undefined;
}

/** How long a credential without an expiry is kept. */
export const DEFAULT_LIFETIME_MS = 5 * 60 * 1000;
/** Grant tokens whose credentials are kept at once; the least recently used one is dropped first. */
export const MAX_GRANT_TOKENS = 100;

export class CredentialCache {
  readonly #slots = new Map<string, Slot>();
  readonly #exchange: Exchange;
  readonly #now: () => number;

  constructor(exchange: Exchange, now: () => number) {
    this.#exchange = exchange;
    this.#now = now;
  }

  /** The credential for `grantToken`: the cached one while valid, else the one being exchanged, else a new exchange. */
  get(grantToken: string): Promise<Held> {
    const slot = this.#touch(grantToken);
    if (slot?.pending) return slot.pending;
    // Negated so that a clock that reads NaN never keeps a credential.
    if (slot?.held && this.#now() < slot.held.until) return Promise.resolve(slot.held);
    return this.#start(grantToken);
  }

  /**
   * A replacement for `stale`, which the upstream refused. Callers that were refused with the same
   * credential share one exchange; one that already has a newer credential gets it.
   */
  renew(grantToken: string, stale: Held): Promise<Held> {
    const slot = this.#touch(grantToken);
    if (slot?.pending) return slot.pending;
    if (slot?.held && slot.held !== stale && this.#now() < slot.held.until) return Promise.resolve(slot.held);
    return this.#start(grantToken);
  }

  #touch(grantToken: string): Slot | undefined {
    const slot = this.#slots.get(grantToken);
    if (slot) {
      this.#slots.delete(grantToken);
      this.#slots.set(grantToken, slot);
    }
    return slot;
  }

  #start(grantToken: string): Promise<Held> {
    const slot: Slot = { pending: undefined, held: undefined };
    this.#slots.delete(grantToken);
    this.#slots.set(grantToken, slot);
    if (this.#slots.size > MAX_GRANT_TOKENS) this.#slots.delete(this.#slots.keys().next().value!);
    const current = () => this.#slots.get(grantToken) === slot;
    slot.pending = this.#exchange(grantToken).then(
      ({ accessToken, tokenExpiresAt }) => {
        const now = this.#now();
        const held = { value: accessToken, until: tokenExpiresAt ? Date.parse(tokenExpiresAt) : now + DEFAULT_LIFETIME_MS };
        if (current()) {
          slot.held = held;
          slot.pending = undefined;
        }
        return held;
      },
      (error: unknown) => {
        // A refusal is not remembered: the next call asks again (the grant may have been renewed).
        if (current()) this.#slots.delete(grantToken);
        throw error;
      },
    );
    return slot.pending;
  }
}
