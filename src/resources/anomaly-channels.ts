import { createAnomalyChannel, deleteAnomalyChannel, listAnomalyChannels } from '../../generated/sdk.gen.js';
import type { CreateAnomalyChannelData, CreateAnomalyChannelResponse, ListAnomalyChannelsResponse } from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { paginate, singlePage } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { decodeEach, type WithDecodedObjects } from '../internal/json-field.js';
import { discardBody, mapData } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

export type CreateAnomalyChannelParams = CreateAnomalyChannelData['body'];
export type AnomalyChannel = DeepReadonly<WithDecodedObjects<ListAnomalyChannelsResponse['channels'][number], 'config'>>;

/** Where alerts go: Slack, a webhook or email. `client.anomalies.channels`. */
export class AnomalyChannels {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Every channel, newest first; `config` decoded to an object. */
  list(options?: RequestOptions): ApiPromise<{ readonly channels: readonly AnomalyChannel[] }> {
    const operation = 'listAnomalyChannels';
    return this.#transport.call(operation, 'get', (o) => mapData(listAnomalyChannels(o), (data) => ({ channels: decodeEach(data.channels, ['config'], operation) })), options);
  }

  /** Every channel. */
  listAll(options?: RequestOptions): AsyncGenerator<AnomalyChannel, void, undefined> {
    return paginate(() => this.list(options), undefined, singlePage<{ readonly channels: readonly AnomalyChannel[] }, 'channels'>('channels'));
  }

  create(params: CreateAnomalyChannelParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreateAnomalyChannelResponse>> {
    return this.#transport.call('createAnomalyChannel', 'post', (o) => createAnomalyChannel({ ...o, body: params }), options);
  }

  delete(channelId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteAnomalyChannel', 'delete', (o) => discardBody(deleteAnomalyChannel({ ...o, path: { channelId: pathParam('channelId', channelId) } })), options);
  }
}
