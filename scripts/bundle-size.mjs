#!/usr/bin/env node
// Measures what each runtime-neutral entry costs a browser bundle: esbuild, ESM, minified, with
// every dependency inlined, gzip level 9.
//   node scripts/bundle-size.mjs [--json] [--check]
//   node scripts/bundle-size.mjs --inputs ['entry name'] [--json]   (what each input costs a one-file entry)
// --check exits with status 1 when an entry is over its budget. An entry with `splitting` is
// bundled with code splitting ('initial': the entry chunk and its static imports; 'all': every chunk).
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The app of the single-file row: the client plus one call, so nothing reachable is shaken out. */
const SINGLE_FILE_APP = "import { Grantex } from './src/index.ts';\nnew Grantex({ apiKey: 'x' }).agents.get('a');";

/**
 * The entries measured by default, with their size budget in gzip bytes.
 *
 * The budgets sit just above today's sizes so that any growth fails CI. They are looser than the
 * first targets (jwt ≤ jose + 512, pkce ≤ 512, webhooks ≤ 1024, client ≤ 14 KB): every trust entry
 * carries the shared error base (about 260 B gz) and readable messages, and the client validates
 * every response of 106 operations (valibot and the generated schemas are about 30 KB minified)
 * on top of ky, which is loaded with the generated client on the first request. Cutting those would trade away typed errors, clear messages or validation.
 */
export const DEFAULT_ENTRIES = [
  { name: 'raw jose (baseline)', contents: "export { jwtVerify, createRemoteJWKSet, createLocalJWKSet } from 'jose';" },
  // The jwt entry carries the developer pin, option checks, the bounded JWKS reader and the
  // verified-token cache on top of jose; pkce and webhooks carry their own error classes.
  // jwt and enforce without the live-revocation module (the event feed, its SSE parser, the online
  // check), which they import only on the first check of a verifier or enforcer with
  // `revocation: { mode: 'events' | 'online' }`: `lazy` leaves that import out of the bundle.
  // The check of the `revocation` option, the loader and close() add about 0.9 KB gz to each.
  { name: 'jwt', file: 'src/jwt/index.ts', lazy: ['./authority.js'], budget: { baseline: 'raw jose (baseline)', extraGzip: 4100 } },
  { name: 'pkce', file: 'src/pkce/index.ts', budget: { gzip: 800 } },
  // webhooks: createWebhookVerifier (its own bounded key cache) adds about 120 B gz.
  { name: 'webhooks', file: 'src/webhooks/index.ts', budget: { gzip: 1840 } },
  { name: 'enforce', file: 'src/enforce/index.ts', lazy: ['./authority.js'], budget: { gzip: 14100 } },
  { name: '(enforce + live revocation module)', file: 'src/enforce/index.ts' },
  { name: 'vault', file: 'src/vault/index.ts', budget: { gzip: 6200 } },
  // The main entry as a browser app loads it: code splitting on, so the lazily imported
  // verification chunk (jose) is not part of the first load. Counted: the entry chunk plus every
  // chunk it imports statically, each gzipped on its own (what goes over the wire).
  // `forbid`: inputs that must not be in the measured chunks (jose loads only when verification is used).
  // 24 KB until the live stream's reconnection options (stableAfter, onOpen) were added; 24.25 KB
  // until the verifier it re-exports checked its `revocation` option at construction (+0.4 KB gz,
  // so a typo fails where the verifier is built, not on the first request) and the client gained
  // the guards below. 25.5 KB until the commerce namespace (86 operations, with its merchant and
  // agent views): 31,708 B measured with it, 27,234 B without it (its classes and operation-table
  // rows weigh 4.5 KB gz; the rest of the surface had grown 1.7 KB past 25,471 B meanwhile).
  // 29.75 KB since the operation table is written compactly (31,963 -> 29,362 B).
  { name: 'full client (initial load)', file: 'src/index.ts', splitting: 'initial', budget: { gzip: 29.75 * 1024 }, forbid: 'node_modules/jose/' },
  // What an app that only uses the API client ships: `import { Grantex } from '@grantex/sdk'`.
  // 20.5 KB until the client refused unsafe `fetchOptions`, copied its headers at construction and
  // gained `vault.authorizedFetch` (its body loads on first use; the method and its checks do not).
  // 21.5 KB until the commerce namespace: 27,407 B measured with it, 23,005 B without it.
  // 25.5 KB since the operation table is written compactly (27,669 -> 25,013 B).
  { name: 'client only (import { Grantex })', contents: "export { Grantex } from './src/index.ts';", splitting: 'initial', budget: { gzip: 25.5 * 1024 }, forbid: 'node_modules/jose/' },
  // The HTTP stack (ky and the generated client) is loaded on the first request, so the initial
  // load leaves it out; this is everything the client has fetched once it has made a request.
  // (From client.ts: through index.ts esbuild would also emit the never-loaded verification chunk.)
  // Budget: 32 KB at 165 operations; 36 KB with the 86 commerce operations (36,266 B measured,
  // 31,850 B without them). 34 KB since the compact operation table, the validators keyed by
  // method name and the event reading loaded with the stream (36,528 -> 33,480 B).
  { name: 'client only, after the first request', contents: "export { Grantex } from './src/client.ts';", splitting: 'first-request', budget: { gzip: 34 * 1024 }, forbid: 'node_modules/jose/' },
  // One file, no code splitting, as a Workers build (wrangler) or any single-script bundle makes it:
  // every dynamic import is inlined, so the operation table, every namespace's validators, ky,
  // valibot, the event streams and the vault helpers all come along whatever the app calls.
  // `--inputs` splits this row by input. 40.1 KB at 165 operations; 55,973 B with the 86
  // commerce operations; 52,283 B once the operation table was written compactly (-2.5 KB) and
  // the validators were keyed by method name instead of long export names (-1.2 KB). What is left
  // is mostly information: the validators' field names (12.7 KB gz), the request path
  // (src/internal, 9.3 KB), the table's ids and paths (5.3 KB), ky, valibot, events and vault.
  { name: 'client, one file (Workers build)', contents: SINGLE_FILE_APP, budget: { gzip: 52.75 * 1024 }, forbid: 'node_modules/jose/' },
  { name: '(full client + lazy jwt chunk)', file: 'src/index.ts', splitting: 'all' },
  // For reading the numbers above: what every entry pays for the shared error tree, and the part
  // of jose the jwt entry actually pulls in.
  { name: '(errors.ts: GrantexError + 1 subclass)', contents: "export { GrantexInvalidArgumentError } from './src/errors.ts';" },
  { name: '(jose as used by jwt)', contents: "export { compactVerify, createRemoteJWKSet, createLocalJWKSet, customFetch } from 'jose';" },
];

