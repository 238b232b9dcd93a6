#!/usr/bin/env node
// Cold import of each entry point, in fresh child processes: wall time of
// `node --input-type=module -e "import '<entry>'"` against the floor `node -e 0`. Variants run in
// interleaved rounds; the figure is the median. There is no build yet, so each entry is bundled
// with esbuild the way the package will ship it (ESM, code split, dependencies left to
// node_modules). A separate run with a module hook lists which packages each entry loads, to show
// that the main entry does not load jose until a token is verified offline.
//
//   node bench/cold-import.bench.mjs [--rounds 20] [--json]
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { arg, bundleEntry, ENTRIES, isMain, machine, median, printTable, root } from './lib.mjs';

const TARGET_MAIN_ADDED_MS = 25;

function time(args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

/** The npm packages a module loads, found with a synchronous module hook (Node >= 22.15). */
function packagesLoaded(url) {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = new Set();
    registerHooks({ load(url, context, next) {
      const m = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(url);
      if (m) seen.add(m[1]);
      return next(url, context);
    } });
    await import(${JSON.stringify(url)});
    console.log(JSON.stringify([...seen].sort()));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) return undefined; // older Node without registerHooks
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

export async function run({ rounds = 20, print = true } = {}) {
  const base = path.join(root, '.tmp', `bench-cold-${process.pid}`);
  try {
    const variants = [
      { name: 'node -e 0 (baseline)', args: ['-e', '0'] },
      { name: 'node --input-type=module -e 0', args: ['--input-type=module', '-e', '0'] },
    ];
    for (const [i, entry] of ENTRIES.entries()) {
      const file = await bundleEntry(entry.file, path.join(base, String(i)));
      const url = pathToFileURL(file).href;
      variants.push({ name: `import '${entry.name}'`, entry: entry.name, url, args: ['--input-type=module', '-e', `import ${JSON.stringify(url)};`] });
    }
    // For reading the numbers: what the main entry's runtime dependencies cost on their own.
    for (const dep of ['ky', 'valibot']) {
      variants.push({ name: `import '${dep}' (dependency alone)`, args: ['--input-type=module', '-e', `import '${dep}';`] });
    }
    for (const v of variants) time(v.args); // warm the file system cache
    const samples = variants.map(() => []);
    for (let round = 0; round < rounds; round++) {
      const order = variants.map((_, i) => i);
      if (round % 2) order.reverse();
      for (const i of order) samples[i].push(time(variants[i].args));
    }
    const baseline = median(samples[0]);
    const rows = variants.map((v, i) => {
      const ms = median(samples[i]);
      const row = { name: v.name, entry: v.entry, ms: Number(ms.toFixed(1)), addedMs: Number((ms - baseline).toFixed(1)), ratio: Number((ms / baseline).toFixed(3)) };
      if (v.url) {
        row.packages = packagesLoaded(v.url);
        row.loadsJose = row.packages ? row.packages.includes('jose') : undefined;
      }
      if (v.entry === '@grantex/sdk') {
        row.target = `≤ ${TARGET_MAIN_ADDED_MS} ms added, no jose`;
        row.met = row.addedMs <= TARGET_MAIN_ADDED_MS && row.loadsJose === false;
      }
      return row;
    });
    const result = { machine: machine(), rounds, baselineMs: Number(baseline.toFixed(1)), rows };
    if (print) {
      console.log(`machine: ${result.machine.cpu} (${result.machine.cores} cores), Node ${result.machine.node}; ${rounds} interleaved rounds, medians`);
      printTable(
        ['variant', 'wall ms', 'added ms', 'x baseline', 'npm packages loaded', 'target'],
        rows.map((r) => [r.name, r.ms.toFixed(1), r.addedMs.toFixed(1), r.ratio.toFixed(2), r.packages ? r.packages.join(', ') || '(none)' : '', r.target ? `${r.target}: ${r.met ? 'met' : 'MISSED'}` : '']),
      );
    }
    return result;
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const json = process.argv.includes('--json');
  const result = await run({ rounds: arg('rounds', 20), print: !json });
  if (json) console.log(JSON.stringify(result));
}
