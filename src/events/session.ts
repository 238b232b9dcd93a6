/**
 * The part both transports share: one async iterable over a series of connections, which
 * reconnects with backoff after a drop, tells the caller about the gap, and stops everything
 * (connection, timers, listeners) the moment the loop exits, `close()` is called or the caller's
 * signal aborts.
 */
import { GrantexAbortError, type GrantexError } from '../errors.js';
import { MAX_TIMER_DELAY, type StreamSettings } from './options.js';
import { backoffCeiling } from '../internal/backoff.js';
import type { EventGapNotice, EventGapReason, EventStream, GrantexEvent } from './types.js';

/** What a transport gets for one connection. */
export interface ConnectionContext {
  /** Aborted when the whole stream stops; the connection must then release everything at once. */
  readonly signal: AbortSignal;
  readonly settings: StreamSettings;
  /** Call once the connection is established (the point from which events flow again). */
  live(): void;
  /** Call with the reconnection time the server asked for (an SSE `retry:` field), in milliseconds. */
  retry(ms: number): void;
}

/** How one connection ended. */
export type ConnectionEnd =
  /** The stream was stopped (`close()`, abort, loop exit). */
  | { readonly kind: 'stopped' }
  /** A live connection ended without being asked to; `lastActivity` is when it last showed life (ms epoch). */
  | { readonly kind: 'dropped'; readonly reason: EventGapReason; readonly error: GrantexError; readonly lastActivity: number }
  /** The connection could not be established. */
  | { readonly kind: 'failed'; readonly error: GrantexError; readonly retryable: boolean; readonly retryAfterMs?: number | undefined };

/** One connection: yields its events, returns how it ended, throws only what must end the stream. */
export type Connect = (context: ConnectionContext) => AsyncGenerator<GrantexEvent, ConnectionEnd, undefined>;

/**
 * How many of the latest event ids a stream remembers to drop a repeated delivery (a server or
 * proxy that replays the tail of the feed after a reconnect, or sends one frame twice).
 *
 * @example
 * ```ts
 * // An event is delivered once, even when it arrives again within the next DUPLICATE_WINDOW events.
 * console.log(`duplicates dropped within ${DUPLICATE_WINDOW} events`);
 * ```
 */
export const DUPLICATE_WINDOW = 1_000;

/** Remembers the last `DUPLICATE_WINDOW` ids; `seen` answers whether an id came before and records it. */
function recentIds(): { seen(id: string): boolean } {
  const ids = new Set<string>();
  return {
    seen(id) {
      if (ids.has(id)) return true;
      ids.add(id);
      // A Set iterates in insertion order, so its first id is the oldest.
      if (ids.size > DUPLICATE_WINDOW) ids.delete(ids.values().next().value!);
      return false;
    },
  };
}

/**
 * Builds the stream. Nothing happens until the first `next()`: a stream that is never iterated
 * opens no connection and registers no listener.
 */
