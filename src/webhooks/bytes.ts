import { WebhookVerificationError } from './errors.js';

/** The raw request body, exactly as received. A parsed-and-re-serialised body will not verify. */
export type WebhookPayload = string | Uint8Array | ArrayBuffer;

export const encoder = new TextEncoder();

/**
 * `prefix` followed by the payload, as bytes: the input of an HMAC. Anything other than a string or
 * bytes (typically an already-parsed JSON object) is refused. Bytes are copied: WebCrypto refuses
 * views of a SharedArrayBuffer, and the caller may reuse its buffer.
 */
export function toBytes(payload: WebhookPayload, prefix = ''): Uint8Array<ArrayBuffer> {
  // One encode for the common case: the prefix is ASCII, so joining first gives the same bytes.
  if (typeof payload === 'string') return encoder.encode(prefix + payload);
  if (!(payload instanceof Uint8Array || payload instanceof ArrayBuffer)) {
    throw new WebhookVerificationError('WEBHOOK_PAYLOAD_INVALID', 'Webhook payload must be the raw body (string, Uint8Array or ArrayBuffer)');
  }
  const head = encoder.encode(prefix);
  const body = payload instanceof Uint8Array ? payload : new Uint8Array(payload);
  const data = new Uint8Array(head.length + body.length);
  data.set(head);
  data.set(body, head.length);
  return data;
}
