// Fixed-window counters on the server clock, as the real server keeps them: a per-IP bucket before
// authentication and a per-developer plan bucket after it. `X-RateLimit-Reset` is the number of
// seconds until the window ends, not an epoch.

export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Whole seconds until the window resets (at least 1). */
  readonly resetSeconds: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly now: () => number,
    /** When false, requests are counted for the headers but never refused. */
    private readonly enforce: boolean,
  ) {}

  take(key: string, limit: number, windowMs = 60_000): RateDecision {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now >= window.start + windowMs || now < window.start) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    const resetSeconds = Math.max(1, Math.ceil((window.start + windowMs - now) / 1000));
    if (window.count >= limit && this.enforce) return { allowed: false, limit, remaining: 0, resetSeconds };
    window.count++;
    return { allowed: true, limit, remaining: Math.max(0, limit - window.count), resetSeconds };
  }

  clear(): void {
    this.windows.clear();
  }
}

export function rateHeaders(decision: RateDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(decision.resetSeconds),
    ...(decision.allowed ? {} : { 'Retry-After': String(decision.resetSeconds) }),
  };
}
