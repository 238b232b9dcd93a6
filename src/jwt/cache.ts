import type { CacheBounds } from './options.js';
import type { VerifiedGrant } from './types.js';

/** What a verified token leaves in the cache: enough to run the per-call checks again. */
export interface CachedToken {
  readonly claims: Readonly<Record<string, unknown>>;
  readonly grant: VerifiedGrant;
  /** Epoch milliseconds after which the entry is not used. */
  readonly until: number;
}

/**
 * A bounded LRU of verified tokens, keyed by the exact token string. A Map keeps insertion order,
 * so re-inserting on every hit makes its first key the least recently used one.
 */
export class TokenCache {
  readonly #entries = new Map<string, CachedToken>();
  readonly #bounds: CacheBounds;

  constructor(bounds: CacheBounds) {
    this.#bounds = bounds;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The entry for `token` if it is still valid at `now` (epoch ms); an expired one is dropped. */
  get(token: string, now: number): CachedToken | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    this.#entries.delete(token);
    // Negated so that a clock that reads NaN never makes an entry valid.
    if (!(now < entry.until)) return undefined;
    this.#entries.set(token, entry);
    return entry;
  }

  /** Remembers a token that verified at `now`, until its `exp` or `now + maxAgeMs`, whichever comes first. */
  set(token: string, claims: Record<string, unknown>, grant: VerifiedGrant, now: number): void {
    const until = Math.min((claims.exp as number) * 1000, now + this.#bounds.maxAgeMs);
    if (!(now < until)) return;
    this.#entries.delete(token);
    this.#entries.set(token, { claims, grant, until });
    if (this.#entries.size > this.#bounds.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
