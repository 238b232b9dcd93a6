import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { inspect } from 'node:util';
import { expect } from 'vitest';

import type { EventStreamConfig, GrantexEvent } from '../../src/events/index.js';

export const API_KEY = 'gx_test_live_events_key_0123456789abcdefghijklm';

export function event(n: number, type = 'grant.revoked', data: Record<string, unknown> = { grantId: `grnt_${n}`, cascade: false }): GrantexEvent {
  return { id: `evt_${n}`, type, createdAt: '2026-11-22T13:07:40.592Z', data } as GrantexEvent;
}

export const frame = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;

/** A promise with its resolve function outside, for test choreography. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects what a stream yields until it ends or throws. */
export async function collect(stream: AsyncIterable<GrantexEvent>, limit = Infinity): Promise<{ events: GrantexEvent[]; error: unknown }> {
  const events: GrantexEvent[] = [];
  try {
    for await (const item of stream) {
      events.push(item);
      if (events.length >= limit) break;
    }
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

/** Asserts that no surface of an error (message, JSON, inspect, cause chain, body) shows a secret. */
export function expectNoSecret(error: unknown, secrets: readonly string[] = [API_KEY]): void {
  const surfaces: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    if (current instanceof Error) {
      surfaces.push(current.message, String(current.stack));
      const body = (current as { body?: unknown }).body;
      if (body !== undefined) surfaces.push(typeof body === 'string' ? body : JSON.stringify(body));
      current = current.cause;
    } else {
      surfaces.push(inspect(current, { depth: 10 }));
      current = undefined;
    }
  }
  surfaces.push(JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }));
  for (const secret of secrets) for (const surface of surfaces) expect(surface).not.toContain(secret);
}

// ---------------------------------------------------------------------------------------------
// A fetch whose response bodies the test writes byte by byte.

export interface FakeBody {
  /** Sends bytes (a string is UTF-8 encoded). */
  push(chunk: string | Uint8Array): void;
  end(): void;
  fail(error: Error): void;
  /** Resolves when the reader cancelled the body or the request was aborted. */
  readonly released: Promise<void>;
  readonly isReleased: () => boolean;
}

export interface FakeCall {
  readonly url: string;
  readonly headers: Headers;
  readonly signal: AbortSignal | undefined;
}

export type FakeAnswer = (call: FakeCall) => Response | Promise<Response>;

/** A scripted fetch: each call takes the next answer (the last repeats) and is recorded. */
export function fakeFetch(...answers: FakeAnswer[]): { fetch: typeof fetch; calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: String(input), headers: new Headers(init?.headers), signal: init?.signal ?? undefined };
    calls.push(call);
    const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
    if (call.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    return answer(call);
  }) as typeof fetch;
  return { fetch: fetchImpl, calls };
}

/** A 200 event-stream response whose body the caller drives through the returned handle. */
export function streamingAnswer(onBody: (body: FakeBody, call: FakeCall) => void, headers: Record<string, string> = {}): FakeAnswer {
  return (call) => {
    const released = deferred();
    let isReleased = false;
    const release = (): void => {
      isReleased = true;
      released.resolve();
    };
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      cancel: release,
    });
    const encoder = new TextEncoder();
    const body: FakeBody = {
      push: (chunk) => {
        if (!isReleased) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      },
      end: () => {
        if (!isReleased) controller.close();
      },
      fail: (error) => {
        if (!isReleased) controller.error(error);
      },
      released: released.promise,
      isReleased: () => isReleased,
    };
    call.signal?.addEventListener('abort', () => {
      if (!isReleased) controller.error(new DOMException('aborted', 'AbortError'));
      release();
    });
    onBody(body, call);
    return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream', ...headers } });
  };
}

export const jsonAnswer =
  (status: number, body: unknown, headers: Record<string, string> = {}): FakeAnswer =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });

export function config(fetchImpl: typeof fetch, url = 'https://api.grantex.test/v1/events/stream'): EventStreamConfig {
  return {
    url,
    headers: { authorization: `Bearer ${API_KEY}`, accept: 'text/event-stream' },
    fetch: fetchImpl,
    secrets: [API_KEY],
  };
}

// ---------------------------------------------------------------------------------------------
// A loopback HTTP server for the SSE endpoint and the WebSocket upgrade.

export interface SeenRequest {
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  /** Resolves when the client's side of this request went away. */
  readonly closed: Promise<void>;
}

export type SseBehaviour = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
export type UpgradeBehaviour = (req: IncomingMessage, socket: Socket, accept: ServerSocket) => void | Promise<void>;