/** The namespace of the request counted by 'first-request': its validators load with it. */
const FIRST_REQUEST_NAMESPACE = 'agents';

async function bundle(entry) {
  const common = { bundle: true, write: false, format: 'esm', platform: 'browser', minify: true, target: 'es2022', logLevel: 'silent', absWorkingDir: root };
  const input = entry.file
    ? { entryPoints: [path.resolve(root, entry.file)] }
    : { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' } };
  if (!entry.splitting) {
    const result = await build({ ...common, ...input, metafile: true, ...(entry.lazy && { external: entry.lazy }) });
    return { files: [result.outputFiles[0].contents], inputs: Object.values(result.metafile.outputs).flatMap((o) => Object.keys(o.inputs)) };
  }
  // Code splitting needs an outdir (nothing is written) and a metafile to follow the imports.
  const outdir = path.join(root, '.tmp', 'bundle-size');
  const result = await build({ ...common, ...input, splitting: true, outdir, metafile: true });
  const byPath = new Map(result.outputFiles.map((f) => [path.relative(root, f.path), f.contents]));
  const outputs = result.metafile.outputs;
  if (entry.splitting === 'all') return { files: [...byPath.values()], inputs: Object.values(outputs).flatMap((o) => Object.keys(o.inputs)) };
  // Dynamic-import targets are entry points too; the measured entry is the one esbuild was given.
  const given = entry.file ? path.relative(root, path.resolve(root, entry.file)) : '<stdin>';
  const start = Object.keys(outputs).find((key) => outputs[key].entryPoint === given) ?? Object.keys(outputs).find((key) => outputs[key].entryPoint);
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of outputs[key].imports) {
      if (imported.external) continue;
      // 'first-request' also counts the chunks a request loads (ky, the validators), but not those
      // loaded by other features on first use (offline verification, live events).
      const lazyOnRequest =
        entry.splitting === 'first-request' &&
        imported.kind === 'dynamic-import' &&
        !Object.keys(outputs[imported.path]?.inputs ?? {}).some(
          (input) => (/src\/(jwt|events|vault)\//.test(input) && !/src\/events\/lazy|src\/vault\/namespace/.test(input)) || (/generated\/validators\/(?!index)/.test(input) && !input.endsWith(`/${FIRST_REQUEST_NAMESPACE}.gen.ts`)),
        );
      if (imported.kind === 'import-statement' || lazyOnRequest) visit(imported.path);
    }
  };
  visit(start);
  return {
    files: [...seen].map((key) => byPath.get(path.relative(root, path.resolve(root, key)))),
    inputs: [...seen].flatMap((key) => Object.keys(outputs[key].inputs)),
  };
}

