/**
 * The exponential part of every retry wait the SDK computes (the client's request retries and the
 * event streams' reconnects): each one decides its own jitter on top of it.
 */

/**
 * `initial`·2^(attempt−1), capped at `max`; `attempt` is 1-based. The exponent stops growing at
 * 31, where any cap in use is long reached, so a large attempt count never overflows to Infinity.
 */
export function backoffCeiling(initial: number, max: number, attempt: number): number {
  return Math.min(max, initial * 2 ** Math.min(Math.max(attempt - 1, 0), 31));
}