export function createEventStream(settings: StreamSettings, connect: Connect, lifetime?: AbortSignal): EventStream {
  const stopper = new AbortController();
  let callerAborted = false;
  const recent = recentIds();

  async function* run(): AsyncGenerator<GrantexEvent, void, undefined> {
    const signals = [settings.signal, lifetime].filter((signal) => signal !== undefined);
    if (stopper.signal.aborted) return;
    if (signals.some((signal) => signal.aborted)) throw new GrantexAbortError();
    const onAbort = (): void => {
      callerAborted = true;
      stopper.abort();
    };
    for (const signal of signals) signal.addEventListener('abort', onAbort, { once: true });
    try {
      // Whether a connection was live and then dropped: from then on the stream is kept alive.
      let dropped = false;
      let failures = 0;
      let gap: { since: Date; reason: EventGapReason } | undefined;
      // The gap last reported as closed, in case the "live" connection fails right away (a socket
      // the API accepts and then closes with 1013, a server that ends every stream at once): the
      // gap then goes on from the same moment.
      let closedGap: typeof gap;
      let liveAt = 0;
      // The reconnection time the server asked for with `retry:`, kept across connections.
      let serverRetry = 0;
      const live = (): void => {
        liveAt = Date.now();
        if (settings.onOpen) guarded('onOpen', settings.onOpen);
        if (gap) {
          notify(settings, { phase: 'resumed', reason: gap.reason, attempts: failures, since: gap.since, until: new Date() });
          closedGap = gap;
          gap = undefined;
        }
      };
      const retry = (ms: number): void => {
        serverRetry = ms;
      };
      for (;;) {
        liveAt = 0;
        const end = yield* deduplicated(connect({ signal: stopper.signal, settings, live, retry }), recent);
        if (end.kind === 'stopped' || stopper.signal.aborted) break;
        let retryAfterMs = Math.min(serverRetry, settings.maxDelay);
        if (end.kind === 'dropped') {
          dropped = true;
          if (Date.now() - liveAt >= settings.stableAfter) {
            // A connection that stayed up resets the count: the next drop starts from the first delay.
            failures = 0;
            gap = { since: new Date(end.lastActivity), reason: end.reason };
          } else {
            // One that ended soon after it opened is a failure, or a server that closes every
            // stream at once would get a reconnection every second forever.
            gap ??= closedGap ?? { since: new Date(end.lastActivity), reason: end.reason };
          }
        } else {
          // Failing to connect in the first place (wrong key, too many streams, server down) is
          // the caller's to handle; only a stream that was live is kept alive.
          if (!dropped || !end.retryable) throw end.error;
          gap ??= closedGap ?? { since: new Date(), reason: 'ended' };
          retryAfterMs = Math.max(retryAfterMs, end.retryAfterMs ?? 0);
        }
        if (failures >= settings.maxAttempts) throw end.error;
        failures++;
        const retryIn = backoffDelay(settings, failures, retryAfterMs);
        notify(settings, {
          phase: 'reconnecting',
          reason: gap.reason,
          attempt: failures,
          retryIn,
          since: gap.since,
          ...(end.kind === 'failed' ? { error: end.error } : {}),
        });
        await sleep(retryIn, stopper.signal, settings.unrefTimers);
        if (stopper.signal.aborted) break;
      }
      if (callerAborted) throw new GrantexAbortError();
    } finally {
      for (const signal of signals) signal.removeEventListener('abort', onAbort);
      stopper.abort();
    }
  }

  const generator = run();
  return Object.freeze({
    [Symbol.asyncIterator]: () => generator,
    close(): void {
      stopper.abort();
      // Ends a generator that has not started or is paused at an event; a running one ends by
      // itself once the abort reaches its connection.
      generator.return(undefined).catch(() => undefined);
    },
  });
}

/** A hook that throws must not end the stream it observes; its error goes to the console. */
function guarded(name: string, hook: () => unknown): void {
  const report = (error: unknown): void => console.error(`${name} threw:`, error);
  try {
    const result: unknown = hook();
    if (result instanceof Promise) result.catch(report);
  } catch (error) {
    report(error);
  }
}

function notify(settings: StreamSettings, notice: EventGapNotice): void {
  const { onGap } = settings;
  if (onGap) guarded('onGap', () => onGap(notice));
}

/**
 * Passes a connection's events on, without those whose id was delivered moments ago, and returns
 * how the connection ended. Ending early (a `break` in the caller's loop) ends the connection.
 */
async function* deduplicated(
  connection: AsyncGenerator<GrantexEvent, ConnectionEnd, undefined>,
  recent: { seen(id: string): boolean },
): AsyncGenerator<GrantexEvent, ConnectionEnd, undefined> {
  let finished = false;
  try {
    for (;;) {
      const step = await connection.next();
      if (step.done) {
        finished = true;
        return step.value;
      }
      if (!recent.seen(step.value.id)) yield step.value;
    }
  } finally {
    if (!finished) await connection.return({ kind: 'stopped' });
  }
}

/** Lets a timer not keep the process alive, where the runtime supports that (Node, Bun, Deno's compat). */
export function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}

/** Waits `ms`, or less if `signal` aborts; leaves no timer or listener behind either way. */
function sleep(ms: number, signal: AbortSignal, unref = false): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (unref) unrefTimer(timer);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The wait before attempt `attempt` (1-based): `initialDelay`·2^(attempt−1) capped at `maxDelay`,
 * then 50–100 % of that ("equal jitter": spread out, yet never close to zero), and never less than
 * what the server asked for in `Retry-After`.
 */
export function backoffDelay(
  settings: Pick<StreamSettings, 'initialDelay' | 'maxDelay'>,
  attempt: number,
  retryAfterMs = 0,
  random: () => number = Math.random,
): number {
  const exponential = backoffCeiling(settings.initialDelay, settings.maxDelay, attempt);
  const jittered = Math.round(exponential / 2 + (random() * exponential) / 2);
  return Math.min(MAX_TIMER_DELAY, Math.max(jittered, retryAfterMs));
}
