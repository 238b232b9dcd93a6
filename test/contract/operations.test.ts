import { describe, expect, it } from 'vitest';

import { callOperation, sdkOperations, templatePattern } from './calls.js';
import { specOperations } from './spec.js';
import { mockClient } from './support.js';

describe('operation coverage', () => {
  it('every operationId in openapi.yaml is in the generated table, and the table names nothing else', () => {
    const inSpec = specOperations().filter((operation) => operation.inSdk).map((operation) => operation.operationId).sort();
    expect(sdkOperations.map((op) => op.id).sort()).toEqual(inSpec);
  });

  it('only operations marked x-grantex-sdk: false are left out of the SDK', () => {
    const excluded = specOperations().filter((operation) => !operation.inSdk);
    for (const operation of excluded) expect(operation.reason, operation.operationId).toMatch(/\w+/);
  });
});

// The live event feed is a stream, not a request and response; test/events covers it.
const requestResponse = sdkOperations.filter((op) => op.bespoke !== 'eventStream' && op.bespoke !== 'eventSocket');

describe.each(requestResponse)('$call ($method $path)', (op) => {
  it.each(['required', 'full'] as const)('%s parameters: sends exactly this operation and returns validated data', async (variant) => {
    const { client, sent, publicOptions } = mockClient();
    const result = await callOperation(client, publicOptions, op, variant);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.method).toBe(op.method);
    expect(new URL(sent[0]!.url).pathname).toMatch(templatePattern(op.path));
    if (op.validator) {
      expect(typeof result).toBe('object');
      expect(result).not.toBeNull();
    } else {
      expect(result).toBeUndefined();
    }
  });
});
