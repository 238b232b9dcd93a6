// The package's public entry points: the one list. Everything else is derived from it or checked
// against it: tsdown.config.ts builds these entries; scripts/check-package.mjs fails when
// package.json's exports map or test/tsconfig.json's paths say anything else; the examples,
// benchmarks and docs resolve the names to these source files.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `name`: what users import; `file`: its source; `dist`: the base name of its built files. */
export const SDK_ENTRIES = [
  { name: '@grantex/sdk', file: 'src/index.ts', dist: 'index' },
  { name: '@grantex/sdk/jwt', file: 'src/jwt/index.ts', dist: 'jwt' },
  { name: '@grantex/sdk/pkce', file: 'src/pkce/index.ts', dist: 'pkce' },
  { name: '@grantex/sdk/webhooks', file: 'src/webhooks/index.ts', dist: 'webhooks' },
  { name: '@grantex/sdk/enforce', file: 'src/enforce/index.ts', dist: 'enforce' },
  // Types only: declares `req.grantex` on Express's Request; empty at run time.
  { name: '@grantex/sdk/enforce/express', file: 'src/enforce/express.ts', dist: 'enforce-express' },
  { name: '@grantex/sdk/vault', file: 'src/vault/index.ts', dist: 'vault' },
  // Workers and browsers get a build without `listen()` (which needs node:http), by export condition.
  { name: '@grantex/sdk/testing', file: 'src/testing/index.ts', dist: 'testing', edge: { file: 'src/testing/edge.ts', dist: 'testing-edge' } },
  { name: '@grantex/sdk/errors', file: 'src/errors.ts', dist: 'errors' },
  // Agent-framework adapters: each framework is an optional peer dependency that only its entry loads.
  { name: '@grantex/sdk/mcp', file: 'src/mcp/index.ts', dist: 'mcp', peer: '@modelcontextprotocol/sdk' },
  { name: '@grantex/sdk/ai', file: 'src/ai/index.ts', dist: 'ai', peer: 'ai' },
  { name: '@grantex/sdk/langchain', file: 'src/langchain/index.ts', dist: 'langchain', peer: '@langchain/core' },
  { name: '@grantex/sdk/openai-agents', file: 'src/openai-agents/index.ts', dist: 'openai-agents', peer: '@openai/agents' },
];

/** The subpath of an entry in package.json's exports map (`.` or `./jwt`). */
export const subpathOf = (entry) => (entry.name === '@grantex/sdk' ? '.' : `./${entry.name.slice('@grantex/sdk/'.length)}`);

/** The exports-map value every entry has: ESM and CJS, each with its own declarations. */
export const exportsValueOf = (entry) => ({
  ...(entry.edge
    ? Object.fromEntries(['workerd', 'worker', 'browser'].map((condition) => [condition, { types: `./dist/${entry.edge.dist}.d.mts`, default: `./dist/${entry.edge.dist}.mjs` }]))
    : {}),
  import: { types: `./dist/${entry.dist}.d.mts`, default: `./dist/${entry.dist}.mjs` },
  require: { types: `./dist/${entry.dist}.d.cts`, default: `./dist/${entry.dist}.cjs` },
});

/** Every file the build compiles, by dist base name (entries and their edge builds). */
export const buildEntries = Object.fromEntries(SDK_ENTRIES.flatMap((e) => [[e.dist, e.file], ...(e.edge ? [[e.edge.dist, e.edge.file]] : [])]));

/** esbuild aliases from each entry name to its source; subpaths first, so none is read as a path under the main entry. */
export const sdkAliases = Object.fromEntries(
  [...SDK_ENTRIES].sort((a, b) => b.name.length - a.name.length).map(({ name, file }) => [name, path.join(root, file)]),
);
