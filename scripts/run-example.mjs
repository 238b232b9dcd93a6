// Runs one file of examples/ as a user would write it (importing `@grantex/sdk`), by bundling it
// with the SDK's sources. Usage: node scripts/run-example.mjs examples/quickstart.ts
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

import { sdkAliases } from './sdk-entries.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function bundleExample(file) {
  const outDir = path.join(root, '.tmp', 'examples');
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, `${path.basename(file, '.ts')}.mjs`);
  await build({
    entryPoints: [path.resolve(root, file)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    alias: sdkAliases,
    // The agent frameworks (and express under the MCP SDK) load from node_modules as a user's
    // install would; bundling their CommonJS parts into one ES module breaks their require() calls.
    external: ['@modelcontextprotocol/sdk', '@modelcontextprotocol/sdk/*', 'express', 'ai', 'ai/*', '@langchain/core', '@langchain/core/*', '@openai/agents', '@openai/agents/*', 'zod', 'zod/*'],
    logLevel: 'error',
  });
  return outfile;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node scripts/run-example.mjs examples/<name>.ts');
    process.exit(2);
  }
  await import(pathToFileURL(await bundleExample(file)).href);
}
