import { describe, expect, it } from 'vitest';

import {
  AuthenticationError,
  GrantexAbortError,
  GrantexConnectionError,
  GrantexInvalidResponseError,
  GrantexTimeoutError,
  InternalServerError,
  PermissionDeniedError,
  RateLimitError,
} from '../../src/errors.js';
import { DUPLICATE_WINDOW, type EventGapNotice, isKnownGrantexEvent, MAX_ERROR_BODY_BYTES, MAX_FRAME_CHARS, openEventStream } from '../../src/events/index.js';
import {
  API_KEY,
  collect,
  config,
  deferred,
  event,
  expectNoSecret,
  fakeFetch,
  type FakeBody,
  frame,
  jsonAnswer,
  streamingAnswer,
  tick,
} from './support.js';

// These cases drive the response body chunk by chunk through an injected fetch, so every split
// point is exact. test/events/local-server.test.ts repeats the essentials over real sockets.

/** Opens a stream over one scripted body and returns the events it yields. */
async function readAll(write: (body: FakeBody) => void, types?: string[]) {
  const { fetch, calls } = fakeFetch(streamingAnswer((body) => queueMicrotask(() => write(body))));
  const result = await collect(openEventStream(config(fetch), { reconnect: false, ...(types ? { types } : {}) }));
  return { ...result, calls };
}

describe('frames', () => {
  it('reads one event per frame and ends with the connection error when the server closes', async () => {
    const { events, error } = await readAll((body) => {
      body.push(frame(event(1)));
      body.push(frame(event(2, 'token.issued', { tokenId: 'tok_2' })));
      body.end();
    });
    expect(events).toEqual([event(1), event(2, 'token.issued', { tokenId: 'tok_2' })]);
    expect(error).toBeInstanceOf(GrantexConnectionError);
    expect((error as GrantexConnectionError).code).toBe('CONNECTION_ERROR');
  });

  it('joins multi-line data with newlines, as the SSE rules say', async () => {
    const json = JSON.stringify(event(1), null, 2).split('\n');
    const { events } = await readAll((body) => {
      body.push(json.map((line) => `data: ${line}\n`).join('') + '\n');
      body.end();
    });
    expect(events).toEqual([event(1)]);
  });

  it('ignores comments such as the keepalive, and unknown fields', async () => {
    const { events } = await readAll((body) => {
      body.push(': connected\n\n: keepalive\n\n');
      body.push(`retry: soon\nfoo: bar\n${frame(event(1))}`);
      body.push(':keepalive\n\n');
      body.end();
    });
    expect(events).toEqual([event(1)]);
  });

  it('accepts CRLF and CR line ends, and a BOM at the very start', async () => {
    const text = JSON.stringify(event(1));
    const { events } = await readAll((body) => {
      body.push(`\uFEFFdata: ${text}\r\n\r\n`);
      body.push(`data: ${JSON.stringify(event(2))}\r\r`);
      // A CR at the end of a chunk may be half of a CRLF: the frame completes with the next line.
      body.push(': keepalive\n');
      body.end();
    });
    expect(events).toEqual([event(1), event(2)]);
  });

  it('reassembles frames cut at every byte, a multi-byte character included', async () => {
    // "é" is 2 bytes, "€" 3, "😀" 4: every cut below falls inside one of them at some point.
    const data = { grantId: 'grnt_1', note: 'é€😀 über' };
    const bytes = new TextEncoder().encode(`: keepalive\n\n${frame(event(1, 'grant.revoked', data))}${frame(event(2))}`);
    const { events } = await readAll((body) => {
      for (const byte of bytes) body.push(Uint8Array.of(byte));
      body.end();
    });
    expect(events).toEqual([event(1, 'grant.revoked', data), event(2)]);
  });

  it('cuts inside a 4-byte character at each of its three inner positions', async () => {
    const data = { grantId: 'grnt_1', note: '😀' };
    const bytes = new TextEncoder().encode(frame(event(1, 'grant.revoked', data)));
    const start = bytes.indexOf(0xf0);
    for (const cut of [start + 1, start + 2, start + 3]) {
      const { events } = await readAll((body) => {
        body.push(bytes.subarray(0, cut));
        body.push(bytes.subarray(cut));
        body.end();
      });
      expect(events, `cut at ${cut}`).toEqual([event(1, 'grant.revoked', data)]);
    }
  });

  it('drops a frame cut off by the end of the stream', async () => {
    const { events } = await readAll((body) => {
      body.push(frame(event(1)));
      body.push(`data: ${JSON.stringify(event(2))}\n`);
      body.end();
    });
    expect(events).toEqual([event(1)]);
  });

  it('passes events of unknown types through, untouched', async () => {
    const future = { id: 'evt_9', type: 'agent.teleported', createdAt: '2026-11-22T13:07:40.592Z', data: { where: 'mars' } };
    const { events } = await readAll((body) => {
      body.push(frame(future));
      body.push(frame(event(1, 'budget.exhausted', { grantId: 'grnt_1', remaining: '0' })));
      body.end();
    });
    expect(events).toEqual([future, event(1, 'budget.exhausted', { grantId: 'grnt_1', remaining: '0' })]);
    expect(isKnownGrantexEvent(events[0]!)).toBe(false);
    expect(isKnownGrantexEvent(events[1]!)).toBe(true);
  });

  it('ends with GrantexInvalidResponseError on a frame that is not an event, and releases the body', async () => {
    for (const bad of ['not json', '[]', '{"id":"evt_1","type":"grant.created","createdAt":"x"}', '{"id":1,"type":"grant.created","createdAt":"x","data":{}}']) {
      let body!: FakeBody;
      const { fetch } = fakeFetch(
        streamingAnswer((b) => {
          body = b;
          queueMicrotask(() => b.push(`data: ${bad}\n\n`));
        }),
      );
      const { events, error } = await collect(openEventStream(config(fetch)));
      expect(events).toEqual([]);
      expect(error, bad).toBeInstanceOf(GrantexInvalidResponseError);
      expect((error as Error).message).not.toContain(bad);
      expect(body.isReleased()).toBe(true);
    }
  });

  it(`accepts a frame of exactly ${MAX_FRAME_CHARS} buffered characters and refuses one more`, async () => {
    // The bound is on what is buffered while a frame is incomplete: the whole "data: …" line here.
    const line = (total: number): string => {
      const head = `data: {"id":"evt_1","type":"grant.created","createdAt":"t","data":{"pad":"`;
      const tail = '"}}';
      return head + 'x'.repeat(total - head.length - tail.length) + tail;
    };
    const atLimit = await readAll((body) => {
      body.push(line(MAX_FRAME_CHARS));
      body.push('\n\n');
      body.end();
    });
    expect(atLimit.events).toHaveLength(1);
    const over = await readAll((body) => {
      body.push(line(MAX_FRAME_CHARS + 1));
      body.push('\n\n');
      body.end();
    });
    expect(over.events).toHaveLength(0);
    expect(over.error).toBeInstanceOf(GrantexInvalidResponseError);
    expect((over.error as Error).message).toContain(String(MAX_FRAME_CHARS));
  });
});

