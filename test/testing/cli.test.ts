import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Starts scripts/test-server.mjs (the bin's command line, on the sources) and collects its output. */
function start(args: string[]) {
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'test-server.mjs'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = new Promise<string[]>((resolve, reject) => {
    child.stdout.on('data', () => {
      const got = stdout.split('\n').filter(Boolean);
      if (got.length >= 3) resolve(got);
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  return { child, lines, exited, output: () => ({ stdout, stderr }) };
}

describe('grantex-test-server', () => {
  it('prints the URL and both keys as KEY=value lines, serves over HTTP, and stops on SIGTERM', async () => {
    const run = start(['--port', '0', '--api-key', 'gx_live_cli_fixed_key_0000000000000000000000000']);
    const lines = await run.lines;
    expect(lines).toEqual([
      expect.stringMatching(/^GRANTEX_BASE_URL=http:\/\/127\.0\.0\.1:\d+$/),
      'GRANTEX_API_KEY=gx_live_cli_fixed_key_0000000000000000000000000',
      expect.stringMatching(/^GRANTEX_SANDBOX_API_KEY=gx_test_[\w-]{43}$/),
    ]);
    const env = Object.fromEntries(lines.map((line) => line.split(/=(.*)/s).slice(0, 2)));
    const me = await fetch(`${env.GRANTEX_BASE_URL}/v1/me`, { headers: { authorization: `Bearer ${env.GRANTEX_API_KEY}` } });
    expect([me.status, (await me.json()).mode]).toEqual([200, 'live']);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output().stdout.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('refuses a bad port with a usage message and exit code 2', async () => {
    const run = start(['--port', '70000']);
    run.lines.catch(() => {});
    expect(await run.exited).toBe(2);
    expect(run.output().stderr).toContain('--port');
  });
});
