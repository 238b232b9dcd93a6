import { exportComplianceAudit, exportComplianceGrants, getComplianceSummary, getEvidencePack } from '../../generated/sdk.gen.js';
import type {
  ExportComplianceAuditData,
  ExportComplianceAuditResponse,
  ExportComplianceGrantsData,
  ExportComplianceGrantsResponse,
  GetComplianceSummaryData,
  GetComplianceSummaryResponse,
  GetEvidencePackData,
  GetEvidencePackResponse,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import type { DeepReadonly } from '../core/types.js';
import type { RequestOptions, Transport } from '../internal/transport.js';

/**
 * The optional `since`/`until` window of `client.compliance.summary`.
 *
 * @example
 * ```ts
 * const params: ComplianceSummaryParams = { since: '2026-01-01T00:00:00Z' };
 * ```
 */
export type ComplianceSummaryParams = NonNullable<GetComplianceSummaryData['query']>;
/**
 * The window and optional `status` filter of `client.compliance.exportGrants`.
 *
 * @example
 * ```ts
 * const params: ComplianceGrantsExportParams = { since: '2026-01-01T00:00:00Z', status: 'revoked' };
 * ```
 */
export type ComplianceGrantsExportParams = NonNullable<ExportComplianceGrantsData['query']>;
/**
 * The window and optional `agentId`/`status` filters of `client.compliance.exportAudit`.
 *
 * @example
 * ```ts
 * const params: ComplianceAuditExportParams = { agentId, until: '2026-07-01T00:00:00Z' };
 * ```
 */
export type ComplianceAuditExportParams = NonNullable<ExportComplianceAuditData['query']>;
/**
 * The window and `framework` label (`soc2`, `gdpr`, `all`) of `client.compliance.evidencePack`.
 *
 * @example
 * ```ts
 * const params: EvidencePackParams = { framework: 'gdpr', since: '2026-01-01T00:00:00Z' };
 * ```
 */
export type EvidencePackParams = NonNullable<GetEvidencePackData['query']>;

/**
 * Reports for auditors: counts, full exports and an evidence pack with a chain-integrity check.
 * `client.compliance`. `since`/`until` are ISO 8601 timestamps.
 *
 * @example
 * ```ts
 * const pack = await client.compliance.evidencePack({ framework: 'soc2', since: '2026-01-01T00:00:00Z' });
 * console.log(pack.chainIntegrity.valid);
 * ```
 */
export class Compliance {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.compliance`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Counts of agents, grants, audit entries and policies, and the plan. The window narrows the grant
   * and audit counts only.
   *
   * @example
   * ```ts
   * const { agents, grants, auditEntries } = await client.compliance.summary({ since: '2026-01-01T00:00:00Z' });
   * ```
   */
  summary(params?: ComplianceSummaryParams, options?: RequestOptions): ApiPromise<DeepReadonly<GetComplianceSummaryResponse>> {
    return this.#transport.call('getComplianceSummary', 'get', (o) => getComplianceSummary({ ...o, ...(params ? { query: params } : {}) }), options);
  }

  /**
   * Every grant issued in the window, newest first, with its revocation time and true delegation depth.
   *
   * @example
   * ```ts
   * const { total, grants } = await client.compliance.exportGrants({ status: 'active' });
   * ```
   */
  exportGrants(params?: ComplianceGrantsExportParams, options?: RequestOptions): ApiPromise<DeepReadonly<ExportComplianceGrantsResponse>> {
    return this.#transport.call('exportComplianceGrants', 'get', (o) => exportComplianceGrants({ ...o, ...(params ? { query: params } : {}) }), options);
  }

  /**
   * Every audit entry in the window, oldest first (ready for `verifyAuditChain`).
   *
   * @example
   * ```ts
   * const { entries } = await client.compliance.exportAudit({ since: '2026-01-01T00:00:00Z' });
   * const report = await verifyAuditChain(entries);
   * ```
   */
  exportAudit(params?: ComplianceAuditExportParams, options?: RequestOptions): ApiPromise<DeepReadonly<ExportComplianceAuditResponse>> {
    return this.#transport.call('exportComplianceAudit', 'get', (o) => exportComplianceAudit({ ...o, ...(params ? { query: params } : {}) }), options);
  }

  /**
   * A bundle of summary, grants, audit entries, policies and the server's chain check. `framework`
   * is only a label copied into `meta`.
   *
   * @example
   * ```ts
   * const { meta, chainIntegrity } = await client.compliance.evidencePack({ framework: 'soc2' });
   * ```
   */
  evidencePack(params?: EvidencePackParams, options?: RequestOptions): ApiPromise<DeepReadonly<GetEvidencePackResponse>> {
    return this.#transport.call('getEvidencePack', 'get', (o) => getEvidencePack({ ...o, ...(params ? { query: params } : {}) }), options);
  }
}
