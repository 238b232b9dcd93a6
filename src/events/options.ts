/**
 * Checks of the stream options, done when a stream is created and before any connection is
 * opened. The client loads this with its first module; what runs once a stream is open (reading
 * events, the reconnection backoff) loads with the stream code.
 */
import { GrantexInvalidArgumentError } from '../errors.js';
import type { EventGapNotice, EventStreamOptions, ReconnectOptions } from './types.js';

/**
 * The default `idleTimeout` in milliseconds: the API's keepalive comes every 30 s, so two missed
 * keepalives mean the connection is dead.
 *
 * @example
 * ```ts
 * client.events.stream({ idleTimeout: 2 * DEFAULT_IDLE_TIMEOUT }); // behind a proxy that delays comments
 * ```
 */
export const DEFAULT_IDLE_TIMEOUT = 60_000;
/** The largest delay `setTimeout` honours; longer ones fire at once in every runtime. */
export const MAX_TIMER_DELAY = 2_147_483_647;

/** The options after checking, with defaults applied. */
export interface StreamSettings {
  readonly types: readonly string[] | undefined;
  readonly signal: AbortSignal | undefined;
  readonly idleTimeout: number;
  readonly maxAttempts: number;
  readonly initialDelay: number;
  readonly maxDelay: number;
  readonly stableAfter: number;
  /** Whether the reconnection and idle timers may let the process exit (a background subscription). */
  readonly unrefTimers: boolean;
  readonly onGap: ((notice: EventGapNotice) => void) | undefined;
  readonly onOpen: (() => void) | undefined;
}

const isDelay = (value: unknown, min: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_TIMER_DELAY;

/** Validates options synchronously, so a mistake throws where the stream is created. */
export function checkOptions(options: EventStreamOptions = {}): StreamSettings {
  const { types, signal, idleTimeout = DEFAULT_IDLE_TIMEOUT, reconnect = true, onGap, onOpen } = options;
  if (types !== undefined) {
    if (!Array.isArray(types) || types.length === 0) {
      throw new GrantexInvalidArgumentError('types must list at least one event type; leave it out to receive every type');
    }
    for (const type of types) {
      if (typeof type !== 'string' || type === '' || type.includes(',')) {
        throw new GrantexInvalidArgumentError('Each entry of types must be a non-empty event type without a comma');
      }
    }
  }
  if (!isDelay(idleTimeout, 1)) {
    throw new GrantexInvalidArgumentError(`idleTimeout must be an integer number of milliseconds from 1 to ${MAX_TIMER_DELAY}`);
  }
  if (onGap !== undefined && typeof onGap !== 'function') throw new GrantexInvalidArgumentError('onGap must be a function');
  if (onOpen !== undefined && typeof onOpen !== 'function') throw new GrantexInvalidArgumentError('onOpen must be a function');
  const policy = checkReconnect(reconnect);
  return { types: types ? [...new Set(types)] : undefined, signal, idleTimeout, onGap, onOpen, unrefTimers: false, ...policy };
}

/**
 * The default `reconnect.stableAfter` in milliseconds: a connection that ends sooner counts as a
 * failed attempt, so a server that closes every stream at once meets a growing backoff.
 *
 * @example
 * ```ts
 * client.events.stream({ reconnect: { stableAfter: 2 * DEFAULT_STABLE_AFTER } });
 * ```
 */
export const DEFAULT_STABLE_AFTER = 5_000;

type ReconnectPolicy = Pick<StreamSettings, 'maxAttempts' | 'initialDelay' | 'maxDelay' | 'stableAfter'>;

function checkReconnect(reconnect: boolean | ReconnectOptions): ReconnectPolicy {
  if (reconnect === false) return { maxAttempts: 0, initialDelay: 1_000, maxDelay: 30_000, stableAfter: DEFAULT_STABLE_AFTER };
  if (reconnect === true) return { maxAttempts: 10, initialDelay: 1_000, maxDelay: 30_000, stableAfter: DEFAULT_STABLE_AFTER };
  if (typeof reconnect !== 'object' || reconnect === null) {
    throw new GrantexInvalidArgumentError('reconnect must be a boolean or { maxAttempts, initialDelay, maxDelay }');
  }
  const { maxAttempts = 10, initialDelay = 1_000, maxDelay = Math.max(30_000, initialDelay), stableAfter = DEFAULT_STABLE_AFTER } = reconnect;
  if (!(maxAttempts === Infinity || (Number.isInteger(maxAttempts) && maxAttempts >= 0))) {
    throw new GrantexInvalidArgumentError('reconnect.maxAttempts must be a whole number ≥ 0, or Infinity');
  }
  // A zero delay would turn a server that keeps dropping connections into a tight loop.
  if (!isDelay(initialDelay, 1)) {
    throw new GrantexInvalidArgumentError(`reconnect.initialDelay must be an integer number of milliseconds from 1 to ${MAX_TIMER_DELAY}`);
  }
  if (!isDelay(maxDelay, initialDelay)) {
    throw new GrantexInvalidArgumentError(`reconnect.maxDelay must be an integer number of milliseconds from initialDelay to ${MAX_TIMER_DELAY}`);
  }
  if (!isDelay(stableAfter, 0)) {
    throw new GrantexInvalidArgumentError(`reconnect.stableAfter must be an integer number of milliseconds from 0 to ${MAX_TIMER_DELAY}`);
  }
  return { maxAttempts, initialDelay, maxDelay, stableAfter };
}
