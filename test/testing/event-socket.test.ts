import { connect as tcpConnect } from 'node:net';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { RateLimitError } from '../../src/errors.js';
import type { GrantexEvent } from '../../src/events/index.js';
import { Grantex } from '../../src/index.js';
import { createTestServer, type TestServer } from '../../src/testing/index.js';

// `GET /v1/events/ws` on a listening test server: Node's own WebSocket client against the server's
// upgrade handling, and the SDK's `events.connect()` on top of it.

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});
async function listening(options: Parameters<typeof createTestServer>[0] = {}): Promise<TestServer> {
  const server = createTestServer({ onUnexpectedError: (error) => { throw error; }, ...options });
  servers.push(server);
  await server.listen(0);
  return server;
}

interface OpenSocket {
  readonly socket: WebSocket;
  readonly messages: string[];
  readonly closed: Promise<{ code: number; reason: string }>;
  next(count: number): Promise<string[]>;
}

/** Node's global WebSocket with the API key in the handshake (Node's non-standard `headers`). */
function openSocket(server: TestServer, key = server.apiKey): Promise<OpenSocket> {
  const Socket = WebSocket as unknown as new (url: string, init: { headers: Record<string, string> }) => WebSocket;
  const socket = new Socket(`${server.url.replace('http:', 'ws:')}/v1/events/ws`, { headers: { authorization: `Bearer ${key}` } });
  const messages: string[] = [];
  const waiters: (() => void)[] = [];
  socket.addEventListener('message', (event) => {
    messages.push(String(event.data));
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason })));
  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () =>
      resolve({
        socket,
        messages,
        closed,
        async next(count) {
          while (messages.length < count) await new Promise<void>((wake) => waiters.push(wake));
          return messages.slice(0, count);
        },
      }),
    );
    socket.addEventListener('error', () => reject(new Error('the socket failed to open')));
  });
}

/** A WebSocket client written out frame by frame, to send what a browser API cannot (pings, fragments). */
async function rawSocket(server: TestServer, key: string) {
  const url = new URL(server.url);
  const socket = tcpConnect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(
    `GET /v1/events/ws HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer ${key}\r\n\r\n`,
  );
  let buffer = Buffer.alloc(0);
  let handshake = false;
  const texts: string[] = [];
  const state = { pings: 0, pongs: 0 };
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (!handshake) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      expect(buffer.subarray(0, end).toString()).toContain('HTTP/1.1 101 Switching Protocols');
      // The accept value RFC 6455 gives for this key.
      expect(buffer.subarray(0, end).toString()).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
      handshake = true;
      buffer = buffer.subarray(end + 4);
    }
    while (buffer.length >= 2) {
      const opcode = buffer[0]! & 0x0f;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) [length, offset] = [buffer.readUInt16BE(2), 4];
      else if (length === 127) [length, offset] = [Number(buffer.readBigUInt64BE(2)), 10];
      if (buffer.length < offset + length) break;
      const payload = buffer.subarray(offset, offset + length);
      buffer = buffer.subarray(offset + length);
      if (opcode === 0x1) texts.push(payload.toString('utf8'));
      if (opcode === 0x9) state.pings++;
      if (opcode === 0xa) state.pongs++;
    }
    wake?.();
  });
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((resolve) => (wake = resolve));
  };
  const send = (opcode: number, payload: Uint8Array, fin = true) => {
    const mask = Buffer.from([1, 2, 3, 4]);
    const header = payload.length < 126 ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | payload.length]) : Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, payload.length >> 8, payload.length & 255]);
    socket.write(Buffer.concat([header, mask, Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!))]));
  };
  await until(() => handshake);
  return {
    get pings() {
      return state.pings;
    },
    send,
    sendText: (text: string) => send(0x1, new TextEncoder().encode(text)),
    /** A ping and its pong: everything sent before it has been read by the server. */
    async roundTrip() {
      const expected = state.pongs + 1;
      send(0x9, new Uint8Array(0));
      await until(() => state.pongs >= expected);
    },
    async texts(count: number) {
      await until(() => texts.length >= count);
      return texts.slice(0, count);
    },
    end: () => socket.destroy(),
  };
}

