/**
 * A stream whose implementation is loaded on the first iteration, so that the client's initial
 * load does not carry the SSE parser or the WebSocket code. Options are still checked at once.
 */
import { checkOptions } from './options.js';
import type { EventStream, EventStreamOptions, GrantexEvent } from './types.js';

/**
 * Returns a stream at once and calls `open` (typically a dynamic `import()` of `./index.js` that
 * then calls `openEventStream` or `openEventSocket`) on the first iteration. `close()` before that
 * means `open` is never called.
 *
 * @example
 * ```ts
 * const stream = lazyEventStream(options, async () => (await import('./index.js')).openEventStream(config, options));
 * ```
 */
export function lazyEventStream(options: EventStreamOptions | undefined, open: () => Promise<EventStream>): EventStream {
  checkOptions(options);
  let closed = false;
  let inner: EventStream | undefined;
  async function* run(): AsyncGenerator<GrantexEvent, void, undefined> {
    if (closed) return;
    const stream = await open();
    inner = stream;
    if (closed) {
      stream.close();
      return;
    }
    yield* stream;
  }
  const generator = run();
  return Object.freeze({
    [Symbol.asyncIterator]: () => generator,
    close(): void {
      closed = true;
      inner?.close();
      generator.return(undefined).catch(() => undefined);
    },
  });
}
