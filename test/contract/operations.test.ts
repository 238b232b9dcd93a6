import { describe, expect, it } from 'vitest';

import { operationCalls } from './operations.js';
import { specOperations } from './spec.js';
import { mockClient } from './support.js';

const operations = specOperations().filter((operation) => operation.inSdk);

describe('operation coverage', () => {
  it('every operationId in openapi.yaml has a public SDK call, and the table names nothing else', () => {
    const inSpec = operations.map((operation) => operation.operationId).sort();
    expect(Object.keys(operationCalls).sort()).toEqual(inSpec);
  });

  it('only calls into Grantex made by third parties are left out of the SDK', () => {
    const excluded = specOperations().filter((operation) => !operation.inSdk).map((operation) => operation.operationId);
    expect(excluded).toEqual(excluded.filter((id) => id === 'receiveBillingWebhook'));
  });
});

describe.each(operations)('$operationId ($method $path)', (operation) => {
  const calls = operationCalls[operation.operationId];

  it.each(['required', 'full'] as const)('%s parameters: sends exactly this operation and returns validated data', async (variant) => {
    expect(calls, `no SDK call for ${operation.operationId}`).toBeDefined();
    const { client, operations: sent, publicOptions } = mockClient();
    const result = await calls![variant](client, publicOptions);
    expect(sent).toEqual([operation.operationId]);
    if (operation.returnsBody) {
      expect(typeof result).toBe('object');
      expect(result).not.toBeNull();
    } else {
      expect(result).toBeUndefined();
    }
  });
});
