import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GrantexAbortError, RateLimitError } from '../../src/errors.js';
import { type EventGapNotice, openEventStream } from '../../src/events/index.js';
import { API_KEY, collect, config, deferred, event, expectNoSecret, frame, LocalServer, startSse, tick, writeInPieces } from './support.js';

// The stream over real sockets: Node's fetch against a loopback server that behaves like the API
// (headers, keepalive comments, frames) and then misbehaves on purpose.
let server: LocalServer;
beforeAll(async () => {
  server = await LocalServer.start();
});
afterAll(async () => {
  await server.close();
});

const streamConfig = () => config(globalThis.fetch, `${server.url}/v1/events/stream`);

describe('over a local SSE server', () => {
  it('a 302 to another origin is not followed: the other origin never sees the key or the custom headers', async () => {
    const elsewhere = await LocalServer.start();
    try {
      elsewhere.sse((_req, res) => {
        startSse(res);
        res.end(frame(event(666)));
      });
      server.sse((_req, res) => void res.writeHead(302, { location: `${elsewhere.url}/v1/events/stream` }).end());
      const headers = { ...streamConfig().headers, 'x-tenant': 'acme' };
      const { events, error } = await collect(openEventStream({ ...streamConfig(), headers }, { reconnect: false }));
      expect(events).toEqual([]);
      expect(error).toMatchObject({ code: 'UNEXPECTED_REDIRECT', status: 302 });
      expect(server.seen).toHaveLength(1);
      expect(elsewhere.seen).toHaveLength(0);
      expectNoSecret(error);
    } finally {
      await elsewhere.close();
    }
  });

  it('a frame ended by CRs alone is delivered while the connection stays open and silent', async () => {
    server.sse((_req, res) => {
      startSse(res);
      res.write(`data: ${JSON.stringify(event(7))}\r\r`);
    });
    const { events } = await collect(openEventStream(streamConfig(), { reconnect: false }), 1);
    expect(events).toEqual([event(7)]);
  });

  it('reads frames cut at awkward byte positions, inside a UTF-8 character included', async () => {
    const data = { grantId: 'grnt_1', note: 'naïve ☃ 😀' };
    const bytes = Buffer.from(`: keepalive\n\n${frame(event(1, 'grant.revoked', data))}${frame(event(2))}`, 'utf8');
    const snowman = bytes.indexOf(Buffer.from('☃'));
    const emoji = bytes.indexOf(Buffer.from('😀'));
    // Inside "keepalive", inside "data:", inside ☃ (3 bytes), inside 😀 (4 bytes), between the two
    // newlines that end frame 1, and one byte into frame 2.
    const endOfFirst = bytes.indexOf('\n\n', snowman) + 1;
    const cuts = [4, 15, snowman + 1, snowman + 2, emoji + 3, endOfFirst, endOfFirst + 2];
    server.sse(async (_req, res) => {
      startSse(res);
      await writeInPieces(res, bytes, cuts);
      res.end();
    });
    const { events } = await collect(openEventStream(streamConfig(), { reconnect: false }));
    expect(events).toEqual([event(1, 'grant.revoked', data), event(2)]);
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]!.url).toBe('/v1/events/stream');
    expect(server.seen[0]!.headers['authorization']).toBe(`Bearer ${API_KEY}`);
    expect(server.seen[0]!.headers['accept']).toBe('text/event-stream');
  });

  it('sends the types filter as the comma-separated query the API splits', async () => {
    server.sse((_req, res) => {
      startSse(res);
      res.end(frame(event(1, 'budget.exhausted', { grantId: 'grnt_1', remaining: '0' })));
    });
    const { events } = await collect(openEventStream(streamConfig(), { types: ['budget.threshold', 'budget.exhausted'], reconnect: false }));
    expect(events).toHaveLength(1);
    const url = new URL(server.seen[0]!.url, server.url);
    expect(url.searchParams.get('types')?.split(',')).toEqual(['budget.threshold', 'budget.exhausted']);
  });

  it('a stalled connection (keepalive, then silence) is replaced, with a gap notice', async () => {
    const notices: EventGapNotice[] = [];
    server.sse(
      (_req, res) => {
        startSse(res);
        res.write(': keepalive\n\n');
      },
      (_req, res) => {
        startSse(res);
        res.write(frame(event(1)));
      },
    );
    const { events } = await collect(openEventStream(streamConfig(), { idleTimeout: 400, reconnect: { initialDelay: 1 }, onGap: (n) => notices.push(n) }), 1);
    expect(events).toEqual([event(1)]);
    expect(notices.map((n) => [n.phase, n.reason])).toEqual([['reconnecting', 'idle'], ['resumed', 'idle']]);
    // The stalled connection was closed by the client, and so was the second one after `break`.
    await server.seen[0]!.closed;
    await server.seen[1]!.closed;
  });

  it('a dropped connection (socket destroyed mid-stream) reconnects and says so', async () => {
    const notices: EventGapNotice[] = [];
    server.sse(
      async (_req, res) => {
        startSse(res);
        res.write(frame(event(1)));
        res.write('data: {"id":"evt_lost"');
        await tick(20);
        res.socket?.destroy();
      },
      (_req, res) => {
        startSse(res);
        res.write(frame(event(2)));
      },
    );
    const { events } = await collect(openEventStream(streamConfig(), { reconnect: { initialDelay: 1 }, onGap: (n) => notices.push(n) }), 2);
    expect(events).toEqual([event(1), event(2)]);
    expect(notices[0]).toMatchObject({ phase: 'reconnecting', reason: 'network', attempt: 1 });
    expect(notices[1]).toMatchObject({ phase: 'resumed', attempts: 1 });
    expect(server.seen).toHaveLength(2);
  });

  it('a stream the server ends cleanly reconnects with reason "ended"', async () => {
    const notices: EventGapNotice[] = [];
    server.sse(
      (_req, res) => {
        startSse(res);
        res.end(frame(event(1)));
      },
      (_req, res) => {
        startSse(res);
        res.write(frame(event(2)));
      },
    );
    const { events } = await collect(openEventStream(streamConfig(), { reconnect: { initialDelay: 1 }, onGap: (n) => notices.push(n) }), 2);
    expect(events).toEqual([event(1), event(2)]);
    expect(notices[0]).toMatchObject({ phase: 'reconnecting', reason: 'ended' });
  });

  it('429 TOO_MANY_CONNECTIONS is a typed error after exactly one request', async () => {
    server.sse((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ message: 'Max 5 concurrent SSE connections per developer', code: 'TOO_MANY_CONNECTIONS', requestId: 'req_429' }));
    });
    const { error } = await collect(openEventStream(streamConfig()));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'TOO_MANY_CONNECTIONS', requestId: 'req_429' });
    expectNoSecret(error);
    await tick(50);
    expect(server.seen).toHaveLength(1);
  });

  it('cancelled mid-frame: the loop throws GrantexAbortError and the server sees the connection close', async () => {
    const halfSent = deferred();
    server.sse(async (_req, res) => {
      startSse(res);
      res.write(frame(event(1)));
      res.write('data: {"id":"evt_2","type":"gra');
      halfSent.resolve();
    });
    const controller = new AbortController();
    const stream = openEventStream(streamConfig(), { signal: controller.signal });
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const item of stream) {
        seen.push(item);
        void halfSent.promise.then(() => tick(20)).then(() => controller.abort());
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual([event(1)]);
    expect(error).toBeInstanceOf(GrantexAbortError);
    await server.seen[0]!.closed;
  });

  it('break closes the connection, as the server sees', async () => {
    server.sse((_req, res) => {
      startSse(res);
      res.write(frame(event(1)));
    });
    const { events } = await collect(openEventStream(streamConfig()), 1);
    expect(events).toEqual([event(1)]);
    await server.seen[0]!.closed;
  });
});
