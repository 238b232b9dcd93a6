import { listPrincipalAuditEntries, listPrincipalGrants, revokePrincipalGrant } from '../../generated/sdk.gen.js';
import type { ListPrincipalAuditEntriesResponse, ListPrincipalGrantsResponse } from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import type { DeepReadonly } from '../core/types.js';
import { discardBody } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

/** What one end user can see and do with a session token. The main client is not changed. */
export class PrincipalView {
  readonly #transport: Transport;
  readonly #token: string;

  constructor(transport: Transport, sessionToken: string) {
    this.#transport = transport;
    this.#token = sessionToken;
  }

  /** The user's active grants, with the agents' names. */
  grants(options?: RequestOptions): ApiPromise<DeepReadonly<ListPrincipalGrantsResponse>> {
    return this.#transport.call('listPrincipalGrants', 'get', (o) => listPrincipalGrants(o), options, { bearer: this.#token });
  }

  /** The latest audit entries about the user (at most 100, newest first). */
  auditEntries(options?: RequestOptions): ApiPromise<DeepReadonly<ListPrincipalAuditEntriesResponse>> {
    return this.#transport.call('listPrincipalAuditEntries', 'get', (o) => listPrincipalAuditEntries(o), options, { bearer: this.#token });
  }

  /** Revokes one of the user's grants (and grants delegated from it). */
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
