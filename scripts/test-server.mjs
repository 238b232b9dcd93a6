#!/usr/bin/env node
// `grantex-test-server` from the sources of this repository (no build needed): bundles
// src/testing with esbuild, then runs the same command line as the published bin.
// Usage: node scripts/test-server.mjs [--port 3001] [--host 127.0.0.1] [...]
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { run } from '../bin/cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles the testing entry into .tmp/ and returns its module. */
export async function loadTestingFromSource() {
  const outfile = path.join(root, '.tmp', 'test-server', 'testing.mjs');
  mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    entryPoints: [path.join(root, 'src', 'testing', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { createTestServer } = await loadTestingFromSource();
  await run(createTestServer);
}
