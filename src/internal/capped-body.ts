/**
 * Reading a response body with a size cap, counted while it streams: a server (or a proxy in front
 * of it) that sends more than it should costs us at most `max` bytes of memory. Shared by the
 * client's transport and the verifier's JWKS fetch; imports nothing, so the helper entries can use
 * it without the HTTP client.
 */

/**
 * The body's bytes, or `undefined` as soon as it is known to be larger than `max` (the declared
 * `Content-Length`, or the bytes counted so far); the rest of the body is then cancelled.
 */
export async function readCappedBody(response: Response, max: number): Promise<Uint8Array | undefined> {
  const body = response.body;
  if (body === null) return new Uint8Array(0);
  const declared = response.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared)) {
    if (Number(declared) > max) {
      void body.cancel().catch(() => undefined);
      return undefined;
    }
    // The runtime refuses a body longer than its declared length, so the cap holds.
    return new Uint8Array(await response.arrayBuffer());
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      void reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
