import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { rsaKey, type SigningKey } from '../support/tokens.js';
import { API_KEY, DEV, ISSUER, MANIFEST, RevocationServer, rootToken } from './support.js';

// An enforcer in 'events' mode holds a stream open. A program must still end by itself: at once
// after close(), and without it once no answer depends on the feed (maxStaleness after the last
// online answer), with no timer of the feed keeping it alive meanwhile.
let key: SigningKey;
let server: RevocationServer;
let bundle: string;
beforeAll(async () => {
  [key, server] = await Promise.all([rsaKey('grantex-2026-11'), RevocationServer.start()]);
  const dir = mkdtempSync(path.join(tmpdir(), 'grantex-revocation-exit-'));
  bundle = path.join(dir, 'enforce.mjs');
  await build({ entryPoints: ['src/enforce/index.ts'], bundle: true, format: 'esm', platform: 'neutral', outfile: bundle, logLevel: 'silent' });
});
afterAll(async () => {
  await server.close();
});

async function runProgram(closeIt: boolean): Promise<{ output: string; code: number | null }> {
  const token = await rootToken(key, `grnt_exit_${closeIt}`);
  const program = path.join(path.dirname(bundle), `program-${closeIt}.mjs`);
  writeFileSync(
    program,
    `import { createEnforcer } from ${JSON.stringify(bundle)};
const enforcer = createEnforcer({
  jwks: { keys: [${JSON.stringify(key.publicJwk)}] }, issuer: ${JSON.stringify(ISSUER)}, developerId: ${JSON.stringify(DEV)},
  manifests: [${JSON.stringify(MANIFEST)}],
  revocation: { mode: 'events', apiKey: ${JSON.stringify(API_KEY)}, baseUrl: ${JSON.stringify(server.url)}, maxStaleness: 300 },
});
const decision = await enforcer.check({ grantToken: ${JSON.stringify(token)}, connector: 'github', tool: 'create_issue' });
console.log(decision.code);
${closeIt ? 'await enforcer.close();' : ''}
`,
  );
  const child = spawn(process.execPath, [program], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (exitCode) => {
      clearTimeout(killer);
      resolve(exitCode);
    });
  });
  return { output: output.trim(), code };
}

it('a program whose enforcer is closed exits by itself', async () => {
  const { output, code } = await runProgram(true);
  expect(output).toBe('ALLOWED');
  expect(code).toBe(0);
}, 30_000);

it('a program whose enforcer is never closed exits by itself too (the feed closes once nothing depends on it)', async () => {
  const before = server.streams.length;
  const { output, code } = await runProgram(false);
  expect(output).toBe('ALLOWED');
  // Killed by the guard above it would be null, not 0.
  expect(code).toBe(0);
  // The feed had been opened: it was a live subscription that let the process go.
  expect(server.streams.length).toBeGreaterThan(before);
}, 30_000);
