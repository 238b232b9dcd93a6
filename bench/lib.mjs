// Shared helpers of the benchmarks: timing loops, medians, bundling the TypeScript entries, tables.
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The SDK's entry points, as a user imports them. */
export { SDK_ENTRIES as ENTRIES } from '../scripts/sdk-entries.mjs';

/**
 * Bundles one entry the way the published package would ship it: ESM, code split (so the lazily
 * imported jwt code is its own chunk), dependencies (`jose`, `ky`, `valibot`) left as imports that
 * Node resolves from node_modules. The output lives under .tmp/ inside the project so that those
 * imports resolve. Returns the path of the entry module.
 */
export async function bundleEntry(file, outdir) {
  await mkdir(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { entry: path.join(root, file) },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
    metafile: true,
  });
  void result;
  return path.join(outdir, 'entry.mjs');
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Runs `fn` for `ms` milliseconds with `concurrency` loops in flight; returns operations per second.
 * `fn(i)` gets a running index.
 */
export async function opsPerSecond(fn, ms, concurrency = 1) {
  let count = 0;
  const start = performance.now();
  const end = start + ms;
  const worker = async () => {
    while (performance.now() < end) {
      for (let i = 0; i < 8; i++) await fn(count++);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (count * 1000) / (performance.now() - start);
}

/**
 * Measures pairs `{ name, sdk, raw, concurrency? }` in interleaved rounds (A B, then B A, …) so that
 * warm-up, GC and CPU frequency drift hit both sides alike. Reports medians over rounds.
 */
export async function measurePairs(pairs, { rounds, ms }) {
  const samples = new Map(pairs.map((p) => [p.name, { sdk: [], raw: [] }]));
  for (const pair of pairs) {
    await opsPerSecond(pair.sdk, Math.min(ms, 150), pair.concurrency);
    await opsPerSecond(pair.raw, Math.min(ms, 150), pair.concurrency);
  }
  for (let round = 0; round < rounds; round++) {
    for (const pair of pairs) {
      const order = round % 2 ? ['raw', 'sdk'] : ['sdk', 'raw'];
      for (const side of order) samples.get(pair.name)[side].push(await opsPerSecond(pair[side], ms, pair.concurrency));
    }
  }
  return pairs.map((pair) => {
    const { sdk, raw } = samples.get(pair.name);
    return {
      name: pair.name,
      sdkOpsPerSec: Math.round(median(sdk)),
      rawOpsPerSec: Math.round(median(raw)),
      ratio: Number((median(sdk) / median(raw)).toFixed(3)),
      ratioMedianOfRounds: Number(median(sdk.map((v, i) => v / raw[i])).toFixed(3)),
    };
  });
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model?.trim() ?? 'unknown CPU'}`,
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

export function printTable(header, lines, leftColumns = 1) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const fmt = (cells) => cells.map((c, i) => (i < leftColumns ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(fmt(line));
}

export const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

export const isMain = (url) => process.argv[1] && fileURLToPath(url) === path.resolve(process.argv[1]);

/**
 * The Node flags `heapPerCall` needs: `gc()` to start each batch from a clean heap, and a young
 * generation large enough (64 MiB semi-spaces from the start) that no collection runs during a batch.
 */
export const HEAP_FLAGS = ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64'];

/**
 * Bytes allocated on the JS heap per call of `fn`, over `calls` sequential calls: the growth of the
 * used heap across the batch, which equals what was allocated as long as no collection ran in it.
 * A batch in which a collection ran (seen by a `gc` performance observer) is measured again, up to
 * five times; after that the result is `undefined`. Needs the flags of `HEAP_FLAGS`.
 */
export async function heapPerCall(fn, calls) {
  if (typeof globalThis.gc !== 'function') throw new Error(`heapPerCall needs node ${HEAP_FLAGS.join(' ')}`);
  const { getHeapStatistics } = await import('node:v8');
  const { PerformanceObserver } = await import('node:perf_hooks');
  let collections = 0;
  const observer = new PerformanceObserver((list) => { collections += list.getEntries().length; });
  observer.observe({ entryTypes: ['gc'] });
  // Observer entries arrive a few ticks late: let the ones of the forced collection land first.
  const settle = async () => { for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve)); };
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      globalThis.gc();
      await settle();
      const seen = collections;
      const before = getHeapStatistics().used_heap_size;
      for (let i = 0; i < calls; i++) await fn();
      const after = getHeapStatistics().used_heap_size;
      await settle();
      if (collections === seen) return (after - before) / calls;
    }
    return undefined;
  } finally {
    observer.disconnect();
  }
}
