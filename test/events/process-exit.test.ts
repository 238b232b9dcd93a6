import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { event, frame, LocalServer, startSse } from './support.js';

// A program that has finished with its streams must be able to exit on its own: no idle timer,
// reconnection timer, socket or listener may keep the event loop alive. The server below keeps
// every connection open, so only the client can end them.
let server: LocalServer;
beforeAll(async () => {
  server = await LocalServer.start();
});
afterAll(async () => {
  await server.close();
});

it('a process that breaks out of, closes or aborts its streams exits by itself', async () => {
  server.sse(
    // 1: one event, then the connection stays open (the loop breaks after the event).
    (_req, res) => {
      startSse(res);
      res.write(frame(event(1)));
    },
    // 2: headers and a keepalive, then silence (the idle timeout fires).
    (_req, res) => {
      startSse(res);
      res.write(': keepalive\n\n');
    },
    // 3: one event, then a clean end: the stream waits 30 s to reconnect and is aborted then.
    (_req, res) => {
      startSse(res);
      res.end(frame(event(3)));
    },
    // 4: half a frame, then silence (close() while the read is pending).
    (_req, res) => {
      startSse(res);
      res.write('data: {"id":"evt_4"');
    },
  );
  server.upgrade((req, socket, accept) => {
    accept(req, socket).sendText(JSON.stringify(event(5)));
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'grantex-events-exit-'));
  const events = path.join(dir, 'events.mjs');
  await build({ entryPoints: ['src/events/index.ts'], bundle: true, format: 'esm', platform: 'neutral', outfile: events, logLevel: 'silent' });
  const program = path.join(dir, 'program.mjs');
  writeFileSync(
    program,
    `import { openEventSocket, openEventStream } from ${JSON.stringify(events)};
const key = 'gx_test_process_exit_key_0001';
const config = { url: ${JSON.stringify(`${server.url}/v1/events/stream`)}, headers: { authorization: 'Bearer ' + key }, fetch, secrets: [key] };
const out = [];

for await (const event of openEventStream(config)) { out.push(event.id); break; }

try { for await (const _ of openEventStream(config, { idleTimeout: 100, reconnect: false })) {} } catch (error) { out.push(error.code); }

const controller = new AbortController();
const waiting = openEventStream(config, {
  signal: controller.signal,
  reconnect: { initialDelay: 30_000 },
  onGap: (notice) => { if (notice.phase === 'reconnecting') setTimeout(() => controller.abort(), 50); },
});
try { for await (const event of waiting) out.push(event.id); } catch (error) { out.push(error.code); }

const pending = openEventStream(config);
setTimeout(() => pending.close(), 50);
for await (const _ of pending) {}
out.push('closed');

const socket = openEventSocket({ url: ${JSON.stringify(`${server.url}/v1/events/ws`)}, headers: config.headers, secrets: [key] });
for await (const event of socket) { out.push(event.id); break; }

console.log(out.join(','));
`,
  );
  const started = Date.now();
  const child = spawn(process.execPath, [program], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (exitCode) => {
      clearTimeout(killer);
      resolve(exitCode);
    });
  });
  expect(output.trim()).toBe('evt_1,TIMEOUT,evt_3,ABORTED,closed,evt_5');
  expect(code).toBe(0);
  // The 30 s reconnection wait and the connections the server holds open must not hold the process.
  expect(Date.now() - started).toBeLessThan(8_000);
}, 20_000);