export class LocalServer {
  readonly seen: SeenRequest[] = [];
  #sse: SseBehaviour[] = [];
  #upgrade: UpgradeBehaviour[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<LocalServer> {
    const server = createServer();
    const local = new LocalServer(server);
    server.on('connection', (socket) => {
      socket.setNoDelay(true);
      local.#sockets.add(socket);
      socket.on('close', () => local.#sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      const closed = deferred();
      res.on('close', () => closed.resolve());
      local.seen.push({ url: req.url ?? '', headers: req.headers, closed: closed.promise });
      req.resume();
      const behaviour = local.#sse.length > 1 ? local.#sse.shift()! : local.#sse[0];
      if (!behaviour) {
        res.writeHead(500).end('no behaviour scripted');
        return;
      }
      void behaviour(req, res);
    });
    server.on('upgrade', (req, socket: Socket) => {
      const closed = deferred();
      socket.on('close', () => closed.resolve());
      local.seen.push({ url: req.url ?? '', headers: req.headers, closed: closed.promise });
      const behaviour = local.#upgrade.length > 1 ? local.#upgrade.shift()! : local.#upgrade[0];
      if (!behaviour) {
        socket.destroy();
        return;
      }
      void behaviour(req, socket, acceptUpgrade);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return local;
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Scripts the answers to the next SSE requests, in order; the last repeats. */
  sse(...behaviours: SseBehaviour[]): void {
    this.seen.length = 0;
    this.#sse = behaviours;
  }

  /** Scripts the answers to the next upgrade requests, in order; the last repeats. */
  upgrade(...behaviours: UpgradeBehaviour[]): void {
    this.seen.length = 0;
    this.#upgrade = behaviours;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Starts an SSE response the way the API does: status and headers, nothing flushed yet. */
export function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
}

/** Writes bytes as separate TCP segments (a pause between writes keeps them from coalescing). */
export async function writeInPieces(res: ServerResponse, bytes: Buffer, cuts: readonly number[]): Promise<void> {
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut > start) {
      res.write(bytes.subarray(start, cut));
      await tick(5);
    }
    start = cut;
  }
}

// ---------------------------------------------------------------------------------------------
// Just enough of RFC 6455 for a server: the handshake, unmasked text and close frames out,
// masked frames in.

export interface ServerSocket {
  /** Completes the handshake. */
  (req: IncomingMessage, socket: Socket): ServerWebSocket;
}

export interface ServerWebSocket {
  sendText(text: string): void;
  close(code: number, reason?: string): void;
  /** Text messages received from the client. */
  readonly received: string[];
  /** Resolves with the next text message from the client. */
  nextMessage(): Promise<string>;
  /** Resolves with the close code the client sent (or 1006 when the TCP connection just ended). */
  readonly clientClosed: Promise<number>;
}

const acceptUpgrade: ServerSocket = (req, socket) => {
  const key = String(req.headers['sec-websocket-key']);
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, '', ''].join('\r\n'));
  const received: string[] = [];
  const waiting: ((text: string) => void)[] = [];
  const clientClosed = deferred<number>();
  let buffer = Buffer.alloc(0);
  socket.on('data', (data: Buffer) => {
    buffer = Buffer.concat([buffer, data]);
    for (;;) {
      if (buffer.length < 2) return;
      const opcode = buffer[0]! & 0x0f;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        throw new Error('frames over 64 KiB are not used in these tests');
      }
      if (buffer.length < offset + 4 + length) return;
      const mask = buffer.subarray(offset, offset + 4);
      const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + length));
      for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
      buffer = buffer.subarray(offset + 4 + length);
      if (opcode === 0x1) {
        const text = payload.toString('utf8');
        const waiter = waiting.shift();
        if (waiter) waiter(text);
        else received.push(text);
      } else if (opcode === 0x8) {
        clientClosed.resolve(payload.length >= 2 ? payload.readUInt16BE(0) : 1005);
        socket.end();
      }
    }
  });
  socket.on('close', () => clientClosed.resolve(1006));
  const frameOut = (opcode: number, payload: Buffer): void => {
    const header = payload.length < 126 ? Buffer.from([0x80 | opcode, payload.length]) : Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff]);
    if (!socket.destroyed) socket.write(Buffer.concat([header, payload]));
  };
  return {
    sendText: (text) => frameOut(0x1, Buffer.from(text, 'utf8')),
    close: (code, reason = '') => {
      const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
      payload.writeUInt16BE(code, 0);
      payload.write(reason, 2);
      frameOut(0x8, payload);
    },
    received,
    nextMessage: () => (received.length > 0 ? Promise.resolve(received.shift()!) : new Promise((resolve) => waiting.push(resolve))),
    clientClosed: clientClosed.promise,
  };
};
