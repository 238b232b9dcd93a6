#!/usr/bin/env node
// Bundle sizes of the runtime-neutral entries, from scripts/bundle-size.mjs (esbuild, ESM, minified,
// dependencies inlined, gzip -9), in its own process for `npm run bench`.
//   node bench/bundle-size.bench.mjs [--json]
import { measureBundles } from '../scripts/bundle-size.mjs';
import { isMain, machine, printTable } from './lib.mjs';

export async function run({ print = true } = {}) {
  const rows = await measureBundles();
  if (print) {
    printTable(
      ['entry', 'min B', 'min+gz B', 'limit gz', 'ok'],
      rows.map((r) => [r.name, r.minBytes, r.gzipBytes, r.limitGzip ?? '', r.withinBudget === undefined ? '' : r.withinBudget ? 'yes' : 'NO']),
    );
  }
  return { machine: machine(), rows };
}

if (isMain(import.meta.url)) {
  const json = process.argv.includes('--json');
  const result = await run({ print: !json });
  if (json) console.log(JSON.stringify(result));
}
