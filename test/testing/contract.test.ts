import { describe, expect, it } from 'vitest';

import { callOperation, sdkOperations } from '../contract/calls.js';
import {
  Grantex,
  GrantexApiError,
  GrantexInvalidResponseError,
  GrantexResponseValidationError,
  GrantTokenError,
} from '../../src/index.js';
import { createTestServer } from '../../src/testing/index.js';

/**
 * The SDK's contract suite, pointed at the local test server: every operation is called through the
 * public SDK with the spec's examples and strict validation. The examples name resources the test
 * server does not hold (its ids are its own), so an operation may answer with a documented error;
 * what it may never do is answer with a body the spec does not allow.
 */
const requestResponse = sdkOperations.filter((op) => op.bespoke !== 'eventStream' && op.bespoke !== 'eventSocket');

describe('the contract suite against the local test server', () => {
  it.each(requestResponse.map((op) => [op.call, op] as const))('%s answers within the spec', async (_name, op) => {
    const server = createTestServer();
    const client = new Grantex({ apiKey: server.sandboxApiKey, baseUrl: server.url, fetch: server.fetch, maxRetries: 0, validation: 'strict' });
    const publicOptions = { baseUrl: server.url, fetch: server.fetch, maxRetries: 0 };
    let outcome: unknown;
    try {
      outcome = await callOperation(client, publicOptions, op, 'full');
    } catch (error) {
      outcome = error;
    }
    expect(outcome).not.toBeInstanceOf(GrantexResponseValidationError);
    expect(outcome).not.toBeInstanceOf(GrantexInvalidResponseError);
    if (outcome instanceof Error) {
      // A documented refusal: an API error with the standard body, or a grant-token verdict.
      expect(outcome instanceof GrantexApiError || outcome instanceof GrantTokenError, `${op.call}: ${outcome.name}: ${outcome.message}`).toBe(true);
      if (outcome instanceof GrantexApiError) expect(outcome.status).toBeGreaterThanOrEqual(400);
    } else if (op.validator) {
      expect(outcome).toBeTypeOf('object');
    }
  });
});
