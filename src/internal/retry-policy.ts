/**
 * The retry policy of the client, and who carries out each part of it: one owner per job, chosen by
 * what each side can honour.
 *
 * - ky counts the attempts (`retry.limit`), refuses methods that may not be repeated (the method
 *   lists below) and runs the hooks: that is what it does well, and cheaply.
 * - The SDK decides each retry, in `retryDecision` below (ky's `shouldRetry`, whose true or false
 *   ky follows without consulting its own status list): the statuses below, a commerce error
 *   body's own verdict, `Retry-After` (refused with a `RateLimitError` the caller can see when
 *   longer than `maxRetryAfter`). It also waits (`sleep`, with the backoff of internal/backoff.ts
 *   and full jitter), because `close()` and the caller's signal must cut a wait short; ky's `delay`
 *   can do none of this, so it is 0.
 * - The SDK times each attempt (`attemptFetch` in attempt.ts): ky's timeout ends when the
 *   headers arrive, and the SDK's timeout also covers reading the body. That costs one
 *   AbortController per attempt (measured at 6-7 µs on Node 20, about 1 % of a local call); the
 *   same controller is what `close()` aborts.
 */
import { parseRetryAfter } from '../errors.js';
import { backoffCeiling } from './backoff.js';
import { commerceRetryVerdict } from './commerce.js';
import { isHTTPError } from './failure.js';

/** Methods ky may retry without an idempotency key: repeating them changes nothing on the server. */
export const SAFE_METHODS = ['get', 'put', 'head', 'delete', 'options', 'trace'];
/** With an idempotency key the server recognises a repeat, so writes may be retried too. */
export const ALL_METHODS = [...SAFE_METHODS, 'post', 'patch'];
/** Timeouts, rate limits and server errors: the answers a later attempt can change. */
export const RETRY_STATUS_CODES = [408, 429, 500, 502, 503, 504];
/** The ceiling of the first wait and of any wait (full jitter picks below it). */
export const FIRST_BACKOFF_MS = 500;
export const MAX_BACKOFF_MS = 8_000;

/** Waits `ms`, or less if either signal aborts first. */
export function sleep(ms: number, first: AbortSignal, second: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (first.aborted || second?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      first.removeEventListener('abort', done);
      second?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    first.addEventListener('abort', done);
    second?.addEventListener('abort', done);
  });
}

/**
 * ky's `shouldRetry` for a client: decides on a retry and waits for it. `Retry-After` on 429 and
 * 503 is honoured (refused at once when longer than `maxRetryAfterMs`, so the caller sees the
 * wait), otherwise exponential backoff with full jitter. The wait ends early when the client is
 * closed or the caller aborts; then no retry.
 */
export function retryDecision(
  closer: AbortSignal,
  maxRetryAfterMs: number,
  callerSignal: AbortSignal | undefined,
): (state: { error: Error; retryCount: number }) => Promise<boolean> {
  return async ({ error, retryCount }) => {
    if (closer.aborted || callerSignal?.aborted) return false;
    // Full jitter: spreads out the retries of many clients that failed at the same moment.
    let wait = Math.random() * backoffCeiling(FIRST_BACKOFF_MS, MAX_BACKOFF_MS, retryCount);
    if (isHTTPError(error)) {
      const { status, headers } = error.response;
      // A commerce error body says itself whether a repeat can succeed; without one, the status decides.
      const verdict = status >= 400 ? await commerceRetryVerdict(error.response) : undefined;
      if (verdict === false || (verdict === undefined && !RETRY_STATUS_CODES.includes(status))) return false;
      const retryAfter = status === 429 || status === 503 ? parseRetryAfter(headers.get('retry-after')) : undefined;
      if (retryAfter !== undefined) {
        if (retryAfter * 1000 > maxRetryAfterMs) return false;
        wait = retryAfter * 1000;
      }
    }
    await sleep(wait, closer, callerSignal);
    return !closer.aborted && !callerSignal?.aborted;
  };
}
