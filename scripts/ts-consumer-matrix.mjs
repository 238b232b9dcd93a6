#!/usr/bin/env node
// `node scripts/ts-consumer-matrix.mjs`: the published declarations, as TypeScript users compile
// against them. Builds and packs the package, installs the tarball (and @types/node) into a
// throwaway project under .tmp/ts-matrix/consumer, and type-checks one program per setup below with
// compilers installed from the npm registry into .tmp/ts-matrix/compilers (kept between runs).
//
// The program is scripts/lib/ts-consumer/app.ts (the client, the error tree, each helper entry point
// imported alone) plus entries.ts, written per run, which imports every entry of package.json's
// exports map: a new subpath is covered without touching this file. result-types.ts, compiled
// beside them, names the exported result and page types the way application code does. The agent
// frameworks of the adapter entries (optional peer dependencies) are installed beside the package,
// at the versions this repository tests with; the setups with skipLibCheck true (the templates'
// default) also import the adapter entries and compile adapters.ts, which uses each adapter with
// its framework. Of the skipLibCheck false setups, one does too, with what the frameworks' own
// declarations need (the DOM lib for the AI SDK's, @types/express for the MCP SDK's); the others
// leave the adapter entries out, since without those the frameworks' declarations fail, which
// says nothing about ours. One more setup installs no framework and compiles main-only.ts, which
// imports the main and helper entries alone. The exactOptionalPropertyTypes setup also compiles
// strict-optional.ts, which passes possibly-undefined values to the options.
//
// Prints one line per setup as it finishes, then a table (setup → pass/fail, error codes, first
// error) and the size of the published declaration files. Exits 1 when any setup fails.
//
//   node scripts/ts-consumer-matrix.mjs [--skip-build] [--only=text,text] [--verbose]
//     --skip-build  pack the dist/ that is there (after `npm run build`)
//     --only        run the setups whose label contains one of the texts (e.g. --only=7.,bundler)
//     --verbose     print every error of a failing setup, not only the first
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildAndPack, exportedSubpaths, installInto, npm, pool, quietNpmEnv, root, since, spawnAsync, specifierOf, tmp } from './lib/pack.mjs';
import { SDK_ENTRIES } from './sdk-entries.mjs';

const matrixDir = path.join(tmp, 'ts-matrix');
const compilersDir = path.join(matrixDir, 'compilers');
const consumerDir = path.join(matrixDir, 'consumer');
// The same package without any agent framework installed: the main entry must not need one.
const bareConsumerDir = path.join(matrixDir, 'consumer-bare');
const programDir = path.join(root, 'scripts', 'lib', 'ts-consumer');
const PARALLEL = Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));
// Generous: the adapter setups also read the frameworks' declarations, on a loaded 2-core machine.
const COMPILE_TIMEOUT_MS = 300_000;
const VERSION_CACHE_MS = 24 * 60 * 60 * 1000;

const args = process.argv.slice(2);
const skipBuild = args.includes('--skip-build');
const verbose = args.includes('--verbose');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',').filter(Boolean);
const log = (line = '') => console.log(line);

// -------------------------------------------------------------------------------------------------
// The setups. `ts` is a release line; the newest stable release of it is taken from the registry.
// Strict: the options people choose when they want every declaration checked, each of which broke
// on the package at some point. Common: the defaults of today's project templates, on every line.

const strictOptions = { strict: true, skipLibCheck: false, target: 'es2022', noEmit: true };
const commonOptions = { strict: true, skipLibCheck: true, target: 'es2022', noEmit: true };

/** The strict setups that do not depend on the release line (node10 resolution is gone from TypeScript 7). */
const strictSetups = (ts) => [
  {
    label: 'node16, "type": "commonjs", skipLibCheck false',
    ts,
    type: 'commonjs',
    options: { ...strictOptions, module: 'node16', moduleResolution: 'node16', lib: ['es2022'], types: ['node'] },
  },
  {
    label: 'bundler, lib es2022+dom, no Node types, skipLibCheck false',
    ts,
    type: 'module',
    options: { ...strictOptions, module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [] },
  },
  {
    label: 'nodenext, Node types, no DOM, skipLibCheck false',
    ts,
    type: 'module',
    options: { ...strictOptions, module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: ['node'] },
  },
];

