/**
 * Types of the live event feed (`GET /v1/events/stream`, `GET /v1/events/ws`): the events, the
 * options of a stream and the notices it gives when it had to reconnect.
 */
import type { GrantexError } from '../errors.js';
import type { GrantCreatedEvent, GrantRevokedEvent, TokenIssuedEvent } from '../webhooks/events.js';

export type { GrantCreatedEvent, GrantRevokedEvent, TokenIssuedEvent };

/**
 * Every event type the API publishes on the live feed. Webhooks can subscribe to only the first
 * three; the live feed carries all of them.
 *
 * @example
 * ```ts
 * const wanted: GrantexEventType[] = ['grant.revoked', 'budget.exhausted'];
 * for await (const event of client.events.stream({ types: wanted })) console.log(event.type);
 * ```
 */
export type GrantexEventType =
  | 'grant.created'
  | 'grant.revoked'
  | 'token.issued'
  | 'budget.threshold'
  | 'budget.exhausted'
  | 'fido.registered'
  | 'fido.assertion'
  | 'vc.issued'
  | 'sd-jwt.issued'
  | 'sd-jwt.presented'
  | 'passport.issued'
  | 'passport.revoked'
  | 'passport.token-exchange'
  | 'sso.login'
  | 'sso.connection.created'
  | 'sso.connection.updated'
  | 'sso.connection.deleted'
  | 'vault.credential.stored'
  | 'vault.credential.deleted'
  | 'vault.credential.exchanged'
  | 'consent_bundle.created'
  | 'consent_bundle.synced'
  | 'consent_bundle.revoked'
  | 'dpdp.consent.created'
  | 'dpdp.consent.withdrawn'
  | 'dpdp.grievance.filed'
  | 'dpdp.erasure.completed'
  | 'anomaly.auto_revoked';

/** The envelope every event shares (the same JSON as a webhook delivery). */
interface Envelope<Type extends string, Data> {
  /** `evt_…`. */
  readonly id: string;
  readonly type: Type;
  /** ISO 8601 time the event happened. */
  readonly createdAt: string;
  readonly data: Data;
}

/**
 * A grant's budget crossed 50 % or 80 % of its allocation.
 *
 * @example
 * ```ts
 * if (isKnownGrantexEvent(event) && event.type === 'budget.threshold') console.log(event.data.pct, event.data.remaining);
 * ```
 */
export type BudgetThresholdEvent = Envelope<'budget.threshold', {
  readonly grantId: string;
  readonly pct: 50 | 80;
  /** A decimal string with 4 fractional digits, e.g. `"20.0000"`. */
  readonly remaining: string;
}>;

/**
 * A grant's budget reached zero: further debits answer 402.
 *
 * @example
 * ```ts
 * if (isKnownGrantexEvent(event) && event.type === 'budget.exhausted') pauseAgentFor(event.data.grantId);
 * ```
 */
export type BudgetExhaustedEvent = Envelope<'budget.exhausted', {
  readonly grantId: string;
  readonly remaining: string;
}>;

/**
 * Anomaly detection revoked every active grant of an agent.
 *
 * @example
 * ```ts
 * if (isKnownGrantexEvent(event) && event.type === 'anomaly.auto_revoked') console.log(event.data.revokedGrants.length);
 * ```
 */
export type AnomalyAutoRevokedEvent = Envelope<'anomaly.auto_revoked', {
  readonly revokedGrants: readonly string[];
  readonly anomalyCount: number;
}>;

/** The event types whose `data` this version of the SDK describes field by field. */
type DescribedType =
  | GrantCreatedEvent['type']
  | GrantRevokedEvent['type']
  | TokenIssuedEvent['type']
  | BudgetThresholdEvent['type']
  | BudgetExhaustedEvent['type']
  | AnomalyAutoRevokedEvent['type'];

/**
 * An event of a known type whose `data` is not described field by field (the API documents only
 * the envelope): `data` is a plain JSON object.
 *
 * @example
 * ```ts
 * if (isKnownGrantexEvent(event) && event.type === 'passport.revoked') console.log(event.data);
 * ```
 */
export type OtherGrantexEvent = {
  readonly [Type in Exclude<GrantexEventType, DescribedType>]: Envelope<Type, Readonly<Record<string, unknown>>>;
}[Exclude<GrantexEventType, DescribedType>];

/**
 * Every event type this version of the SDK knows, as a union that narrows on `type`.
 *
 * @example
 * ```ts
 * function handle(event: KnownGrantexEvent): void {
 *   if (event.type === 'grant.revoked') console.log(event.data.grantId, event.data.cascade);
 * }
 * ```
 */
export type KnownGrantexEvent =
  | GrantCreatedEvent
  | GrantRevokedEvent
  | TokenIssuedEvent
  | BudgetThresholdEvent
  | BudgetExhaustedEvent
  | AnomalyAutoRevokedEvent
  | OtherGrantexEvent;

