import { createAnomalyRule, deleteAnomalyRule, listAnomalyRules, updateAnomalyRule } from '../../generated/sdk.gen.js';
import type { CreateAnomalyRuleData, CreateAnomalyRuleResponse, ListAnomalyRulesResponse } from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { paginate, singlePage } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { decodeEach, decodeObjectFields, type WithDecodedObjects } from '../internal/json-field.js';
import { discardBody, mapData } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

/**
 * The body of `client.anomalies.rules.create`: a `ruleId` label, `name`, free-form `condition`, and optional fields.
 *
 * @example
 * ```ts
 * const params: CreateAnomalyRuleParams = { ruleId: 'bulk-export', name: 'Bulk export', condition: { action: 'export', over: 100 }, severity: 'high' };
 * ```
 */
export type CreateAnomalyRuleParams = CreateAnomalyRuleData['body'];
/**
 * A built-in or custom rule (`builtIn` tells them apart), with `condition` decoded to an object.
 *
 * @example
 * ```ts
 * const { rules } = await client.anomalies.rules.list();
 * const custom = rules.filter((rule) => !rule.builtIn);
 * ```
 */
export type AnomalyRule = DeepReadonly<WithDecodedObjects<ListAnomalyRulesResponse['rules'][number], 'condition'>>;

/**
 * Detection rules: the ten built-ins and your custom ones. `client.anomalies.rules`.
 * Custom rules are addressed by their `id` (`arule_…`), not by their `ruleId` label.
 *
 * @example
 * ```ts
 * const rule = await client.anomalies.rules.create({ ruleId: 'late-night', name: 'Late night', condition: { hours: [0, 5] } });
 * await client.anomalies.rules.update(rule.id, { enabled: false });
 * ```
 */
export class AnomalyRules {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.anomalies.rules`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Built-in rules first, then custom rules newest first; `condition` decoded to an object.
   *
   * @example
   * ```ts
   * const { rules } = await client.anomalies.rules.list();
   * ```
   */
  list(options?: RequestOptions): ApiPromise<{ readonly rules: readonly AnomalyRule[] }> {
    const operation = 'listAnomalyRules';
    return this.#transport.call(
      operation,
      'get',
      (o) => mapData(listAnomalyRules(o), (data) => ({ rules: decodeEach(data.rules, ['condition'], operation) as AnomalyRule[] })),
      options,
    );
  }

  /**
   * Every rule, built-in and custom (the API returns them in one page).
   *
   * @example
   * ```ts
   * for await (const rule of client.anomalies.rules.listAll()) console.log(rule.ruleId, rule.enabled);
   * ```
   */
  listAll(options?: RequestOptions): AsyncGenerator<AnomalyRule, void, undefined> {
    return paginate(() => this.list(options), undefined, singlePage<{ readonly rules: readonly AnomalyRule[] }, 'rules'>('rules'));
  }

  /**
   * Adds a custom rule; it starts enabled. `condition` is stored as given, and `ruleId` is only
   * your label (it need not be unique).
   *
   * @example
   * ```ts
   * const { id } = await client.anomalies.rules.create({ ruleId: 'bulk-export', name: 'Bulk export', condition: { action: 'export' } });
   * ```
   */
  create(params: CreateAnomalyRuleParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreateAnomalyRuleResponse>> {
    return this.#transport.call('createAnomalyRule', 'post', (o) => createAnomalyRule({ ...o, body: params }), options);
  }

  /**
   * Enables or disables a custom rule by its `id`. Built-in rules throw `NotFoundError`.
   *
   * @example
   * ```ts
   * await client.anomalies.rules.update('arule_01HXYZ', { enabled: false });
   * ```
   */
  update(ruleId: string, params: { readonly enabled: boolean }, options?: RequestOptions): ApiPromise<AnomalyRule> {
    const operation = 'updateAnomalyRule';
    return this.#transport.call(
      operation,
      'patch',
      (o) => mapData(updateAnomalyRule({ ...o, path: { ruleId: pathParam('ruleId', ruleId) }, body: params }), (data) => decodeObjectFields(data, ['condition'] as never, operation) as unknown as AnomalyRule),
      options,
    );
  }

  /**
   * Deletes a custom rule by its `id`. Built-in rules cannot be deleted: they throw `NotFoundError`.
   *
   * @example
   * ```ts
   * await client.anomalies.rules.delete('arule_01HXYZ');
   * ```
   */
  delete(ruleId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteAnomalyRule', 'delete', (o) => discardBody(deleteAnomalyRule({ ...o, path: { ruleId: pathParam('ruleId', ruleId) } })), options);
  }
}
