import { GrantexInvalidArgumentError } from '../errors.js';
import { parseDuration } from './encoding.js';

/**
 * The test server's clock. Every time the server writes or checks (token `iat`/`exp`, grant and
 * authorization-request expiry, refresh-token lifetime, rate-limit windows, webhook timestamps,
 * audit timestamps) comes from it, so expiry can be tested without waiting.
 *
 * By default it follows the real time; `advance` and `set` move it, and `freeze` stops it from
 * moving by itself.
 *
 * @example
 * ```ts
 * const server = createTestServer();
 * // … obtain a grant token that lives 1h …
 * server.clock.advance('2h');
 * const check = await client.tokens.verify(grantToken); // { valid: false }: expired for the server
 * ```
 */
export interface TestClock {
  /** The server's current time. */
  now(): Date;
  /**
   * Moves the clock forward by `by`: milliseconds, or an API duration such as `"90s"`, `"2h"`,
   * `"3d"`. Returns the new time.
   */
  advance(by: number | string): Date;
  /** Sets the clock to an instant (a `Date`, epoch milliseconds or an ISO string). Returns it. */
  set(to: Date | number | string): Date;
  /** Stops the clock: from now on it moves only through `advance` and `set`. */
  freeze(): void;
  /** Lets the clock run with the real time again, from where it stands. */
  unfreeze(): void;
  /** True while the clock is frozen. */
  readonly frozen: boolean;
}

/** Options for the clock of `createTestServer`. */
export interface TestClockOptions {
  /** Where the clock starts (default: the real time). */
  readonly start?: Date | number | string | undefined;
  /** Start frozen: the clock moves only through `advance` and `set` (default false). */
  readonly frozen?: boolean | undefined;
}

function toMs(value: Date | number | string, what: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new GrantexInvalidArgumentError(`${what} is not a valid instant`);
  return ms;
}

/** Internal: the clock plus a fast `ms()` for the server's own use. */
export interface ServerClock extends TestClock {
  ms(): number;
}

export function createClock(options: TestClockOptions = {}): ServerClock {
  // Running: now = Date.now() + offset. Frozen: now = pinned.
  let offset = options.start === undefined ? 0 : toMs(options.start, 'clock.start') - Date.now();
  let pinned: number | undefined = options.frozen ? Date.now() + offset : undefined;
  const ms = () => (pinned ?? Date.now() + offset);
  const moveTo = (target: number) => {
    if (pinned !== undefined) pinned = target;
    else offset = target - Date.now();
    return new Date(target);
  };
  return {
    ms,
    now: () => new Date(ms()),
    advance(by) {
      const delta = typeof by === 'number' ? by : parseDuration(by);
      if (delta === undefined || !Number.isFinite(delta) || delta < 0) {
        throw new GrantexInvalidArgumentError('clock.advance takes non-negative milliseconds or a duration such as "30s", "2h" or "1d"');
      }
      return moveTo(ms() + delta);
    },
    set: (to) => moveTo(toMs(to, 'clock.set')),
    freeze() {
      pinned ??= ms();
    },
    unfreeze() {
      if (pinned === undefined) return;
      offset = pinned - Date.now();
      pinned = undefined;
    },
    get frozen() {
      return pinned !== undefined;
    },
  };
}
