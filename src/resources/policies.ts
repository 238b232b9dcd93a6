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

export type CreatePolicyParams = CreatePolicyData['body'];
export type UpdatePolicyParams = UpdatePolicyData['body'];
export type SyncPolicyBundleParams = SyncPolicyBundleData['body'];
export type ListPolicyBundlesParams = NonNullable<ListPolicyBundlesData['query']>;
export type PolicyBundleFormat = GetActivePolicyBundleData['query']['format'];
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

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  create(params: CreatePolicyParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreatePolicyResponse>> {
    return this.#transport.call('createPolicy', 'post', (o) => createPolicy({ ...o, body: params }), options);
  }

  /** Every policy in evaluation order (priority, then age), with `total`. */
  list(options?: RequestOptions): ApiPromise<DeepReadonly<ListPoliciesResponse>> {
    return this.#transport.call('listPolicies', 'get', (o) => listPolicies(o), options);
  }

  /** Every policy, in evaluation order. */
  listAll(options?: RequestOptions): AsyncGenerator<DeepReadonly<ListPoliciesResponse['policies'][number]>, void, undefined> {
    return paginate(() => this.list(options), undefined, singlePage<DeepReadonly<ListPoliciesResponse>, 'policies'>('policies'));
  }

  get(policyId: string, options?: RequestOptions): ApiPromise<DeepReadonly<GetPolicyResponse>> {
    return this.#transport.call('getPolicy', 'get', (o) => getPolicy({ ...o, path: { id: pathParam('policyId', policyId) } }), options);
  }

  /** Changes a policy; `null` clears a condition, an omitted field stays as it is. */
  update(policyId: string, params: UpdatePolicyParams, options?: RequestOptions): ApiPromise<DeepReadonly<UpdatePolicyResponse>> {
    return this.#transport.call('updatePolicy', 'patch', (o) => updatePolicy({ ...o, path: { id: pathParam('policyId', policyId) }, body: params }), options);
  }

  delete(policyId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deletePolicy', 'delete', (o) => discardBody(deletePolicy({ ...o, path: { id: pathParam('policyId', policyId) } })), options);
  }

  /** Uploads a Rego or Cedar bundle (`content` base64) and, by default, activates it. */
  syncBundle(params: SyncPolicyBundleParams, options?: RequestOptions): ApiPromise<DeepReadonly<SyncPolicyBundleResponse>> {
    return this.#transport.call('syncPolicyBundle', 'post', (o) => syncPolicyBundle({ ...o, body: params }), options);
  }

  /** Uploaded bundles, newest first (at most 50). */
  listBundles(params?: ListPolicyBundlesParams, options?: RequestOptions): ApiPromise<DeepReadonly<ListPolicyBundlesResponse>> {
    return this.#transport.call('listPolicyBundles', 'get', (o) => listPolicyBundles({ ...o, ...(params ? { query: params } : {}) }), options);
  }

  /** The active bundle of a format; `NotFoundError` when none is active. */
  activeBundle(format: PolicyBundleFormat, options?: RequestOptions): ApiPromise<DeepReadonly<GetActivePolicyBundleResponse>> {
    return this.#transport.call('getActivePolicyBundle', 'get', (o) => getActivePolicyBundle({ ...o, query: { format } }), options);
  }

  /** Tells the server a policy repository changed (the push-webhook endpoint; it only acknowledges). */
  notifySync(params: PolicySyncNotice = {}, options?: RequestOptions): ApiPromise<DeepReadonly<ReceivePolicySyncWebhookResponse>> {
    return this.#transport.call('receivePolicySyncWebhook', 'post', (o) => receivePolicySyncWebhook({ ...o, body: params }), options);
  }
}
