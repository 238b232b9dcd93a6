#!/usr/bin/env node
// The SDK's request path against raw fetch, over HTTP to a mock API in a forked child process.
// Variants form a ladder, so that any gap is explained by numbers:
//   raw fetch + json()  ->  a bare ky instance (created once, timeout: false)  ->  ky configured as
//   the SDK configures it + the SDK's request building, on the same fetch  ->  the SDK (validation
//   off, then strict).
// Each round runs every variant once, in an order rotated per round; ratios are paired per round
// (variant / raw fetch in the same round) and the median is reported. Client CPU per call comes
// from process.cpuUsage() (the server's CPU is in the other process).
//
//   node bench/client.bench.mjs [--rounds 10] [--ms 300] [--json]
import { fork } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { arg, bundleEntry, isMain, machine, median, printTable, root } from './lib.mjs';

function startMockApi() {
  const child = fork(path.join(root, 'bench', 'mock-api.mjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', ({ port }) =>
      resolve({
        origin: `http://127.0.0.1:${port}`,
        stop: () => new Promise((done) => { child.once('exit', done); child.send('stop'); }),
      }),
    );
  });
}

/** Runs `fn` for `ms` with `concurrency` loops in flight; returns calls per second and client CPU µs per call. */
async function sample(fn, ms, concurrency) {
  let count = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  const worker = async () => {
    while (performance.now() < end) for (let i = 0; i < 4; i++) { await fn(); count++; }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ops: (count * 1000) / elapsed, cpuUs: (used.user + used.system) / count };
}

/** Measures a group of variants (the first is the baseline) in rotated rounds, with paired ratios. */
async function measureGroup(group, { rounds, ms }) {
  const samples = group.variants.map(() => []);
  for (const variant of group.variants) await sample(variant.fn, Math.min(ms, 150), group.concurrency);
  for (let round = 0; round < rounds; round++) {
    const order = group.variants.map((_, i) => (i + round) % group.variants.length);
    for (const i of order) samples[i].push(await sample(group.variants[i].fn, ms, group.concurrency));
  }
  const base = samples[0];
  return group.variants.map((variant, i) => ({
    group: group.name,
    name: variant.name,
    role: variant.role,
    concurrency: group.concurrency,
    opsPerSec: Math.round(median(samples[i].map((s) => s.ops))),
    cpuUsPerCall: Math.round(median(samples[i].map((s) => s.cpuUs))),
    ratioToFetch: Number(median(samples[i].map((s, r) => s.ops / base[r].ops)).toFixed(3)),
    cpuToFetch: Number(median(samples[i].map((s, r) => s.cpuUs / base[r].cpuUs)).toFixed(3)),
    ratioToKy: group.variants[1] ? Number(median(samples[i].map((s, r) => s.ops / samples[1][r].ops)).toFixed(3)) : undefined,
  }));
}

