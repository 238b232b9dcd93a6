#!/usr/bin/env node
// Measures what each runtime-neutral entry costs a browser bundle: esbuild, ESM, minified, with
// every dependency inlined, gzip level 9.
//   node scripts/bundle-size.mjs [--json] [--check]
// --check exits with status 1 when an entry is over its budget.
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The entries measured by default, with their size budget in gzip bytes. */
export const DEFAULT_ENTRIES = [
  { name: 'raw jose (baseline)', contents: "export { jwtVerify, createRemoteJWKSet, createLocalJWKSet } from 'jose';" },
  { name: 'jwt', file: 'src/jwt/index.ts', budget: { baseline: 'raw jose (baseline)', extraGzip: 512 } },
  { name: 'pkce', file: 'src/pkce/index.ts', budget: { gzip: 512 } },
  { name: 'webhooks', file: 'src/webhooks/index.ts', budget: { gzip: 1024 } },
  // For reading the numbers above: what every entry pays for the shared error tree, and the part
  // of jose the jwt entry actually pulls in.
  { name: '(errors.ts: GrantexError + 1 subclass)', contents: "export { GrantexInvalidArgumentError } from './src/errors.ts';" },
  { name: '(jose as used by jwt)', contents: "export { compactVerify, createRemoteJWKSet, createLocalJWKSet, customFetch } from 'jose';" },
];

async function bundle(entry) {
  const common = { bundle: true, write: false, format: 'esm', platform: 'browser', minify: true, target: 'es2022', logLevel: 'silent', absWorkingDir: root };
  const input = entry.file
    ? { entryPoints: [path.resolve(root, entry.file)] }
    : { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' } };
  const result = await build({ ...common, ...input });
  return result.outputFiles[0].contents;
}

/**
 * Bundles each entry and returns one row per entry: `{ name, minBytes, gzipBytes, budget?, withinBudget? }`.
 * An entry is `{ name, file }` (path from the project root) or `{ name, contents }` (inline module);
 * `budget` is `{ gzip }` (absolute) or `{ baseline, extraGzip }` (relative to another row).
 */
export async function measureBundles(entries = DEFAULT_ENTRIES) {
  const rows = [];
  for (const entry of entries) {
    const code = await bundle(entry);
    rows.push({ name: entry.name, minBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength, budget: entry.budget });
  }
  for (const row of rows) {
    const budget = row.budget;
    if (!budget) continue;
    const base = budget.baseline ? rows.find((r) => r.name === budget.baseline) : undefined;
    row.limitGzip = base ? base.gzipBytes + budget.extraGzip : budget.gzip;
    if (base) row.overBaselineGzip = row.gzipBytes - base.gzipBytes;
    row.withinBudget = row.gzipBytes <= row.limitGzip;
  }
  return rows;
}

function printTable(rows) {
  const header = ['entry', 'min B', 'min+gz B', 'vs baseline gz', 'limit gz', 'ok'];
  const lines = rows.map((r) => [
    r.name,
    String(r.minBytes),
    String(r.gzipBytes),
    r.overBaselineGzip === undefined ? '' : (r.overBaselineGzip >= 0 ? '+' : '') + r.overBaselineGzip,
    r.limitGzip === undefined ? '' : String(r.limitGzip),
    r.withinBudget === undefined ? '' : r.withinBudget ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(fmt(line));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const rows = await measureBundles();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  else printTable(rows);
  if (process.argv.includes('--check') && rows.some((r) => r.withinBudget === false)) process.exitCode = 1;
}
