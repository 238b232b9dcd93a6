#!/usr/bin/env node
// The SDK's request path against raw fetch, over HTTP to a mock API in a forked child process.
// Variants form a ladder, so that any gap is explained by numbers:
//   raw fetch + json()  ->  a bare ky instance (created once, timeout: false)  ->  ky configured as
//   the SDK configures it + the SDK's request building, on the same fetch  ->  the SDK (validation
//   off, then strict).
// Each round runs every variant for the same time, in three turns whose order rotates; ratios are
// paired per round (variant / raw fetch in the same round) and the median is reported. Client CPU
// per call comes from process.cpuUsage() (the server's CPU is in the other process).
// Heap allocated per call is measured in a forked child with a large young generation and
// `--expose-gc` (lib.mjs `heapPerCall`), bare ky and the SDK in alternating order per round, the
// SDK/ky ratio paired per round.
//
//   node bench/client.bench.mjs [--rounds 10] [--ms 300] [--heap-calls 400] [--heap-only] [--json]
import { fork } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HEAP_FLAGS, arg, bundleEntry, heapPerCall, isMain, machine, median, printTable, root } from './lib.mjs';

const apiKey = 'gx_test_bench_0123456789abcdefghijklmnopqrstuvwxyz';
const id = 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6';
const newAgent = { name: 'bench-agent', scopes: ['calendar:read'] };

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

/** The clients and calls every measurement uses, against the mock API at `origin`. */
async function variants(entry, origin) {
  const { Grantex } = await import(pathToFileURL(entry).href);
  const { default: ky } = await import('ky');
  const strict = new Grantex({ apiKey, baseUrl: origin, validation: 'strict' });
  const off = new Grantex({ apiKey, baseUrl: origin, validation: 'off' });
  const url = `${origin}/v1/agents/${id}`;
  // The headers the SDK sends, so every variant puts the same bytes on the wire.
  const headers = { Accept: 'application/json', 'User-Agent': 'grantex-typescript/bench', Authorization: `Bearer ${apiKey}` };
  const postHeaders = { ...headers, 'Content-Type': 'application/json' };

  const rawGet = async () => {
    const response = await fetch(url, { headers });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  };
  const rawPost = async () => {
    const response = await fetch(`${origin}/v1/agents`, { method: 'POST', headers: postHeaders, body: JSON.stringify(newAgent) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  };
  const bare = ky.create({ timeout: false });
  // ky set up as the SDK sets it up (ky-instance.ts: retry limit and methods, no delay of ky's own,
  // a retry decision, manual redirects, a per-attempt controller and timer around fetch), with the
  // request built per call the way the SDK builds it: the SDK minus response checking, decoding
  // and error mapping.
  const configured = ky.create({
    timeout: false,
    redirect: 'manual',
    retry: { limit: 2, methods: ['get', 'put', 'head', 'delete', 'options', 'trace'], delay: () => 0, shouldRetry: async () => false },
    fetch: (request, init) => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      return fetch(request, { ...init, signal: controller.signal }).finally(() => clearTimeout(timer));
    },
  });
  const built = async () => {
    const target = `${origin}/v1/agents/{id}`.replace('{id}', encodeURIComponent(id));
    const response = await configured(target, { method: 'GET', headers: { ...headers } });
    return JSON.parse(await response.text());
  };

  return { strict, off, rawGet, rawPost, bare, built, url, headers, postHeaders };
}

/** Runs `fn` for `ms` with `concurrency` loops in flight; returns the calls made, the time taken and client CPU µs. */
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
  return { count, elapsed, cpuUs: used.user + used.system };
}

/** Slices per round: each variant's `ms` is spread over this many turns, so that a burst of load from another process lands on every variant of the round alike. */
const SLICES = 3;

