// `GET /v1/events/stream`: the live feed over Server-Sent Events, framed as the real server frames
// it: `data: <event JSON>` and a blank line per event, no `id:` line, no replay, a `: keepalive`
// comment at the server's keepalive interval.
import { backgroundInterval, type EventBus, type FeedConnection, MAX_FEED_CONNECTIONS, parseTypes } from './event-bus.js';
import { HttpError, type Route } from './http.js';

/**
 * Opens one SSE connection. The status and headers are held back until the first frame or
 * keepalive is written, as on the real server (Node sends a response head with its first body
 * bytes), but the connection receives events from the moment the request is handled.
 */
function openStream(feed: EventBus, developerId: string, types: ReadonlySet<string> | null, signal: AbortSignal): Promise<Response> {
  return new Promise<Response>((resolve) => {
    const encoder = new TextEncoder();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let opened = false;
    let ended = false;
    const stream = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      // The client went away (a cancelled reader, or the Node adapter after a disconnect).
      cancel: () => end(),
    });
    const open = (): void => {
      if (opened) return;
      opened = true;
      resolve(new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } }));
    };
    const write = (text: string): void => {
      if (ended) return;
      controller.enqueue(encoder.encode(text));
      open();
    };
    const stopKeepalive = backgroundInterval(() => write(': keepalive\n\n'), feed.keepaliveMs);
    const end = (): void => {
      if (ended) return;
      ended = true;
      stopKeepalive();
      feed.remove(connection);
      signal.removeEventListener('abort', close);
    };
    const close = (): void => {
      end();
      try {
        controller.close();
      } catch {
        // Already closed or cancelled by the reader.
      }
      // A connection closed before its first frame still answers, with an empty stream.
      open();
    };
    const connection: FeedConnection = {
      developerId,
      transport: 'sse',
      types,
      deliver: (json) => write(`data: ${json}\n\n`),
      drop: close,
    };
    if (signal.aborted) return close();
    signal.addEventListener('abort', close, { once: true });
    feed.add(connection);
  });
}

export const eventStreamRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/events/stream',
    auth: 'apiKey',
    handler: ({ core, developer, query, request }) => {
      const developerId = developer.developerId;
      if (core.feed.count(developerId, 'sse') >= MAX_FEED_CONNECTIONS) {
        throw new HttpError(429, 'TOO_MANY_CONNECTIONS', `Max ${MAX_FEED_CONNECTIONS} concurrent SSE connections per developer`);
      }
      return openStream(core.feed, developerId, parseTypes(query.get('types')), request.signal);
    },
  },
];
