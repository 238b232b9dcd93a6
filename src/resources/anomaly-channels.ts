import { createAnomalyChannel, deleteAnomalyChannel, listAnomalyChannels } from '../../generated/sdk.gen.js';
import type { CreateAnomalyChannelData, CreateAnomalyChannelResponse, ListAnomalyChannelsResponse } from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { paginate, singlePage } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { decodeEach, type WithDecodedObjects } from '../internal/json-field.js';
import { discardBody, mapData } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

/**
 * The body of `client.anomalies.channels.create`: `type`, `name`, free-form `config`, optional `severities`.
 *
 * @example
 * ```ts
 * const params: CreateAnomalyChannelParams = { type: 'slack', name: 'oncall', config: { webhookUrl } };
 * ```
 */
export type CreateAnomalyChannelParams = CreateAnomalyChannelData['body'];
/**
 * A notification channel, with `config` decoded from the wire's JSON string to an object.
 *
 * @example
 * ```ts
 * const { channels } = await client.anomalies.channels.list();
 * console.log(channels[0]?.type, channels[0]?.config);
 * ```
 */
export type AnomalyChannel = DeepReadonly<WithDecodedObjects<ListAnomalyChannelsResponse['channels'][number], 'config'>>;

/**
 * Where alerts go: Slack, a webhook or email. `client.anomalies.channels`.
 *
 * @example
 * ```ts
 * await client.anomalies.channels.create({ type: 'email', name: 'security', config: { to: 'sec@acme.example' }, severities: ['critical'] });
 * ```
 */
export class AnomalyChannels {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.anomalies.channels`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Every channel, newest first; `config` decoded to an object.
   *
   * @example
   * ```ts
   * const { channels } = await client.anomalies.channels.list();
   * ```
   */
  list(options?: RequestOptions): ApiPromise<{ readonly channels: readonly AnomalyChannel[] }> {
    const operation = 'listAnomalyChannels';
    return this.#transport.call(operation, 'get', (o) => mapData(listAnomalyChannels(o), (data) => ({ channels: decodeEach(data.channels, ['config'], operation) })), options);
  }

  /**
   * Every channel (the API returns them in one page).
   *
   * @example
   * ```ts
   * for await (const channel of client.anomalies.channels.listAll()) console.log(channel.name);
   * ```
   */
  listAll(options?: RequestOptions): AsyncGenerator<AnomalyChannel, void, undefined> {
    return paginate(() => this.list(options), undefined, singlePage<{ readonly channels: readonly AnomalyChannel[] }, 'channels'>('channels'));
  }

  /**
   * Adds a channel; it starts enabled. The server checks neither `config` nor `severities`, so
   * validate them yourself.
   *
   * @example
   * ```ts
   * const { id } = await client.anomalies.channels.create({ type: 'webhook', name: 'siem', config: { url: 'https://siem.example/in' } });
   * ```
   */
  create(params: CreateAnomalyChannelParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreateAnomalyChannelResponse>> {
    return this.#transport.call('createAnomalyChannel', 'post', (o) => createAnomalyChannel({ ...o, body: params }), options);
  }

  /**
   * Deletes a channel for good. Throws `NotFoundError` for an unknown id.
   *
   * @example
   * ```ts
   * await client.anomalies.channels.delete(channelId);
   * ```
   */
  delete(channelId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteAnomalyChannel', 'delete', (o) => discardBody(deleteAnomalyChannel({ ...o, path: { channelId: pathParam('channelId', channelId) } })), options);
  }
}
