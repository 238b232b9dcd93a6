import { approveConsentRequest, denyConsentRequest, getConsentRequest } from '../../generated/sdk.gen.js';
import type {
  ApproveConsentRequestResponse,
  DenyConsentRequestResponse,
  GetConsentRequestResponse,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import type { DeepReadonly } from '../core/types.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

/**
 * The user's side of an authorization request: what a consent screen shows and the user's answer.
 * These endpoints are public (no API key is sent), so a custom consent UI can call them directly.
 * `client.consent`.
 *
 * @example
 * ```ts
 * const request = await client.consent.get(authRequestId);
 * console.log(request.agentName, request.scopeDescriptions);
 * const { code } = await client.consent.approve(authRequestId);
 * ```
 */
export class Consent {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** What the user is asked to approve. A request that is no longer pending throws `GoneError`. */
  get(authRequestId: string, options?: RequestOptions): ApiPromise<DeepReadonly<GetConsentRequestResponse>> {
    return this.#transport.call('getConsentRequest', 'get', (o) => getConsentRequest({ ...o, path: { id: pathParam('authRequestId', authRequestId) } }), options);
  }

  /** Approves on the user's behalf and returns the authorization `code` for the agent. */
  approve(authRequestId: string, options?: RequestOptions): ApiPromise<DeepReadonly<ApproveConsentRequestResponse>> {
    return this.#transport.call('approveConsentRequest', 'post', (o) => approveConsentRequest({ ...o, path: { id: pathParam('authRequestId', authRequestId) } }), options);
  }

  /** Records the user's refusal. */
  deny(authRequestId: string, options?: RequestOptions): ApiPromise<DeepReadonly<DenyConsentRequestResponse>> {
    return this.#transport.call('denyConsentRequest', 'post', (o) => denyConsentRequest({ ...o, path: { id: pathParam('authRequestId', authRequestId) } }), options);
  }
}
