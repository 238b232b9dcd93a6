import { createAnomalyRule, deleteAnomalyRule, listAnomalyRules, updateAnomalyRule } from '../../generated/sdk.gen.js';
import type { CreateAnomalyRuleData, CreateAnomalyRuleResponse, ListAnomalyRulesResponse } from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { paginate, singlePage } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { decodeEach, decodeObjectFields, type WithDecodedObjects } from '../internal/json-field.js';
import { discardBody, mapData } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

export type CreateAnomalyRuleParams = CreateAnomalyRuleData['body'];
export type AnomalyRule = DeepReadonly<WithDecodedObjects<ListAnomalyRulesResponse['rules'][number], 'condition'>>;

/**
 * Detection rules: the ten built-ins and your custom ones. `client.anomalies.rules`.
 * Custom rules are addressed by their `id` (`arule_…`), not by their `ruleId` label.
 */
export class AnomalyRules {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Built-in rules first, then custom rules newest first; `condition` decoded to an object. */
  list(options?: RequestOptions): ApiPromise<{ readonly rules: readonly AnomalyRule[] }> {
    const operation = 'listAnomalyRules';
    return this.#transport.call(
      operation,
      'get',
      (o) => mapData(listAnomalyRules(o), (data) => ({ rules: decodeEach(data.rules, ['condition'], operation) as AnomalyRule[] })),
      options,
    );
  }

  /** Every rule, built-in and custom. */
  listAll(options?: RequestOptions): AsyncGenerator<AnomalyRule, void, undefined> {
    return paginate(() => this.list(options), undefined, singlePage<{ readonly rules: readonly AnomalyRule[] }, 'rules'>('rules'));
  }

  create(params: CreateAnomalyRuleParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreateAnomalyRuleResponse>> {
    return this.#transport.call('createAnomalyRule', 'post', (o) => createAnomalyRule({ ...o, body: params }), options);
  }

  /** Enables or disables a custom rule. */
  update(ruleId: string, params: { readonly enabled: boolean }, options?: RequestOptions): ApiPromise<AnomalyRule> {
    const operation = 'updateAnomalyRule';
    return this.#transport.call(
      operation,
      'patch',
      (o) => mapData(updateAnomalyRule({ ...o, path: { ruleId: pathParam('ruleId', ruleId) }, body: params }), (data) => decodeObjectFields(data, ['condition'] as never, operation) as unknown as AnomalyRule),
      options,
    );
  }

  /** Deletes a custom rule (built-ins cannot be deleted). */
  delete(ruleId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteAnomalyRule', 'delete', (o) => discardBody(deleteAnomalyRule({ ...o, path: { ruleId: pathParam('ruleId', ruleId) } })), options);
  }
}
