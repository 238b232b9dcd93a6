/**
 * The live event feed over Server-Sent Events (`GET /v1/events/stream`), read from the runtime's
 * own streaming `fetch` body: no Node streams, no EventSource polyfill. Frames are cut by
 * `eventsource-parser` (multi-line `data:`, comments, CR/LF variants); bytes become text through
 * a streaming `TextDecoder`, so a character split across two chunks is decoded whole.
 */
import { createParser } from 'eventsource-parser';

import { type GrantexError, GrantexConnectionError, GrantexInvalidResponseError, GrantexTimeoutError, parseRetryAfter } from '../errors.js';
import { createApiError, redactText, sanitizeCause } from '../internal/api-errors.js';
import { parseEvent } from './event-json.js';
import { checkOptions } from './options.js';
import { type ConnectionContext, type ConnectionEnd, createEventStream, unrefTimer } from './session.js';
import type { EventStream, EventStreamConfig, EventStreamOptions, GrantexEvent } from './types.js';

const OPERATION = 'events.stream';

/**
 * Most characters one frame may hold while it is being received. The API's events are a few
 * hundred bytes; the bound only stops a broken or hostile peer from growing memory without end.
 * A larger frame ends the stream with `GrantexInvalidResponseError`.
 *
 * @example
 * ```ts
 * console.log(`frames up to ${MAX_FRAME_CHARS} characters`);
 * ```
 */
export const MAX_FRAME_CHARS = 1_048_576;

/**
 * Opens the live event feed over Server-Sent Events. The connection opens on the first
 * iteration; options are checked at once (`GrantexInvalidArgumentError`).
 *
 * - Opening fails with the API's error: `AuthenticationError` (401), `PermissionDeniedError` (403),
 *   `RateLimitError` with code `TOO_MANY_CONNECTIONS` (429: more than 5 streams per developer;
 *   close one first), or `GrantexConnectionError`. None of these is retried.
 * - Once live, a silent connection (`idleTimeout`, default twice the API's 30 s keepalive) or a
 *   dropped one is replaced with exponential backoff and jitter. The API keeps no event ids, so
 *   events published in the gap are lost: `onGap` says when that happened. While reconnecting,
 *   429 and 5xx answers are retried (the server may still count the connection that just
 *   dropped), 401/403 end the stream.
 * - Breaking out of the loop, `close()` or aborting `signal` closes the connection at once.
 *
 * @example
 * ```ts
 * const stream = openEventStream(
 *   { url: 'https://api.grantex.dev/v1/events/stream', headers: { authorization: `Bearer ${apiKey}`, accept: 'text/event-stream' }, fetch, secrets: [apiKey] },
 *   { types: ['grant.revoked'], onGap: (notice) => console.warn(notice) },
 * );
 * for await (const event of stream) {
 *   if (isKnownGrantexEvent(event) && event.type === 'grant.revoked') dropSessions(event.data.grantId);
 * }
 * ```
 */
export function openEventStream(config: EventStreamConfig, options?: EventStreamOptions): EventStream {
  const settings = checkOptions(options);
  const url = new URL(config.url);
  if (settings.types) {
    // The API splits `types` on literal commas (checkOptions refuses commas inside a type).
    url.searchParams.delete('types');
    const filter = `types=${settings.types.map(encodeURIComponent).join(',')}`;
    url.search = url.search ? `${url.search}&${filter}` : `?${filter}`;
  }
  const href = url.href;
  return createEventStream({ ...settings, unrefTimers: config.unrefTimers === true }, (context) => connectOnce(config, href, context), config.signal);
}

