/**
 * Offline verification of the audit log's hash chain. Every entry's `hash` is the SHA-256 of a
 * fixed set of its fields, and its `prevHash` is the previous entry's `hash`, so an exported log
 * can be checked without trusting the server that produced it.
 *
 * Runs on any runtime with WebCrypto; needs no network and no API key.
 *
 * @module
 */
import { GrantexInvalidArgumentError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';

/**
 * The fields of an audit entry that the chain covers (extra fields are ignored). Entries from
 * `client.audit.list()`, `client.audit.get()` and `client.compliance.exportAudit()` all fit.
 *
 * @example
 * ```ts
 * const { entries } = await client.compliance.exportAudit({ since: '2026-01-01T00:00:00Z' });
 * const report = await verifyAuditChain(entries satisfies readonly AuditChainEntry[]);
 * ```
 */
export interface AuditChainEntry {
  readonly entryId: string;
  readonly agentId: string;
  readonly agentDid: string;
  readonly grantId: string;
  readonly principalId: string;
  readonly developerId: string;
  readonly action: string;
  readonly metadata?: unknown;
  readonly timestamp: string;
  readonly prevHash: string | null;
  readonly status: string;
  readonly hash: string;
}

/**
 * Why an entry broke the chain: `content` (changed after it was written), `link` (an entry was
 * removed, added or reordered) or `unverifiable` (fields missing or not JSON).
 *
 * @example
 * ```ts
 * const { firstBroken } = await verifyAuditChain(entries);
 * if (firstBroken?.reason === 'content') console.error('entry edited:', firstBroken.entryId);
 * ```
 */
export type AuditChainFailure =
  /** The entry's fields no longer produce its `hash`: it was changed after it was written. */
  | 'content'
  /** The entry's `prevHash` is not the previous entry's `hash`: an entry was removed, added or reordered. */
  | 'link'
  /** The entry lacks fields the rule needs (e.g. written by an older server layout), or its metadata is not JSON (a cycle, a bigint). */
  | 'unverifiable';

/**
 * The verdict of {@link verifyAuditChain}: whether the chain held and, if not, the first entry
 * that broke it.
 *
 * @example
 * ```ts
 * const report = await verifyAuditChain(entries);
 * if (!report.valid) console.error(`entry ${report.firstBroken?.index} failed: ${report.firstBroken?.reason}`);
 * ```
 */
export interface AuditChainReport {
  /** True when every entry verified and every link held. */
  readonly valid: boolean;
  /** How many entries were checked before the first failure (all of them when valid). */
  readonly checkedEntries: number;
  /** The first entry that failed, with its position in the input. */
  readonly firstBroken: { readonly index: number; readonly entryId: string | undefined; readonly reason: AuditChainFailure } | null;
}

/**
 * Options of {@link verifyAuditChain}.
 *
 * @example
 * ```ts
 * const { entries } = await client.audit.list({ grantId });
 * const report = await verifyAuditChain(entries, { checkLinks: false }); // one grant's entries are not contiguous
 * ```
 */
export interface VerifyAuditChainOptions {
  /**
   * Check that each `prevHash` is the previous entry's `hash` (default true). Turn it off for a
   * filtered list (e.g. one grant's entries), which is not a contiguous chain; content is still
   * checked entry by entry.
   */
  readonly checkLinks?: boolean | undefined;
  /** Require the first entry to start the chain (`prevHash: null`). Default false. */
  readonly fromGenesis?: boolean | undefined;
}

/** A value's kind for an error message; never the value itself (it may be large or private). */
const describe = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);

const STRING_FIELDS = ['entryId', 'agentId', 'agentDid', 'grantId', 'principalId', 'developerId', 'action', 'timestamp', 'status', 'hash'] as const;

/**
 * Recomputes one entry's hash by the server's rule; `undefined` when the entry lacks fields (or is
 * not an object, or has metadata that JSON cannot hold). Metadata of any depth is handled.
 *
 * @example
 * ```ts
 * const entry = await client.audit.get(entryId);
 * const intact = (await computeAuditEntryHash(entry)) === entry.hash;
 * ```
 */
