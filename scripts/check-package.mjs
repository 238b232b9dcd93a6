#!/usr/bin/env node
// `npm run check:package`: builds the package and checks what would be published.
//   1. build (tsdown: ESM + CJS, .d.mts + .d.cts per entry) into a clean dist/
//   2. every file named by package.json's exports map exists; the map has no wildcards
//   3. publint --strict
//   4. attw --pack (profile node16: node10 resolution cannot see subpath exports; TypeScript 6
//      deprecates moduleResolution node10)
//   5. importing the built main entry (ESM import and CJS require) loads neither jose nor an agent
//      framework; using the lazy verifier loads jose
//   6. size budgets of the browser bundles (scripts/bundle-size.mjs)
// Every step runs; the summary lists each one; the exit status is non-zero when any failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureBundles, printTable } from './bundle-size.mjs';
import { exportsValueOf, SDK_ENTRIES, subpathOf } from './sdk-entries.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
// Node 24 from the `node` dev dependency (tsdown and the module hooks below need Node 22+).
const node = existsSync(bin('node')) ? bin('node') : process.execPath;

const results = [];
async function step(title, fn) {
  console.log(`\n▶ ${title}`);
  const started = performance.now();
  let ok = false;
  let note = '';
  try {
    note = (await fn()) ?? '';
    ok = true;
  } catch (error) {
    note = error instanceof Error ? error.message : String(error);
    console.error(`  ${note}`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  results.push({ title, ok, seconds, note });
  console.log(`${ok ? '✔' : '✖'} ${title} (${seconds} s)`);
  return ok;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} exited with ${result.status}`);
  return result;
}

const built = await step('build (tsdown)', () => {
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  run(node, [bin('tsdown'), '--log-level', 'warn']);
});

await step('README links work in the npm tarball', () => {
  run(process.execPath, [path.join(root, 'scripts', 'lib', 'readme-links.mjs')]);
});

await step('exports map: explicit, every target built', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  // The entry list lives in scripts/sdk-entries.mjs; the exports map and the test paths must say the same.
  const expected = [...SDK_ENTRIES.map(subpathOf), './package.json'];
  const keys = Object.keys(pkg.exports ?? {});
  if (JSON.stringify(keys) !== JSON.stringify(expected)) throw new Error(`exports keys are ${keys.join(', ')}; expected ${expected.join(', ')} (scripts/sdk-entries.mjs)`);
  for (const entry of SDK_ENTRIES) {
    if (JSON.stringify(pkg.exports[subpathOf(entry)]) !== JSON.stringify(exportsValueOf(entry))) {
      throw new Error(`exports[${JSON.stringify(subpathOf(entry))}] does not match scripts/sdk-entries.mjs`);
    }
  }
  const testConfig = readFileSync(path.join(root, 'test', 'tsconfig.json'), 'utf8');
  for (const entry of SDK_ENTRIES) {
    if (!testConfig.includes(`"${entry.name}": ["../${entry.file}"]`)) throw new Error(`test/tsconfig.json has no path for ${entry.name} -> ${entry.file}`);
  }
  const targets = [];
  const walk = (value, where) => {
    if (typeof value === 'string') targets.push([where, value]);
    else for (const [condition, inner] of Object.entries(value)) walk(inner, `${where} > ${condition}`);
  };
  walk(pkg.exports, 'exports');
  for (const field of ['main', 'module', 'types']) if (pkg[field]) targets.push([field, pkg[field]]);
  const problems = [];
  for (const [where, target] of targets) {
    if (target.includes('*')) problems.push(`${where}: wildcard ${target}`);
    else if (!existsSync(path.join(root, target))) problems.push(`${where}: ${target} does not exist`);
  }
  for (const key of expected.slice(0, -1)) {
    const entry = pkg.exports[key];
    for (const condition of ['import', 'require']) {
      if (!entry?.[condition]?.types || !entry?.[condition]?.default) problems.push(`exports["${key}"].${condition} needs types and default`);
    }
  }
  if (pkg.sideEffects !== false) problems.push('sideEffects is not false');
  // TypeScript's node10 resolution reads subpaths from typesVersions: one line per subpath, the CJS declarations.
  const typesVersions = pkg.typesVersions?.['*'] ?? {};
  const expectedTypesVersions = Object.fromEntries(SDK_ENTRIES.filter((e) => subpathOf(e) !== '.').map((e) => [subpathOf(e).slice(2), [`./dist/${e.dist}.d.cts`]]));
  if (JSON.stringify(typesVersions) !== JSON.stringify(expectedTypesVersions)) problems.push(`typesVersions["*"] does not match scripts/sdk-entries.mjs: expected ${JSON.stringify(expectedTypesVersions)}`);
  // An adapter's framework: an optional peer dependency (users install it), and a dev dependency (our tests use it).
  for (const { name, peer } of SDK_ENTRIES.filter((e) => e.peer)) {
    if (!pkg.peerDependencies?.[peer]) problems.push(`${name}: ${peer} is not in peerDependencies`);
    if (pkg.peerDependenciesMeta?.[peer]?.optional !== true) problems.push(`${name}: peerDependenciesMeta["${peer}"].optional is not true`);
    if (!pkg.devDependencies?.[peer]) problems.push(`${name}: ${peer} is not in devDependencies`);
    if (pkg.dependencies?.[peer]) problems.push(`${name}: ${peer} must not be a dependency`);
  }
  if (problems.length) throw new Error(problems.join('\n  '));
  return `${targets.length} targets`;
});

await step('publint --strict', () => run(node, [bin('publint'), '--strict']));

await step('attw --pack (profile node16)', () => run(node, [bin('attw'), '--pack', '.', '--profile', 'node16']));

// Runs in a child Node: records every module URL that import() or require() resolves, through
// module.registerHooks (Node 22.15+), then loads the built main entry.
const JOSE_PROBE = String.raw`
const { registerHooks, createRequire } = await import('node:module');
const resolved = [];
registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); resolved.push(result.url); return result; } });
const [format, dist] = process.argv.slice(1);
const main = format === 'cjs' ? createRequire(import.meta.url)(dist + '/index.cjs') : await import(dist + '/index.mjs');
const isJose = (url) => /[\\/]node_modules[\\/]jose[\\/]/.test(url);
const isJwtEntry = (url) => /[\\/]dist[\\/]jwt\.(c|m)js$/.test(url);
const isFramework = (url) => /[\\/]node_modules[\\/](@modelcontextprotocol[\\/]sdk|ai|@langchain[\\/]core|@openai[\\/]agents[^\\/]*)[\\/]/.test(url);
const before = { jose: resolved.filter(isJose).length, jwtEntry: resolved.filter(isJwtEntry).length, frameworks: resolved.filter(isFramework).length, modules: resolved.length };
if (typeof main.Grantex !== 'function' || typeof main.createGrantVerifier !== 'function') throw new Error('main entry lacks exports');
new main.Grantex({ apiKey: 'gx_test_probe_0000000000000000' });
const afterConstruct = resolved.filter(isJose).length;
// Positive control: the first verify() loads the jwt entry and with it jose (the token is junk).
await main.createGrantVerifier({ jwksUri: 'http://127.0.0.1:9/jwks.json', developerId: 'dev_check' }).verify('a.b.c').catch(() => {});
const after = { jose: resolved.filter(isJose).length, jwtEntry: resolved.filter(isJwtEntry).length };
// Positive control of the framework count: the MCP adapter entry does load its framework.
if (format === 'cjs') createRequire(import.meta.url)(dist + '/mcp.cjs'); else await import(dist + '/mcp.mjs');
const adapterFrameworks = resolved.filter(isFramework).length;
console.log(JSON.stringify({ before, afterConstruct, after, adapterFrameworks }));
`;

await step('importing the main entry does not load jose', () => {
  if (!built) throw new Error('no build');
  const notes = [];
  for (const format of ['esm', 'cjs']) {
    const result = spawnSync(node, ['--input-type=module', '-e', JOSE_PROBE, format, path.join(root, 'dist')], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${format} probe failed:\n${result.stderr}`);
    const report = JSON.parse(result.stdout.trim().split('\n').pop());
    const line = `${format}: modules loaded by the main entry ${report.before.modules}, jose ${report.before.jose}, jwt entry ${report.before.jwtEntry}, agent frameworks ${report.before.frameworks}; after new Grantex() jose ${report.afterConstruct}; after verify() jose ${report.after.jose}, jwt entry ${report.after.jwtEntry}; the mcp entry loads ${report.adapterFrameworks} framework modules`;
    console.log(`  ${line}`);
    if (report.before.jose !== 0 || report.before.jwtEntry !== 0 || report.afterConstruct !== 0) throw new Error(`${format}: the main entry loads jose eagerly`);
    // The agent frameworks are optional peers: only their adapter entries may load them.
    if (report.before.frameworks !== 0) throw new Error(`${format}: the main entry loads an agent framework`);
    if (report.adapterFrameworks === 0) throw new Error(`${format}: the MCP adapter entry loaded no framework (the probe is broken)`);
    if (report.after.jose === 0 || report.after.jwtEntry === 0) throw new Error(`${format}: verify() did not load jose (the probe is broken)`);
    notes.push(`${format} ok`);
  }
  return notes.join(', ');
});

await step('size budgets (esbuild browser bundles, min+gzip)', async () => {
  const rows = await measureBundles();
  printTable(rows);
  const over = rows.filter((row) => row.withinBudget === false);
  if (over.length) throw new Error(`over budget: ${over.map((row) => (row.forbidden ? `${row.name} loads jose` : `${row.name} ${row.gzipBytes} B > ${row.limitGzip} B`)).join("; ")}`);
});

console.log('\nsummary');
for (const { title, ok, seconds } of results) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${title} (${seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`check:package: ${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
