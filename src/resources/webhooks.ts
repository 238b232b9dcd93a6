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

/**
 * The body of `client.webhooks.create`: the `url` and the `events` to send there.
 *
 * @example
 * ```ts
 * const params: CreateWebhookParams = { url: 'https://app.example/hooks', events: ['grant.created', 'grant.revoked'] };
 * ```
 */
export type CreateWebhookParams = CreateWebhookData['body'];
/**
 * Filters of `client.webhooks.deliveries`: `status`, plus `page` and `pageSize`.
 *
 * @example
 * ```ts
 * const params: ListWebhookDeliveriesParams = { status: 'failed', pageSize: 50 };
 * ```
 */
export type ListWebhookDeliveriesParams = NonNullable<ListWebhookDeliveriesData['query']>;
/**
 * One delivery attempt record: event, `status`, `attempts` and the `lastError`.
 *
 * @example
 * ```ts
 * const { deliveries } = await client.webhooks.deliveries(webhookId);
 * const failed = deliveries.filter((delivery: WebhookDelivery) => delivery.status === 'failed');
 * ```
 */
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

  /** Created by the client; reach it as `client.webhooks`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Subscribes a URL to events. The response carries the signing `secret`, shown only once; past the
   * plan's webhook limit it throws `PaymentRequiredError`.
   *
   * @example
   * ```ts
   * const { id, secret } = await client.webhooks.create({ url: 'https://app.example/hooks', events: ['grant.revoked'] });
   * ```
   */
  create(params: CreateWebhookParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreateWebhookResponse>> {
    return this.#transport.call('createWebhook', 'post', (o) => createWebhook({ ...o, body: params }), options);
  }

  /**
   * Every subscription (without secrets), newest first.
   *
   * @example
   * ```ts
   * const { webhooks } = await client.webhooks.list();
   * ```
   */
  list(options?: RequestOptions): ApiPromise<DeepReadonly<ListWebhooksResponse>> {
    return this.#transport.call('listWebhooks', 'get', (o) => listWebhooks(o), options);
  }

  /**
   * Every subscription (the API returns them in one page).
   *
   * @example
   * ```ts
   * for await (const webhook of client.webhooks.listAll()) console.log(webhook.url, webhook.events);
   * ```
   */
  listAll(options?: RequestOptions): AsyncGenerator<DeepReadonly<ListWebhooksResponse['webhooks'][number]>, void, undefined> {
    return paginate(() => this.list(options), undefined, singlePage<DeepReadonly<ListWebhooksResponse>, 'webhooks'>('webhooks'));
  }

  /**
   * Removes a subscription; no further events are sent to its URL.
   *
   * @example
   * ```ts
   * await client.webhooks.delete(webhookId);
   * ```
   */
  delete(webhookId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteWebhook', 'delete', (o) => discardBody(deleteWebhook({ ...o, path: { id: pathParam('webhookId', webhookId) } })), options);
  }

  /**
   * One page of a subscription's delivery attempts, newest first, with `total`.
   *
   * @example
   * ```ts
   * const { deliveries, total } = await client.webhooks.deliveries(webhookId, { status: 'failed', page: 1 });
   * ```
   */
  deliveries(webhookId: string, params?: ListWebhookDeliveriesParams, options?: RequestOptions): ApiPromise<DeepReadonly<ListWebhookDeliveriesResponse>> {
    return this.#transport.call(
      'listWebhookDeliveries',
      'get',
      (o) => listWebhookDeliveries({ ...o, path: { id: pathParam('webhookId', webhookId) }, ...(params ? { query: params } : {}) }),
      options,
    );
  }

  /**
   * Every delivery across pages, fetched lazily.
   *
   * @example
   * ```ts
   * for await (const delivery of client.webhooks.allDeliveries(webhookId, { status: 'failed' })) console.log(delivery.eventType, delivery.lastError);
   * ```
   */
  allDeliveries(webhookId: string, params: ListWebhookDeliveriesParams = {}, options?: RequestOptions): AsyncGenerator<WebhookDelivery, void, undefined> {
    return paginate(
      (p) => this.deliveries(webhookId, p, options),
      params,
      byPageNumber<ListWebhookDeliveriesParams, DeepReadonly<ListWebhookDeliveriesResponse>, 'deliveries'>('deliveries'),
    );
  }
}
