/**
 * The live event feed over a WebSocket (`GET /v1/events/ws`), for runtimes whose global
 * `WebSocket` can send handshake headers: the API authenticates the upgrade request with the
 * `Authorization` header only (no query token, no subprotocol token).
 */
import { type GrantexError, GrantexConfigurationError, GrantexConnectionError, GrantexInvalidArgumentError } from '../errors.js';
import { createApiError, redactText, sanitizeCause } from '../internal/api-errors.js';
import { parseEvent } from './event-json.js';
import { checkOptions } from './options.js';
import { type ConnectionContext, type ConnectionEnd, createEventStream } from './session.js';
import type { EventSocketConfig, EventSocketOptions, EventStream, GrantexEvent, WebSocketFactory, WebSocketLike } from './types.js';

const OPERATION = 'events.connect';
/** The close code the API sends to a sixth concurrent socket of a developer ("Try Again Later"). */
const TRY_AGAIN_LATER = 1013;

/**
 * Opens the live event feed over a WebSocket: the same iterable, errors and reconnection as
 * `openEventStream`, except that a silent socket is not detected (the API's keepalive is a
 * WebSocket ping, which the standard `WebSocket` API hides) and the `types` filter is sent as a
 * message once the socket is open (and again after every reconnection).
 *
 * The API accepts the API key only in the `Authorization` header of the upgrade request. Node 22+,
 * Deno and Bun let a `WebSocket` send it; browsers and Cloudflare Workers do not, so there this
 * throws `GrantexConfigurationError`: use the SSE stream instead. (Putting the key into the URL is
 * not an option: the API does not read it there, and a URL ends up in proxy and server logs.)
 *
 * A sixth concurrent socket is closed by the API with code 1013; that is reported as
 * `RateLimitError` with code `TOO_MANY_CONNECTIONS`, as for the SSE stream.
 *
 * @example
 * ```ts
 * const stream = openEventSocket(
 *   { url: 'wss://api.grantex.dev/v1/events/ws', headers: { authorization: `Bearer ${apiKey}` }, secrets: [apiKey] },
 *   { types: ['budget.exhausted'] },
 * );
 * for await (const event of stream) console.log(event.type, event.data);
 * ```
 */
export function openEventSocket(config: EventSocketConfig, options?: EventSocketOptions): EventStream {
  // `idleTimeout` has no meaning here (see above); drop it if a JavaScript caller passed one.
  const { idleTimeout: _ignored, ...rest } = (options ?? {}) as EventSocketOptions & { idleTimeout?: unknown };
  const settings = checkOptions(rest);
  const url = socketUrl(config.url);
  const factory = config.webSocket ?? defaultFactory();
  return createEventStream(settings, (context) => connectOnce(factory, url, config, context), config.signal);
}

function socketUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GrantexInvalidArgumentError('The live event socket needs an absolute URL');
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new GrantexInvalidArgumentError(`The live event socket needs an http(s) or ws(s) URL, not ${url.protocol}`);
  }
  return url.href;
}

/** `new WebSocket(url, { headers })`: a non-standard second argument that Node, Deno and Bun read. */
function defaultFactory(): WebSocketFactory {
  const scope = globalThis as { document?: unknown; navigator?: { userAgent?: unknown }; WebSocket?: unknown };
  if (scope.document !== undefined) {
    throw new GrantexConfigurationError(
      'The live event socket cannot authenticate in a browser (a page cannot set the Authorization header of a WebSocket); use the SSE stream',
    );
  }
  if (scope.navigator?.userAgent === 'Cloudflare-Workers') {
    throw new GrantexConfigurationError('The live event socket cannot send the Authorization header from Cloudflare Workers; use the SSE stream');
  }
  const Socket = scope.WebSocket as (new (url: string, init: { headers: Record<string, string> }) => WebSocketLike) | undefined;
  if (typeof Socket !== 'function') {
    throw new GrantexConfigurationError('This runtime has no global WebSocket (Node 22+, Deno and Bun have one); use the SSE stream');
  }
  return (url, headers) => new Socket(url, { headers: { ...headers } });
}

