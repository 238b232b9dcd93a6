import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

import { deref, HTTP_METHODS } from '../../scripts/codegen/spec.mjs';

export interface SpecOperation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly tags: readonly string[];
  /** Status codes the spec documents for this operation. */
  readonly statuses: readonly string[];
  /** True when the success response has a body. */
  readonly returnsBody: boolean;
  /** False for operations marked `x-grantex-sdk: false` (calls into Grantex that SDK users never make). */
  readonly inSdk: boolean;
  /** Why an operation is left out of the SDK (`x-grantex-sdk-reason`). */
  readonly reason: string | undefined;
}

/** The operations of openapi.yaml, read straight from the file the SDK is generated from. */
export function specOperations(): SpecOperation[] {
  const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as {
    paths: Record<string, Record<string, { operationId: string; tags?: string[]; 'x-grantex-sdk'?: unknown; 'x-grantex-sdk-reason'?: string; responses: Record<string, { content?: unknown; $ref?: string }> }>>;
  };
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const statuses = Object.keys(operation.responses);
      const success = statuses.find((status) => status.startsWith('2'));
      const successResponse = success ? operation.responses[success] : undefined;
      operations.push({
        operationId: operation.operationId,
        method,
        path,
        tags: operation.tags ?? [],
        statuses,
        // A referenced response (`$ref: '#/components/responses/...'`) is judged by what it holds.
        returnsBody: Boolean(deref(spec, successResponse)?.['content']),
        inSdk: operation['x-grantex-sdk'] !== false,
        reason: operation['x-grantex-sdk-reason'],
      });
    }
  }
  return operations;
}
