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

/**
 * The body of `client.audit.log`: the agent, grant and user ids, the `action`, and optional
 * `metadata` and `status`. The ids are stored as given, not checked.
 *
 * @example
 * ```ts
 * const params: LogAuditEntryParams = { agentId, agentDid, grantId, principalId, action: 'email.send', status: 'success' };
 * ```
 */
export type LogAuditEntryParams = LogAuditEntryData['body'];
/**
 * Filters of `client.audit.list` (exact matches) plus `page` and `pageSize`.
 *
 * @example
 * ```ts
 * const params: ListAuditEntriesParams = { agentId, action: 'calendar.read' };
 * ```
 */
export type ListAuditEntriesParams = NonNullable<ListAuditEntriesData['query']>;
/**
 * One entry of the audit log, with its `hash` and the `prevHash` that chains it to the one before.
 *
 * @example
 * ```ts
 * const entry: AuditEntry = await client.audit.get(entryId);
 * console.log(entry.action, entry.timestamp, entry.prevHash);
 * ```
 */
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

  /** Created by the client; reach it as `client.audit`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Appends an entry; the server stamps its id, time and developer and chains it to the previous one
   * by hash. Past the plan's entry limit it throws `PaymentRequiredError`.
   *
   * @example
   * ```ts
   * const { entryId, hash } = await client.audit.log({ agentId, agentDid, grantId, principalId, action: 'calendar.read' });
   * ```
   */
  log(params: LogAuditEntryParams, options?: RequestOptions): ApiPromise<DeepReadonly<LogAuditEntryResponse>> {
    return this.#transport.call('logAuditEntry', 'post', (o) => logAuditEntry({ ...o, body: params }), options);
  }

  /**
   * Matching entries, oldest first (chain order), filtered by agent, grant, principal or action.
   * The API answers every match in one page today.
   *
   * @example
   * ```ts
   * const { entries } = await client.audit.list({ grantId });
   * ```
   */
  list(params?: ListAuditEntriesParams, options?: RequestOptions): ApiPromise<DeepReadonly<ListAuditEntriesResponse>> {
    return this.#transport.call('listAuditEntries', 'get', (o) => listAuditEntries({ ...o, ...(params ? { query: params } : {}) }), options);
  }

  /**
   * Every matching entry across pages.
   *
   * @example
   * ```ts
   * for await (const entry of client.audit.listAll({ grantId })) console.log(entry.action, entry.status);
   * ```
   */
  listAll(params: ListAuditEntriesParams = {}, options?: RequestOptions): AsyncGenerator<AuditEntry, void, undefined> {
    return paginate((p) => this.list(p, options), params, byPageNumber<ListAuditEntriesParams, DeepReadonly<ListAuditEntriesResponse>, 'entries'>('entries'));
  }

  /**
   * Fetches one entry by its `entryId`. Throws `NotFoundError` for an unknown id.
   *
   * @example
   * ```ts
   * const entry = await client.audit.get(entryId);
   * ```
   */
  get(entryId: string, options?: RequestOptions): ApiPromise<AuditEntry> {
    return this.#transport.call('getAuditEntry', 'get', (o) => getAuditEntry({ ...o, path: { id: pathParam('entryId', entryId) } }), options);
  }
}
