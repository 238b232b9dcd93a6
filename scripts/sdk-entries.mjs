// The package's public entry points and the source file behind each, for the scripts that run
// or measure the SDK from source (examples, benchmarks). package.json's exports map is the
// published truth; test/tsconfig.json's paths say the same for the type checker.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const SDK_ENTRIES = [
  { name: '@grantex/sdk', file: 'src/index.ts' },
  { name: '@grantex/sdk/jwt', file: 'src/jwt/index.ts' },
  { name: '@grantex/sdk/pkce', file: 'src/pkce/index.ts' },
  { name: '@grantex/sdk/webhooks', file: 'src/webhooks/index.ts' },
  { name: '@grantex/sdk/errors', file: 'src/errors.ts' },
];

/** esbuild aliases from each entry name to its source; subpaths first, so none is read as a path under the main entry. */
export const sdkAliases = Object.fromEntries(
  [...SDK_ENTRIES].sort((a, b) => b.name.length - a.name.length).map(({ name, file }) => [name, path.join(root, file)]),
);
