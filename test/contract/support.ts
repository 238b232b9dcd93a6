import { inject } from 'vitest';

import { Grantex, type GrantexOptions, type PublicClientOptions } from '../../src/index.js';

export const TEST_API_KEY = 'gx_test_contract_0123456789abcdefghijklmnopqrstuvwxyz';

/** A client pointed at the suite's Prism mock, recording what went over the wire. */
export function mockClient(options: GrantexOptions = {}): {
  client: Grantex;
  sent: { method: string; url: string }[];
  publicOptions: PublicClientOptions;
} {
  const sent: { method: string; url: string }[] = [];
  const recording: typeof fetch = (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    sent.push({ method: request.method, url: request.url });
    return (options.fetch ?? fetch)(input, init);
  };
  const client = new Grantex({ apiKey: TEST_API_KEY, baseUrl: inject('prismUrl'), maxRetries: 0, ...options, fetch: recording });
  return { client, sent, publicOptions: { baseUrl: inject('prismUrl'), maxRetries: 0, fetch: recording } };
}

/** Asks Prism for a specific documented status instead of the first success response. */
export function preferStatus(status: number): { headers: Record<string, string> } {
  return { headers: { Prefer: `code=${status}` } };
}
