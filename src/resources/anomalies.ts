import { acknowledgeAnomaly, detectAnomalies, getAnomalyMetrics, listAnomalies } from '../../generated/sdk.gen.js';
import type {
  AcknowledgeAnomalyResponse,
  DetectAnomaliesResponse,
  GetAnomalyMetricsData,
  GetAnomalyMetricsResponse,
  ListAnomaliesData,
  ListAnomaliesResponse,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { paginate, singlePage } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { decodeEach, decodeObjectFields, type WithDecodedObjects } from '../internal/json-field.js';
import { mapData } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';
import { AnomalyAlerts } from './anomaly-alerts.js';
import { AnomalyChannels } from './anomaly-channels.js';
import { AnomalyRules } from './anomaly-rules.js';

/**
 * Filters of `client.anomalies.list`: `unacknowledged: true` keeps only the open ones.
 *
 * @example
 * ```ts
 * const params: ListAnomaliesParams = { unacknowledged: true };
 * ```
 */
export type ListAnomaliesParams = NonNullable<ListAnomaliesData['query']>;
/**
 * Filters of `client.anomalies.metrics`: a `window` (`1h`, `6h`, `24h`) and an optional `agentId`.
 *
 * @example
 * ```ts
 * const params: AnomalyMetricsParams = { window: '24h', agentId };
 * ```
 */
export type AnomalyMetricsParams = NonNullable<GetAnomalyMetricsData['query']>;
/**
 * A stored anomaly, with `metadata` decoded from the wire's JSON string to an object.
 *
 * @example
 * ```ts
 * const [latest] = (await client.anomalies.list()).anomalies;
 * console.log(latest?.type, latest?.severity, latest?.metadata);
 * ```
 */
export type Anomaly = DeepReadonly<WithDecodedObjects<AcknowledgeAnomalyResponse, 'metadata'>>;

/**
 * Unusual agent behaviour: detection runs, the alert queue, alerting rules and notification
 * channels. `client.anomalies`.
 *
 * Note that `detect()` also revokes every active grant of an agent with a high or critical
 * anomaly, as the server does.
 *
 * @example
 * ```ts
 * const { anomalies, autoRevokedGrants } = await client.anomalies.detect();
 * const { data: open } = await client.anomalies.alerts.list({ status: 'open', severity: 'high' });
 * ```
 */
export class Anomalies {
  /** The alert queue: list, get, acknowledge, resolve. */
  readonly alerts: AnomalyAlerts;
  /** Built-in and custom detection rules. */
  readonly rules: AnomalyRules;
  /** Where alerts are sent (Slack, webhook, email). */
  readonly channels: AnomalyChannels;
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.anomalies`. */
  constructor(transport: Transport) {
    this.#transport = transport;
    this.alerts = new AnomalyAlerts(transport);
    this.rules = new AnomalyRules(transport);
    this.channels = new AnomalyChannels(transport);
  }

  /**
   * Runs detection now over recent activity, stores and returns what it found. The run first
   * deletes every unacknowledged anomaly, and it revokes the active grants of agents with a high or
   * critical finding (counted in `autoRevokedGrants`).
   *
   * @example
   * ```ts
   * const { total, autoRevokedGrants } = await client.anomalies.detect();
   * ```
   */
  detect(options?: RequestOptions): ApiPromise<DeepReadonly<DetectAnomaliesResponse>> {
    return this.#transport.call('detectAnomalies', 'post', (o) => detectAnomalies(o), options);
  }

  /**
   * Stored anomalies, newest first, in one page (`unacknowledged: true` for the open ones).
   *
   * @example
   * ```ts
   * const { anomalies, total } = await client.anomalies.list({ unacknowledged: true });
   * ```
   */
  list(params?: ListAnomaliesParams, options?: RequestOptions): ApiPromise<DeepReadonly<Omit<ListAnomaliesResponse, 'anomalies'> & { anomalies: Anomaly[] }>> {
    const operation = 'listAnomalies';
    return this.#transport.call(
      operation,
      'get',
      (o) => mapData(listAnomalies({ ...o, ...(params ? { query: params } : {}) }), (data) => ({ ...data, anomalies: decodeEach(data.anomalies, ['metadata'], operation) })),
      options,
    );
  }

  /**
   * Every stored anomaly (the API returns them in one page).
   *
   * @example
   * ```ts
   * for await (const anomaly of client.anomalies.listAll({ unacknowledged: true })) console.log(anomaly.id, anomaly.description);
   * ```
   */
  listAll(params: ListAnomaliesParams = {}, options?: RequestOptions): AsyncGenerator<Anomaly, void, undefined> {
    return paginate((p) => this.list(p, options), params, singlePage<{ readonly anomalies: readonly Anomaly[] }, 'anomalies', ListAnomaliesParams>('anomalies'));
  }

  /**
   * Marks an anomaly as seen (`acknowledgedAt` becomes now); acknowledged anomalies survive later
   * detection runs. Throws `NotFoundError` for an unknown id.
   *
   * @example
   * ```ts
   * const anomaly = await client.anomalies.acknowledge(anomalyId);
   * ```
   */
  acknowledge(anomalyId: string, options?: RequestOptions): ApiPromise<Anomaly> {
    const operation = 'acknowledgeAnomaly';
    return this.#transport.call(
      operation,
      'patch',
      (o) => mapData(acknowledgeAnomaly({ ...o, path: { id: pathParam('anomalyId', anomalyId) } }), (data) => decodeObjectFields(data, ['metadata'], operation)),
      options,
    );
  }

  /**
   * Alert counts by status and severity over a window (1h, 6h or 24h), optionally for one agent.
   *
   * @example
   * ```ts
   * const { total, bySeverity } = await client.anomalies.metrics({ window: '6h' });
   * ```
   */
  metrics(params?: AnomalyMetricsParams, options?: RequestOptions): ApiPromise<DeepReadonly<GetAnomalyMetricsResponse>> {
    return this.#transport.call('getAnomalyMetrics', 'get', (o) => getAnomalyMetrics({ ...o, ...(params ? { query: params } : {}) }), options);
  }
}
