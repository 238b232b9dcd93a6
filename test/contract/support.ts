import { inject } from 'vitest';

import { Grantex, type GrantexOptions, type PublicClientOptions } from '../../src/index.js';

export const TEST_API_KEY = 'gx_test_contract_0123456789abcdefghijklmnopqrstuvwxyz';

/** A client pointed at the suite's Prism mock, recording which operations it sent. */
export function mockClient(options: GrantexOptions = {}): {
  client: Grantex;
  operations: string[];
  publicOptions: PublicClientOptions;
} {
  const operations: string[] = [];
  const onRequest: GrantexOptions['onRequest'] = (event) => {
    operations.push(event.operation);
    options.onRequest?.(event);
  };
  const client = new Grantex({ apiKey: TEST_API_KEY, baseUrl: inject('prismUrl'), maxRetries: 0, ...options, onRequest });
  return { client, operations, publicOptions: { baseUrl: inject('prismUrl'), maxRetries: 0, onRequest } };
}

/** Asks Prism for a specific documented status instead of the first success response. */
export function preferStatus(status: number): { headers: Record<string, string> } {
  return { headers: { Prefer: `code=${status}` } };
}