describe('request', () => {
  it('sends the headers and the types filter the API expects, and filters on its side too', async () => {
    const { events, calls } = await readAll(
      (body) => {
        body.push(frame(event(1, 'token.issued', { tokenId: 'tok_1' })));
        body.push(frame(event(2, 'grant.revoked')));
        body.end();
      },
      ['grant.revoked', 'budget.exhausted'],
    );
    expect(events).toEqual([event(2, 'grant.revoked')]);
    expect(calls).toHaveLength(1);
    const url = new URL(calls[0]!.url);
    expect(url.pathname).toBe('/v1/events/stream');
    expect(url.search).toBe('?types=grant.revoked,budget.exhausted');
    expect(calls[0]!.headers.get('authorization')).toBe(`Bearer ${API_KEY}`);
    expect(calls[0]!.headers.get('accept')).toBe('text/event-stream');
  });

  it('sends no query without types, and one type without a comma', async () => {
    const none = await readAll((body) => body.end());
    expect(new URL(none.calls[0]!.url).search).toBe('');
    const one = await readAll((body) => body.end(), ['grant.created']);
    expect(new URL(one.calls[0]!.url).search).toBe('?types=grant.created');
  });

  it("calls fetch detached, as a runtime's own fetch requires (workerd throws on a foreign `this`)", async () => {
    const { fetch: inner } = fakeFetch(streamingAnswer((b) => queueMicrotask(() => (b.push(frame(event(1))), b.end()))));
    const strict = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
      return inner(input, init);
    } as typeof fetch;
    const { events } = await collect(openEventStream(config(strict), { reconnect: false }));
    expect(events).toEqual([event(1)]);
  });

  it('opens no connection until the first iteration, and none at all when closed first', async () => {
    const { fetch, calls } = fakeFetch(streamingAnswer(() => undefined));
    const stream = openEventStream(config(fetch));
    await tick(10);
    expect(calls).toHaveLength(0);
    stream.close();
    const { events, error } = await collect(stream);
    expect(events).toEqual([]);
    expect(error).toBeUndefined();
    expect(calls).toHaveLength(0);
  });
});

