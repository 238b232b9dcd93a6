import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { hang, HostileServer, reply, stallBody } from '../support/hostile-server.js';

// After its calls settle, a program using the SDK must be able to exit on its own: no retry timer,
// timeout timer or socket may keep the event loop alive. A child process makes failing calls of
// every kind and then simply ends; it must exit by itself with code 0. The retry wait it aborts is an
// hour long, so a process held by it is killed long before and fails, however slow the machine.
let server: HostileServer;
beforeAll(async () => {
  server = await HostileServer.start();
});
afterAll(async () => {
  await server.close();
});

it('the process exits by itself after timeouts, aborted retry waits and errors', async () => {
  // Request 1 stalls its body, 2 hangs, 3 asks for a long retry wait (aborted by the caller),
  // 4 is a plain error.
  server.script(
    stallBody,
    hang,
    reply(503, { message: 'busy', code: 'INTERNAL_ERROR', requestId: 'r' }, { 'retry-after': '3600' }),
    reply(404, { message: 'nope', code: 'NOT_FOUND', requestId: 'r' }),
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'grantex-exit-'));
  const sdk = path.join(dir, 'sdk.mjs');
  await build({ entryPoints: ['src/index.ts'], bundle: true, format: 'esm', platform: 'node', outfile: sdk, logLevel: 'silent' });
  const program = path.join(dir, 'program.mjs');
  writeFileSync(
    program,
    `import { Grantex } from ${JSON.stringify(sdk)};
const client = new Grantex({ apiKey: 'gx_test_process_exit_key_0001', baseUrl: ${JSON.stringify(server.url)}, timeout: 200, maxRetries: 0, maxRetryAfter: 3600 });
const codes = [];
codes.push(await client.agents.get('a').catch((e) => e.code));
codes.push(await client.agents.get('b').catch((e) => e.code));
const controller = new AbortController();
setTimeout(() => controller.abort(), 100);
codes.push(await client.agents.get('c', { maxRetries: 2, signal: controller.signal }).catch((e) => e.code));
codes.push(await client.agents.get('d').catch((e) => e.code));
console.log(codes.join(','));
`,
  );
  const child = spawn(process.execPath, [program], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('exit', (exitCode) => {
      clearTimeout(killer);
      resolve(exitCode);
    });
  });
  expect(output.trim()).toBe('TIMEOUT,TIMEOUT,ABORTED,NOT_FOUND');
  // Killed (code null) when the hour-long Retry-After or an idle socket held the process.
  expect(code).toBe(0);
}, 150_000);