/**
 * An event of a type this version of the SDK does not know yet; delivered untouched so that a new
 * server event does not break an old consumer.
 *
 * @example
 * ```ts
 * if (!isKnownGrantexEvent(event)) console.log('newer event type', event.type);
 * ```
 */
export type UnknownGrantexEvent = Envelope<string, Readonly<Record<string, unknown>>>;

/**
 * What a live stream yields. Narrow it with {@link isKnownGrantexEvent} before switching on `type`
 * (TypeScript cannot narrow a union that also holds "any other string").
 *
 * @example
 * ```ts
 * for await (const event of client.events.stream()) {
 *   if (!isKnownGrantexEvent(event)) continue;
 *   if (event.type === 'token.issued') console.log(event.data.tokenId);
 * }
 * ```
 */
export type GrantexEvent = KnownGrantexEvent | UnknownGrantexEvent;

/**
 * Why a live connection ended without being asked to:
 * - `idle`: no byte arrived within `idleTimeout` (the API sends a keepalive every 30 s);
 * - `ended`: the server ended the stream or closed the socket;
 * - `network`: the connection failed (reset, DNS, TLS, …).
 *
 * @example
 * ```ts
 * const reasons: Record<EventGapReason, string> = { idle: 'silent', ended: 'closed by the server', network: 'network failure' };
 * ```
 */
export type EventGapReason = 'idle' | 'ended' | 'network';

/**
 * Sent before each reconnection attempt. Events published from `since` until the stream is back
 * may never be delivered: the API keeps no event ids, so nothing is replayed.
 *
 * @example
 * ```ts
 * onGap: (notice) => { if (notice.phase === 'reconnecting') log.warn(`attempt ${notice.attempt} in ${notice.retryIn} ms`); }
 * ```
 */
export interface EventGapReconnecting {
  readonly phase: 'reconnecting';
  readonly reason: EventGapReason;
  /** 1 for the first attempt after the drop, then 2, 3, … */
  readonly attempt: number;
  /** Milliseconds until this attempt (exponential backoff with jitter, at least the server's `Retry-After`). */
  readonly retryIn: number;
  /** The last moment the stream was known to be live: events after it may be missing. */
  readonly since: Date;
  /** Why the previous attempt failed (absent for the first attempt after a drop). */
  readonly error?: GrantexError | undefined;
}

/**
 * Sent once the stream is live again. Events published between `since` and `until` may be
 * missing: re-read the state you derive from events (grants, budgets, …) through the REST API now.
 *
 * @example
 * ```ts
 * onGap: async (notice) => { if (notice.phase === 'resumed') await resyncGrants(); }
 * ```
 */
export interface EventGapResumed {
  readonly phase: 'resumed';
  readonly reason: EventGapReason;
  /** How many attempts it took. */
  readonly attempts: number;
  readonly since: Date;
  readonly until: Date;
}

/**
 * What `onGap` receives: a {@link EventGapReconnecting} before every attempt, then one
 * {@link EventGapResumed} when the stream is back.
 *
 * @example
 * ```ts
 * const stream = client.events.stream({
 *   onGap: (notice) => console.warn(notice.phase, notice.reason, notice.since.toISOString()),
 * });
 * ```
 */
export type EventGapNotice = EventGapReconnecting | EventGapResumed;

/**
 * How a stream reconnects after it was live and dropped. Waits are exponential
 * (`initialDelay`·2ⁿ, capped at `maxDelay`) with jitter (each wait is 50–100 % of that), so many
 * clients dropped at once do not come back at once.
 *
 * @example
 * ```ts
 * client.events.stream({ reconnect: { maxAttempts: Infinity, initialDelay: 2_000, maxDelay: 60_000 } });
 * ```
 */
export interface ReconnectOptions {
  /** Consecutive failed attempts before the stream gives up and throws the last error. Default 10; `Infinity` never gives up; 0 never reconnects. */
  readonly maxAttempts?: number | undefined;
  /** Milliseconds before the first attempt, before jitter. Default 1000; at least 1. */
  readonly initialDelay?: number | undefined;
  /** Upper bound of one wait, before jitter. Default 30 000; at least `initialDelay`. */
  readonly maxDelay?: number | undefined;
  /**
   * Milliseconds a connection must stay open to count as healthy and reset the attempt count.
   * One that ends sooner counts as a failed attempt, so the waits keep growing against a server
   * that closes every stream at once. Default 5000; 0 counts every connection as healthy.
   */
  readonly stableAfter?: number | undefined;
}

/**
 * Options of a live event stream over Server-Sent Events.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const stream = client.events.stream({ types: ['grant.revoked'], signal: controller.signal, onGap: console.warn });
 * ```
 */