describe('errors when opening', () => {
  it('401 is an AuthenticationError, not retried, and the key the server echoes is scrubbed', async () => {
    const { fetch, calls } = fakeFetch(jsonAnswer(401, { message: `Invalid API key ${API_KEY}`, code: 'UNAUTHORIZED', requestId: 'req_1', echo: [API_KEY] }));
    const { error } = await collect(openEventStream(config(fetch)));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED', requestId: 'req_1', operation: 'events.stream' });
    expect((error as Error).message).toContain('Invalid API key [redacted]');
    expect(calls).toHaveLength(1);
    expectNoSecret(error);
  });

  it('403 is a PermissionDeniedError, not retried', async () => {
    const { fetch, calls } = fakeFetch(jsonAnswer(403, { message: 'Forbidden', code: 'FORBIDDEN', requestId: 'req_2' }));
    const { error } = await collect(openEventStream(config(fetch)));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(calls).toHaveLength(1);
  });

  it('429 TOO_MANY_CONNECTIONS is a RateLimitError, thrown at once (one request)', async () => {
    const { fetch, calls } = fakeFetch(
      jsonAnswer(429, { message: 'Max 5 concurrent SSE connections per developer', code: 'TOO_MANY_CONNECTIONS', requestId: 'req_3' }),
    );
    const { error } = await collect(openEventStream(config(fetch)));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'TOO_MANY_CONNECTIONS' });
    expect((error as Error).message).toContain('Max 5 concurrent SSE connections per developer');
    expect(calls).toHaveLength(1);
    expectNoSecret(error);
  });

  it('a non-JSON error body keeps its (scrubbed) text', async () => {
    const { fetch } = fakeFetch(() => new Response(`<h1>bad gateway for ${API_KEY}</h1>`, { status: 502 }));
    const { error } = await collect(openEventStream(config(fetch)));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).body).toBe('<h1>bad gateway for [redacted]</h1>');
    expectNoSecret(error);
  });

  it(`keeps at most ${MAX_ERROR_BODY_BYTES} bytes of an error body`, async () => {
    for (const [size, kept] of [
      [MAX_ERROR_BODY_BYTES, MAX_ERROR_BODY_BYTES],
      [MAX_ERROR_BODY_BYTES + 1, MAX_ERROR_BODY_BYTES],
    ] as const) {
      const { fetch } = fakeFetch(() => new Response('x'.repeat(size), { status: 502 }));
      const { error } = await collect(openEventStream(config(fetch)));
      expect(error).toBeInstanceOf(InternalServerError);
      expect(((error as InternalServerError).body as string).length, `body of ${size} bytes`).toBe(kept);
    }
  });

  it('a 200 that is not an event stream is a GrantexInvalidResponseError', async () => {
    const { fetch } = fakeFetch(jsonAnswer(200, { ok: true }));
    const { error } = await collect(openEventStream(config(fetch)));
    expect(error).toBeInstanceOf(GrantexInvalidResponseError);
  });

  it('a network failure is a GrantexConnectionError whose cause keeps no secret', async () => {
    const { fetch, calls } = fakeFetch(() => {
      throw new TypeError(`fetch failed (Authorization: Bearer ${API_KEY})`);
    });
    const { error } = await collect(openEventStream(config(fetch)));
    expect(error).toBeInstanceOf(GrantexConnectionError);
    // The cause is a scrubbed stand-in that keeps the original's name and message.
    expect((error as Error).cause).toMatchObject({ name: 'TypeError', message: 'fetch failed (Authorization: Bearer [redacted])' });
    expect(calls).toHaveLength(1);
    expect((error as Error).message).toContain('[redacted]');
    expectNoSecret(error);
  });

  it('no answer within idleTimeout is a GrantexTimeoutError, and the request is aborted', async () => {
    let signal: AbortSignal | undefined;
    const { fetch } = fakeFetch(
      (call) =>
        new Promise<Response>((_resolve, reject) => {
          signal = call.signal;
          call.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    );
    const { error } = await collect(openEventStream(config(fetch), { idleTimeout: 20 }));
    expect(error).toBeInstanceOf(GrantexTimeoutError);
    expect((error as GrantexTimeoutError).timeoutMs).toBe(20);
    expect(signal?.aborted).toBe(true);
  });
});

