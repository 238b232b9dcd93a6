#!/usr/bin/env node
// `npm run test:runtimes`: the published package, as users install it, on every runtime the SDK
// supports. Builds and packs the package (npm pack), installs the tarball into throwaway consumer
// projects under .tmp/matrix/, starts ONE Prism mock of openapi.yaml and ONE local JWKS server, and
// runs the shared smoke suite (test/runtimes/smoke.mjs) on:
//   Node 20 (the machine's) and Node 24 (node_modules), each with ESM import and CJS require;
//   Deno and Bun (installed into .tmp/runtimes by this script: they are not dev dependencies);
//   Cloudflare workerd through miniflare, without nodejs_compat;
//   the MCP and AI SDK adapters (test/runtimes/adapters-smoke.mjs) with their real frameworks on
//   Deno and workerd, the two non-Node runtimes both frameworks run on;
//   Chromium (Debian's) through playwright-core, on a page served from its own port, so every call
//   to the mock and the JWKS server is cross-origin (real CORS).
// Prints `PASS <runtime> (<s>s)` or `FAIL <runtime> (<s>s)` per runtime and a summary; exits 1 on
// any failure.
//   node scripts/runtime-matrix.mjs [--only=name,name] [--skip-build]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startPrism } from './prism.mjs';
import { CHROMIUM_ARGS, ensureChromium } from './ensure-chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = path.join(root, '.tmp');
const matrixDir = path.join(tmp, 'matrix');
const runtimesDir = path.join(tmp, 'runtimes');
const harnessDir = path.join(root, 'test', 'runtimes');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const DENO_VERSION = '2.9.6';
const BUN_VERSION = '1.4.5';
const RUNTIME_TIMEOUT_MS = 90_000;

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const skipBuild = args.includes('--skip-build');
const wanted = (name) => !only || only.some((o) => name.toLowerCase().includes(o.toLowerCase()));

const started = performance.now();
const since = (t) => ((performance.now() - t) / 1000).toFixed(1);
const log = (line) => console.log(line);

