// Runs one file of examples/ as a user would write it (importing `@grantex/sdk`), by bundling it
// with the SDK's sources. Usage: node scripts/run-example.mjs examples/quickstart.ts
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** esbuild aliases that point the package name and its subpaths at src/. */
export const sdkAliases = {
  '@grantex/sdk/jwt': path.join(root, 'src/jwt/index.ts'),
  '@grantex/sdk/pkce': path.join(root, 'src/pkce/index.ts'),
  '@grantex/sdk/webhooks': path.join(root, 'src/webhooks/index.ts'),
  '@grantex/sdk/errors': path.join(root, 'src/errors.ts'),
  '@grantex/sdk': path.join(root, 'src/index.ts'),
};

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