describe('stopping', () => {
  it('break closes the connection at once', async () => {
    let body!: FakeBody;
    const { fetch } = fakeFetch(
      streamingAnswer((b) => {
        body = b;
        queueMicrotask(() => b.push(frame(event(1)) + frame(event(2))));
      }),
    );
    const { events } = await collect(openEventStream(config(fetch)), 1);
    expect(events).toEqual([event(1)]);
    expect(body.isReleased()).toBe(true);
  });

  it('aborting the signal mid-frame throws GrantexAbortError and releases the body', async () => {
    const controller = new AbortController();
    let body!: FakeBody;
    const { fetch } = fakeFetch(
      streamingAnswer((b) => {
        body = b;
        queueMicrotask(() => {
          b.push(frame(event(1)));
          b.push('data: {"id":"evt_2","ty');
        });
      }),
    );
    const stream = openEventStream(config(fetch), { signal: controller.signal });
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const item of stream) {
        seen.push(item);
        setTimeout(() => controller.abort(), 5);
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual([event(1)]);
    expect(error).toBeInstanceOf(GrantexAbortError);
    expect(body.isReleased()).toBe(true);
  });

  it("the client's lifetime signal (config.signal) ends the stream like the caller's", async () => {
    const lifetime = new AbortController();
    let body!: FakeBody;
    const { fetch } = fakeFetch(
      streamingAnswer((b) => {
        body = b;
        queueMicrotask(() => b.push(frame(event(1))));
      }),
    );
    const stream = openEventStream({ ...config(fetch), signal: lifetime.signal });
    const error = await (async () => {
      for await (const _ of stream) setTimeout(() => lifetime.abort(), 5);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrantexAbortError);
    expect(body.isReleased()).toBe(true);
    const { fetch: unused, calls } = fakeFetch(streamingAnswer(() => undefined));
    const { error: late } = await collect(openEventStream({ ...config(unused), signal: lifetime.signal }));
    expect(late).toBeInstanceOf(GrantexAbortError);
    expect(calls).toHaveLength(0);
  });

  it('a signal aborted before the first iteration throws at once, with no request', async () => {
    const { fetch, calls } = fakeFetch(streamingAnswer(() => undefined));
    const { error } = await collect(openEventStream(config(fetch), { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(GrantexAbortError);
    expect(calls).toHaveLength(0);
  });

  it('close() while a read is pending ends the loop without an error', async () => {
    let body!: FakeBody;
    const { fetch } = fakeFetch(
      streamingAnswer((b) => {
        body = b;
        queueMicrotask(() => b.push(frame(event(1))));
      }),
    );
    const stream = openEventStream(config(fetch));
    const seen: unknown[] = [];
    await (async () => {
      for await (const item of stream) {
        seen.push(item);
        setTimeout(() => stream.close(), 5);
      }
    })();
    expect(seen).toEqual([event(1)]);
    expect(body.isReleased()).toBe(true);
  });

  it('aborting during a reconnection wait ends at once (the wait is 60 s)', async () => {
    const controller = new AbortController();
    const { fetch, calls } = fakeFetch(
      streamingAnswer((b) => queueMicrotask(() => b.end())),
    );
    const stream = openEventStream(config(fetch), {
      signal: controller.signal,
      reconnect: { initialDelay: 60_000 },
      onGap: (notice) => {
        if (notice.phase === 'reconnecting') setTimeout(() => controller.abort(), 5);
      },
    });
    const { error } = await collect(stream);
    expect(error).toBeInstanceOf(GrantexAbortError);
    expect(calls).toHaveLength(1);
  }, 5_000);
});

describe('reconnection', () => {
  it('after a drop: tells the gap, reconnects, tells that it resumed, and goes on', async () => {
    const notices: EventGapNotice[] = [];
    const { fetch, calls } = fakeFetch(
      streamingAnswer((b) => queueMicrotask(() => (b.push(frame(event(1))), b.end()))),
      streamingAnswer((b) => queueMicrotask(() => b.push(frame(event(2))))),
    );
    const stream = openEventStream(config(fetch), { reconnect: { initialDelay: 1 }, onGap: (n) => notices.push(n) });
    const { events } = await collect(stream, 2);
    expect(events).toEqual([event(1), event(2)]);
    expect(calls).toHaveLength(2);
    expect(notices.map((n) => n.phase)).toEqual(['reconnecting', 'resumed']);
    const [reconnecting, resumed] = notices as [Extract<EventGapNotice, { phase: 'reconnecting' }>, Extract<EventGapNotice, { phase: 'resumed' }>];
    expect(reconnecting).toMatchObject({ reason: 'ended', attempt: 1 });
    expect(reconnecting.error).toBeUndefined();
    expect(reconnecting.retryIn).toBeGreaterThanOrEqual(1);
    expect(resumed).toMatchObject({ reason: 'ended', attempts: 1 });
    expect(resumed.since.getTime()).toBe(reconnecting.since.getTime());
    expect(resumed.until.getTime()).toBeGreaterThanOrEqual(resumed.since.getTime());
  });

  it('a silent connection is replaced after idleTimeout; a slow consumer is not silence', async () => {
    const notices: EventGapNotice[] = [];
    let first!: FakeBody;
    const { fetch, calls } = fakeFetch(
      streamingAnswer((b) => {
        first = b;
        // Two events in one chunk, then silence.
        queueMicrotask(() => b.push(frame(event(1)) + frame(event(2))));
      }),
      streamingAnswer((b) => queueMicrotask(() => b.push(frame(event(3))))),
    );
    const stream = openEventStream(config(fetch), { idleTimeout: 30, reconnect: { initialDelay: 1 }, onGap: (n) => notices.push(n) });
    const events: unknown[] = [];
    for await (const item of stream) {
      events.push(item);
      // Busy for longer than idleTimeout while event 2 is already buffered.
      if (events.length === 1) await tick(80);
      if (events.length === 2) expect(notices).toEqual([]);
      if (events.length === 3) break;
    }
    expect(events).toEqual([event(1), event(2), event(3)]);
    expect(notices.map((n) => [n.phase, n.reason])).toEqual([['reconnecting', 'idle'], ['resumed', 'idle']]);
    expect(first.isReleased()).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('a network error mid-stream is reason "network"', async () => {
    const notices: EventGapNotice[] = [];
    const { fetch } = fakeFetch(
      streamingAnswer((b) => {
        queueMicrotask(() => b.push(frame(event(1))));
        // Erroring a stream discards what is still queued: fail once event 1 has been read.
        setTimeout(() => b.fail(new TypeError('terminated')), 20);
      }),
      streamingAnswer((b) => queueMicrotask(() => b.push(frame(event(2))))),
    );
    const { events } = await collect(openEventStream(config(fetch), { reconnect: { initialDelay: 1 }, onGap: (n) => notices.push(n) }), 2);
    expect(events).toEqual([event(1), event(2)]);
    expect(notices[0]).toMatchObject({ phase: 'reconnecting', reason: 'network', attempt: 1 });
  });

  it('429 while reconnecting is retried with growing waits, at least Retry-After, then thrown', async () => {
    const notices: EventGapNotice[] = [];
    const tooMany = jsonAnswer(429, { message: 'Max 5 concurrent SSE connections per developer', code: 'TOO_MANY_CONNECTIONS', requestId: 'r' }, { 'retry-after': '0' });
    const { fetch, calls } = fakeFetch(streamingAnswer((b) => queueMicrotask(() => b.end())), tooMany);
    const { error } = await collect(openEventStream(config(fetch), { reconnect: { maxAttempts: 3, initialDelay: 4, maxDelay: 8 }, onGap: (n) => notices.push(n) }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).code).toBe('TOO_MANY_CONNECTIONS');
    // One live connection, then exactly maxAttempts attempts: no tight loop.
    expect(calls).toHaveLength(4);
    const waits = notices.filter((n) => n.phase === 'reconnecting');
    expect(waits.map((n) => n.attempt)).toEqual([1, 2, 3]);
    // 50–100 % of 4, 8, 8 (capped by maxDelay).
    expect(waits[0]!.retryIn).toBeGreaterThanOrEqual(2);
    expect(waits[0]!.retryIn).toBeLessThanOrEqual(4);
    for (const wait of waits.slice(1)) {
      expect(wait.retryIn).toBeGreaterThanOrEqual(4);
      expect(wait.retryIn).toBeLessThanOrEqual(8);
    }
    expect(waits[1]!.error).toBeInstanceOf(RateLimitError);
  });

  it('Retry-After raises the wait above the backoff', async () => {
    const notices: EventGapNotice[] = [];
    const { fetch } = fakeFetch(
      streamingAnswer((b) => queueMicrotask(() => b.end())),
      jsonAnswer(429, { message: 'Plan rate limit exceeded', code: 'RATE_LIMIT_EXCEEDED', requestId: 'r' }, { 'retry-after': '1' }),
      streamingAnswer((b) => queueMicrotask(() => b.push(frame(event(1))))),
    );
    const { events } = await collect(openEventStream(config(fetch), { reconnect: { initialDelay: 1, maxDelay: 2 }, onGap: (n) => notices.push(n) }), 1);
    expect(events).toEqual([event(1)]);
    const waits = notices.filter((n) => n.phase === 'reconnecting');
    expect(waits).toHaveLength(2);
    expect(waits[1]!.retryIn).toBe(1000);
  }, 5_000);

  it('401 while reconnecting ends the stream at once', async () => {
    const { fetch, calls } = fakeFetch(
      streamingAnswer((b) => queueMicrotask(() => b.end())),
      jsonAnswer(401, { message: 'Invalid API key', code: 'UNAUTHORIZED', requestId: 'r' }),
    );
    const { error } = await collect(openEventStream(config(fetch), { reconnect: { initialDelay: 1 } }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(calls).toHaveLength(2);
  });

  it('5xx and network errors while reconnecting are retried', async () => {
    const { fetch, calls } = fakeFetch(
      streamingAnswer((b) => queueMicrotask(() => b.end())),
      jsonAnswer(503, { message: 'An unexpected error occurred', code: 'RATE_LIMIT_UNAVAILABLE', requestId: 'r' }),
      () => {
        throw new TypeError('fetch failed');
      },
      streamingAnswer((b) => queueMicrotask(() => b.push(frame(event(1))))),
    );
    const { events } = await collect(openEventStream(config(fetch), { reconnect: { initialDelay: 1, maxDelay: 2 } }), 1);
    expect(events).toEqual([event(1)]);
    expect(calls).toHaveLength(4);
  });

  it('a connection that stayed up for stableAfter resets the attempt count', async () => {
    const notices: EventGapNotice[] = [];
    // Open for 40 ms, past stableAfter (20 ms), then ended by the server.
    const drop = (n: number) => streamingAnswer((b) => queueMicrotask(() => (b.push(frame(event(n))), setTimeout(() => b.end(), 40))));
    const { fetch } = fakeFetch(drop(1), drop(2), streamingAnswer((b) => queueMicrotask(() => b.push(frame(event(3))))));
    await collect(openEventStream(config(fetch), { reconnect: { maxAttempts: 1, initialDelay: 1, stableAfter: 20 }, onGap: (n) => notices.push(n) }), 3);
    expect(notices.filter((n) => n.phase === 'reconnecting').map((n) => n.attempt)).toEqual([1, 1]);
  });

  it('reconnect: false and maxAttempts: 0 end the stream on the first drop', async () => {
    for (const reconnect of [false, { maxAttempts: 0 }] as const) {
      const notices: EventGapNotice[] = [];
      const { fetch, calls } = fakeFetch(streamingAnswer((b) => queueMicrotask(() => (b.push(frame(event(1))), b.end()))));
      const { events, error } = await collect(openEventStream(config(fetch), { reconnect, onGap: (n) => notices.push(n) }));
      expect(events).toEqual([event(1)]);
      expect(error).toBeInstanceOf(GrantexConnectionError);
      expect(calls).toHaveLength(1);
      expect(notices).toEqual([]);
    }
  });

  it('maxAttempts: 1 allows exactly one attempt', async () => {
    const { fetch, calls } = fakeFetch(streamingAnswer((b) => queueMicrotask(() => b.end())), jsonAnswer(500, { message: 'x', code: 'INTERNAL_ERROR', requestId: 'r' }));
    const { error } = await collect(openEventStream(config(fetch), { reconnect: { maxAttempts: 1, initialDelay: 1 } }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(calls).toHaveLength(2);
  });

  it('an onGap that throws does not end the stream', async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const { fetch } = fakeFetch(
        streamingAnswer((b) => queueMicrotask(() => b.end())),
        streamingAnswer((b) => queueMicrotask(() => b.push(frame(event(1))))),
      );
      const { events } = await collect(
        openEventStream(config(fetch), {
          reconnect: { initialDelay: 1 },
          onGap: () => {
            throw new Error('hook failed');
          },
        }),
        1,
      );
      expect(events).toEqual([event(1)]);
      expect(errors).toHaveLength(2);
    } finally {
      console.error = original;
    }
  });

  it('a drop error never carries the key', async () => {
    const notices: EventGapNotice[] = [];
    const { fetch } = fakeFetch(
      streamingAnswer((b) => queueMicrotask(() => b.end())),
      () => {
        throw new TypeError(`connect ECONNREFUSED ${API_KEY}`);
      },
    );
    const { error } = await collect(openEventStream(config(fetch), { reconnect: { maxAttempts: 2, initialDelay: 1 }, onGap: (n) => notices.push(n) }));
    expect(error).toBeInstanceOf(GrantexConnectionError);
    expectNoSecret(error);
    for (const notice of notices) if (notice.phase === 'reconnecting' && notice.error) expectNoSecret(notice.error);
  });
});

describe('a server that ends every stream at once (the reconnect storm)', () => {
  // Headers, then the end of the body: each connection is live for an instant.
  const endAtOnce = streamingAnswer((b) => queueMicrotask(() => b.end()));

  it('counts each short connection as a failure: waits grow, onGap tells every reconnect, then it gives up', async () => {
    const notices: EventGapNotice[] = [];
    const { fetch, calls } = fakeFetch(endAtOnce);
    const { error } = await collect(
      openEventStream(config(fetch), { reconnect: { maxAttempts: 5, initialDelay: 4, maxDelay: 64, stableAfter: 10_000 }, onGap: (n) => notices.push(n) }),
    );
    expect(error).toBeInstanceOf(GrantexConnectionError);
    // The first connection and five reconnections, not an endless loop.
    expect(calls).toHaveLength(6);
    const waits = notices.filter((n) => n.phase === 'reconnecting');
    expect(waits.map((n) => n.attempt)).toEqual([1, 2, 3, 4, 5]);
    // 50–100 % of 4, 8, 16, 32, 64.
    waits.forEach((wait, i) => {
      expect(wait.retryIn).toBeGreaterThanOrEqual(2 * 2 ** i);
      expect(wait.retryIn).toBeLessThanOrEqual(4 * 2 ** i);
    });
    // Every reconnection that went through is reported as resumed, and the gap keeps its start.
    const resumed = notices.filter((n) => n.phase === 'resumed');
    expect(resumed).toHaveLength(5);
    expect(new Set(notices.map((n) => n.since.getTime())).size).toBe(1);
    expect(notices.map((n) => n.phase)).toEqual(['reconnecting', 'resumed', 'reconnecting', 'resumed', 'reconnecting', 'resumed', 'reconnecting', 'resumed', 'reconnecting', 'resumed']);
  });

  it('stableAfter: 0 counts every connection as healthy (the attempt count resets each time)', async () => {
    const notices: EventGapNotice[] = [];
    const { fetch, calls } = fakeFetch(endAtOnce, endAtOnce, endAtOnce, streamingAnswer((b) => queueMicrotask(() => b.push(frame(event(1))))));
    await collect(openEventStream(config(fetch), { reconnect: { maxAttempts: 1, initialDelay: 1, stableAfter: 0 }, onGap: (n) => notices.push(n) }), 1);
    expect(calls).toHaveLength(4);
    expect(notices.filter((n) => n.phase === 'reconnecting').map((n) => n.attempt)).toEqual([1, 1, 1]);
  });

  it('checks stableAfter like the other delays', () => {
    expect(() => openEventStream(config(fakeFetch(endAtOnce).fetch), { reconnect: { stableAfter: -1 } })).toThrow(/stableAfter/);
    expect(() => openEventStream(config(fakeFetch(endAtOnce).fetch), { reconnect: { stableAfter: 1.5 } })).toThrow(/stableAfter/);
    expect(() => openEventStream(config(fakeFetch(endAtOnce).fetch), { reconnect: { stableAfter: 2_147_483_647 } })).not.toThrow();
    expect(() => openEventStream(config(fakeFetch(endAtOnce).fetch), { reconnect: { stableAfter: 2_147_483_648 } })).toThrow(/stableAfter/);
  });
});

describe('retry: from the server', () => {
  it('raises the wait before the next connection to what the server asked for', async () => {
    const notices: EventGapNotice[] = [];
    const { fetch } = fakeFetch(
      streamingAnswer((b) => queueMicrotask(() => (b.push(`retry: 150\n\n${frame(event(1))}`), b.end()))),
      streamingAnswer((b) => queueMicrotask(() => b.push(frame(event(2))))),
    );
    const { events } = await collect(openEventStream(config(fetch), { reconnect: { initialDelay: 1, maxDelay: 1_000 }, onGap: (n) => notices.push(n) }), 2);
    expect(events).toEqual([event(1), event(2)]);
    expect(notices[0]).toMatchObject({ phase: 'reconnecting', retryIn: 150 });
  });

  it('never waits past maxDelay for it, and a bad value is ignored', async () => {
    const notices: EventGapNotice[] = [];
    const { fetch } = fakeFetch(
      streamingAnswer((b) => queueMicrotask(() => (b.push('retry: 99999999\n\n'), b.end()))),
      streamingAnswer((b) => queueMicrotask(() => (b.push('retry: soon\n\n'), b.end()))),
      streamingAnswer((b) => queueMicrotask(() => b.push(frame(event(1))))),
    );
    await collect(openEventStream(config(fetch), { reconnect: { initialDelay: 1, maxDelay: 40, stableAfter: 0 }, onGap: (n) => notices.push(n) }), 1);
    const waits = notices.filter((n) => n.phase === 'reconnecting');
    expect(waits.map((n) => n.retryIn)).toEqual([40, 40]);
  });
});

describe('duplicate events', () => {
  it('drops an event whose id was delivered before, in one connection and across a reconnect', async () => {
    const { fetch } = fakeFetch(
      streamingAnswer((b) => queueMicrotask(() => (b.push(frame(event(1)) + frame(event(1)) + frame(event(2))), b.end()))),
      streamingAnswer((b) => queueMicrotask(() => b.push(frame(event(2)) + frame(event(1)) + frame(event(3))))),
    );
    const { events } = await collect(openEventStream(config(fetch), { reconnect: { initialDelay: 1 } }), 3);
    expect(events).toEqual([event(1), event(2), event(3)]);
  });

  it(`remembers exactly the last ${DUPLICATE_WINDOW} ids`, async () => {
    const ids = (count: number) => Array.from({ length: count }, (_, i) => frame(event(i + 1))).join('');
    // The first id again after DUPLICATE_WINDOW ids: still remembered, dropped.
    const at = await readAll((b) => (b.push(ids(DUPLICATE_WINDOW) + frame(event(1))), b.end()));
    expect(at.events).toHaveLength(DUPLICATE_WINDOW);
    // After one more id it has left the window and is delivered again.
    const past = await readAll((b) => (b.push(ids(DUPLICATE_WINDOW + 1) + frame(event(1))), b.end()));
    expect(past.events).toHaveLength(DUPLICATE_WINDOW + 2);
    expect(past.events.at(-1)).toEqual(event(1));
  });
});

describe('redirects', () => {
  it('asks fetch not to follow redirects, and fails typed on every 3xx without reading on', async () => {
    for (const status of [300, 301, 302, 303, 304, 305, 307, 308, 399]) {
      const inits: RequestInit[] = [];
      const fetchImpl = (async (_input: RequestInfo | URL, init?: RequestInit) => {
        inits.push(init!);
        return new Response(status === 304 ? null : frame(event(1)), { status, headers: { location: 'https://evil.example/v1/events/stream', 'content-type': 'text/event-stream' } });
      }) as typeof fetch;
      const { events, error } = await collect(openEventStream(config(fetchImpl), { reconnect: { initialDelay: 1 } }));
      expect(events).toEqual([]);
      expect(error).toBeInstanceOf(GrantexInvalidResponseError);
      expect(error).toMatchObject({ code: 'UNEXPECTED_REDIRECT', status, operation: 'events.stream' });
      expect(inits).toHaveLength(1);
      expect(inits[0]!.redirect).toBe('manual');
      expectNoSecret(error);
    }
  });

  it('an opaque redirect (what a browser fetch gives for redirect: manual) fails the same way', async () => {
    const opaque = { type: 'opaqueredirect', status: 0, ok: false, headers: new Headers(), body: null } as unknown as Response;
    const { error } = await collect(openEventStream(config((async () => opaque) as typeof fetch)));
    expect(error).toMatchObject({ code: 'UNEXPECTED_REDIRECT' });
  });

  it('a redirect while reconnecting ends the stream instead of following it', async () => {
    const { fetch, calls } = fakeFetch(
      streamingAnswer((b) => queueMicrotask(() => (b.push(frame(event(1))), b.end()))),
      () => new Response(null, { status: 302, headers: { location: 'https://evil.example/' } }),
    );
    const { events, error } = await collect(openEventStream(config(fetch), { reconnect: { initialDelay: 1 } }));
    expect(events).toEqual([event(1)]);
    expect(error).toMatchObject({ code: 'UNEXPECTED_REDIRECT', status: 302 });
    expect(calls).toHaveLength(2);
  });
});

describe('CR-only line ends', () => {
  it('delivers an event whose frame ends with a lone CR at the end of a chunk, without waiting for more bytes', async () => {
    const { fetch } = fakeFetch(streamingAnswer((b) => queueMicrotask(() => b.push(`data: ${JSON.stringify(event(1))}\r\r`))));
    // Nothing follows the chunk: the body stays open, so the event can only come from the flush.
    const { events } = await collect(openEventStream(config(fetch)), 1);
    expect(events).toEqual([event(1)]);
  });

  it('a CRLF split across two chunks is still one line end (no extra blank line, no lost event)', async () => {
    const { events } = await readAll((b) => {
      b.push(`data: ${JSON.stringify(event(1))}\r`);
      b.push('\n\r');
      b.push('\ndata: ');
      b.push(`${JSON.stringify(event(2))}\r`);
      b.push('\r');
      b.end();
    });
    expect(events).toEqual([event(1), event(2)]);
  });

  it('a multi-line data field cut at CRs joins with newlines', async () => {
    const lines = JSON.stringify(event(1), null, 2).split('\n');
    const { events } = await readAll((b) => {
      for (const line of lines) b.push(`data: ${line}\r`);
      b.push('\r');
      b.end();
    });
    expect(events).toEqual([event(1)]);
  });
});

describe('deferred', () => {
  it('a released body leaves the abort listener of the caller signal removed', async () => {
    const controller = new AbortController();
    const added = deferred<number>();
    let count = 0;
    const original = controller.signal.addEventListener.bind(controller.signal);
    const originalRemove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      count++;
      original(...args);
    }) as AbortSignal['addEventListener'];
    controller.signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => {
      count--;
      originalRemove(...args);
      added.resolve(count);
    }) as AbortSignal['removeEventListener'];
    const { fetch } = fakeFetch(streamingAnswer((b) => queueMicrotask(() => b.push(frame(event(1))))));
    await collect(openEventStream(config(fetch), { signal: controller.signal }), 1);
    expect(await added.promise).toBe(0);
  });
});