async function sandboxGrant(server: TestServer) {
  const client = new Grantex({ apiKey: server.sandboxApiKey, baseUrl: server.url, maxRetries: 0 });
  const agent = await client.agents.register({ name: 'calendar-agent', scopes: ['calendar:read'] });
  const request = await client.authorize({ agentId: agent.agentId, userId: 'user_alice', scopes: ['calendar:read'] });
  const token = await client.tokens.exchange({ code: request.code!, agentId: agent.agentId });
  return { client, token };
}

describe('the event socket on a listening server', () => {
  it('each event is one text message holding the event JSON, for the developer of the key only', async () => {
    const server = await listening();
    const sandbox = await openSocket(server, server.sandboxApiKey);
    const live = await openSocket(server, server.apiKey);
    await vi.waitFor(() => expect(server.eventConnections).toBe(2));
    const { token } = await sandboxGrant(server);
    const [created, issued] = (await sandbox.next(2)).map((text) => JSON.parse(text) as GrantexEvent);
    expect([created!.type, issued!.type]).toEqual(['grant.created', 'token.issued']);
    expect(Object.keys(created!)).toEqual(['id', 'type', 'createdAt', 'data']);
    expect(created!.data).toMatchObject({ grantId: token.grantId });
    sandbox.socket.close();
    live.socket.close();
    expect((await sandbox.closed).code).toBe(1005);
    await live.closed;
    expect(live.messages).toEqual([]);
    await vi.waitFor(() => expect(server.eventConnections).toBe(0));
  });

  it('`{"types": [...]}` from the client sets the filter, `[]` clears it; other messages are ignored', async () => {
    const server = await listening();
    const raw = await rawSocket(server, server.sandboxApiKey);
    raw.sendText('not json');
    raw.sendText(JSON.stringify({ types: 'grant.revoked' }));
    raw.sendText(JSON.stringify({ types: ['grant.revoked'] }));
    // Frames are read in order: the pong proves the filter was applied.
    await raw.roundTrip();
    const first = await sandboxGrant(server);
    await first.client.grants.revoke(first.token.grantId);
    const [revoked] = await raw.texts(1);
    expect(JSON.parse(revoked!)).toMatchObject({ type: 'grant.revoked', data: { grantId: first.token.grantId, cascade: false } });
    raw.sendText(JSON.stringify({ types: [] }));
    await raw.roundTrip();
    await sandboxGrant(server);
    const all = await raw.texts(3);
    expect(all.slice(1).map((text) => JSON.parse(text).type)).toEqual(['grant.created', 'token.issued']);
    raw.end();
  });

  it('a message split into fragments is read whole; binary messages are ignored', async () => {
    const server = await listening();
    const raw = await rawSocket(server, server.sandboxApiKey);
    const filter = new TextEncoder().encode(JSON.stringify({ types: ['token.issued'] }));
    raw.send(0x2, new TextEncoder().encode(JSON.stringify({ types: ['grant.revoked'] })));
    raw.send(0x1, filter.subarray(0, 5), false);
    raw.send(0x0, filter.subarray(5, 9), false);
    raw.send(0x0, filter.subarray(9));
    await raw.roundTrip();
    await sandboxGrant(server);
    expect((await raw.texts(1)).map((text) => JSON.parse(text).type)).toEqual(['token.issued']);
    raw.end();
  });

  it('a ping comes every `eventKeepaliveInterval` ms', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const server = await listening({ eventKeepaliveInterval: 10_000 });
      const raw = await rawSocket(server, server.apiKey);
      // (vi.waitFor would move the fake clock itself.)
      while (server.eventConnections < 1) await new Promise((resolve) => setTimeout(resolve, 2));
      vi.advanceTimersByTime(9_999);
      await raw.roundTrip();
      expect(raw.pings).toBe(0);
      vi.advanceTimersByTime(1);
      await raw.roundTrip();
      expect(raw.pings).toBe(1);
      vi.advanceTimersByTime(9_999);
      await raw.roundTrip();
      expect(raw.pings).toBe(1);
      vi.advanceTimersByTime(1);
      await raw.roundTrip();
      expect(raw.pings).toBe(2);
      raw.end();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a sixth socket of a developer is accepted, then closed with 1013 "Too many connections"', async () => {
    const server = await listening();
    const open = [];
    for (let i = 0; i < 5; i++) open.push(await openSocket(server));
    const sixth = await openSocket(server);
    expect(await sixth.closed).toEqual({ code: 1013, reason: 'Too many connections' });
    expect(server.eventConnections).toBe(5);
    // The SSE limit is counted apart: a stream still opens.
    const controller = new AbortController();
    const sse = fetch(`${server.url}/v1/events/stream`, { headers: { authorization: `Bearer ${server.apiKey}` }, signal: controller.signal }).catch(() => undefined);
    await vi.waitFor(() => expect(server.eventConnections).toBe(6));
    controller.abort();
    await sse;
    for (const socket of open) socket.socket.close();
  });

  it('the events.connect() of the SDK reads the feed', async () => {
    const server = await listening();
    const client = new Grantex({ apiKey: server.sandboxApiKey, baseUrl: server.url, maxRetries: 0 });
    const seen: GrantexEvent[] = [];
    const reading = (async () => {
      for await (const event of client.events.connect({ reconnect: false })) {
        seen.push(event);
        if (seen.length === 2) break;
      }
    })();
    await vi.waitFor(() => expect(server.eventConnections).toBe(1));
    const { token } = await sandboxGrant(server);
    await reading;
    expect(seen.map((e) => [e.type, (e.data as Record<string, unknown>)['grantId']])).toEqual([['grant.created', token.grantId], ['token.issued', token.grantId]]);
    await vi.waitFor(() => expect(server.eventConnections).toBe(0));
  });

  it('the SDK reports the 1013 close as RateLimitError TOO_MANY_CONNECTIONS', async () => {
    const server = await listening();
    const open = [];
    for (let i = 0; i < 5; i++) open.push(await openSocket(server));
    const client = new Grantex({ apiKey: server.apiKey, baseUrl: server.url, maxRetries: 0 });
    let caught: unknown;
    try {
      for await (const _ of client.events.connect({ reconnect: false })) break;
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RateLimitError);
    expect(caught).toMatchObject({ code: 'TOO_MANY_CONNECTIONS' });
    for (const socket of open) socket.socket.close();
  });

  it('dropEventConnections closes sockets with 1001', async () => {
    const server = await listening();
    const open = await openSocket(server);
    await vi.waitFor(() => expect(server.eventConnections).toBe(1));
    expect(server.dropEventConnections()).toBe(1);
    expect((await open.closed).code).toBe(1001);
    expect(server.eventConnections).toBe(0);
  });

  it('without a valid key the upgrade is answered 401 with the standard error body', async () => {
    const server = await listening();
    const url = new URL(server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = tcpConnect(Number(url.port), url.hostname, () => {
        socket.write(
          'GET /v1/events/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer not-a-key-of-this-server\r\n\r\n',
        );
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'UNAUTHORIZED', message: 'Invalid API key' });
    expect(server.eventConnections).toBe(0);
  });

  it('a plain GET (no upgrade) is answered 426', async () => {
    const server = await listening();
    const answer = await fetch(`${server.url}/v1/events/ws`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    expect(answer.status).toBe(426);
    expect(await answer.json()).toMatchObject({ code: 'BAD_REQUEST' });
  });
});
