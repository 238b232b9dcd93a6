import { createWebhook, deleteWebhook, listWebhookDeliveries, listWebhooks } from '../../generated/sdk.gen.js';
import type {
  CreateWebhookData,
  CreateWebhookResponse,
  ListWebhookDeliveriesData,
  ListWebhookDeliveriesResponse,
  ListWebhooksResponse,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { byPageNumber, paginate, singlePage } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { discardBody } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

export type CreateWebhookParams = CreateWebhookData['body'];
export type ListWebhookDeliveriesParams = NonNullable<ListWebhookDeliveriesData['query']>;
export type WebhookDelivery = DeepReadonly<ListWebhookDeliveriesResponse['deliveries'][number]>;

/**
 * Webhook subscriptions and their delivery log. `client.webhooks`. Verify what arrives with
 * `constructWebhookEvent` from `@grantex/sdk/webhooks`.
 *
 * @example
 * ```ts
 * const { id, secret } = await client.webhooks.create({ url: 'https://app.example/hooks', events: ['grant.revoked'] });
 * // `secret` is shown only in this response: store it now.
 * ```
 */
export class Webhooks {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Subscribes a URL to events. The response carries the signing `secret`, shown only once. */
  create(params: CreateWebhookParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreateWebhookResponse>> {
    return this.#transport.call('createWebhook', 'post', (o) => createWebhook({ ...o, body: params }), options);
  }

  /** Every subscription (without secrets), newest first. */
  list(options?: RequestOptions): ApiPromise<DeepReadonly<ListWebhooksResponse>> {
    return this.#transport.call('listWebhooks', 'get', (o) => listWebhooks(o), options);
  }

  /** Every subscription. */
  listAll(options?: RequestOptions): AsyncGenerator<DeepReadonly<ListWebhooksResponse['webhooks'][number]>, void, undefined> {
    return paginate(() => this.list(options), undefined, singlePage<DeepReadonly<ListWebhooksResponse>, 'webhooks'>('webhooks'));
  }

  /** Removes a subscription. */
  delete(webhookId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteWebhook', 'delete', (o) => discardBody(deleteWebhook({ ...o, path: { id: pathParam('webhookId', webhookId) } })), options);
  }

  /** One page of a subscription's delivery attempts, newest first, with `total`. */
  deliveries(webhookId: string, params?: ListWebhookDeliveriesParams, options?: RequestOptions): ApiPromise<DeepReadonly<ListWebhookDeliveriesResponse>> {
    return this.#transport.call(
      'listWebhookDeliveries',
      'get',
      (o) => listWebhookDeliveries({ ...o, path: { id: pathParam('webhookId', webhookId) }, ...(params ? { query: params } : {}) }),
      options,
    );
  }

  /** Every delivery across pages. */
  allDeliveries(webhookId: string, params: ListWebhookDeliveriesParams = {}, options?: RequestOptions): AsyncGenerator<WebhookDelivery, void, undefined> {
    return paginate(
      (p) => this.deliveries(webhookId, p, options),
      params,
      byPageNumber<ListWebhookDeliveriesParams, DeepReadonly<ListWebhookDeliveriesResponse>, 'deliveries'>('deliveries'),
    );
  }
}
