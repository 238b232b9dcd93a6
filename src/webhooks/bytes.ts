import { WebhookVerificationError } from './errors.js';

/**
 * The raw request body, exactly as received: a string, or its bytes as any `ArrayBuffer`,
 * `SharedArrayBuffer` or view of one (`Uint8Array`, Node's `Buffer`, `DataView`, any typed array:
 * the bytes it spans are used). A parsed-and-re-serialised body will not verify.
 *
 * A string is encoded as UTF-8 exactly as given, including a leading U+FEFF (byte-order mark), so
 * a string and the bytes it was decoded from verify alike. Note that `request.text()` and a default
 * `TextDecoder` drop a leading byte-order mark: read the body as bytes when a sender may add one.
 */
export type WebhookPayload = string | ArrayBufferLike | ArrayBufferView;

export const encoder = new TextEncoder();

const BUFFER_TAG = /^\[object (?:Shared)?ArrayBuffer\]$/;

/**
 * `prefix` followed by the payload, as bytes: the input of an HMAC. The result is a private copy
 * (WebCrypto refuses views of a SharedArrayBuffer, and the caller may reuse its buffer).
 *
 * Buffers and views are recognised by their internal slots (`ArrayBuffer.isView`) and tags, not by
 * `instanceof`, so bytes made in another realm (a `vm` context, an iframe, a test runner's
 * sandbox) are accepted. Anything else, typically an already-parsed JSON object, is refused.
 */
export function toBytes(payload: unknown, prefix = ''): Uint8Array<ArrayBuffer> {
  // The prefix is ASCII, so encoding the joined string gives the same bytes as joining the encodings.
  if (typeof payload === 'string') return encoder.encode(prefix + payload);
  let body: Uint8Array | undefined;
  try {
    if (ArrayBuffer.isView(payload)) body = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
    else if (BUFFER_TAG.test(Object.prototype.toString.call(payload))) body = new Uint8Array(payload as ArrayBufferLike);
  } catch {
    // A detached buffer, or a view that no longer fits its buffer: reported as not a body below.
  }
  if (!body) {
    throw new WebhookVerificationError('WEBHOOK_PAYLOAD_INVALID', 'Webhook payload must be the raw body (a string or bytes)');
  }
  const head = encoder.encode(prefix);
  const data = new Uint8Array(head.length + body.length);
  data.set(head);
  data.set(body, head.length);
  return data;
}
