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

export type ComplianceSummaryParams = NonNullable<GetComplianceSummaryData['query']>;
export type ComplianceGrantsExportParams = NonNullable<ExportComplianceGrantsData['query']>;
export type ComplianceAuditExportParams = NonNullable<ExportComplianceAuditData['query']>;
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

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Counts of agents, grants, audit entries and policies. */
  summary(params?: ComplianceSummaryParams, options?: RequestOptions): ApiPromise<DeepReadonly<GetComplianceSummaryResponse>> {
    return this.#transport.call('getComplianceSummary', 'get', (o) => getComplianceSummary({ ...o, ...(params ? { query: params } : {}) }), options);
  }

  /** Every grant in the window, with the true delegation depth. */
  exportGrants(params?: ComplianceGrantsExportParams, options?: RequestOptions): ApiPromise<DeepReadonly<ExportComplianceGrantsResponse>> {
    return this.#transport.call('exportComplianceGrants', 'get', (o) => exportComplianceGrants({ ...o, ...(params ? { query: params } : {}) }), options);
  }

  /** Every audit entry in the window, oldest first (ready for `verifyAuditChain`). */
  exportAudit(params?: ComplianceAuditExportParams, options?: RequestOptions): ApiPromise<DeepReadonly<ExportComplianceAuditResponse>> {
    return this.#transport.call('exportComplianceAudit', 'get', (o) => exportComplianceAudit({ ...o, ...(params ? { query: params } : {}) }), options);
  }

  /** A bundle of summary, grants, audit entries, policies and the server's chain check. */
  evidencePack(params?: EvidencePackParams, options?: RequestOptions): ApiPromise<DeepReadonly<GetEvidencePackResponse>> {
    return this.#transport.call('getEvidencePack', 'get', (o) => getEvidencePack({ ...o, ...(params ? { query: params } : {}) }), options);
  }
}
