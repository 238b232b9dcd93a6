import type { WebhookVerificationErrorCode } from '../error-codes.js';
import { GrantexError } from '../errors.js';

export type { WebhookVerificationErrorCode };

/** Why a webhook delivery was rejected. */

/**
 * A webhook delivery failed verification. Answer it with a 4xx and do not act on it. The message
 * never contains the secret, the signature or the body.
 *
 * @example
 * ```ts
 * try {
 *   await verifyWebhook({ payload: rawBody, headers: request.headers, secret });
 * } catch (error) {
 *   if (error instanceof WebhookVerificationError) return new Response(error.code, { status: 400 });
 *   throw error;
 * }
 * ```
 */
export class WebhookVerificationError extends GrantexError {
  override name = 'WebhookVerificationError';
  declare readonly code: WebhookVerificationErrorCode;

  constructor(code: WebhookVerificationErrorCode, message: string) {
    super(message, code);
  }
}
