// Starts a Prism mock of openapi.yaml on a free loopback port and stops it again. Used by the
// contract tests' global setup and by `npm run demo`. Prism is started with the same Node that runs
// this script, directly (not through npx, whose wrapper would orphan it when killed).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ spec?: string, port?: number, quiet?: boolean, errors?: boolean }} [options]
 * @returns {Promise<{ url: string, startMs: number, stop: () => Promise<void> }>}
 */
export async function startPrism(options = {}) {
  const spec = options.spec ?? path.join(root, 'openapi.yaml');
  const port = options.port ?? (await freePort());
  const cli = require.resolve('@stoplight/prism-cli/dist/index.js');
  const args = [cli, 'mock', spec, '--host', '127.0.0.1', '--port', String(port)];
  if (options.errors !== false) args.push('--errors');
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;

  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Prism exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/health`);
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Prism did not start within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const startMs = Math.round(performance.now() - started);
  if (!options.quiet) console.log(`Prism mock of ${path.relative(root, spec)} listening on ${url} (ready in ${startMs} ms)`);

  return {
    url,
    startMs,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