/**
 * Bundles each entry and returns one row per entry: `{ name, minBytes, gzipBytes, budget?, withinBudget? }`.
 * An entry is `{ name, file }` (path from the project root) or `{ name, contents }` (inline module);
 * `budget` is `{ gzip }` (absolute) or `{ baseline, extraGzip }` (relative to another row).
 */
export async function measureBundles(entries = DEFAULT_ENTRIES) {
  const rows = [];
  for (const entry of entries) {
    const { files, inputs } = await bundle(entry);
    const minBytes = files.reduce((sum, code) => sum + code.byteLength, 0);
    const gzipBytes = files.reduce((sum, code) => sum + gzipSync(code, { level: 9 }).byteLength, 0);
    const forbidden = entry.forbid ? inputs.filter((input) => input.includes(entry.forbid)) : [];
    rows.push({ name: entry.name, minBytes, gzipBytes, files: files.length, budget: entry.budget, forbidden: forbidden.length ? forbidden : undefined });
  }
  for (const row of rows) {
    const budget = row.budget;
    if (!budget) continue;
    const base = budget.baseline ? rows.find((r) => r.name === budget.baseline) : undefined;
    row.limitGzip = base ? base.gzipBytes + budget.extraGzip : budget.gzip;
    if (base) row.overBaselineGzip = row.gzipBytes - base.gzipBytes;
    row.withinBudget = row.gzipBytes <= row.limitGzip;
  }
  for (const row of rows) if (row.forbidden) row.withinBudget = false;
  return rows;
}

/** The group an input of a bundle is counted under by `--inputs`: a package, a folder of generated/ or src/, or a file. */
function inputGroup(source) {
  const file = source.replace(/^(\.\.\/)+/, '');
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, name] = file.slice(modules + 'node_modules/'.length).split('/');
    return `node_modules/${scope.startsWith('@') ? `${scope}/${name}` : scope}`;
  }
  const folder = /^(generated\/(?:sdk|validators)\/|src\/[^/]+\/)/.exec(file);
  return folder ? folder[1] : file;
}

/** Which source (index into `map.sources`) wrote each character of each line, from a v3 source map. */
function characterSources(lines, mappings) {
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let source = 0;
  return mappings.split(';').map((line, index) => {
    const owners = new Int32Array(lines[index]?.length ?? 0).fill(-1);
    const marks = [];
    let column = 0;
    for (const segment of line ? line.split(',') : []) {
      const values = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = digits.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0];
      if (values.length > 1) source += values[1];
      marks.push([column, values.length > 1 ? source : -1]);
    }
    marks.forEach(([start, owner], i) => owners.fill(owner, start, i + 1 < marks.length ? marks[i + 1][0] : owners.length));
    return owners;
  });
}

