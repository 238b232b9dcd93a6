import { createPrincipalSession } from '../../generated/sdk.gen.js';
import type { CreatePrincipalSessionData, CreatePrincipalSessionResponse } from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import type { DeepReadonly } from '../core/types.js';
import type { RequestOptions, Transport } from '../internal/transport.js';
import { PrincipalView } from './principal-view.js';

/**
 * The body of `client.principalSessions.create`: the `principalId` and an optional `expiresIn` (at most 24 hours).
 *
 * @example
 * ```ts
 * const params: CreatePrincipalSessionParams = { principalId: 'user_123', expiresIn: '2h' };
 * ```
 */
export type CreatePrincipalSessionParams = CreatePrincipalSessionData['body'];

/**
 * Sessions for end users, so they can see and revoke what they granted. `client.principalSessions`.
 *
 * @example
 * ```ts
 * const { sessionToken, dashboardUrl } = await client.principalSessions.create({ principalId: 'user_123' });
 * const { grants } = await client.principalSessions.withToken(sessionToken).grants();
 * ```
 */
export class PrincipalSessions {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.principalSessions`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Creates a short-lived session for a user who holds at least one active grant; otherwise it throws
   * `NotFoundError`. Hand `sessionToken` to the user's browser, or send them to `dashboardUrl`.
   *
   * @example
   * ```ts
   * const { sessionToken, dashboardUrl, expiresAt } = await client.principalSessions.create({ principalId: 'user_123' });
   * ```
   */
  create(params: CreatePrincipalSessionParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreatePrincipalSessionResponse>> {
    return this.#transport.call('createPrincipalSession', 'post', (o) => createPrincipalSession({ ...o, body: params }), options);
  }

  /**
   * The user's view, authenticated with their session token instead of the API key. Nothing is
   * sent until a method is called; an empty token fails that call with `GrantexInvalidArgumentError`.
   *
   * @example
   * ```ts
   * const view = client.principalSessions.withToken(sessionToken);
   * const { grants } = await view.grants();
   * ```
   */
  withToken(sessionToken: string): PrincipalView {
    return new PrincipalView(this.#transport, sessionToken);
  }
}
