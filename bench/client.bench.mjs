#!/usr/bin/env node
// SDK call vs raw fetch against the same local HTTP server, in one process: `client.agents.get(id)`
// (validation 'strict' and 'off') against `fetch(url, same headers)` + status check + `json()`.
// Interleaved rounds; the figure is the median of the rounds. Runs with 1 request in flight
// (latency-bound: shows the SDK's per-call overhead) and with 16 (throughput-bound).
//
//   node bench/client.bench.mjs [--rounds 10] [--ms 300] [--json]
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { arg, bundleEntry, isMain, machine, measurePairs, printTable, root } from './lib.mjs';

const AGENT = JSON.stringify({
  agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
  did: 'did:grantex:ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
  developerId: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y',
  name: 'live-calendar-agent',
  description: 'Reads the calendar',
  scopes: ['calendar:read', 'calendar:write', 'github:read'],
  status: 'active',
  createdAt: '2026-11-22T13:07:39.283Z',
  updatedAt: '2026-11-22T13:07:39.283Z',
});

function startServer() {
  const state = { requests: 0 };
  const server = createServer((request, response) => {
    state.requests++;
    if (request.method === 'GET' && request.url?.startsWith('/v1/agents/')) {
      response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_bench' }).end(AGENT);
    } else {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not found","code":"NOT_FOUND"}');
    }
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        state,
        close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
      }),
    ),
  );
}

/** Returns `{ machine, rounds, msPerSample, rows }`. */
export async function run({ rounds = 10, ms = 300, print = true } = {}) {
  const outdir = path.join(root, '.tmp', `bench-client-${process.pid}`);
  const server = await startServer();
  try {
    const { Grantex } = await import(pathToFileURL(await bundleEntry('src/index.ts', outdir)).href);
    const apiKey = 'gx_test_bench_0123456789abcdefghijklmnopqrstuvwxyz';
    const strict = new Grantex({ apiKey, baseUrl: server.origin, validation: 'strict' });
    const off = new Grantex({ apiKey, baseUrl: server.origin, validation: 'off' });
    const id = 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6';
    const url = `${server.origin}/v1/agents/${id}`;
    // The headers the SDK sends, so both sides put the same bytes on the wire.
    const headers = { Accept: 'application/json', Authorization: `Bearer ${apiKey}`, 'User-Agent': 'grantex-typescript/bench' };
    const raw = async () => {
      const response = await fetch(url, { headers });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    };
    // Sanity: both sides get the agent before anything is timed.
    for (const client of [strict, off]) if ((await client.agents.get(id)).agentId !== id) throw new Error('SDK returned the wrong agent');
    if ((await raw()).agentId !== id) throw new Error('raw fetch returned the wrong agent');

    const pairs = [];
    for (const concurrency of [1, 16]) {
      pairs.push({ name: `agents.get, validation strict, ${concurrency} in flight`, validation: 'strict', concurrency, sdk: () => strict.agents.get(id), raw });
      pairs.push({ name: `agents.get, validation off, ${concurrency} in flight`, validation: 'off', concurrency, sdk: () => off.agents.get(id), raw });
    }
    // For reading the numbers: the HTTP library the SDK is built on, alone, against the same fetch.
    const { default: ky } = await import('ky');
    pairs.push({ name: '(ky.get().json() alone, 1 in flight)', validation: 'n/a', concurrency: 1, sdk: () => ky.get(url, { headers, retry: 0 }).json(), raw });
    // And the SDK against the generated operation it wraps (same ky client, same validation):
    // what the SDK's own layer (typed errors, body-read timeout, hooks, results) costs per call.
    const stackOutdir = path.join(outdir, 'stack');
    const stack = await import(pathToFileURL(await bundleEntry('bench/generated-stack.ts', stackOutdir)).href);
    const generated = stack.createClient(stack.createConfig({ baseUrl: server.origin, auth: apiKey, throwOnError: true, parseAs: 'json', headers }));
    pairs.push({
      name: '(SDK vs the generated operation on ky it wraps, strict, 1 in flight)',
      // Not a target row: it splits the SDK-vs-fetch gap into the SDK's layer and the layers below.
      validation: 'layer',
      concurrency: 1,
      sdk: () => strict.agents.get(id),
      raw: () => stack.getAgent({ client: generated, path: { id } }),
    });
    const measured = await measurePairs(pairs, { rounds, ms });
    const rows = measured.map((row, i) => ({ ...row, validation: pairs[i].validation, concurrency: pairs[i].concurrency }));
    strict.close();
    off.close();
    const result = { machine: machine(), rounds, msPerSample: ms, requests: server.state.requests, rows };
    if (print) {
      console.log(`machine: ${result.machine.cpu} (${result.machine.cores} cores), Node ${result.machine.node}`);
      console.log(`rounds: ${rounds} x ${ms} ms per variant, interleaved; medians`);
      printTable(
        ['case', 'SDK ops/s', 'raw fetch ops/s', 'SDK/raw', 'median of round ratios'],
        rows.map((r) => [r.name, r.sdkOpsPerSec, r.rawOpsPerSec, r.ratio.toFixed(3), r.ratioMedianOfRounds.toFixed(3)]),
      );
    }
    return result;
  } finally {
    await server.close();
    await rm(outdir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const json = process.argv.includes('--json');
  const result = await run({ rounds: arg('rounds', 10), ms: arg('ms', 300), print: !json });
  if (json) console.log(JSON.stringify(result));
}
