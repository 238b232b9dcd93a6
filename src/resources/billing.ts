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

export type CheckoutParams = CreateCheckoutSessionData['body'];
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

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** The current plan and subscription status. */
  subscription(options?: RequestOptions): ApiPromise<DeepReadonly<GetSubscriptionResponse>> {
    return this.#transport.call('getSubscription', 'get', (o) => getSubscription(o), options);
  }

  /** Starts a checkout for a paid plan; send the user to `checkoutUrl`. */
  checkout(params: CheckoutParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreateCheckoutSessionResponse>> {
    return this.#transport.call('createCheckoutSession', 'post', (o) => createCheckoutSession({ ...o, body: params }), options);
  }

  /** Opens the billing portal of an existing subscription; send the user to `portalUrl`. */
  portal(params: PortalParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreatePortalSessionResponse>> {
    return this.#transport.call('createPortalSession', 'post', (o) => createPortalSession({ ...o, body: params }), options);
  }
}
