import { createPrincipalSession } from '../../generated/sdk.gen.js';
import type { CreatePrincipalSessionData, CreatePrincipalSessionResponse } from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import type { DeepReadonly } from '../core/types.js';
import type { RequestOptions, Transport } from '../internal/transport.js';
import { PrincipalView } from './principal-view.js';

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

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Creates a short-lived session for a user who holds at least one active grant. */
  create(params: CreatePrincipalSessionParams, options?: RequestOptions): ApiPromise<DeepReadonly<CreatePrincipalSessionResponse>> {
    return this.#transport.call('createPrincipalSession', 'post', (o) => createPrincipalSession({ ...o, body: params }), options);
  }

  /** The user's view, authenticated with their session token instead of the API key. */
  withToken(sessionToken: string): PrincipalView {
    return new PrincipalView(this.#transport, sessionToken);
  }
}
