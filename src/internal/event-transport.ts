/**
 * Opening the live event feed from a row of the operation table: the request is built like any
 * other (URL, credential, headers), then handed to the stream code of src/events/, which loads on
 * the first iteration. The feed lives as long as the client: `close()` ends it.
 */
import { lazyEventStream } from '../events/lazy.js';
import type { EventStream, EventStreamOptions } from '../events/types.js';
import type { PreparedRequest } from './request-build.js';

/** The feed over Server-Sent Events, on the client's `fetch`. */
export function openEventFeed(
  prepared: PreparedRequest,
  clientFetch: typeof fetch | undefined,
  lifetime: AbortSignal,
  options: EventStreamOptions | undefined,
): EventStream {
  const config = {
    url: prepared.url,
    headers: { ...prepared.headers, Accept: 'text/event-stream' },
    fetch: clientFetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init)),
    secrets: prepared.secrets,
    signal: lifetime,
  };
  return lazyEventStream(options, async () => (await import('../events/index.js')).openEventStream(config, options));
}

/** The feed over a WebSocket (runtimes whose WebSocket can send headers). */
export function openEventSocketFeed(prepared: PreparedRequest, lifetime: AbortSignal, options: EventStreamOptions | undefined): EventStream {
  const { Accept: _accept, ...headers } = prepared.headers;
  const config = { url: prepared.url.replace(/^http/, 'ws'), headers, secrets: prepared.secrets, signal: lifetime };
  return lazyEventStream(options, async () => (await import('../events/index.js')).openEventSocket(config, options));
}
