import { listPrincipalAuditEntries, listPrincipalGrants, revokePrincipalGrant } from '../../generated/sdk.gen.js';
import type { ListPrincipalAuditEntriesResponse, ListPrincipalGrantsResponse } from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import type { DeepReadonly } from '../core/types.js';
import { discardBody } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

/**
 * What one end user can see and do with a session token. The main client is not changed.
 * Obtain with `client.principalSessions.withToken(sessionToken)`; an expired session throws
 * `AuthenticationError`.
 *
 * @example
 * ```ts
 * const view = client.principalSessions.withToken(sessionToken);
 * const { grants } = await view.grants();
 * await view.revokeGrant(grants[0]!.grantId);
 * ```
 */
export class PrincipalView {
  readonly #transport: Transport;
  readonly #token: string;

  /** Created by `client.principalSessions.withToken(sessionToken)`. */
  constructor(transport: Transport, sessionToken: string) {
    this.#transport = transport;
    this.#token = sessionToken;
  }

  /**
   * The user's active grants, newest first, with the agents' names. Check `expiresAt`: a grant past
   * its expiry still reads `active`.
   *
   * @example
   * ```ts
   * const { principalId, grants } = await view.grants();
   * ```
   */
  grants(options?: RequestOptions): ApiPromise<DeepReadonly<ListPrincipalGrantsResponse>> {
    return this.#transport.call('listPrincipalGrants', 'get', (o) => listPrincipalGrants(o), options, { bearer: this.#token });
  }

  /**
   * The latest audit entries about the user (at most 100, newest first, without chain fields).
   *
   * @example
   * ```ts
   * const { entries } = await view.auditEntries();
   * ```
   */
  auditEntries(options?: RequestOptions): ApiPromise<DeepReadonly<ListPrincipalAuditEntriesResponse>> {
    return this.#transport.call('listPrincipalAuditEntries', 'get', (o) => listPrincipalAuditEntries(o), options, { bearer: this.#token });
  }

  /**
   * Revokes one of the user's grants (and grants delegated from it). A grant that is not an active
   * grant of this user throws `NotFoundError`.
   *
   * @example
   * ```ts
   * await view.revokeGrant(grantId);
   * ```
   */
  revokeGrant(grantId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call(
      'revokePrincipalGrant',
      'delete',
      (o) => discardBody(revokePrincipalGrant({ ...o, path: { id: pathParam('grantId', grantId) } })),
      options,
      { bearer: this.#token },
    );
  }
}
