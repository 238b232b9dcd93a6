import {
  approveAuthorizationRequest,
  createAuthorizationRequest,
  denyAuthorizationRequest,
} from '../../generated/sdk.gen.js';
import type {
  ApproveAuthorizationRequestResponse,
  CreateAuthorizationRequestData,
  CreateAuthorizationRequestResponse,
  DenyAuthorizationRequestResponse,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import type { DeepReadonly } from '../core/types.js';
import { GrantexInvalidArgumentError } from '../errors.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

type WireAuthorizeBody = CreateAuthorizationRequestData['body'];

/**
 * What to ask a user for. `userId` is your identifier for the user (the API calls it
 * `principalId`; either name is accepted, not both). Add `codeChallenge` for PKCE.
 *
 * @example
 * ```ts
 * const params: AuthorizeParams = { agentId, userId: 'user_123', scopes: ['calendar:read'], expiresIn: '24h' };
 * ```
 */
export type AuthorizeParams = Omit<WireAuthorizeBody, 'principalId'> &
  ({ readonly userId: string; readonly principalId?: never } | { readonly principalId: string; readonly userId?: never });

/**
 * Authorization requests: the start of the consent flow. `client.authorizations` (and the
 * shortcut `client.authorize(...)`).
 *
 * @example
 * ```ts
 * const request = await client.authorize({ agentId, userId: 'user_123', scopes: ['calendar:read'] });
 * redirect(request.consentUrl); // sandbox keys get request.code at once
 * ```
 */
export class Authorizations {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.authorizations`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Creates an authorization request and returns the consent URL to send the user to. A sandbox key,
   * or a matching allow policy, approves it at once and returns the `code`; a deny policy throws
   * `PermissionDeniedError` (`POLICY_DENIED`). Throws `GrantexInvalidArgumentError` without a user id.
   *
   * @example
   * ```ts
   * const { consentUrl, code } = await client.authorizations.create({ agentId, userId: 'user_123', scopes: ['calendar:read'] });
   * ```
   */
  create(params: AuthorizeParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreateAuthorizationRequestResponse>> {
    return this.#transport.call('createAuthorizationRequest', 'post', (o) => createAuthorizationRequest({ ...o, body: toWireBody(params) }), options);
  }

  /**
   * Sandbox keys only: approves a pending request without a user and returns its `code`. Live keys
   * get `PermissionDeniedError` (`CONSENT_REQUIRED`); an already approved request `NotFoundError`.
   *
   * @example
   * ```ts
   * const { code } = await client.authorizations.approve(authRequestId);
   * ```
   */
  approve(authRequestId: string, options?: RequestOptions): ApiPromise<DeepReadonly<ApproveAuthorizationRequestResponse>> {
    return this.#transport.call('approveAuthorizationRequest', 'post', (o) => approveAuthorizationRequest({ ...o, path: { id: pathParam('authRequestId', authRequestId) } }), options);
  }

  /**
   * Sandbox keys only: denies a pending request without a user (live keys get `CONSENT_REQUIRED`).
   *
   * @example
   * ```ts
   * await client.authorizations.deny(authRequestId);
   * ```
   */
  deny(authRequestId: string, options?: RequestOptions): ApiPromise<DeepReadonly<DenyAuthorizationRequestResponse>> {
    return this.#transport.call('denyAuthorizationRequest', 'post', (o) => denyAuthorizationRequest({ ...o, path: { id: pathParam('authRequestId', authRequestId) } }), options);
  }
}

function toWireBody(params: AuthorizeParams): WireAuthorizeBody {
  const { userId, principalId, ...rest } = params;
  const principal = userId ?? principalId;
  if (typeof principal !== 'string' || principal === '') {
    throw new GrantexInvalidArgumentError('authorize needs userId (or principalId): the user being asked');
  }
  return { ...rest, principalId: principal };
}