const commonSetups = (ts) => [
  { label: 'node16', ts, type: 'module', options: { ...commonOptions, module: 'node16', moduleResolution: 'node16', lib: ['es2022'], types: ['node'] } },
  { label: 'nodenext', ts, type: 'module', options: { ...commonOptions, module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2023'], types: ['node'] } },
  { label: 'bundler', ts, type: 'module', options: { ...commonOptions, module: 'preserve', moduleResolution: 'bundler', lib: ['es2022', 'dom', 'dom.iterable'], types: [] } },
];

const SETUPS = [
  {
    label: 'commonjs (node10 resolution), skipLibCheck false',
    ts: '5.9',
    type: 'commonjs',
    options: { ...strictOptions, module: 'commonjs', moduleResolution: 'node10', lib: ['es2022'], types: ['node'], esModuleInterop: true },
  },
  ...strictSetups('5.9'),
  ...commonSetups('5.9'),
  ...commonSetups('6.0'),
  ...strictSetups('7'),
  ...commonSetups('7'),
  {
    // Projects that tell an absent option from one set to undefined; strict-optional.ts passes
    // `T | undefined` values (process.env, optional chains) to every kind of option.
    label: 'exactOptionalPropertyTypes, nodenext, skipLibCheck false',
    ts: '5.9',
    type: 'module',
    options: { ...strictOptions, exactOptionalPropertyTypes: true, module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022', 'dom'], types: ['node'] },
  },
  {
    // The opt-in typing of Express's Request: express.ts reads req.grantex after
    // `import '@grantex/sdk/enforce/express'`; express-without.ts (its own program, as an import
    // anywhere would declare it everywhere) requires the same read to fail without it.
    label: 'Express: req.grantex with @grantex/sdk/enforce/express, skipLibCheck false',
    ts: '5.9',
    type: 'module',
    files: ['express.ts'],
    options: { ...strictOptions, module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: ['node'] },
  },
  {
    label: 'Express: req.grantex without the import is an error, skipLibCheck false',
    ts: '5.9',
    type: 'module',
    files: ['express-without.ts'],
    options: { ...strictOptions, module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: ['node'] },
  },
  {
    // The adapter entries with every declaration checked. The frameworks' own declarations need the
    // DOM lib (the AI SDK's) and @types/express (the MCP SDK's auth types), which a project using
    // them has; with both, adapters.ts and every entry compile. TypeScript 7 only: 5.9 passes as
    // well, but reads the frameworks' declarations in 186 s against 81 s on the loaded 2-core box.
    // With exactOptionalPropertyTypes on top, the frameworks' own declarations fail (TS2344 in ai
    // and @ai-sdk/provider-utils, TS2420/TS2416 in @langchain/core, @openai/agents-core and
    // langsmith), none of them in this package's, so that combination is not a setup.
    label: 'agent-framework adapters, nodenext, Node types + DOM + @types/express, skipLibCheck false',
    ts: '7',
    type: 'module',
    adapters: true,
    options: { ...strictOptions, module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022', 'dom'], types: ['node'] },
  },
  {
    label: 'main entry only, no agent framework installed, skipLibCheck false',
    ts: '6.0',
    type: 'module',
    bare: true,
    options: { ...strictOptions, module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: ['node'] },
  },
];

// -------------------------------------------------------------------------------------------------
// Compilers from the registry, cached under .tmp/ts-matrix/compilers.

const isStable = (v) => /^\d+\.\d+\.\d+$/.test(v);
const compareVersions = (a, b) => {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
};
const onLine = (version, line) => version === line || version.startsWith(`${line}.`);

/** The newest stable release of each line, from `npm view` (cached for a day; the cache also serves when offline). */
async function resolveCompilerVersions(lines) {
  const cacheFile = path.join(compilersDir, 'versions.json');
  const cached = existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : undefined;
  const fresh = cached && Date.now() - cached.fetchedAt < VERSION_CACHE_MS && lines.every((l) => cached.versions[l]);
  if (fresh) return cached.versions;
  const result = await spawnAsync(npm, ['view', 'typescript', 'versions', '--json'], { env: quietNpmEnv, timeout: 60_000 });
  if (result.code !== 0) {
    if (cached && lines.every((l) => cached.versions[l])) {
      log(`  npm view typescript failed; using the versions found ${new Date(cached.fetchedAt).toISOString()}`);
      return cached.versions;
    }
    throw new Error(`npm view typescript versions failed:\n${result.stderr.slice(-2000)}`);
  }
  const all = JSON.parse(result.stdout).filter(isStable).sort(compareVersions);
  const versions = {};
  for (const line of lines) {
    const newest = all.filter((v) => onLine(v, line)).at(-1);
    if (!newest) throw new Error(`the registry has no stable typescript ${line}.x`);
    versions[line] = newest;
  }
  mkdirSync(compilersDir, { recursive: true });
  writeFileSync(cacheFile, `${JSON.stringify({ fetchedAt: Date.now(), versions }, null, 2)}\n`);
  return versions;
}

/** Installs typescript@version into its own folder once; returns the path of its `tsc` script. */
async function ensureCompiler(version) {
  const dir = path.join(compilersDir, `typescript-${version}`);
  const pkg = path.join(dir, 'node_modules', 'typescript', 'package.json');
  const tsc = path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).version === version && existsSync(tsc)) return { version, tsc, installed: false };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `ts-matrix-compiler-${version}`, private: true }));
  // TypeScript 7's `tsc` is a native binary from a platform package (an optional dependency).
  await installInto(dir, [`typescript@${version}`]);
  if (!existsSync(tsc)) throw new Error(`typescript@${version} installed, but ${path.relative(root, tsc)} is missing`);
  return { version, tsc, installed: true };
}

