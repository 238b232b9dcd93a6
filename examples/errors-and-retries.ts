/**
 * Errors and retries: every failure is a GrantexError with a stable `code`; API errors are
 * subclasses by status. Reads are retried on connection errors, 408, 429 and 5xx; writes only with
 * an idempotency key. The flaky server below is a local Node server on 127.0.0.1.
 *
 *   GRANTEX_BASE_URL=… GRANTEX_API_KEY=… node scripts/run-example.mjs examples/errors-and-retries.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Grantex,
  GrantexTimeoutError,
  isApiError,
  isGrantexError,
  NotFoundError,
  RateLimitError,
} from '@grantex/sdk';

const client = new Grantex();

// #region handle
try {
  // `Prefer: code=404` asks the mock server for its documented 404; a real server answers 404 for
  // an unknown id.
  await client.agents.get('ag_does_not_exist', { headers: { Prefer: 'code=404' } });
} catch (error) {
  if (error instanceof NotFoundError) {
    console.log(`not found: ${error.code} (status ${error.status}, request ${error.requestId ?? 'n/a'})`);
  } else if (error instanceof RateLimitError) {
    console.log(`slow down for ${error.retryAfter} s`);
  } else if (isApiError(error)) {
    console.log(`API error ${error.status} ${error.code}`);
  } else if (isGrantexError(error)) {
    console.log(`SDK error ${error.code}`); // connection, timeout, validation, …
  } else {
    throw error;
  }
}
// #endregion handle

// A local server that fails twice with 503 before answering, and one that never answers.
let hits = 0;
const server = createServer((req, res) => {
  if (req.url === '/v1/agents' && ++hits <= 2) return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"busy","code":"SERVICE_UNAVAILABLE"}');
  if (req.url === '/v1/agents') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"agents":[]}');
  // anything else: hang (to show the timeout)
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// #region retries
const flaky = new Grantex({
  apiKey: 'gx_test_example',
  baseUrl,
  maxRetries: 3, // default 2
  idempotencyKeys: 'auto', // also retry POST/PATCH, with the same Idempotency-Key on every attempt
  onRequest: (event) => console.log(`attempt ${event.retryCount + 1}: ${event.method} ${event.operation}`),
});
const { agents } = await flaky.agents.list(); // 503, 503, then 200
console.log(`listed ${agents.length} agents after ${hits} attempts`);
// #endregion retries

// #region timeout
try {
  await flaky.agents.get('ag_slow', { timeout: 200, maxRetries: 0 }); // per-call options
} catch (error) {
  if (!(error instanceof GrantexTimeoutError)) throw error;
  console.log(`gave up: ${error.code}`);
}
// #endregion timeout

flaky.close();
server.closeAllConnections();
server.close();
client.close();