type Item = { readonly event: GrantexEvent } | { readonly problem: GrantexError } | { readonly code: number; readonly reason: string };

async function* connectOnce(
  factory: WebSocketFactory,
  url: string,
  config: EventSocketConfig,
  context: ConnectionContext,
): AsyncGenerator<GrantexEvent, ConnectionEnd, undefined> {
  const { settings } = context;
  let socket: WebSocketLike;
  try {
    socket = factory(url, config.headers);
  } catch (error) {
    const detail = error instanceof Error ? redactText(error.message, config.secrets) : 'unknown failure';
    const cause = sanitizeCause(error, config.secrets);
    return { kind: 'failed', error: new GrantexConnectionError(`Could not open the live event socket: ${detail}`, { cause }), retryable: false };
  }

  const items: Item[] = [];
  let wake: (() => void) | undefined;
  const push = (item: Item): void => {
    items.push(item);
    wake?.();
  };
  let opened = false;
  let lastActivity = Date.now();
  const onOpen = (): void => {
    opened = true;
    lastActivity = Date.now();
    if (settings.types) {
      try {
        socket.send(JSON.stringify({ types: settings.types }));
      } catch {
        // The socket closed at once; its close event ends this connection.
      }
    }
    context.live();
  };
  const onMessage = (event: Event): void => {
    lastActivity = Date.now();
    const { data } = event as MessageEvent;
    if (typeof data !== 'string') return; // the API sends text messages only
    try {
      const parsed = parseEvent(data, OPERATION);
      if (!settings.types || settings.types.includes(parsed.type)) push({ event: parsed });
    } catch (error) {
      push({ problem: error as GrantexError });
    }
  };
  const onClose = (event: Event): void => {
    const { code, reason } = event as CloseEvent;
    push({ code: typeof code === 'number' ? code : 1006, reason: typeof reason === 'string' ? reason : '' });
  };
  // Every error is followed by a close event, which carries what there is to know.
  const onError = (): void => undefined;
  const onStop = (): void => wake?.();
  socket.addEventListener('open', onOpen);
  socket.addEventListener('message', onMessage);
  socket.addEventListener('close', onClose);
  socket.addEventListener('error', onError);
  context.signal.addEventListener('abort', onStop, { once: true });
  try {
    for (;;) {
      while (items.length === 0 && !context.signal.aborted) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      if (context.signal.aborted) return { kind: 'stopped' };
      const item = items.shift()!;
      if ('event' in item) {
        yield item.event;
        continue;
      }
      if ('problem' in item) throw item.problem;
      if (item.code === TRY_AGAIN_LATER) return { kind: 'failed', error: tooManyConnections(item.reason, config), retryable: true };
      if (!opened) {
        return {
          kind: 'failed',
          error: new GrantexConnectionError(
            `Could not open the live event socket (code ${item.code}): the host is unreachable or refused the API key`,
          ),
          retryable: true,
        };
      }
      return {
        kind: 'dropped',
        reason: item.code === 1000 || item.code === 1001 ? 'ended' : 'network',
        error: new GrantexConnectionError(`The live event socket closed with code ${item.code}`),
        lastActivity,
      };
    }
  } finally {
    socket.removeEventListener('open', onOpen);
    socket.removeEventListener('message', onMessage);
    socket.removeEventListener('close', onClose);
    socket.removeEventListener('error', onError);
    context.signal.removeEventListener('abort', onStop);
    // CONNECTING (0) or OPEN (1): close it now, whatever ended the loop.
    if (socket.readyState === 0 || socket.readyState === 1) socket.close(1000);
  }
}

/** The same error as the SSE stream's 429, built from the close frame (there is no HTTP answer). */
function tooManyConnections(reason: string, config: EventSocketConfig): GrantexError {
  const body = { message: reason || 'Too many connections', code: 'TOO_MANY_CONNECTIONS' };
  return createApiError(new Response(null, { status: 429 }), body, OPERATION, config.secrets);
}