/**
 * What each input costs a one-file entry (no `splitting`): its minified characters, the gzip
 * bytes the bundle loses without them (`gzipDelta`) and their gzip size on their own
 * (`gzipAlone`). Gzip does not add up by part, so both are approximations: together they bracket
 * what the part costs. Rows are sorted by minified size; `(unmapped)` is esbuild's glue.
 */
export async function measureInputs(name, entries = DEFAULT_ENTRIES) {
  const entry = entries.find((e) => e.name === name);
  if (!entry || entry.splitting) throw new Error(`--inputs: no one-file entry named ${JSON.stringify(name)}`);
  const input = entry.file ? { entryPoints: [path.resolve(root, entry.file)] } : { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' } };
  const result = await build({
    ...input, bundle: true, write: false, format: 'esm', platform: 'browser', minify: true, target: 'es2022', logLevel: 'silent', absWorkingDir: root,
    sourcemap: 'external', outfile: path.join(root, '.tmp', 'bundle-size', 'one-file.js'), ...(entry.lazy && { external: entry.lazy }),
  });
  const code = result.outputFiles.find((f) => f.path.endsWith('.js')).text;
  const map = JSON.parse(result.outputFiles.find((f) => f.path.endsWith('.map')).text);
  const lines = code.split('\n');
  const owners = characterSources(lines, map.mappings);
  const groupOfSource = map.sources.map(inputGroup);
  const gzip = (text) => gzipSync(Buffer.from(text), { level: 9 }).byteLength;
  const total = gzip(code);
  const rows = [];
  for (const group of [...new Set(groupOfSource), '(unmapped)']) {
    const rest = [];
    const own = [];
    let chars = 0;
    lines.forEach((line, index) => {
      let kept = '';
      for (let i = 0; i < line.length; i++) {
        const owner = owners[index]?.[i] ?? -1;
        if (owner < 0 ? group === '(unmapped)' : groupOfSource[owner] === group) {
          own.push(line[i]);
          chars++;
        } else kept += line[i];
      }
      rest.push(kept);
    });
    rows.push({ input: group, minChars: chars, gzipDelta: total - gzip(rest.join('\n')), gzipAlone: gzip(own.join('')) });
  }
  return { name, minBytes: Buffer.byteLength(code), gzipBytes: total, inputs: rows.sort((a, b) => b.minChars - a.minChars) };
}

export function printTable(rows) {
  const header = ['entry', 'min B', 'min+gz B', 'vs baseline gz', 'limit gz', 'ok'];
  const lines = rows.map((r) => [
    r.name,
    String(r.minBytes),
    String(r.gzipBytes),
    r.overBaselineGzip === undefined ? '' : (r.overBaselineGzip >= 0 ? '+' : '') + r.overBaselineGzip,
    r.limitGzip === undefined ? '' : String(r.limitGzip),
    r.withinBudget === undefined ? '' : r.withinBudget ? 'yes' : r.forbidden ? `NO (loads ${r.forbidden.length} jose modules)` : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(fmt(line));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]) && process.argv.includes('--inputs')) {
  const name = process.argv[process.argv.indexOf('--inputs') + 1] ?? 'client, one file (Workers build)';
  const { minBytes, gzipBytes, inputs } = await measureInputs(name.startsWith('--') ? 'client, one file (Workers build)' : name);
  if (process.argv.includes('--json')) console.log(JSON.stringify({ name, minBytes, gzipBytes, inputs }, null, 2));
  else {
    console.log(`${name}: ${minBytes} B minified, ${gzipBytes} B gz`);
    const width = Math.max(...inputs.map((r) => r.input.length));
    console.log(`${'input'.padEnd(width)}  ${'min chars'.padStart(9)}  ${'gz delta'.padStart(8)}  ${'gz alone'.padStart(8)}`);
    for (const r of inputs) console.log(`${r.input.padEnd(width)}  ${String(r.minChars).padStart(9)}  ${String(r.gzipDelta).padStart(8)}  ${String(r.gzipAlone).padStart(8)}`);
  }
} else if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const rows = await measureBundles();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  else printTable(rows);
  if (process.argv.includes('--check') && rows.some((r) => r.withinBudget === false)) process.exitCode = 1;
}
