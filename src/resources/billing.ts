import { createCheckoutSession, createPortalSession, getSubscription } from '../../generated/sdk.gen.js';
import type {
  CreateCheckoutSessionData,
  CreateCheckoutSessionResponse,
  CreatePortalSessionData,
  CreatePortalSessionResponse,
  GetSubscriptionResponse,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import type { DeepReadonly } from '../core/types.js';
import type { RequestOptions, Transport } from '../internal/transport.js';

/**
 * The body of `client.billing.checkout`: the `plan` and where the provider sends the user back.
 *
 * @example
 * ```ts
 * const params: CheckoutParams = { plan: 'pro', successUrl: 'https://app.example/ok', cancelUrl: 'https://app.example/billing' };
 * ```
 */
export type CheckoutParams = CreateCheckoutSessionData['body'];
/**
 * The body of `client.billing.portal`: the `returnUrl` to come back to.
 *
 * @example
 * ```ts
 * const params: PortalParams = { returnUrl: 'https://app.example/billing' };
 * ```
 */
export type PortalParams = CreatePortalSessionData['body'];

/**
 * The developer's plan: current subscription, upgrade checkout and the billing portal.
 * `client.billing`. (The payment provider's webhook into Grantex is not part of the SDK.)
 *
 * @example
 * ```ts
 * const { plan } = await client.billing.subscription();
 * const { checkoutUrl } = await client.billing.checkout({ plan: 'pro', successUrl, cancelUrl });
 * ```
 */
export class Billing {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.billing`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * The current plan and subscription status (`free`, `active`, no period end if never subscribed).
   *
   * @example
   * ```ts
   * const { plan, status, currentPeriodEnd } = await client.billing.subscription();
   * ```
   */
  subscription(options?: RequestOptions): ApiPromise<DeepReadonly<GetSubscriptionResponse>> {
    return this.#transport.call('getSubscription', 'get', (o) => getSubscription(o), options);
  }

  /**
   * Starts a checkout for a paid plan; send the user to `checkoutUrl`. The plan changes only once the
   * provider confirms payment. A server without a payment provider throws `InternalServerError` (503).
   *
   * @example
   * ```ts
   * const { checkoutUrl } = await client.billing.checkout({ plan: 'pro', successUrl, cancelUrl });
   * ```
   */
  checkout(params: CheckoutParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreateCheckoutSessionResponse>> {
    return this.#transport.call('createCheckoutSession', 'post', (o) => createCheckoutSession({ ...o, body: params }), options);
  }

  /**
   * Opens the billing portal of an existing subscription; send the user to `portalUrl`. Without a
   * completed checkout it throws `BadRequestError`.
   *
   * @example
   * ```ts
   * const { portalUrl } = await client.billing.portal({ returnUrl: 'https://app.example/billing' });
   * ```
   */
  portal(params: PortalParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreatePortalSessionResponse>> {
    return this.#transport.call('createPortalSession', 'post', (o) => createPortalSession({ ...o, body: params }), options);
  }
}
