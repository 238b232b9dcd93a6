// `GET /v1/events/ws`: the live feed over a WebSocket, as the real server serves it: each event one
// text message (the event JSON), a ping at the keepalive interval, `{"types": [...]}` from the client
// sets the filter (anything else is ignored), and a sixth socket of a developer is accepted and then
// closed at once with code 1013. The socket itself comes from the runtime (node-websocket.ts when
// served by `listen()`); this file knows only the feed's side of it.
import { backgroundInterval, type EventBus, type FeedConnection } from './event-bus.js';
import { HttpError, isPlainObject, type Route } from './http.js';

/** What the feed needs from an open socket. */
export interface SocketSink {
  sendText(text: string): void;
  ping(): void;
  /** Sends a close frame and ends the connection. */
  close(code: number, reason: string): void;
}

/** What the socket tells the feed. */
export interface SocketSession {
  /** A complete text message from the client. */
  onText(text: string): void;
  /** The connection ended, whichever side ended it. */
  onClose(): void;
}

/**
 * Completes a WebSocket handshake for an upgrade request and hands the open socket to `open`.
 * Registered per request by the runtime that can upgrade it (see `ServerCore.socketUpgrades`).
 */
export type SocketUpgrade = (open: (sink: SocketSink) => SocketSession) => Promise<void>;

/** Close code and reason for a socket over the limit, as the real server sends them. */
const TRY_AGAIN_LATER = 1013;
/** Close code when the server drops its connections (`dropEventConnections`, `close`). */
const GOING_AWAY = 1001;

/** Connects an open socket to the feed of `developerId`. */
export function attachFeedSocket(feed: EventBus, developerId: string, sink: SocketSink): SocketSession {
  let ended = false;
  const connection: FeedConnection = {
    developerId,
    transport: 'ws',
    types: null,
    deliver: (json) => sink.sendText(json),
    drop: () => {
      end();
      sink.close(GOING_AWAY, 'Going away');
    },
  };
  if (!feed.add(connection)) {
    sink.close(TRY_AGAIN_LATER, 'Too many connections');
    return { onText: () => undefined, onClose: () => undefined };
  }
  const stopPing = backgroundInterval(() => sink.ping(), feed.keepaliveMs);
  function end(): void {
    if (ended) return;
    ended = true;
    stopPing();
    feed.remove(connection);
  }
  return {
    onText(text) {
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        return;
      }
      if (!isPlainObject(message)) return;
      const types = message['types'];
      if (!Array.isArray(types) || !types.every((type) => typeof type === 'string')) return;
      // An empty list means every type, as an empty `types` query does on the SSE stream.
      connection.types = types.length === 0 ? null : new Set(types);
    },
    onClose: end,
  };
}

export const eventSocketRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/events/ws',
    auth: 'apiKey',
    handler: async ({ core, developer, request }) => {
      const upgrade = core.socketUpgrades.get(request);
      if (!upgrade) throw new HttpError(426, 'BAD_REQUEST', 'This route needs a WebSocket upgrade request');
      const developerId = developer.developerId;
      await upgrade((sink) => attachFeedSocket(core.feed, developerId, sink));
      // Never sent: the connection now speaks WebSocket.
      return new Response(null, { status: 204 });
    },
  },
];
