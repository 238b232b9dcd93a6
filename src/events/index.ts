/**
 * The live event feed: every event of the developer as it happens, over Server-Sent Events
 * (`openEventStream`, any runtime with `fetch`) or a WebSocket (`openEventSocket`, where the
 * runtime's `WebSocket` can send the `Authorization` header). Both are async iterables of typed
 * events that reconnect after a drop and say when events may have been missed.
 *
 * The module takes its transport (`fetch`, URL, headers) from the caller and imports neither the
 * HTTP client nor the validators.
 *
 * @module
 */
export { MAX_ERROR_BODY_BYTES, MAX_FRAME_CHARS, openEventStream } from './stream.js';
export { openEventSocket } from './socket.js';
export { lazyEventStream } from './lazy.js';
export { DUPLICATE_WINDOW } from './session.js';
export { DEFAULT_IDLE_TIMEOUT, DEFAULT_STABLE_AFTER } from './options.js';
export { isKnownGrantexEvent } from './event-json.js';
export type {
  AnomalyAutoRevokedEvent,
  BudgetExhaustedEvent,
  BudgetThresholdEvent,
  EventGapNotice,
  EventGapReason,
  EventGapReconnecting,
  EventGapResumed,
  EventSocketConfig,
  EventSocketOptions,
  EventStream,
  EventStreamConfig,
  EventStreamOptions,
  GrantCreatedEvent,
  GrantexEvent,
  GrantexEventType,
  GrantRevokedEvent,
  KnownGrantexEvent,
  OtherGrantexEvent,
  ReconnectOptions,
  TokenIssuedEvent,
  UnknownGrantexEvent,
  WebSocketFactory,
  WebSocketLike,
} from './types.js';