function sh(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} exited with ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function spawnAsync(command, commandArgs, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? RUNTIME_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

// npm, the quiet npm environment and the machine's own Node are shared with the TypeScript matrix.
import { machineNode, nodeVersion, npm, quietNpmEnv } from './lib/pack.mjs';

// -------------------------------------------------------------------------------------------------
// 1. Deno and Bun, from npm, into .tmp/runtimes (kept between runs).

function ensureDenoAndBun() {
  const deno = path.join(runtimesDir, 'node_modules', '.bin', 'deno');
  const bun = path.join(runtimesDir, 'node_modules', '.bin', 'bun');
  const version = (exe) => {
    try {
      return execFileSync(exe, ['--version'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  if (!version(deno).includes(DENO_VERSION) || version(bun) !== BUN_VERSION) {
    log(`installing deno@${DENO_VERSION} and bun@${BUN_VERSION} into .tmp/runtimes (npm)…`);
    mkdirSync(runtimesDir, { recursive: true });
    sh(npm, ['install', '--prefix', runtimesDir, '--no-save', '--no-audit', '--no-fund', `deno@${DENO_VERSION}`, `bun@${BUN_VERSION}`], { env: quietNpmEnv });
  }
  return { deno, bun, denoVersion: version(deno).split('\n')[0], bunVersion: version(bun) };
}

// -------------------------------------------------------------------------------------------------
// 2. Build, pack, and the consumer projects.

function buildAndPack() {
  rmSync(matrixDir, { recursive: true, force: true });
  mkdirSync(matrixDir, { recursive: true });
  if (!skipBuild) {
    rmSync(path.join(root, 'dist'), { recursive: true, force: true });
    sh(bin('tsdown'), ['--log-level', 'warn']);
  }
  const out = sh(npm, ['pack', '--pack-destination', matrixDir, '--json', '--ignore-scripts'], { env: quietNpmEnv });
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  return { tarball: path.join(matrixDir, info.filename), files: info.files.length, size: info.size };
}

/** The frameworks of the adapters checked beyond Node (MCP SDK, AI SDK) and zod, at the versions the tests use. */
function adapterFrameworkSpecs() {
  return ['@modelcontextprotocol/sdk', 'ai', 'zod'].map((name) => `${name}@${JSON.parse(readFileSync(path.join(root, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')).version}`);
}

async function createConsumer(name, tarball, extra = []) {
  const dir = path.join(matrixDir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `grantex-consumer-${name}`, private: true, type: 'module' }, null, 2));
  for (const file of readdirSync(harnessDir)) copyFileSync(path.join(harnessDir, file), path.join(dir, file));
  const result = await spawnAsync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', tarball, ...extra], { cwd: dir, env: quietNpmEnv, timeout: 180_000 });
  if (result.code !== 0) throw new Error(`npm install in ${name} failed:\n${result.stderr}`);
  return dir;
}

// -------------------------------------------------------------------------------------------------
// 3. Local servers: the JWKS (with CORS, for the browser) and the browser page.

function listen(handler) {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

async function startJwks() {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'runtime-matrix-key', alg: 'RS256', use: 'sig' };
  const body = JSON.stringify({ keys: [jwk] });
  let hits = 0;
  const { server, url } = await listen((req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': '*, authorization' };
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    if (req.url?.startsWith('/v1/events/stream') && new URL(req.url, 'http://x').searchParams.get('types')?.includes('anomaly.auto_revoked')) {
      // The feed of an enforcer in 'events' mode (it asks for the types that end authority): one
      // revocation, then the connection stays open as the API's does.
      res.writeHead(200, { ...cors, 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      const event = { id: 'evt_matrix_revoked', type: 'grant.revoked', createdAt: new Date().toISOString(), data: { grantId: revokedGrantId, cascade: true } };
      res.write(`: keepalive\n\ndata: ${JSON.stringify(event)}\n\n`);
      return;
    }
    if (req.method === 'POST' && req.url === '/v1/tokens/verify') {
      // The online check: every token the runner signed is still accepted here, so only the feed can deny one.
      req.resume();
      return res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end('{"valid":true}');
    }
    if (req.url?.startsWith('/v1/events/stream')) {
      // One live event, with a keepalive comment first and the frame cut inside a 4-byte character.
      res.writeHead(200, { ...cors, 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      const event = { id: 'evt_matrix', type: 'grant.revoked', createdAt: '2026-11-22T13:07:40.592Z', data: { grantId: 'grnt_1', cascade: false, note: 'über 😀' } };
      const bytes = Buffer.from(`: keepalive\n\ndata: ${JSON.stringify(event)}\n\n`);
      const cut = bytes.indexOf(Buffer.from('😀')) + 2;
      res.write(bytes.subarray(0, cut));
      setTimeout(() => res.write(bytes.subarray(cut)), 20);
      return;
    }
    if (req.url !== '/.well-known/jwks.json') return res.writeHead(404, cors).end();
    hits++;
    res.writeHead(200, { ...cors, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
  });
  const issuer = 'https://grantex.runtime-matrix.test';
  const grantId = 'grnt_01RUNTIMEMATRIX';
  const revokedGrantId = 'grnt_01RUNTIMEREVOKED';
  const scopes = ['calendar:read', 'calendar:write'];
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ grnt: grantId, agt: 'did:grantex:ag_runtime', dev: 'dev_runtime', scp: scopes })
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' })
    .setJti('tok_runtime_matrix')
    .setSubject('user_runtime')
    .setIssuer(issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
  const toolToken = await new SignJWT({ grnt: grantId, agt: 'did:grantex:ag_runtime', dev: 'dev_runtime', scp: ['tool:calendar:read'] })
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' })
    .setJti('tok_runtime_matrix_tool')
    .setSubject('user_runtime')
    .setIssuer(issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
  // A tool token of the grant the enforcer's feed reports as revoked.
  const revokedToolToken = await new SignJWT({ grnt: revokedGrantId, agt: 'did:grantex:ag_runtime', dev: 'dev_runtime', scp: ['tool:calendar:read'] })
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' })
    .setJti('tok_runtime_matrix_revoked')
    .setSubject('user_runtime')
    .setIssuer(issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
  return { server, baseUrl: url, jwksUrl: `${url}/.well-known/jwks.json`, issuer, token, toolToken, revokedToolToken, grantId, scopes, hits: () => hits };
}

async function startStatic(dir) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
  return listen((req, res) => {
    const name = new URL(req.url, 'http://x').pathname.replace(/^\/+/, '') || 'index.html';
    const file = path.join(dir, path.basename(name));
    if (!existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
}

// -------------------------------------------------------------------------------------------------
// 4. The runtimes.

function parseResult(stdout) {
  const line = stdout.split('\n').find((l) => l.startsWith('SMOKE_RESULT '));
  return line ? JSON.parse(line.slice('SMOKE_RESULT '.length)) : undefined;
}

async function runProcess(command, commandArgs, cwd, input, extraEnv = {}) {
  const env = { ...process.env, ...extraEnv, GRANTEX_SMOKE_INPUT: JSON.stringify(input) };
  // The consumer must not see this repository's node_modules/.bin (it would put Node 24 first).
  env.PATH = (env.PATH ?? '').split(path.delimiter).filter((d) => !d.startsWith(root)).join(path.delimiter);
  delete env.NODE_OPTIONS;
  const result = await spawnAsync(command, commandArgs, { cwd, env });
  const parsed = parseResult(result.stdout);
  if (!parsed) throw new Error(`no result (exit ${result.code}${result.signal ? `, ${result.signal}` : ''})\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-4000)}`);
  if (result.code !== 0 && parsed.ok) throw new Error(`exit ${result.code} although every check passed\n${result.stderr.slice(-2000)}`);
  return parsed;
}

async function bundleFor(consumerDir, entry, outfile, platform, conditions, extra = {}) {
  await build({
    ...extra,
    absWorkingDir: consumerDir,
    entryPoints: [path.join(consumerDir, entry)],
    outfile,
    bundle: true,
    format: 'esm',
    platform,
    conditions,
    target: 'es2022',
    minify: false,
    logLevel: 'error',
  });
}

async function runWorkerd(consumerDir, input, entry = 'worker.mjs') {
  const { Miniflare } = await import('miniflare');
  const scriptPath = path.join(consumerDir, entry.replace(/\.mjs$/, '.bundle.mjs'));
  // The MCP SDK's dependencies (ajv) have no exports map: a worker bundler reads their main fields.
  const extra = entry === 'worker.mjs' ? {} : { mainFields: ['browser', 'module', 'main'] };
  await bundleFor(consumerDir, entry, scriptPath, 'neutral', ['workerd', 'worker', 'browser', 'import', 'default'], extra);
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    compatibilityDate: '2025-01-01',
    compatibilityFlags: [],
    bindings: { SMOKE_INPUT: JSON.stringify(input) },
  });
  try {
    const response = await mf.dispatchFetch('http://runtime-matrix.local/');
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`worker answered ${response.status}: ${text.slice(0, 2000)}`);
    }
  } finally {
    await mf.dispose();
  }
}

async function runChromium(consumerDir, input) {
  const executablePath = ensureChromium();
  const www = path.join(consumerDir, 'www');
  mkdirSync(www, { recursive: true });
  await bundleFor(consumerDir, 'browser.mjs', path.join(www, 'bundle.js'), 'browser', undefined);
  copyFileSync(path.join(consumerDir, 'index.html'), path.join(www, 'index.html'));
  const page$ = await startStatic(www);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 60_000 });
  const notes = [];
  try {
    const page = await browser.newPage();
    page.on('console', (m) => m.type() === 'error' && notes.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => notes.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => notes.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
    // Playwright does not report CORS preflights; the cross-origin responses it does see, and the
    // Access-Control-Allow-Origin they carry, show that the calls went through the browser's CORS checks.
    const crossOrigin = new Map();
    page.on('response', (r) => {
      const origin = new URL(r.url()).origin;
      if (origin === new URL(input.apiBaseUrl).origin || origin === new URL(input.jwksUrl).origin) {
        const key = `${origin === new URL(input.apiBaseUrl).origin ? 'API' : 'JWKS'} ACAO=${r.headers()['access-control-allow-origin'] ?? '(none)'}`;
        crossOrigin.set(key, (crossOrigin.get(key) ?? 0) + 1);
      }
    });
    const url = `${page$.url}/index.html?input=${encodeURIComponent(JSON.stringify(input))}`;
    await page.goto(url);
    await page.waitForFunction(() => window.__smoke !== undefined, null, { timeout: 60_000 });
    const result = await page.evaluate(() => window.__smoke);
    result.browser = `Chromium ${browser.version()}`;
    result.detail = `page ${page$.url}; cross-origin responses: ${[...crossOrigin].map(([k, n]) => `${n}× ${k}`).join(', ') || 'none'}`;
    if (!result.ok && notes.length) result.notes = notes;
    return result;
  } finally {
    await browser.close();
    page$.server.close();
  }
}

// -------------------------------------------------------------------------------------------------
// Main

const outcomes = [];
let prism;
let jwks;
try {
  const setupStarted = performance.now();
  const node20 = machineNode();
  const node24 = existsSync(bin('node')) ? bin('node') : process.execPath;
  const { deno, bun, denoVersion, bunVersion } = ensureDenoAndBun();
  const pack = buildAndPack();
  log(`packed ${path.relative(root, pack.tarball)} (${pack.files} files, ${pack.size} B)`);
  const consumerNames = ['node', 'deno', 'bun', 'bundler'];
  const [consumers, prismServer, jwksServer] = await Promise.all([
    // Deno and the bundler (workerd) consumers also get the MCP SDK and the AI SDK, for the adapter checks.
    Promise.all(consumerNames.map((name) => createConsumer(name, pack.tarball, name === 'deno' || name === 'bundler' ? adapterFrameworkSpecs() : []))).then((dirs) => Object.fromEntries(consumerNames.map((n, i) => [n, dirs[i]]))),
    startPrism({ quiet: true }),
    startJwks(),
  ]);
  prism = prismServer;
  jwks = jwksServer;
  log(`consumer projects in .tmp/matrix/{${consumerNames.join(',')}}; Prism mock ${prism.url}; JWKS ${jwks.jwksUrl}; setup ${since(setupStarted)} s\n`);

  const baseInput = { apiBaseUrl: prism.url, eventsBaseUrl: jwks.baseUrl, jwksUrl: jwks.jwksUrl, issuer: jwks.issuer, token: jwks.token, toolToken: jwks.toolToken, revokedToolToken: jwks.revokedToolToken, developerId: 'dev_runtime', grantId: jwks.grantId, scopes: jwks.scopes };
  const runtimes = [];
  if (node20) {
    const v = nodeVersion(node20);
    runtimes.push([`node ${v} esm`, (input) => runProcess(node20, ['esm.mjs'], consumers.node, input)]);
    runtimes.push([`node ${v} cjs`, (input) => runProcess(node20, ['cjs.cjs'], consumers.node, input)]);
  } else {
    outcomes.push({ name: 'node (machine)', ok: false, seconds: '0.0', error: 'no Node found on PATH outside node_modules' });
  }
  const v24 = nodeVersion(node24);
  runtimes.push([`node ${v24} esm`, (input) => runProcess(node24, ['esm.mjs'], consumers.node, input)]);
  runtimes.push([`node ${v24} cjs`, (input) => runProcess(node24, ['cjs.cjs'], consumers.node, input)]);
  const denoDir = path.join(runtimesDir, 'deno-dir');
  runtimes.push([`deno ${denoVersion.replace(/^deno /, '').split(' ')[0]}`, (input) =>
    runProcess(deno, ['run', '-A', '--node-modules-dir=manual', '--no-lock', 'esm.mjs'], consumers.deno, input, { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' })]);
  runtimes.push([`bun ${bunVersion}`, (input) => runProcess(bun, ['esm.mjs'], consumers.bun, input, { BUN_INSTALL_CACHE_DIR: path.join(runtimesDir, 'bun-cache'), NO_COLOR: '1' })]);
  runtimes.push(['workerd (miniflare, no nodejs_compat)', (input) => runWorkerd(consumers.bundler, input)]);
  // The MCP and AI SDK adapters with their real frameworks, on the two non-Node runtimes those frameworks support.
  runtimes.push([`deno ${denoVersion.replace(/^deno /, '').split(' ')[0]} adapters (mcp, ai)`, (input) =>
    runProcess(deno, ['run', '-A', '--node-modules-dir=manual', '--no-lock', 'adapters-esm.mjs'], consumers.deno, input, { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' })]);
  runtimes.push(['workerd adapters (mcp, ai; miniflare, no nodejs_compat)', (input) => runWorkerd(consumers.bundler, input, 'adapters-worker.mjs')]);
  runtimes.push(['chromium (playwright-core, cross-origin)', (input) => runChromium(consumers.bundler, input)]);

  for (const [name, run] of runtimes) {
    if (!wanted(name)) continue;
    const t = performance.now();
    let outcome;
    try {
      const result = await run({ ...baseInput, runtime: name });
      outcome = { name, ok: result.ok === true, result };
    } catch (error) {
      outcome = { name, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    outcome.seconds = since(t);
    outcomes.push(outcome);
    log(`${outcome.ok ? 'PASS' : 'FAIL'} ${name} (${outcome.seconds}s)`);
    const detail = [outcome.result?.browser, outcome.result?.resolved && `loaded ${path.relative(root, fileURLToPath(outcome.result.resolved.startsWith('file:') ? outcome.result.resolved : `file://${outcome.result.resolved}`))}`, outcome.result?.detail].filter(Boolean).join('; ');
    if (detail) log(`     ${detail}`);
    if (!outcome.ok) {
      if (outcome.error) log(`     ${outcome.error.split('\n').join('\n     ')}`);
      for (const check of outcome.result?.results ?? []) if (!check.ok) log(`     ✖ ${check.name}: ${check.error}`);
      for (const note of outcome.result?.notes ?? []) log(`     ${note}`);
    }
  }
} catch (error) {
  outcomes.push({ name: 'setup', ok: false, seconds: since(started), error: error instanceof Error ? error.stack : String(error) });
  log(`FAIL setup\n${error instanceof Error ? error.stack : error}`);
} finally {
  await prism?.stop();
  jwks?.server.close();
}

const failed = outcomes.filter((o) => !o.ok);
const checks = outcomes.reduce((n, o) => n + (o.result?.results?.length ?? 0), 0);
log(`\nruntime matrix: ${outcomes.length - failed.length} of ${outcomes.length} runtimes passed, ${checks} checks, ${since(started)} s in all`);
log(`runtimes: ${outcomes.length - failed.length} passed, ${failed.length} failed`);
process.exitCode = failed.length ? 1 : 0;