export async function computeAuditEntryHash(entry: unknown): Promise<string | undefined> {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  for (const field of STRING_FIELDS) {
    if (field !== 'hash' && typeof e[field] !== 'string') return undefined;
  }
  if (e['prevHash'] !== null && typeof e['prevHash'] !== 'string') return undefined;
  const metadata = e['metadata'] ?? {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) return undefined;
  let canonicalMetadata: string;
  try {
    canonicalMetadata = canonicalJson(metadata);
  } catch {
    // Metadata JSON cannot hold (a cycle, a bigint) never came from the server: no hash to match.
    return undefined;
  }
  // The key order here is part of the rule; it is not alphabetical.
  const text =
    `{"id":${JSON.stringify(e['entryId'])},"agentId":${JSON.stringify(e['agentId'])},"agentDid":${JSON.stringify(e['agentDid'])}` +
    `,"grantId":${JSON.stringify(e['grantId'])},"principalId":${JSON.stringify(e['principalId'])}` +
    `,"developerId":${JSON.stringify(e['developerId'])},"action":${JSON.stringify(e['action'])}` +
    `,"metadata":${canonicalMetadata},"timestamp":${JSON.stringify(e['timestamp'])}` +
    `,"prevHash":${JSON.stringify(e['prevHash'])},"status":${JSON.stringify(e['status'])}}`;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Verifies an audit log's hash chain and reports the first broken link. Entries must be in
 * chain order (oldest first, as `client.audit.list()` and the compliance export return them).
 * Never throws for an entry that fails verification (fields missing or changed, a broken link):
 * the report says what failed. Runs offline.
 *
 * Rejects with a `GrantexInvalidArgumentError` (code `INVALID_ARGUMENT`) when called with
 * something that is not a list of entries: `entries` not an array (e.g. `null`, or the whole
 * `{ entries }` page instead of its `entries`), an element that is not an object, or `options`
 * that is not an object.
 *
 * @example
 * ```ts
 * const { entries } = await client.audit.list();
 * const report = await verifyAuditChain(entries);
 * if (!report.valid) console.error('tampered at', report.firstBroken);
 * ```
 */
export async function verifyAuditChain(
  entries: readonly AuditChainEntry[] | readonly unknown[],
  options: VerifyAuditChainOptions = {},
): Promise<AuditChainReport> {
  if (!Array.isArray(entries)) {
    throw new GrantexInvalidArgumentError(`verifyAuditChain expects an array of audit entries, got ${describe(entries)}`);
  }
  // Checked up front, so that a wrong argument is reported whatever the entries before it hold.
  for (let index = 0; index < entries.length; index++) {
    if (typeof entries[index] !== 'object' || entries[index] === null || Array.isArray(entries[index])) {
      throw new GrantexInvalidArgumentError(`verifyAuditChain: entries[${index}] is ${describe(entries[index])}, not an audit entry object`);
    }
  }
  if (options === null || typeof options !== 'object') {
    throw new GrantexInvalidArgumentError(`verifyAuditChain options must be an object, got ${describe(options)}`);
  }
  const checkLinks = options.checkLinks ?? true;
  let previousHash: string | undefined;
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index] as Partial<AuditChainEntry>;
    const entryId = typeof entry.entryId === 'string' ? entry.entryId : undefined;
    const broken = (reason: AuditChainFailure): AuditChainReport => ({
      valid: false,
      checkedEntries: index,
      firstBroken: { index, entryId, reason },
    });
    const expected = await computeAuditEntryHash(entry);
    if (expected === undefined || typeof entry.hash !== 'string') return broken('unverifiable');
    if (expected !== entry.hash.toLowerCase()) return broken('content');
    if (index === 0 && options.fromGenesis && entry.prevHash !== null) return broken('link');
    if (checkLinks && index > 0 && entry.prevHash !== previousHash) return broken('link');
    previousHash = entry.hash;
  }
  return { valid: true, checkedEntries: entries.length, firstBroken: null };
}
