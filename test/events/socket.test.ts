import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { GrantexAbortError, GrantexConfigurationError, GrantexConnectionError, GrantexInvalidResponseError, RateLimitError } from '../../src/errors.js';
import { type EventGapNotice, type EventSocketConfig, openEventSocket, type WebSocketLike } from '../../src/events/index.js';
import { API_KEY, collect, deferred, event, expectNoSecret, LocalServer, type ServerWebSocket, tick } from './support.js';

// Node 24's global WebSocket against a loopback server that speaks just enough RFC 6455.
let server: LocalServer;
beforeAll(async () => {
  server = await LocalServer.start();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const socketConfig = (): EventSocketConfig => ({
  url: `${server.url}/v1/events/ws`,
  headers: { authorization: `Bearer ${API_KEY}` },
  secrets: [API_KEY],
});

describe('over a local WebSocket server', () => {
  it('authenticates the upgrade with the header, sends the filter once open, and yields events', async () => {
    const filter = deferred<string>();
    server.upgrade(async (req, socket, accept) => {
      const ws = accept(req, socket);
      filter.resolve(await ws.nextMessage());
      ws.sendText(JSON.stringify(event(1, 'token.issued', { tokenId: 'tok_1' })));
      ws.sendText(JSON.stringify(event(2, 'grant.revoked')));
    });
    const { events } = await collect(openEventSocket(socketConfig(), { types: ['grant.revoked'] }), 1);
    // The filter applies on the client too: event 1 may come before the server read the filter.
    expect(events).toEqual([event(2, 'grant.revoked')]);
    expect(JSON.parse(await filter.promise)).toEqual({ types: ['grant.revoked'] });
    expect(server.seen[0]!.url).toBe('/v1/events/ws');
    expect(server.seen[0]!.headers['authorization']).toBe(`Bearer ${API_KEY}`);
    // `break` closed the socket.
    await server.seen[0]!.closed;
  });

  it('close code 1013 on the first connection is RateLimitError TOO_MANY_CONNECTIONS, not retried', async () => {
    server.upgrade((req, socket, accept) => {
      accept(req, socket).close(1013, 'Too many connections');
    });
    const { error } = await collect(openEventSocket(socketConfig()));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'TOO_MANY_CONNECTIONS', operation: 'events.connect' });
    expect((error as Error).message).toContain('Too many connections');
    expectNoSecret(error);
    await tick(50);
    expect(server.seen).toHaveLength(1);
  });

  it('a refused upgrade (401) is a GrantexConnectionError at once', async () => {
    server.upgrade((_req, socket) => {
      socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}');
    });
    const { error } = await collect(openEventSocket(socketConfig()));
    expect(error).toBeInstanceOf(GrantexConnectionError);
    expectNoSecret(error);
    // Node's WebSocket repeats a refused handshake once by itself (same key); the stream made one.
    expect(new Set(server.seen.map((s) => s.headers['sec-websocket-key'])).size).toBe(1);
  });

  it('a socket the server closes reconnects, re-sends the filter and tells the gap', async () => {
    const notices: EventGapNotice[] = [];
    const sockets: ServerWebSocket[] = [];
    server.upgrade(
      async (req, socket, accept) => {
        const ws = accept(req, socket);
        sockets.push(ws);
        await ws.nextMessage();
        ws.sendText(JSON.stringify(event(1)));
        ws.close(1001, 'going away');
      },
      async (req, socket, accept) => {
        const ws = accept(req, socket);
        sockets.push(ws);
        await ws.nextMessage();
        ws.sendText(JSON.stringify(event(2)));
      },
    );
    const { events } = await collect(
      openEventSocket(socketConfig(), { types: ['grant.revoked'], reconnect: { initialDelay: 1 }, onGap: (n) => notices.push(n) }),
      2,
    );
    expect(events).toEqual([event(1), event(2)]);
    expect(notices.map((n) => [n.phase, n.reason])).toEqual([['reconnecting', 'ended'], ['resumed', 'ended']]);
    expect(sockets).toHaveLength(2);
  });

  it('1013 while reconnecting is retried with backoff, then thrown after maxAttempts', async () => {
    const notices: EventGapNotice[] = [];
    server.upgrade(
      (req, socket, accept) => {
        accept(req, socket).close(1011, 'restart');
      },
      (req, socket, accept) => {
        accept(req, socket).close(1013, 'Too many connections');
      },
    );
    // The first socket closes with 1011 right after opening: it was live, so this is a drop.
    const { error } = await collect(openEventSocket(socketConfig(), { reconnect: { maxAttempts: 2, initialDelay: 1, maxDelay: 2 }, onGap: (n) => notices.push(n) }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(server.seen).toHaveLength(3);
    expect(notices.filter((n) => n.phase === 'reconnecting').map((n) => n.attempt)).toEqual([1, 2]);
  });

  it('aborting the signal closes the socket and throws GrantexAbortError', async () => {
    server.upgrade((req, socket, accept) => {
      accept(req, socket).sendText(JSON.stringify(event(1)));
    });
    const controller = new AbortController();
    const stream = openEventSocket(socketConfig(), { signal: controller.signal });
    const error = await (async () => {
      for await (const _ of stream) setTimeout(() => controller.abort(), 5);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrantexAbortError);
    await server.seen[0]!.closed;
  });
});

/** A scripted stand-in for the runtime's WebSocket. */
class FakeSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  closedWith: number | undefined;
  readonly #listeners = new Map<string, Set<(event: Event) => void>>();
  addEventListener(type: string, listener: (event: Event) => void): void {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: (event: Event) => void): void {
    this.#listeners.get(type)?.delete(listener);
  }
  listenerCount(): number {
    return [...this.#listeners.values()].reduce((n, set) => n + set.size, 0);
  }
  emit(type: string, init: Record<string, unknown> = {}): void {
    const event = Object.assign(new Event(type), init);
    for (const listener of this.#listeners.get(type) ?? []) listener(event);
  }
  open(): void {
    this.readyState = 1;
    this.emit('open');
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
}

describe('with an injected socket', () => {
  it('ignores binary messages, ends on a message that is not an event, and removes its listeners', async () => {
    const fake = new FakeSocket();
    const stream = openEventSocket({ ...socketConfig(), webSocket: () => fake });
    const result = collect(stream);
    await tick();
    fake.open();
    fake.emit('message', { data: new ArrayBuffer(4) });
    fake.emit('message', { data: JSON.stringify(event(1)) });
    fake.emit('message', { data: 'not json' });
    const { events, error } = await result;
    expect(events).toEqual([event(1)]);
    expect(error).toBeInstanceOf(GrantexInvalidResponseError);
    expect(fake.closedWith).toBe(1000);
    expect(fake.listenerCount()).toBe(0);
  });

  it('passes the URL as ws(s) and the headers to the factory', () => {
    const calls: [string, Record<string, string>][] = [];
    const factory = (url: string, headers: Readonly<Record<string, string>>) => {
      calls.push([url, { ...headers }]);
      return new FakeSocket();
    };
    const https = openEventSocket({ url: 'https://api.grantex.test/v1/events/ws', headers: { authorization: 'Bearer k' }, secrets: [], webSocket: factory });
    void https[Symbol.asyncIterator]().next();
    const ws = openEventSocket({ url: 'ws://127.0.0.1:1/v1/events/ws', headers: {}, secrets: [], webSocket: factory });
    void ws[Symbol.asyncIterator]().next();
    expect(calls).toEqual([
      ['wss://api.grantex.test/v1/events/ws', { authorization: 'Bearer k' }],
      ['ws://127.0.0.1:1/v1/events/ws', {}],
    ]);
    https.close();
    ws.close();
  });

  it('refuses other URL schemes', () => {
    expect(() => openEventSocket({ url: 'ftp://api.grantex.test/v1/events/ws', headers: {}, secrets: [], webSocket: () => new FakeSocket() })).toThrow(/ws\(s\)/);
    expect(() => openEventSocket({ url: '/v1/events/ws', headers: {}, secrets: [], webSocket: () => new FakeSocket() })).toThrow(/absolute/);
  });
});

describe('where the runtime cannot authenticate a WebSocket', () => {
  it('a browser (a document exists) gets GrantexConfigurationError, before any socket', () => {
    vi.stubGlobal('document', {});
    expect(() => openEventSocket(socketConfig())).toThrow(GrantexConfigurationError);
  });

  it('Cloudflare Workers get GrantexConfigurationError', () => {
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' });
    expect(() => openEventSocket(socketConfig())).toThrow(GrantexConfigurationError);
  });

  it('a runtime without a global WebSocket gets GrantexConfigurationError', () => {
    vi.stubGlobal('WebSocket', undefined);
    expect(() => openEventSocket(socketConfig())).toThrow(GrantexConfigurationError);
  });
});