async function* connectOnce(config: EventStreamConfig, href: string, context: ConnectionContext): AsyncGenerator<GrantexEvent, ConnectionEnd, undefined> {
  const { settings } = context;
  const connection = new AbortController();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // Aborting the request releases the socket; cancelling the reader also ends a pending read
  // when a custom `fetch` does not honour the signal.
  const shutdown = (): void => {
    connection.abort();
    reader?.cancel().catch(() => undefined);
  };
  context.signal.addEventListener('abort', shutdown, { once: true });
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let idle = false;
  // One timer per wait for the network (the response, then each read), never while the caller
  // is busy with an event: a slow consumer is not a silent server.
  const armIdle = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      idle = true;
      shutdown();
    }, settings.idleTimeout);
    if (settings.unrefTimers) unrefTimer(idleTimer);
  };
  const disarmIdle = (): void => clearTimeout(idleTimer);
  try {
    armIdle();
    let response: Response;
    try {
      // Called detached: a runtime's own fetch throws "Illegal invocation" when `this` is the config.
      const fetchImpl = config.fetch;
      // Like every request of the client: a redirect is never followed, since it would take the
      // key and the custom headers to wherever the server points.
      response = await fetchImpl(href, { method: 'GET', headers: { ...config.headers }, redirect: 'manual', signal: connection.signal });
    } catch (error) {
      if (context.signal.aborted) return { kind: 'stopped' };
      return { kind: 'failed', error: idle ? new GrantexTimeoutError(settings.idleTimeout) : networkError(error, config), retryable: true };
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      response.body?.cancel().catch(() => undefined);
      throw new GrantexInvalidResponseError(`The live event feed was answered with a redirect (${response.status}); the API never redirects, so it was not followed`, {
        status: response.status,
        operation: OPERATION,
        code: 'UNEXPECTED_REDIRECT',
      });
    }
    if (!response.ok) {
      const error = await errorFromResponse(response, config).catch((cause: unknown) => cause);
      if (context.signal.aborted) return { kind: 'stopped' };
      if (!isGrantexErrorLike(error)) {
        return { kind: 'failed', error: idle ? new GrantexTimeoutError(settings.idleTimeout) : networkError(error, config), retryable: true };
      }
      const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      return { kind: 'failed', error, retryable, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter * 1000 }) };
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (!/^text\/event-stream\b/i.test(contentType) || response.body === null) {
      throw new GrantexInvalidResponseError(`The live event feed answered ${response.status} with ${contentType || 'no content type'}, not an event stream`, {
        status: response.status,
        operation: OPERATION,
      });
    }
    reader = response.body.getReader();
    context.live();
    let lastActivity = Date.now();

    const queue: GrantexEvent[] = [];
    let problem: GrantexError | undefined;
    const parser = createParser({
      maxBufferSize: MAX_FRAME_CHARS,
      onEvent: (message) => {
        if (problem) return;
        try {
          const event = parseEvent(message.data, OPERATION);
          if (!settings.types || settings.types.includes(event.type)) queue.push(event);
        } catch (error) {
          problem = error as GrantexError;
        }
      },
      onRetry: (ms) => context.retry(ms),
      onError: (error) => {
        // Unknown fields and bad `retry` values are ignored, as the SSE rules say; only an
        // oversized frame is an error.
        if (error.type === 'max-buffer-size-exceeded') {
          problem = new GrantexInvalidResponseError(`A frame of the live event feed exceeds ${MAX_FRAME_CHARS} characters`, {
            status: response.status,
            operation: OPERATION,
          });
        }
      },
    });
    const decoder = new TextDecoder();
    const lines = lineEnds();

    for (;;) {
      armIdle();
      let chunk: ReadableStreamReadResult<Uint8Array> | undefined;
      let failure: unknown;
      try {
        chunk = await reader.read();
      } catch (error) {
        failure = error;
      }
      disarmIdle();
      if (context.signal.aborted) return { kind: 'stopped' };
      if (idle) return { kind: 'dropped', reason: 'idle', error: new GrantexTimeoutError(settings.idleTimeout), lastActivity };
      if (!chunk) return { kind: 'dropped', reason: 'network', error: networkError(failure, config), lastActivity };
      if (chunk.done) {
        // A frame cut off by the end of the stream is incomplete and is dropped, as the SSE rules say.
        parser.feed(lines.normalise(decoder.decode()));
        if (problem) throw problem;
        yield* drain(queue, context);
        if (context.signal.aborted) return { kind: 'stopped' };
        return {
          kind: 'dropped',
          reason: 'ended',
          error: new GrantexConnectionError('The server ended the live event stream'),
          lastActivity,
        };
      }
      lastActivity = Date.now();
      parser.feed(lines.normalise(decoder.decode(chunk.value, { stream: true })));
      if (problem) throw problem;
      yield* drain(queue, context);
      if (context.signal.aborted) return { kind: 'stopped' };
    }
  } finally {
    disarmIdle();
    context.signal.removeEventListener('abort', shutdown);
    // However the loop ended (break, error, drop), nothing of this connection stays open.
    shutdown();
  }
}

/**
 * Turns CRLF and lone CR line ends into LF before the parser sees them. The parser has to hold a
 * CR at the end of a chunk until the next byte says whether an LF follows, so a server that ends
 * lines with CR alone would have its last event held until more bytes arrive (in production, the
 * next keepalive). Here a trailing CR ends the line at once, and an LF opening the next chunk is
 * then known to be the second half of a CRLF and dropped.
 */
function lineEnds(): { normalise(text: string): string } {
  let afterCr = false;
  return {
    normalise(text) {
      if (text === '') return text;
      const body = afterCr && text.startsWith('\n') ? text.slice(1) : text;
      afterCr = text.endsWith('\r');
      return body.replace(/\r\n?/g, '\n');
    },
  };
}

/** Hands out the queued events, stopping as soon as the stream is stopped. */
async function* drain(queue: GrantexEvent[], context: ConnectionContext): AsyncGenerator<GrantexEvent, void, undefined> {
  while (queue.length > 0 && !context.signal.aborted) yield queue.shift()!;
  queue.length = 0;
}

const isGrantexErrorLike = (value: unknown): value is GrantexError =>
  value instanceof Error && typeof (value as Partial<GrantexError>).code === 'string';

/** The original error may hold a header value, so the cause is a scrubbed stand-in. */
function networkError(error: unknown, config: EventStreamConfig): GrantexConnectionError {
  const detail = error instanceof Error ? redactText(error.message, config.secrets) : 'unknown failure';
  return new GrantexConnectionError(`Could not read the live event feed: ${detail}`, { cause: sanitizeCause(error, config.secrets) });
}

/** The API error for a non-2xx answer, with every known secret scrubbed from it. */
async function errorFromResponse(response: Response, config: EventStreamConfig): Promise<GrantexError> {
  const text = await readCapped(response, MAX_ERROR_BODY_BYTES);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return createApiError(response, body, OPERATION, config.secrets);
}

/**
 * How much of an error answer is read. The API's error bodies are a few hundred bytes; anything
 * past this bound (a proxy's page, a hostile peer) is cut off rather than held in memory.
 *
 * @example
 * ```ts
 * try {
 *   for await (const event of client.events.stream()) console.log(event.type);
 * } catch (error) {
 *   if (isApiError(error)) console.log(String(error.body).length <= MAX_ERROR_BODY_BYTES); // true
 * }
 * ```
 */
export const MAX_ERROR_BODY_BYTES = 65_536;

async function readCapped(response: Response, limit: number): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = limit - size;
      size += value.byteLength;
      text += decoder.decode(value.byteLength > room ? value.subarray(0, room) : value, { stream: true });
      if (size >= limit) break;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return text + decoder.decode();
}