export interface EventStreamOptions {
  /** Only these event types (at least one; none may be empty or contain a comma). Default: every type. */
  readonly types?: readonly (GrantexEventType | (string & {}))[] | undefined;
  /** Aborting it closes the connection at once; the loop then throws `GrantexAbortError`. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Milliseconds without a byte after which the connection counts as dead and is replaced.
   * Default 60 000: twice the API's 30 s keepalive. Between 1 and 2 147 483 647.
   */
  readonly idleTimeout?: number | undefined;
  /** `false` ends the stream with an error on the first drop. Default `true` (see {@link ReconnectOptions}). */
  readonly reconnect?: boolean | ReconnectOptions | undefined;
  /** Told when the stream dropped and when it is back; events in between may be missing. */
  readonly onGap?: ((notice: EventGapNotice) => void) | undefined;
  /**
   * Called each time a connection is established, the first one included: from then on, events
   * published reach the loop. Errors it throws go to the console.
   */
  readonly onOpen?: (() => void) | undefined;
}

/**
 * Options of a live event stream over a WebSocket. There is no `idleTimeout`: the API keeps the
 * socket alive with WebSocket pings, which the standard `WebSocket` API does not expose.
 *
 * @example
 * ```ts
 * const socket = client.events.connect({ types: ['budget.threshold', 'budget.exhausted'] });
 * ```
 */
export type EventSocketOptions = Omit<EventStreamOptions, 'idleTimeout'>;

/**
 * A live stream of events: iterate it once with `for await`. Breaking out of the loop, calling
 * `close()` or aborting the `signal` closes the connection at once and leaves no timer behind.
 *
 * @example
 * ```ts
 * const stream = client.events.stream();
 * setTimeout(() => stream.close(), 60_000);
 * for await (const event of stream) console.log(event.type);
 * ```
 */
export interface EventStream extends AsyncIterable<GrantexEvent> {
  /** Closes the connection and ends the loop (without an error). Safe to call more than once. */
  close(): void;
}

/**
 * What the SSE stream needs from the client that opens it.
 *
 * @example
 * ```ts
 * const config: EventStreamConfig = {
 *   url: 'https://api.grantex.dev/v1/events/stream',
 *   headers: { authorization: `Bearer ${apiKey}`, accept: 'text/event-stream' },
 *   fetch: globalThis.fetch,
 *   secrets: [apiKey],
 * };
 * ```
 */
export interface EventStreamConfig {
  /** Absolute URL of `/v1/events/stream`; the `types` query is added to it. */
  readonly url: string;
  /** Request headers, the `Authorization` header included. */
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch: typeof fetch;
  /** Values scrubbed from any text that reaches an error (the API key). */
  readonly secrets: readonly string[];
  /** The client's lifetime: when it aborts (the client is closed), the stream ends with `GrantexAbortError`. */
  readonly signal?: AbortSignal | undefined;
  /**
   * `true` for a subscription that runs in the background: its reconnection and idle timers do
   * not keep a process alive. Default `false`: a loop waiting for the next event keeps it running.
   */
  readonly unrefTimers?: boolean | undefined;
}

/**
 * The subset of the standard `WebSocket` the socket stream uses.
 *
 * @example
 * ```ts
 * const socket: WebSocketLike = new WebSocket('wss://api.grantex.dev/v1/events/ws');
 * ```
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: Event) => void): void;
  removeEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: Event) => void): void;
}

/**
 * Opens a socket with handshake headers. The default is `new WebSocket(url, { headers })`, which
 * Node (22+), Deno and Bun honour; browsers and Workers cannot set handshake headers.
 *
 * @example
 * ```ts
 * import WebSocket from 'ws';
 * const factory: WebSocketFactory = (url, headers) => new WebSocket(url, { headers }) as unknown as WebSocketLike;
 * ```
 */
export type WebSocketFactory = (url: string, headers: Readonly<Record<string, string>>) => WebSocketLike;

/**
 * What the WebSocket stream needs from the client that opens it.
 *
 * @example
 * ```ts
 * const config: EventSocketConfig = {
 *   url: 'https://api.grantex.dev/v1/events/ws', // http(s) is turned into ws(s)
 *   headers: { authorization: `Bearer ${apiKey}` },
 *   secrets: [apiKey],
 * };
 * ```
 */
export interface EventSocketConfig {
  /** Absolute URL of `/v1/events/ws`, with an `http(s):` or `ws(s):` scheme. */
  readonly url: string;
  /** Handshake headers, the `Authorization` header included. */
  readonly headers: Readonly<Record<string, string>>;
  /** Values scrubbed from any text that reaches an error (the API key). */
  readonly secrets: readonly string[];
  /** The client's lifetime: when it aborts (the client is closed), the stream ends with `GrantexAbortError`. */
  readonly signal?: AbortSignal | undefined;
  /** Replaces the global `WebSocket` (tests, or a runtime whose socket takes headers another way). */
  readonly webSocket?: WebSocketFactory | undefined;
}
