import { describe, expect, it } from 'vitest';
import { backoffCeiling } from '../../src/internal/backoff.js';
import { readCappedBody } from '../../src/internal/capped-body.js';

/** A body of `size` bytes, in chunks of `chunk`, with no Content-Length: counted while it streams. */
function streamed(size: number, chunk = 3): Response {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      const n = Math.min(chunk, size - sent);
      controller.enqueue(new Uint8Array(n).fill(97));
      sent += n;
    },
  });
  return new Response(body);
}

describe('readCappedBody', () => {
  it('reads a streamed body exactly at the cap and refuses one byte more', async () => {
    expect(await readCappedBody(streamed(10), 10)).toEqual(new Uint8Array(10).fill(97));
    expect(await readCappedBody(streamed(11), 10)).toBeUndefined();
  });

  it('trusts a declared Content-Length at the cap and refuses one past it before reading', async () => {
    const at = new Response('a'.repeat(10), { headers: { 'content-length': '10' } });
    expect(new TextDecoder().decode(await readCappedBody(at, 10))).toBe('a'.repeat(10));
    const past = new Response('a'.repeat(11), { headers: { 'content-length': '11' } });
    expect(await readCappedBody(past, 10)).toBeUndefined();
  });

  it('gives no bytes for a response without a body', async () => {
    expect(await readCappedBody(new Response(null, { status: 204 }), 10)).toEqual(new Uint8Array(0));
  });
});

describe('backoffCeiling', () => {
  it('doubles from the first wait and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffCeiling(500, 8_000, n))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it('stays finite for a huge attempt count', () => {
    expect(backoffCeiling(1, Number.MAX_VALUE, 10_000)).toBe(2 ** 31);
  });
});
