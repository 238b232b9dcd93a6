import { toBytes, type WebhookPayload } from './bytes.js';
import { WebhookVerificationError, type WebhookVerificationErrorCode } from './errors.js';
import { readHeader, type WebhookHeaders } from './headers.js';
import { hmacVerify, importHmacKey, type KeySource } from './hmac.js';

/** Input of {@link verifyWebhook} and `constructWebhookEvent`. */
export type VerifyWebhookInput = {
  /** The raw request body, exactly as received (read it before any JSON parsing). */
  payload: WebhookPayload;
  /** The webhook's `secret`, returned once when the webhook was created. */
  secret: string;
  /** Largest accepted distance, in seconds, between the timestamp and now, in either direction. Default 300. */
  toleranceSeconds?: number | undefined;
  /** The instant to check the timestamp against instead of the current time (tests). */
  now?: Date | undefined;
} & (
  | { /** The request headers; `X-Grantex-Signature-V2` and `X-Grantex-Timestamp` are read from them. */ headers: WebhookHeaders; signature?: never; timestamp?: never }
  | { /** The `X-Grantex-Signature-V2` value. */ signature: string | null | undefined; /** The `X-Grantex-Timestamp` value (Unix seconds). */ timestamp: string | number | null | undefined; headers?: never }
);

/** Input of {@link verifyLegacyWebhookSignature}. */
export type VerifyLegacyWebhookSignatureInput = {
  /** The raw request body, exactly as received (read it before any JSON parsing). */
  payload: WebhookPayload;
  /** The webhook's `secret`, returned once when the webhook was created. */
  secret: string;
} & (
  | { /** The request headers; `X-Grantex-Signature` is read from them. */ headers: WebhookHeaders; signature?: never }
  | { /** The `X-Grantex-Signature` value. */ signature: string | null | undefined; headers?: never }
);

const fail = (code: WebhookVerificationErrorCode, message: string) => new WebhookVerificationError(code, message);

/**
 * Checks the legacy `X-Grantex-Signature` (an HMAC-SHA256 of the body alone). Resolves when the
 * signature matches; otherwise rejects with a {@link WebhookVerificationError}
 * (`WEBHOOK_SIGNATURE_MISSING`, `WEBHOOK_SIGNATURE_INVALID`, `WEBHOOK_PAYLOAD_INVALID`).
 *
 * It resolves to nothing rather than to a boolean on purpose: a verifier that resolves to `false`
 * is a pass when a caller forgets `await` (`if (!verify(…))` tests the Promise, which is always
 * truthy). With no value to test, a failure can only be seen as a rejection, and TypeScript refuses
 * `if (!(await verifyLegacyWebhookSignature(…)))` ("An expression of type 'void' cannot be tested
 * for truthiness"). TypeScript does not flag `if (!promise)` itself; the lint rule
 * `@typescript-eslint/no-misused-promises` does.
 *
 * The legacy signature does not cover a timestamp, so a captured delivery can be replayed forever:
 * prefer {@link verifyWebhook}.
 *
 * @example
 * ```ts
 * try {
 *   await verifyLegacyWebhookSignature({ payload: await request.arrayBuffer(), headers: request.headers, secret });
 * } catch (error) {
 *   if (error instanceof WebhookVerificationError) return new Response(error.code, { status: 400 });
 *   throw error;
 * }
 * ```
 */
export function verifyLegacyWebhookSignature(input: VerifyLegacyWebhookSignatureInput): Promise<void> {
  return verifyLegacyWith(importHmacKey, input);
}

/** {@link verifyLegacyWebhookSignature} with the keys from `keyOf` (a verifier's cache, or a fresh import). */
export async function verifyLegacyWith(keyOf: KeySource, input: VerifyLegacyWebhookSignatureInput): Promise<void> {
  // A bad secret (or no input at all) is a programming error: report it before anything about the delivery.
  const key = keyOf(input?.secret);
  const signature = input.headers ? readHeader(input.headers, 'x-grantex-signature') : input.signature;
  if (!signature) throw fail('WEBHOOK_SIGNATURE_MISSING', 'Webhook has no X-Grantex-Signature signature');
  if (!(await hmacVerify(key, signature, toBytes(input.payload)))) {
    throw fail('WEBHOOK_SIGNATURE_INVALID', 'Webhook signature does not match the payload');
  }
}

/**
 * Verifies a delivery's v2 signature (`X-Grantex-Signature-V2`, an HMAC-SHA256 of
 * `"<timestamp>.<raw body>"`) and that `X-Grantex-Timestamp` is within `toleranceSeconds` of now in
 * both directions, which bounds how long a captured delivery can be replayed. Resolves (to nothing,
 * so that there is no boolean to forget to await) when the delivery is authentic; otherwise rejects
 * with a {@link WebhookVerificationError}.
 *
 * @example
 * ```ts
 * export default {
 *   async fetch(request: Request, env: { GRANTEX_WEBHOOK_SECRET: string }) {
 *     const payload = await request.arrayBuffer();
 *     await verifyWebhook({ payload, headers: request.headers, secret: env.GRANTEX_WEBHOOK_SECRET });
 *     return new Response('ok');
 *   },
 * };
 * ```
 */
export function verifyWebhook(input: VerifyWebhookInput): Promise<void> {
  return verifyWith(importHmacKey, input);
}

/** {@link verifyWebhook} with the keys from `keyOf` (a verifier's cache, or a fresh import). */
export async function verifyWith(keyOf: KeySource, input: VerifyWebhookInput): Promise<void> {
  // A bad secret (or no input at all) is a programming error: report it before anything about the delivery.
  const key = keyOf(input?.secret);
  const { headers, toleranceSeconds = 300 } = input;
  const signature = headers ? readHeader(headers, 'x-grantex-signature-v2') : input.signature;
  const timestamp = String((headers ? readHeader(headers, 'x-grantex-timestamp') : input.timestamp) ?? '').trim();
  if (!signature) throw fail('WEBHOOK_SIGNATURE_MISSING', 'Webhook has no X-Grantex-Signature-V2 signature');
  if (!/^\d{1,12}$/.test(timestamp)) throw fail('WEBHOOK_TIMESTAMP_INVALID', 'Webhook X-Grantex-Timestamp is missing or not Unix seconds');
  if (!(await hmacVerify(key, signature, toBytes(input.payload, timestamp + '.')))) {
    throw fail('WEBHOOK_SIGNATURE_INVALID', 'Webhook signature does not match the payload and timestamp');
  }
  // Checked after the signature, so this error means "authentic but stale": a replay or a skewed clock.
  const skew = Math.abs(Math.floor((input.now ?? new Date()).getTime() / 1000) - Number(timestamp));
  if (!(skew <= toleranceSeconds)) {
    throw fail('WEBHOOK_TIMESTAMP_OUT_OF_RANGE', `Webhook timestamp is ${skew} s away from now (tolerance ${toleranceSeconds} s)`);
  }
}
