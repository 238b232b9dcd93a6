import { request as httpRequest } from 'node:http';

import { afterEach, describe, expect, it } from 'vitest';

import { createTestServer, type TestServer } from '../../src/testing/index.js';

// The server stops reading a request body at 1 MiB and answers 413 with the standard error body,
// whether the size is declared (Content-Length) or only discovered while reading (chunked). The
// pipeline reads with the shared capped reader, which trusts a declared Content-Length; a Request
// handed to `server.fetch` can declare anything, so the pipeline makes the reader count every byte.

const LIMIT = 1024 * 1024;
const TOO_LARGE = { message: 'Request body is too large', code: 'BAD_REQUEST', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) };

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});
function server(): TestServer {
  const created = createTestServer({ onUnexpectedError: (error) => { throw error; } });
  servers.push(created);
  return created;
}

/** A valid agent registration padded with trailing spaces (still valid JSON) to exactly `size` bytes. */
function agentBody(size: number): Uint8Array<ArrayBuffer> {
  const json = JSON.stringify({ name: 'padded', scopes: ['files:read'] });
  return new TextEncoder().encode(json + ' '.repeat(size - json.length));
}

/** `bytes` as a stream of 64 KiB chunks, counting what the reader actually pulled. */
function chunked(bytes: Uint8Array) {
  const counter = { pulled: 0 };
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.byteLength) return controller.close();
        const chunk = bytes.subarray(offset, offset + 65_536);
        offset += chunk.byteLength;
        counter.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

function post(target: TestServer, body: BodyInit, headers: Record<string, string> = {}) {
  return target.fetch(`${target.url}/v1/agents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json', ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
}

/** A POST whose Content-Length claims 64 bytes whatever the stream holds. */
function understated(target: TestServer, stream: ReadableStream<Uint8Array>): Promise<Response> {
  const request = new Request(`${target.url}/v1/agents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json', 'content-length': '64' },
    body: stream,
    duplex: 'half',
  } as RequestInit);
  return target.fetch(request);
}

describe('request bodies are read up to 1 MiB', () => {
  it('with Content-Length: exactly 1 MiB is accepted, one byte more is 413', async () => {
    const target = server();
    const atLimit = await post(target, agentBody(LIMIT));
    expect(atLimit.status).toBe(201);
    expect(await atLimit.json()).toMatchObject({ name: 'padded' });
    const over = await post(target, agentBody(LIMIT + 1));
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual(TOO_LARGE);
  });

  it('chunked (no Content-Length): exactly 1 MiB is accepted, one byte more is 413', async () => {
    const target = server();
    const atLimit = await post(target, chunked(agentBody(LIMIT)).stream);
    expect(atLimit.status).toBe(201);
    const over = await post(target, chunked(agentBody(LIMIT + 1)).stream);
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual(TOO_LARGE);
  });

  it('a large chunked body is abandoned at the limit, not read to its end', async () => {
    const target = server();
    const { stream, counter } = chunked(agentBody(64 * LIMIT));
    const answer = await post(target, stream);
    expect(answer.status).toBe(413);
    expect(await answer.json()).toEqual(TOO_LARGE);
    // The chunk that crossed the limit, and at most one more already on its way.
    expect(counter.pulled).toBeLessThanOrEqual(LIMIT + 2 * 65_536);
  });

  it('a declared Content-Length over the limit is refused before any byte is read', async () => {
    const target = server();
    const { stream, counter } = chunked(agentBody(LIMIT + 1));
    const answer = await post(target, stream, { 'content-length': String(LIMIT + 1) });
    expect(answer.status).toBe(413);
    expect(await answer.json()).toEqual(TOO_LARGE);
    expect(counter.pulled).toBe(0);
  });

  it('over HTTP, an endless chunked upload is answered 413 while it is still being sent', { timeout: 30_000 }, async () => {
    const target = server();
    const url = new URL(await target.listen(0));
    const chunk = new Uint8Array(65_536).fill(0x20);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: '/v1/agents', method: 'POST', headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (part: string) => (body += part));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          res.on('error', reject);
        },
      );
      req.on('error', (error) => reject(error));
      // 2 MiB and the request never ends: only a server that stops at the limit can answer.
      for (let i = 0; i < 32; i++) req.write(chunk);
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual(TOO_LARGE);
  });
});

describe('a Content-Length that understates the body does not lift the 1 MiB cap', () => {
  it('the request really declares the short length (so the cases below test what they say)', () => {
    const request = new Request('http://grantex.test/', { method: 'POST', headers: { 'content-length': '64' }, body: chunked(agentBody(100)).stream, duplex: 'half' } as RequestInit);
    expect(request.headers.get('content-length')).toBe('64');
  });

  it('exactly 1 MiB is read and accepted', async () => {
    const target = server();
    const answer = await understated(target, chunked(agentBody(LIMIT)).stream);
    expect(answer.status).toBe(201);
    expect(await answer.json()).toMatchObject({ name: 'padded' });
  });

  it('one byte past 1 MiB is 413, and the upload is abandoned at the limit', async () => {
    const target = server();
    const { stream, counter } = chunked(agentBody(LIMIT + 1));
    const answer = await understated(target, stream);
    expect(answer.status).toBe(413);
    expect(await answer.json()).toEqual(TOO_LARGE);
    const large = chunked(agentBody(64 * LIMIT));
    const refused = await understated(target, large.stream);
    expect(refused.status).toBe(413);
    // The chunk that crossed the limit, and at most one more already on its way.
    expect(large.counter.pulled).toBeLessThanOrEqual(LIMIT + 2 * 65_536);
    expect(counter.pulled).toBe(LIMIT + 1);
  });
});