// -------------------------------------------------------------------------------------------------
// The consumer project: one node_modules, one folder per setup (its own package.json and tsconfig).

/** The @types/node version this repository develops with, so the consumer sees the same Node types. */
function typesNodeVersion() {
  const file = path.join(root, 'node_modules', '@types', 'node', 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : 'latest';
}

/** The version of a package in this repository's node_modules (what the tests ran with). */
function installedVersion(name) {
  const file = path.join(root, 'node_modules', ...name.split('/'), 'package.json');
  if (!existsSync(file)) throw new Error(`${name} is not installed here (npm ci)`);
  return JSON.parse(readFileSync(file, 'utf8')).version;
}

/** The adapters' frameworks, and zod for their schemas, pinned to the versions the tests use. */
const frameworkSpecs = () => [...new Set([...SDK_ENTRIES.filter((e) => e.peer).map((e) => e.peer), 'zod'])].map((name) => `${name}@${installedVersion(name)}`);

/** The consumer without frameworks: the package and Node's types only. */
async function prepareBareConsumer(tarball) {
  rmSync(bareConsumerDir, { recursive: true, force: true });
  mkdirSync(bareConsumerDir, { recursive: true });
  writeFileSync(path.join(bareConsumerDir, 'package.json'), JSON.stringify({ name: 'grantex-ts-consumer-bare', private: true }, null, 2));
  await installInto(bareConsumerDir, [tarball, `@types/node@${typesNodeVersion()}`]);
  for (const { peer } of SDK_ENTRIES.filter((e) => e.peer)) {
    if (existsSync(path.join(bareConsumerDir, 'node_modules', ...peer.split('/')))) throw new Error(`${peer} was installed with the package: it must stay an optional peer`);
  }
}

async function prepareConsumer(tarball, packageName, subpaths) {
  mkdirSync(consumerDir, { recursive: true });
  for (const entry of readdirSync(consumerDir)) if (entry.startsWith('setup-')) rmSync(path.join(consumerDir, entry), { recursive: true, force: true });
  writeFileSync(path.join(consumerDir, 'package.json'), JSON.stringify({ name: 'grantex-ts-consumer', private: true }, null, 2));
  // @types/express for the Express setups and the strict adapter setup (the MCP SDK's declarations
  // import Express's types; the package itself needs none).
  await installInto(consumerDir, [tarball, `@types/node@${typesNodeVersion()}`, `@types/express@${installedVersion('@types/express')}`, ...frameworkSpecs()]);

  const adapterNames = new Set(SDK_ENTRIES.filter((e) => e.peer).map((e) => e.name));
  const entriesOf = (list, what) => {
    const imports = list.map((subpath, i) => `import * as entry${i} from '${specifierOf(packageName, subpath)}';`);
    return `// Written by scripts/ts-consumer-matrix.mjs: ${what}.
${imports.join('\n')}

export type Entries = [${list.map((_, i) => `typeof entry${i}`).join(', ')}];
export const entryNames = [${list.map((s) => `'${specifierOf(packageName, s)}'`).join(', ')}] as const;
export const exportCounts: Record<(typeof entryNames)[number], number> = {
${list.map((s, i) => `  '${specifierOf(packageName, s)}': Object.keys(entry${i}).length,`).join('\n')}
};
`;
  };
  return {
    all: entriesOf(subpaths, "every entry of package.json's exports map"),
    withoutAdapters: entriesOf(subpaths.filter((s) => !adapterNames.has(specifierOf(packageName, s))), "every entry of package.json's exports map but the agent-framework adapters"),
  };
}

function writeSetup(setup, index, entries) {
  const dir = path.join(setup.bare ? bareConsumerDir : consumerDir, `setup-${String(index).padStart(2, '0')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `grantex-ts-consumer-${index}`, private: true, type: setup.type }, null, 2));
  const adapters = !setup.bare && (setup.adapters ?? setup.options.skipLibCheck === true);
  const strictOptional = setup.options.exactOptionalPropertyTypes === true;
  const files = setup.files ?? (setup.bare ? ['main-only.ts'] : null) ?? ['app.ts', 'entries.ts', 'result-types.ts', ...(adapters ? ['adapters.ts'] : []), ...(strictOptional ? ['strict-optional.ts'] : [])];
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: setup.options, files }, null, 2));
  for (const file of files) if (file !== 'entries.ts') copyFileSync(path.join(programDir, file), path.join(dir, file));
  if (files.includes('entries.ts')) writeFileSync(path.join(dir, 'entries.ts'), adapters ? entries.all : entries.withoutAdapters);
  return dir;
}

// -------------------------------------------------------------------------------------------------
// Compiling and reading the diagnostics

const DIAGNOSTIC = /^(.*?)(?:\((\d+),(\d+)\))?: error (TS\d+): (.*)$/;

function parseDiagnostics(output, dir) {
  const errors = [];
  for (const line of output.split(/\r?\n/)) {
    const m = DIAGNOSTIC.exec(line.trim());
    if (!m) {
      // Continuation lines of a multi-line message belong to the previous error.
      if (errors.length && line.startsWith('  ')) errors.at(-1).message += `\n${line}`;
      continue;
    }
    const [, file, lineNo, col, code, message] = m;
    let where = file;
    if (file) {
      const absolute = path.resolve(dir, file);
      where = absolute.startsWith(consumerDir) ? path.relative(dir, absolute).replace(/^(\.\.\/)+/, '') : file;
    }
    errors.push({ code, where: lineNo ? `${where}(${lineNo},${col})` : where, message, own: !where.startsWith('node_modules/') });
  }
  // The consumer's own files first: an unresolved import there is the cause of what follows.
  return [...errors.filter((e) => e.own), ...errors.filter((e) => !e.own)];
}

async function compile(setup, dir, compiler) {
  const started = performance.now();
  const result = await spawnAsync(process.execPath, [compiler.tsc, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, timeout: COMPILE_TIMEOUT_MS });
  const output = `${result.stdout}${result.stderr}`;
  const errors = parseDiagnostics(output, dir);
  const ok = result.code === 0 && errors.length === 0;
  let problem;
  if (!ok && errors.length === 0) problem = result.signal ? `tsc killed (${result.signal}) after ${since(started)} s` : `tsc exited ${result.code}: ${output.trim().split('\n').slice(0, 5).join(' | ') || '(no output)'}`;
  return { ok, errors, problem, seconds: since(started) };
}

// -------------------------------------------------------------------------------------------------
// Declaration sizes

function declarationSizes(packageDir) {
  const dist = path.join(packageDir, 'dist');
  const files = readdirSync(dist)
    .filter((f) => /\.d\.(mts|cts)$/.test(f))
    .sort()
    .map((f) => {
      const text = readFileSync(path.join(dist, f), 'utf8');
      return { file: f, bytes: statSync(path.join(dist, f)).size, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) };
    });
  return files;
}

const kB = (n) => `${(n / 1000).toFixed(1)} kB`;

function table(rows, header) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

// -------------------------------------------------------------------------------------------------
// Main

async function main() {
  const started = performance.now();
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const subpaths = exportedSubpaths(manifest);
  const wanted = SETUPS.map((s, i) => ({ ...s, index: i })).filter((s) => !only || only.some((o) => `TS ${s.ts} ${s.label}`.toLowerCase().includes(o.toLowerCase())));
  if (wanted.length === 0) throw new Error(`no setup matches --only=${only?.join(',')}`);

  const lines = [...new Set(wanted.map((s) => s.ts))];
  const versions = await resolveCompilerVersions(lines);
  const t = performance.now();
  // Build and pack (synchronous) first, then the installs side by side.
  const pack = buildAndPack(path.join(matrixDir, 'pack'), { skipBuild });
  log(`packed ${path.relative(root, pack.tarball)} (${pack.files.length} files, ${kB(pack.size)}) in ${since(t)} s; entries: ${subpaths.map((s) => specifierOf(manifest.name, s)).join(', ')}`);
  const t2 = performance.now();
  const [compilers, entries] = await Promise.all([
    Promise.all(lines.map((line) => ensureCompiler(versions[line]))),
    prepareConsumer(pack.tarball, manifest.name, subpaths),
    wanted.some((s) => s.bare) ? prepareBareConsumer(pack.tarball) : undefined,
  ]);
  const byLine = Object.fromEntries(lines.map((line, i) => [line, compilers[i]]));
  const fresh = compilers.filter((c) => c.installed).map((c) => c.version);
  log(`compilers: ${compilers.map((c) => `typescript@${c.version}`).join(', ')}${fresh.length ? ` (installed now: ${fresh.join(', ')})` : ' (cached)'}; consumer installed in ${since(t2)} s`);
  log(`compiling ${wanted.length} setups, ${PARALLEL} at a time…\n`);

  const outcomes = await pool(
    wanted.map((setup) => async () => {
      const compiler = byLine[setup.ts];
      const dir = writeSetup(setup, setup.index, entries);
      const outcome = { setup, compiler, ...(await compile(setup, dir, compiler)) };
      const codes = [...new Set(outcome.errors.map((e) => e.code))];
      log(`${outcome.ok ? 'PASS' : 'FAIL'} TS ${compiler.version} · ${setup.label} (${outcome.seconds} s)${codes.length ? `: ${codes.join(', ')}` : ''}`);
      return outcome;
    }),
    PARALLEL,
  );

  // ---- the table
  log('');
  const rows = outcomes.map((o) => {
    const counts = new Map();
    for (const e of o.errors) counts.set(e.code, (counts.get(e.code) ?? 0) + 1);
    const codes = [...counts].map(([code, n]) => (n > 1 ? `${code}×${n}` : code)).join(' ');
    return [o.compiler.version, o.setup.label, o.ok ? 'pass' : 'FAIL', o.ok ? '' : codes || 'no diagnostics', `${o.seconds} s`];
  });
  log(table(rows, ['TypeScript', 'setup', 'result', 'errors', 'time']));

  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length) {
    log('\nfirst error of each failing setup:');
    for (const o of failed) {
      log(`  TS ${o.compiler.version} · ${o.setup.label}`);
      const shown = verbose ? o.errors : o.errors.slice(0, 1);
      for (const e of shown) log(`    ${e.where}: error ${e.code}: ${e.message.split('\n').join('\n      ')}`);
      if (!verbose && o.errors.length > 1) log(`    … and ${o.errors.length - 1} more (--verbose shows them)`);
      if (o.problem) log(`    ${o.problem}`);
      log(`    project: ${path.relative(root, path.join(o.setup.bare ? bareConsumerDir : consumerDir, `setup-${String(o.setup.index).padStart(2, '0')}`))}`);
    }
  }

  // ---- declaration sizes
  const sizes = declarationSizes(path.join(consumerDir, 'node_modules', ...manifest.name.split('/')));
  log('\npublished declarations (dist/*.d.mts, dist/*.d.cts):');
  log(
    table(
      sizes.map((s) => [s.file, s.bytes.toLocaleString('en-US'), kB(s.bytes), s.lines.toLocaleString('en-US')]),
      ['file', 'bytes', 'size', 'lines'],
    ),
  );
  for (const ext of ['.d.mts', '.d.cts']) {
    const group = sizes.filter((s) => s.file.endsWith(ext));
    const bytes = group.reduce((n, s) => n + s.bytes, 0);
    const count = group.reduce((n, s) => n + s.lines, 0);
    log(`  all ${ext}: ${group.length} files, ${bytes.toLocaleString('en-US')} bytes (${kB(bytes)}), ${count.toLocaleString('en-US')} lines`);
  }

  log(`\nTypeScript consumers: ${outcomes.length - failed.length} of ${outcomes.length} setups compile (${since(started)} s in all)`);
  return failed.length === 0;
}

try {
  process.exitCode = (await main()) ? 0 : 1;
} catch (error) {
  console.error(`✖ TypeScript consumer matrix could not run: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
