import { GrantexInvalidArgumentError } from '../errors.js';
import { toBytes, type WebhookPayload } from './bytes.js';
import { hmacSign, importHmacKey } from './hmac.js';

/**
 * The signature headers a Grantex server sends with a delivery. A type alias rather than an
 * interface, so it can be passed straight to `fetch`, `new Headers()` or `verifyWebhook`.
 */
export type WebhookSignatureHeaders = {
  readonly 'X-Grantex-Signature': string;
  readonly 'X-Grantex-Signature-V2': string;
  readonly 'X-Grantex-Timestamp': string;
};

/**
 * Signs a payload the way a Grantex server does, to test a webhook receiver without a server.
 * `timestamp` is Unix seconds (default: now).
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ id: 'evt_1', type: 'grant.revoked', createdAt: new Date().toISOString(), data: { grantId: 'grnt_1', cascade: true } });
 * const headers = await signWebhookPayload({ payload: body, secret: 'test-secret' });
 * await fetch('http://localhost:8787/webhooks/grantex', { method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' } });
 * ```
 */
export async function signWebhookPayload(input: { payload: WebhookPayload; secret: string; timestamp?: number | undefined }): Promise<WebhookSignatureHeaders> {
  const key = importHmacKey(input?.secret);
  const { timestamp = Math.floor(Date.now() / 1000) } = input;
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new GrantexInvalidArgumentError('Webhook timestamp must be whole Unix seconds');
  const seconds = String(timestamp);
  // One copy of the body for both signatures, so that they cover the same bytes.
  const body = toBytes(input.payload);
  return {
    'X-Grantex-Signature': await hmacSign(await key, body),
    'X-Grantex-Signature-V2': await hmacSign(await key, toBytes(body, seconds + '.')),
    'X-Grantex-Timestamp': seconds,
  };
}
