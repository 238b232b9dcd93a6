/**
 * Checks of the stream options (done before any connection is opened), the reconnection backoff,
 * and the reading of one event from its JSON text. Shared by the SSE and the WebSocket streams.
 */
import { GrantexInvalidArgumentError, GrantexInvalidResponseError } from '../errors.js';
import type { EventGapNotice, EventStreamOptions, GrantexEvent, GrantexEventType, KnownGrantexEvent, ReconnectOptions } from './types.js';
import { backoffCeiling } from '../internal/backoff.js';

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

const KNOWN_TYPES: readonly string[] = [
  'grant.created', 'grant.revoked', 'token.issued', 'budget.threshold', 'budget.exhausted',
  'fido.registered', 'fido.assertion', 'vc.issued', 'sd-jwt.issued', 'sd-jwt.presented',
  'passport.issued', 'passport.revoked', 'passport.token-exchange', 'sso.login',
  'sso.connection.created', 'sso.connection.updated', 'sso.connection.deleted',
  'vault.credential.stored', 'vault.credential.deleted', 'vault.credential.exchanged',
  'consent_bundle.created', 'consent_bundle.synced', 'consent_bundle.revoked',
  'dpdp.consent.created', 'dpdp.consent.withdrawn', 'dpdp.grievance.filed', 'dpdp.erasure.completed',
  'anomaly.auto_revoked',
] satisfies readonly GrantexEventType[];

/**
 * True for the event types listed in {@link GrantexEventType}; narrows the event so that a
 * `switch (event.type)` types each `data`.
 *
 * @example
 * ```ts
 * for await (const event of client.events.stream()) {
 *   if (!isKnownGrantexEvent(event)) continue; // a type newer than this SDK
 *   if (event.type === 'budget.exhausted') console.log(`grant ${event.data.grantId} is out of budget`);
 * }
 * ```
 */
export function isKnownGrantexEvent(event: GrantexEvent): event is KnownGrantexEvent {
  return KNOWN_TYPES.includes(event.type);
}

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

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads one event from the JSON text of a frame or message. Only the envelope is checked; the
 * connection is authenticated and `data` is trusted as documented. Unknown types pass through.
 */
export function parseEvent(text: string, operation: string): GrantexEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Reported below with the other shape problems; the text itself stays out of the message.
  }
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.type !== 'string' || typeof value.createdAt !== 'string' || !isRecord(value.data)) {
    throw new GrantexInvalidResponseError('The live event feed sent a message that is not a Grantex event', { status: 200, operation });
  }
  return value as unknown as GrantexEvent;
}
