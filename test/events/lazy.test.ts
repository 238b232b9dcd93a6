import { expect, it } from 'vitest';

import { lazyEventStream, openEventStream } from '../../src/events/index.js';
import { collect, config, event, fakeFetch, type FakeBody, frame, streamingAnswer, tick } from './support.js';

it('loads the implementation on the first iteration, once', async () => {
  const { fetch, calls } = fakeFetch(streamingAnswer((b) => queueMicrotask(() => b.push(frame(event(1)) + frame(event(2))))));
  let loads = 0;
  const stream = lazyEventStream(undefined, async () => {
    loads++;
    return openEventStream(config(fetch));
  });
  await tick(5);
  expect(loads).toBe(0);
  const { events } = await collect(stream, 2);
  expect(events).toEqual([event(1), event(2)]);
  expect(loads).toBe(1);
  expect(calls).toHaveLength(1);
});

it('close() before the first iteration loads nothing', async () => {
  let loads = 0;
  const stream = lazyEventStream(undefined, async () => {
    loads++;
    throw new Error('not expected');
  });
  stream.close();
  const { events, error } = await collect(stream);
  expect(events).toEqual([]);
  expect(error).toBeUndefined();
  expect(loads).toBe(0);
});

it('close() while the loop waits reaches the loaded stream and releases its connection', async () => {
  let body!: FakeBody;
  const { fetch } = fakeFetch(
    streamingAnswer((b) => {
      body = b;
      queueMicrotask(() => b.push(frame(event(1))));
    }),
  );
  const stream = lazyEventStream(undefined, async () => openEventStream(config(fetch)));
  const seen: unknown[] = [];
  for await (const item of stream) {
    seen.push(item);
    setTimeout(() => stream.close(), 5);
  }
  expect(seen).toEqual([event(1)]);
  expect(body.isReleased()).toBe(true);
});
