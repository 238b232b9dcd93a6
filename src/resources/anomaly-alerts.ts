import { acknowledgeAnomalyAlert, getAnomalyAlert, listAnomalyAlerts, resolveAnomalyAlert } from '../../generated/sdk.gen.js';
import type { GetAnomalyAlertResponse, ListAnomalyAlertsData, ListAnomalyAlertsResponse } from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { paginate, singlePage } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { decodeEach, decodeObjectFields, type WithDecodedObjects } from '../internal/json-field.js';
import { mapData } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

/**
 * Filters of `client.anomalies.alerts.list`: `status`, `severity`, `agentId` and a `limit`.
 *
 * @example
 * ```ts
 * const params: ListAnomalyAlertsParams = { status: 'open', severity: 'critical', limit: 50 };
 * ```
 */
export type ListAnomalyAlertsParams = NonNullable<ListAnomalyAlertsData['query']>;
/**
 * An anomaly in its alert form, with `context` always decoded to an object.
 *
 * @example
 * ```ts
 * const alert = await client.anomalies.alerts.get(alertId);
 * console.log(alert.ruleName, alert.status, alert.context);
 * ```
 */
export type AnomalyAlert = DeepReadonly<WithDecodedObjects<GetAnomalyAlertResponse, 'context'>>;

/**
 * The alert queue. `client.anomalies.alerts`. `context` is always returned as an object.
 *
 * @example
 * ```ts
 * const { data } = await client.anomalies.alerts.list({ status: 'open' });
 * for (const alert of data) await client.anomalies.alerts.acknowledge(alert.alertId, { note: 'on it' });
 * ```
 */
export class AnomalyAlerts {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.anomalies.alerts`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Alerts, newest first; `limit` caps the count (the server does not page alerts).
   *
   * @example
   * ```ts
   * const { data } = await client.anomalies.alerts.list({ status: 'open', limit: 20 });
   * ```
   */
  list(params?: ListAnomalyAlertsParams, options?: RequestOptions): ApiPromise<{ readonly data: readonly AnomalyAlert[] }> {
    const operation = 'listAnomalyAlerts';
    return this.#transport.call(
      operation,
      'get',
      (o) => mapData(listAnomalyAlerts({ ...o, ...(params ? { query: params } : {}) }), (data: ListAnomalyAlertsResponse) => ({ data: decodeEach(data.data, ['context'], operation) })),
      options,
    );
  }

  /**
   * Every alert up to `limit` (one request: there is no cursor).
   *
   * @example
   * ```ts
   * for await (const alert of client.anomalies.alerts.listAll({ severity: 'high' })) console.log(alert.alertId);
   * ```
   */
  listAll(params: ListAnomalyAlertsParams = {}, options?: RequestOptions): AsyncGenerator<AnomalyAlert, void, undefined> {
    return paginate((p) => this.list(p, options), params, singlePage<{ readonly data: readonly AnomalyAlert[] }, 'data', ListAnomalyAlertsParams>('data'));
  }

  /**
   * Fetches one alert. Throws `NotFoundError` for an unknown id or another developer's alert.
   *
   * @example
   * ```ts
   * const { status, description } = await client.anomalies.alerts.get(alertId);
   * ```
   */
  get(alertId: string, options?: RequestOptions): ApiPromise<AnomalyAlert> {
    const operation = 'getAnomalyAlert';
    return this.#transport.call(
      operation,
      'get',
      (o) => mapData(getAnomalyAlert({ ...o, path: { alertId: pathParam('alertId', alertId) } }), (data) => decodeObjectFields(data, ['context'], operation)),
      options,
    );
  }

  /**
   * Marks an alert as being looked at, whatever its state; `note` is stored with it but never
   * returned.
   *
   * @example
   * ```ts
   * await client.anomalies.alerts.acknowledge(alertId, { note: 'investigating' });
   * ```
   */
  acknowledge(alertId: string, params: { readonly note?: string } = {}, options?: RequestOptions): ApiPromise<AnomalyAlert> {
    const operation = 'acknowledgeAnomalyAlert';
    return this.#transport.call(
      operation,
      'post',
      (o) => mapData(acknowledgeAnomalyAlert({ ...o, path: { alertId: pathParam('alertId', alertId) }, body: params }), (data) => decodeObjectFields(data, ['context'], operation)),
      options,
    );
  }

  /**
   * Closes an alert, whatever its state (`acknowledgedAt` is kept); `note` is stored but never returned.
   *
   * @example
   * ```ts
   * await client.anomalies.alerts.resolve(alertId, { note: 'false positive' });
   * ```
   */
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
