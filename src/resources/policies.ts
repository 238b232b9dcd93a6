import {
  createPolicy,
  deletePolicy,
  getActivePolicyBundle,
  getPolicy,
  listPolicies,
  listPolicyBundles,
  receivePolicySyncWebhook,
  syncPolicyBundle,
  updatePolicy,
} from '../../generated/sdk.gen.js';
import type {
  CreatePolicyData,
  CreatePolicyResponse,
  GetActivePolicyBundleData,
  GetActivePolicyBundleResponse,
  GetPolicyResponse,
  ListPoliciesResponse,
  ListPolicyBundlesData,
  ListPolicyBundlesResponse,
  ReceivePolicySyncWebhookData,
  ReceivePolicySyncWebhookResponse,
  SyncPolicyBundleData,
  SyncPolicyBundleResponse,
  UpdatePolicyData,
  UpdatePolicyResponse,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { paginate, singlePage } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { discardBody } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

/**
 * The body of `client.policies.create`: `name`, `effect` and optional conditions and `priority`.
 *
 * @example
 * ```ts
 * const params: CreatePolicyParams = { name: 'trusted agent', effect: 'allow', agentId, priority: 10 };
 * ```
 */
export type CreatePolicyParams = CreatePolicyData['body'];
/**
 * The body of `client.policies.update`; `null` removes a condition.
 *
 * @example
 * ```ts
 * const params: UpdatePolicyParams = { scopes: null, priority: 5 };
 * ```
 */
export type UpdatePolicyParams = UpdatePolicyData['body'];
/**
 * The body of `client.policies.syncBundle`: `format`, `version`, base64 `content`, optional `activate`.
 *
 * @example
 * ```ts
 * const params: SyncPolicyBundleParams = { format: 'rego', version: '1.4.0', content: bundleBase64 };
 * ```
 */
export type SyncPolicyBundleParams = SyncPolicyBundleData['body'];
/**
 * The optional `format` filter of `client.policies.listBundles`.
 *
 * @example
 * ```ts
 * const params: ListPolicyBundlesParams = { format: 'cedar' };
 * ```
 */
export type ListPolicyBundlesParams = NonNullable<ListPolicyBundlesData['query']>;
/**
 * A policy bundle format: `rego` or `cedar`.
 *
 * @example
 * ```ts
 * const format: PolicyBundleFormat = 'rego';
 * ```
 */
export type PolicyBundleFormat = GetActivePolicyBundleData['query']['format'];
/**
 * A Git host's push notice for `client.policies.notifySync` (snake_case fields, all optional).
 *
 * @example
 * ```ts
 * const notice: PolicySyncNotice = { ref: 'refs/heads/main' };
 * ```
 */
export type PolicySyncNotice = ReceivePolicySyncWebhookData['body'];

/**
 * Rules that allow or deny authorization requests before a user is asked, plus policy bundles
 * for the OPA/Cedar backends. `client.policies`. A denied request fails with
 * `PermissionDeniedError` and code `POLICY_DENIED`.
 *
 * @example
 * ```ts
 * await client.policies.create({ name: 'no night writes', effect: 'deny', scopes: ['calendar:write'], timeOfDayStart: '22:00', timeOfDayEnd: '06:00' });
 * ```
 */
export class Policies {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.policies`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Adds a policy. Policies are tried from the highest `priority` down and the first match decides;
   * an omitted condition matches anything. Past the plan's policy limit it throws `PaymentRequiredError`.
   *
   * @example
   * ```ts
   * const { id } = await client.policies.create({ name: 'no deletes', effect: 'deny', scopes: ['files:delete'] });
   * ```
   */
  create(params: CreatePolicyParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreatePolicyResponse>> {
    return this.#transport.call('createPolicy', 'post', (o) => createPolicy({ ...o, body: params }), options);
  }

  /**
   * Every policy in evaluation order (priority, then age), with `total`.
   *
   * @example
   * ```ts
   * const { policies, total } = await client.policies.list();
   * ```
   */
  list(options?: RequestOptions): ApiPromise<DeepReadonly<ListPoliciesResponse>> {
    return this.#transport.call('listPolicies', 'get', (o) => listPolicies(o), options);
  }

  /**
   * Every policy, in evaluation order (the API returns them in one page).
   *
   * @example
   * ```ts
   * for await (const policy of client.policies.listAll()) console.log(policy.priority, policy.name, policy.effect);
   * ```
   */
  listAll(options?: RequestOptions): AsyncGenerator<DeepReadonly<ListPoliciesResponse['policies'][number]>, void, undefined> {
    return paginate(() => this.list(options), undefined, singlePage<DeepReadonly<ListPoliciesResponse>, 'policies'>('policies'));
  }

  /**
   * Fetches one policy. Throws `NotFoundError` for an unknown id or another developer's policy.
   *
   * @example
   * ```ts
   * const policy = await client.policies.get(policyId);
   * ```
   */
  get(policyId: string, options?: RequestOptions): ApiPromise<DeepReadonly<GetPolicyResponse>> {
    return this.#transport.call('getPolicy', 'get', (o) => getPolicy({ ...o, path: { id: pathParam('policyId', policyId) } }), options);
  }

  /**
   * Changes a policy; `null` clears a condition, an omitted field stays as it is.
   *
   * @example
   * ```ts
   * await client.policies.update(policyId, { timeOfDayStart: null, timeOfDayEnd: null });
   * ```
   */
  update(policyId: string, params: UpdatePolicyParams, options?: RequestOptions): ApiPromise<DeepReadonly<UpdatePolicyResponse>> {
    return this.#transport.call('updatePolicy', 'patch', (o) => updatePolicy({ ...o, path: { id: pathParam('policyId', policyId) }, body: params }), options);
  }

  /**
   * Deletes a policy; authorization requests stop consulting it at once.
   *
   * @example
   * ```ts
   * await client.policies.delete(policyId);
   * ```
   */
  delete(policyId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deletePolicy', 'delete', (o) => discardBody(deletePolicy({ ...o, path: { id: pathParam('policyId', policyId) } })), options);
  }

  /**
   * Uploads a Rego or Cedar bundle (`content` base64) and, unless `activate: false`, makes it the
   * active bundle of its format.
   *
   * @example
   * ```ts
   * const { bundleId, sha256 } = await client.policies.syncBundle({ format: 'rego', version: '1.4.0', content: bundleBase64 });
   * ```
   */
  syncBundle(params: SyncPolicyBundleParams, options?: RequestOptions): ApiPromise<DeepReadonly<SyncPolicyBundleResponse>> {
    return this.#transport.call('syncPolicyBundle', 'post', (o) => syncPolicyBundle({ ...o, body: params }), options);
  }

  /**
   * Uploaded bundles, newest first (at most 50).
   *
   * @example
   * ```ts
   * const { bundles } = await client.policies.listBundles({ format: 'rego' });
   * ```
   */
  listBundles(params?: ListPolicyBundlesParams, options?: RequestOptions): ApiPromise<DeepReadonly<ListPolicyBundlesResponse>> {
    return this.#transport.call('listPolicyBundles', 'get', (o) => listPolicyBundles({ ...o, ...(params ? { query: params } : {}) }), options);
  }

  /**
   * The active bundle of a format; `NotFoundError` when none is active.
   *
   * @example
   * ```ts
   * const { version, sha256 } = await client.policies.activeBundle('cedar');
   * ```
   */
  activeBundle(format: PolicyBundleFormat, options?: RequestOptions): ApiPromise<DeepReadonly<GetActivePolicyBundleResponse>> {
    return this.#transport.call('getActivePolicyBundle', 'get', (o) => getActivePolicyBundle({ ...o, query: { format } }), options);
  }

  /**
   * Tells the server a policy repository changed (the push-webhook endpoint, called with the API
   * key). It only acknowledges: nothing is fetched or activated; upload with `syncBundle`.
   *
   * @example
   * ```ts
   * const { message } = await client.policies.notifySync({ ref: 'refs/heads/main' });
   * ```
   */
  notifySync(params: PolicySyncNotice = {}, options?: RequestOptions): ApiPromise<DeepReadonly<ReceivePolicySyncWebhookResponse>> {
    return this.#transport.call('receivePolicySyncWebhook', 'post', (o) => receivePolicySyncWebhook({ ...o, body: params }), options);
  }
}
