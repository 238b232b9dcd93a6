import { getAuditEntry, listAuditEntries, logAuditEntry } from '../../generated/sdk.gen.js';
import type {
  GetAuditEntryResponse,
  ListAuditEntriesData,
  ListAuditEntriesResponse,
  LogAuditEntryData,
  LogAuditEntryResponse,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { byPageNumber, paginate } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

export type LogAuditEntryParams = LogAuditEntryData['body'];
export type ListAuditEntriesParams = NonNullable<ListAuditEntriesData['query']>;
export type AuditEntry = DeepReadonly<GetAuditEntryResponse>;

/**
 * The tamper-evident audit log: what agents did under which grant. `client.audit`.
 * Check an exported log offline with `verifyAuditChain`.
 *
 * @example
 * ```ts
 * await client.audit.log({ agentId, agentDid, grantId, principalId, action: 'calendar.read' });
 * for await (const entry of client.audit.listAll({ grantId })) console.log(entry.action, entry.status);
 * ```
 */
export class Audit {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Appends an entry; the server chains it to the previous one by hash. */
  log(params: LogAuditEntryParams, options?: RequestOptions): ApiPromise<DeepReadonly<LogAuditEntryResponse>> {
    return this.#transport.call('logAuditEntry', 'post', (o) => logAuditEntry({ ...o, body: params }), options);
  }

  /** One page of entries, oldest first, filtered by agent, grant, principal or action. */
  list(params?: ListAuditEntriesParams, options?: RequestOptions): ApiPromise<DeepReadonly<ListAuditEntriesResponse>> {
    return this.#transport.call('listAuditEntries', 'get', (o) => listAuditEntries({ ...o, ...(params ? { query: params } : {}) }), options);
  }

  /** Every matching entry across pages. */
  listAll(params: ListAuditEntriesParams = {}, options?: RequestOptions): AsyncGenerator<AuditEntry, void, undefined> {
    return paginate((p) => this.list(p, options), params, byPageNumber<ListAuditEntriesParams, DeepReadonly<ListAuditEntriesResponse>, 'entries'>('entries'));
  }

  /** Fetches one entry by its `entryId`. */
  get(entryId: string, options?: RequestOptions): ApiPromise<AuditEntry> {
    return this.#transport.call('getAuditEntry', 'get', (o) => getAuditEntry({ ...o, path: { id: pathParam('entryId', entryId) } }), options);
  }
}