/** Measures a group of variants (the first is the baseline) in rotated rounds, with paired ratios. */
async function measureGroup(group, { rounds, ms }) {
  const samples = group.variants.map(() => []);
  for (const variant of group.variants) await sample(variant.fn, Math.min(ms, 150), group.concurrency);
  for (let round = 0; round < rounds; round++) {
    const totals = group.variants.map(() => ({ count: 0, elapsed: 0, cpuUs: 0 }));
    for (let slice = 0; slice < SLICES; slice++) {
      const order = group.variants.map((_, i) => (i + round + slice) % group.variants.length);
      for (const i of order) {
        const part = await sample(group.variants[i].fn, ms / SLICES, group.concurrency);
        totals[i].count += part.count;
        totals[i].elapsed += part.elapsed;
        totals[i].cpuUs += part.cpuUs;
      }
    }
    totals.forEach((t, i) => samples[i].push({ ops: (t.count * 1000) / t.elapsed, cpuUs: t.cpuUs / t.count }));
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

/**
 * Heap allocated per call (validation strict), in this process once it runs with HEAP_FLAGS:
 * raw fetch for reference, bare ky and the SDK, in an order alternated per round; the SDK/ky ratio
 * is paired per round and its median reported.
 */
async function measureHeap(entry, origin, { rounds, calls }) {
  const { strict, rawGet, rawPost, bare, url, headers, postHeaders } = await variants(entry, origin);
  const groups = [
    {
      name: 'agents.get, 1 in flight',
      variants: [
        { name: 'raw fetch + json()', role: 'fetch', fn: rawGet },
        { name: 'bare ky instance (timeout: false)', role: 'ky', fn: () => bare.get(url, { headers }).json() },
        { name: 'SDK, validation strict', role: 'sdk-strict', fn: () => strict.agents.get(id) },
      ],
    },
    {
      name: 'agents.register (POST), 1 in flight',
      variants: [
        { name: 'raw fetch + json()', role: 'fetch', fn: rawPost },
        { name: 'bare ky instance (timeout: false)', role: 'ky', fn: () => bare.post(`${origin}/v1/agents`, { headers: postHeaders, body: JSON.stringify(newAgent) }).json() },
        { name: 'SDK, validation strict', role: 'sdk-strict', fn: () => strict.agents.register(newAgent) },
      ],
    },
  ];
  const rows = [];
  for (const group of groups) {
    // Warm-up: the JIT settles, so its own allocations stay out of the figures.
    for (const variant of group.variants) for (let i = 0; i < 1500; i++) await variant.fn();
    const samples = group.variants.map(() => []);
    for (let round = 0; round < rounds; round++) {
      const order = group.variants.map((_, i) => (round % 2 ? group.variants.length - 1 - i : i));
      for (const i of order) samples[i].push(await heapPerCall(group.variants[i].fn, calls));
    }
    const ky = samples[1];
    group.variants.forEach((variant, i) => {
      const paired = samples[i].map((bytes, r) => (bytes === undefined || ky[r] === undefined ? undefined : bytes / ky[r])).filter((v) => v !== undefined);
      const measured = samples[i].filter((v) => v !== undefined);
      rows.push({
        group: group.name,
        name: variant.name,
        role: variant.role,
        bytesPerCall: measured.length ? Math.round(median(measured)) : undefined,
        ratioToKy: paired.length ? Number(median(paired).toFixed(3)) : undefined,
        rounds: measured.length,
      });
    });
  }
  strict.close();
  return rows;
}

/** Runs `measureHeap` in a child process started with HEAP_FLAGS. */
function heapInChild(entry, origin, options) {
  const child = fork(fileURLToPath(import.meta.url), ['--heap-child', entry, origin, String(options.rounds), String(options.calls)], {
    execArgv: HEAP_FLAGS,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`heap measurement exited with ${code}`)));
  });
}

/** Returns `{ machine, rounds, msPerSample, rows, heap }`. */
export async function run({ rounds = 10, ms = 300, heapCalls = 400, heapOnly = false, print = true } = {}) {
  const outdir = path.join(root, '.tmp', `bench-client-${process.pid}`);
  const api = await startMockApi();
  try {
    const entry = await bundleEntry('src/index.ts', outdir);
    const { strict, off, rawGet, rawPost, bare, built, url, headers, postHeaders } = await variants(entry, api.origin);
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
    if (!heapOnly) for (const group of groups) rows.push(...(await measureGroup(group, { rounds, ms })));
    strict.close();
    off.close();
    const heap = await heapInChild(entry, api.origin, { rounds, calls: heapCalls });
    const result = { machine: machine(), rounds, msPerSample: ms, heapCallsPerBatch: heapCalls, rows, heap };
    if (print) {
      console.log(`machine: ${result.machine.cpu} (${result.machine.cores} cores), Node ${result.machine.node}; mock API in a forked process`);
      console.log(`rounds: ${rounds} x ${ms} ms per variant, rotated order; paired per-round ratios, medians`);
      printTable(
        ['case', 'variant', 'calls/s', 'vs fetch', 'vs bare ky', 'client CPU µs/call', 'CPU vs fetch'],
        rows.map((r) => [r.group, r.name, r.opsPerSec, r.ratioToFetch.toFixed(3), r.ratioToKy?.toFixed(3) ?? '', r.cpuUsPerCall, r.cpuToFetch.toFixed(2)]),
        2,
      );
      console.log(`\nheap allocated per call: ${heapCalls} sequential calls per batch, ${rounds} rounds, alternating order; gc() before each batch, none during it`);
      printTable(
        ['case', 'variant', 'bytes/call', 'vs bare ky', 'batches'],
        heap.map((r) => [r.group, r.name, r.bytesPerCall ?? 'n/a', r.ratioToKy?.toFixed(3) ?? 'n/a', r.rounds]),
        2,
      );
    }
    return result;
  } finally {
    await api.stop();
    await rm(outdir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url) && process.argv[2] === '--heap-child') {
  const [entry, origin, rounds, calls] = process.argv.slice(3);
  const rows = await measureHeap(entry, origin, { rounds: Number(rounds), calls: Number(calls) });
  process.send(rows, () => process.exit(0));
} else if (isMain(import.meta.url)) {
  const json = process.argv.includes('--json');
  const result = await run({ rounds: arg('rounds', 10), ms: arg('ms', 300), heapCalls: arg('heap-calls', 400), heapOnly: process.argv.includes('--heap-only'), print: !json });
  if (json) console.log(JSON.stringify(result));
}
