import { constructEventWith, type WebhookEvent } from './events.js';
import { cachedKeys } from './hmac.js';
import { verifyLegacyWith, verifyWith, type VerifyLegacyWebhookSignatureInput, type VerifyWebhookInput } from './verify.js';

/**
 * The webhook checks of {@link createWebhookVerifier}, sharing one key cache. Each method behaves
 * exactly like the function of the same name (`verifyWebhook`, `verifyLegacyWebhookSignature`,
 * `constructWebhookEvent`).
 *
 * @example
 * ```ts
 * const webhooks: WebhookVerifier = createWebhookVerifier();
 * await webhooks.verify({ payload: await request.arrayBuffer(), headers: request.headers, secret });
 * ```
 */
export interface WebhookVerifier {
  /** {@link verifyWebhook}, with the secret's key imported once per verifier. */
  verify(input: VerifyWebhookInput): Promise<void>;
  /** {@link verifyLegacyWebhookSignature}, with the secret's key imported once per verifier. */
  verifyLegacy(input: VerifyLegacyWebhookSignatureInput): Promise<void>;
  /** {@link constructWebhookEvent}, with the secret's key imported once per verifier. */
  constructEvent(input: VerifyWebhookInput): Promise<WebhookEvent>;
}

/**
 * A webhook verifier that keeps the imported HMAC keys of the last 8 secrets it was given, so a
 * receiver that creates it once pays for the key import once instead of on every delivery (the
 * import costs about as much as the HMAC). The functions `verifyWebhook` and friends import the key
 * on every call and keep nothing between calls. Two verifiers share nothing.
 *
 * @example
 * ```ts
 * import { createWebhookVerifier } from '@grantex/sdk/webhooks';
 *
 * const webhooks = createWebhookVerifier(); // once, next to the route
 * export async function POST(request: Request) {
 *   const event = await webhooks.constructEvent({
 *     payload: await request.arrayBuffer(),
 *     headers: request.headers,
 *     secret: process.env.GRANTEX_WEBHOOK_SECRET!,
 *   });
 *   return new Response(event.id);
 * }
 * ```
 */
export function createWebhookVerifier(): WebhookVerifier {
  const keys = cachedKeys();
  return Object.freeze({
    verify: (input: VerifyWebhookInput) => verifyWith(keys, input),
    verifyLegacy: (input: VerifyLegacyWebhookSignatureInput) => verifyLegacyWith(keys, input),
    constructEvent: (input: VerifyWebhookInput) => constructEventWith(keys, input),
  });
}
