// Shared steps of the scripts that test the package as users install it (the runtime matrix and
// the TypeScript consumer matrix): run a command, build and pack the package, install a tarball
// into a throwaway project, find the machine's own Node. Nothing here knows about a runtime or a
// compiler; each matrix keeps its cases to itself.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const tmp = path.join(root, '.tmp');
/** A tool from this repository's node_modules/.bin. */
export const bin = (name) => path.join(root, 'node_modules', '.bin', name);

export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** npm without its banners: no update notice, funding appeal, audit summary or progress noise. */
export const quietNpmEnv = {
  ...process.env,
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  npm_config_loglevel: 'error',
  npm_config_progress: 'false',
};

/** Seconds since `t` (a `performance.now()` value), one decimal. */
export const since = (t) => ((performance.now() - t) / 1000).toFixed(1);

/** Runs a command to completion; throws with its output when it fails. Returns stdout. */
export function sh(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/**
 * Runs a command without blocking the event loop; resolves with its exit code and output (never
 * rejects on a non-zero exit). `timeout` (ms) kills it with SIGKILL.
 */
export function spawnAsync(command, args, options = {}) {
  const { timeout = 90_000, ...rest } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...rest });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs `tasks` (functions returning promises) with at most `limit` at a time; results in order. */
export async function pool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** The machine's own Node (not the one from node_modules): the first `node` on PATH outside node_modules. */
export function machineNode() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || dir.includes(`${path.sep}node_modules${path.sep}`) || dir.endsWith(`${path.sep}node_modules`)) continue;
    const candidate = path.join(dir, 'node');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  for (const candidate of ['/usr/local/bin/node', '/usr/bin/node']) if (existsSync(candidate)) return candidate;
  return undefined;
}

export const nodeVersion = (exe) => execFileSync(exe, ['--version'], { encoding: 'utf8' }).trim();

/**
 * An environment for a consumer process: this repository's node_modules/.bin is taken off PATH (it
 * would put the development Node first) and NODE_OPTIONS is dropped.
 */
export function consumerEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  env.PATH = (env.PATH ?? '').split(path.delimiter).filter((d) => !d.startsWith(root)).join(path.delimiter);
  delete env.NODE_OPTIONS;
  return env;
}

/** The environment for this repository's own tools: node_modules/.bin first on PATH. */
export function devToolEnv(extra = {}) {
  return { ...process.env, ...extra, PATH: [path.join(root, 'node_modules', '.bin'), process.env.PATH ?? ''].join(path.delimiter) };
}

/**
 * Builds the package (tsdown, into dist/, unless `skipBuild`) and packs it with `npm pack` into
 * `destination` (emptied first). Returns the tarball's path, its file list and size.
 */
export function buildAndPack(destination, { skipBuild = false } = {}) {
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });
  if (!skipBuild) {
    rmSync(path.join(root, 'dist'), { recursive: true, force: true });
    // The build tools need the development Node (node_modules/.bin/node), also when this script was
    // started with the machine's older one.
    sh(bin('tsdown'), ['--log-level', 'warn'], { env: devToolEnv() });
  }
  const out = sh(npm, ['pack', '--pack-destination', destination, '--json', '--ignore-scripts'], { env: quietNpmEnv });
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  return { tarball: path.join(destination, info.filename), files: info.files.map((f) => f.path), size: info.size, unpackedSize: info.unpackedSize };
}

/**
 * Installs `specs` (a tarball path, `name@version`, …) into the project at `dir` as a user would:
 * from the registry, without writing a lockfile. `--prefer-offline` keeps reruns off the network.
 */
export async function installInto(dir, specs, { timeout = 180_000 } = {}) {
  const result = await spawnAsync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', ...specs], { cwd: dir, env: quietNpmEnv, timeout });
  if (result.code !== 0) throw new Error(`npm install ${specs.join(' ')} in ${path.relative(root, dir)} failed:\n${result.stderr.slice(-4000)}`);
  return result;
}

/** The package's public subpaths, from package.json's exports map: ['.', './jwt', …] (package.json itself left out). */
export function exportedSubpaths(manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))) {
  const exports = manifest.exports;
  if (typeof exports === 'string' || exports === undefined) return ['.'];
  return Object.keys(exports).filter((key) => key.startsWith('.') && !key.endsWith('.json') && !key.includes('*'));
}

/** '.' → '@grantex/sdk', './jwt' → '@grantex/sdk/jwt'. */
export const specifierOf = (name, subpath) => (subpath === '.' ? name : `${name}/${subpath.slice(2)}`);
