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

  /** Created by the client; reach it as `client.consent`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * What the user is asked to approve. A request that expired or was already settled throws `GoneError`; an unknown id `NotFoundError`.
   *
   * @example
   * ```ts
   * const { agentName, scopeDescriptions, expiresAt } = await client.consent.get(authRequestId);
   * ```
   */
  get(authRequestId: string, options?: RequestOptions): ApiPromise<DeepReadonly<GetConsentRequestResponse>> {
    return this.#transport.call('getConsentRequest', 'get', (o) => getConsentRequest({ ...o, path: { id: pathParam('authRequestId', authRequestId) } }), options);
  }

  /**
   * Approves on the user's behalf and returns the authorization `code` for the agent, plus
   * `redirectUri` and `state` when the request had them. An unknown or settled request throws
   * `GoneError`; a missing WebAuthn check, when the developer requires one, `PermissionDeniedError`
   * (`FIDO_REQUIRED`).
   *
   * @example
   * ```ts
   * const { code, redirectUri, state } = await client.consent.approve(authRequestId);
   * ```
   */
  approve(authRequestId: string, options?: RequestOptions): ApiPromise<DeepReadonly<ApproveConsentRequestResponse>> {
    return this.#transport.call('approveConsentRequest', 'post', (o) => approveConsentRequest({ ...o, path: { id: pathParam('authRequestId', authRequestId) } }), options);
  }

  /**
   * Records the user's refusal; echoes `redirectUri` and `state` when the request had them.
   *
   * @example
   * ```ts
   * const { redirectUri } = await client.consent.deny(authRequestId);
   * ```
   */
  deny(authRequestId: string, options?: RequestOptions): ApiPromise<DeepReadonly<DenyConsentRequestResponse>> {
    return this.#transport.call('denyConsentRequest', 'post', (o) => denyConsentRequest({ ...o, path: { id: pathParam('authRequestId', authRequestId) } }), options);
  }
}