/** Returns `{ machine, rounds, msPerSample, rows }`. */
export async function run({ rounds = 10, ms = 300, print = true } = {}) {
  const outdir = path.join(root, '.tmp', `bench-client-${process.pid}`);
  const api = await startMockApi();
  try {
    const { Grantex } = await import(pathToFileURL(await bundleEntry('src/index.ts', outdir)).href);
    const { default: ky } = await import('ky');
    const apiKey = 'gx_test_bench_0123456789abcdefghijklmnopqrstuvwxyz';
    const strict = new Grantex({ apiKey, baseUrl: api.origin, validation: 'strict' });
    const off = new Grantex({ apiKey, baseUrl: api.origin, validation: 'off' });
    const id = 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6';
    const url = `${api.origin}/v1/agents/${id}`;
    // The headers the SDK sends, so every variant puts the same bytes on the wire.
    const headers = { Accept: 'application/json', 'User-Agent': 'grantex-typescript/bench', Authorization: `Bearer ${apiKey}` };
    const postHeaders = { ...headers, 'Content-Type': 'application/json' };
    const newAgent = { name: 'bench-agent', scopes: ['calendar:read'] };

    const rawGet = async () => {
      const response = await fetch(url, { headers });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    };
    const rawPost = async () => {
      const response = await fetch(`${api.origin}/v1/agents`, { method: 'POST', headers: postHeaders, body: JSON.stringify(newAgent) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    };
    const bare = ky.create({ timeout: false });
    // ky set up as the SDK sets it up (retry options, manual redirects, a per-attempt timer around
    // fetch), with the request built per call the way the SDK builds it: the SDK minus response
    // checking, decoding and error mapping.
    const configured = ky.create({
      timeout: false,
      redirect: 'manual',
      retry: { limit: 2, methods: ['get', 'put', 'head', 'delete', 'options', 'trace'], statusCodes: [408, 429, 500, 502, 503, 504], afterStatusCodes: [429, 503], maxRetryAfter: 60_000, backoffLimit: 8_000, jitter: true },
      fetch: (request, init) => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 30_000);
        return fetch(request, { ...init, signal: AbortSignal.any([request.signal, controller.signal]) }).finally(() => clearTimeout(timer));
      },
    });
    const built = async () => {
      const target = `${api.origin}/v1/agents/{id}`.replace('{id}', encodeURIComponent(id));
      const response = await configured(target, { method: 'GET', headers: { ...headers } });
      return JSON.parse(await response.text());
    };

    // Sanity: every variant gets the agent before anything is timed.
    for (const fn of [rawGet, () => bare.get(url, { headers }).json(), built, () => strict.agents.get(id), () => off.agents.get(id)]) {
      if ((await fn()).agentId !== id) throw new Error('a variant returned the wrong agent');
    }

    const groups = [1, 16].map((concurrency) => ({
      name: `agents.get, ${concurrency} in flight`,
      concurrency,
      variants: [
        { name: 'raw fetch + json()', role: 'fetch', fn: rawGet },
        { name: 'bare ky instance (timeout: false)', role: 'ky', fn: () => bare.get(url, { headers }).json() },
        { name: 'ky as the SDK configures it + request building', role: 'ky+build', fn: built },
        { name: 'SDK, validation off', role: 'sdk-off', fn: () => off.agents.get(id) },
        { name: 'SDK, validation strict', role: 'sdk-strict', fn: () => strict.agents.get(id) },
      ],
    }));
    groups.push({
      name: 'agents.register (POST), 1 in flight',
      concurrency: 1,
      variants: [
        { name: 'raw fetch + json()', role: 'fetch', fn: rawPost },
        { name: 'bare ky instance (timeout: false)', role: 'ky', fn: () => bare.post(`${api.origin}/v1/agents`, { headers: postHeaders, body: JSON.stringify(newAgent) }).json() },
        { name: 'SDK, validation strict', role: 'sdk-strict', fn: () => strict.agents.register(newAgent) },
      ],
    });
    const rows = [];
    for (const group of groups) rows.push(...(await measureGroup(group, { rounds, ms })));
    strict.close();
    off.close();
    const result = { machine: machine(), rounds, msPerSample: ms, rows };
    if (print) {
      console.log(`machine: ${result.machine.cpu} (${result.machine.cores} cores), Node ${result.machine.node}; mock API in a forked process`);
      console.log(`rounds: ${rounds} x ${ms} ms per variant, rotated order; paired per-round ratios, medians`);
      printTable(
        ['case', 'variant', 'calls/s', 'vs fetch', 'vs bare ky', 'client CPU µs/call', 'CPU vs fetch'],
        rows.map((r) => [r.group, r.name, r.opsPerSec, r.ratioToFetch.toFixed(3), r.ratioToKy?.toFixed(3) ?? '', r.cpuUsPerCall, r.cpuToFetch.toFixed(2)]),
        2,
      );
    }
    return result;
  } finally {
    await api.stop();
    await rm(outdir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const json = process.argv.includes('--json');
  const result = await run({ rounds: arg('rounds', 10), ms: arg('ms', 300), print: !json });
  if (json) console.log(JSON.stringify(result));
}
