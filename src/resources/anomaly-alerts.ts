import { acknowledgeAnomalyAlert, getAnomalyAlert, listAnomalyAlerts, resolveAnomalyAlert } from '../../generated/sdk.gen.js';
import type { GetAnomalyAlertResponse, ListAnomalyAlertsData, ListAnomalyAlertsResponse } from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { paginate, singlePage } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { decodeEach, decodeObjectFields, type WithDecodedObjects } from '../internal/json-field.js';
import { mapData } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

export type ListAnomalyAlertsParams = NonNullable<ListAnomalyAlertsData['query']>;
export type AnomalyAlert = DeepReadonly<WithDecodedObjects<GetAnomalyAlertResponse, 'context'>>;

/** The alert queue. `client.anomalies.alerts`. `context` is always returned as an object. */
export class AnomalyAlerts {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Alerts, newest first; `limit` caps the count (the server does not page alerts). */
  list(params?: ListAnomalyAlertsParams, options?: RequestOptions): ApiPromise<{ readonly data: readonly AnomalyAlert[] }> {
    const operation = 'listAnomalyAlerts';
    return this.#transport.call(
      operation,
      'get',
      (o) => mapData(listAnomalyAlerts({ ...o, ...(params ? { query: params } : {}) }), (data: ListAnomalyAlertsResponse) => ({ data: decodeEach(data.data, ['context'], operation) })),
      options,
    );
  }

  /** Every alert up to `limit`. */
  listAll(params: ListAnomalyAlertsParams = {}, options?: RequestOptions): AsyncGenerator<AnomalyAlert, void, undefined> {
    return paginate((p) => this.list(p, options), params, singlePage<{ readonly data: readonly AnomalyAlert[] }, 'data', ListAnomalyAlertsParams>('data'));
  }

  get(alertId: string, options?: RequestOptions): ApiPromise<AnomalyAlert> {
    const operation = 'getAnomalyAlert';
    return this.#transport.call(
      operation,
      'get',
      (o) => mapData(getAnomalyAlert({ ...o, path: { alertId: pathParam('alertId', alertId) } }), (data) => decodeObjectFields(data, ['context'], operation)),
      options,
    );
  }

  /** Marks an alert as being looked at; `note` is stored with it. */
  acknowledge(alertId: string, params: { readonly note?: string } = {}, options?: RequestOptions): ApiPromise<AnomalyAlert> {
    const operation = 'acknowledgeAnomalyAlert';
    return this.#transport.call(
      operation,
      'post',
      (o) => mapData(acknowledgeAnomalyAlert({ ...o, path: { alertId: pathParam('alertId', alertId) }, body: params }), (data) => decodeObjectFields(data, ['context'], operation)),
      options,
    );
  }

  /** Closes an alert. */
  resolve(alertId: string, params: { readonly note?: string } = {}, options?: RequestOptions): ApiPromise<AnomalyAlert> {
    const operation = 'resolveAnomalyAlert';
    return this.#transport.call(
      operation,
      'post',
      (o) => mapData(resolveAnomalyAlert({ ...o, path: { alertId: pathParam('alertId', alertId) }, body: params }), (data) => decodeObjectFields(data, ['context'], operation)),
      options,
    );
  }
}
