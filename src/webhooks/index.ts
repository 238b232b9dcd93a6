/**
 * Verification of Grantex webhook deliveries (HMAC-SHA256 on WebCrypto), for any JavaScript runtime:
 * Node, Deno, Bun, Cloudflare Workers and browsers.
 *
 * @module @grantex/sdk/webhooks
 */
export { verifyLegacyWebhookSignature, verifyWebhook, type VerifyLegacyWebhookSignatureInput, type VerifyWebhookInput } from './verify.js';
export {
  constructWebhookEvent,
  isKnownWebhookEvent,
  type GrantCreatedEvent,
  type GrantRevokedEvent,
  type KnownWebhookEvent,
  type TokenIssuedEvent,
  type UnknownWebhookEvent,
  type WebhookEvent,
} from './events.js';
export { createWebhookVerifier, type WebhookVerifier } from './verifier.js';
export { signWebhookPayload, type WebhookSignatureHeaders } from './sign.js';
export { WebhookVerificationError, type WebhookVerificationErrorCode } from './errors.js';
export type { WebhookPayload } from './bytes.js';
export type { WebhookHeaders } from './headers.js';
