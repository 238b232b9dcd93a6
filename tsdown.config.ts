// Build of the published package: ESM (.mjs + .d.mts) and CommonJS (.cjs + .d.cts) for each public
// entry in scripts/sdk-entries.mjs. Runtime dependencies stay external in the ESM build. The CJS
// build inlines `ky`: it is ESM-only with a default export, which `require()` of an ES module hands
// back as a namespace object. `valibot`, `jose` and `eventsource-parser` ship what both formats
// need, so they stay external. `hono` and `@hono/node-server` (dev dependencies) are bundled into
// the testing entry only: people who never import `@grantex/sdk/testing` pay nothing for them, and
// the Node adapter stays a separate chunk that only `server.listen()` loads. Shared code goes to
// chunks, so `import('./jwt/index.js')` in src/lazy-jwt.ts stays a separate chunk and the main
// entry does not load `jose` until it is used.
import { defineConfig, type UserConfig } from 'tsdown';

// @ts-expect-error plain ESM script without type declarations
import { buildEntries } from './scripts/sdk-entries.mjs';

const entry = buildEntries as Record<string, string>;

const common: UserConfig = {
  entry,
  outDir: 'dist',
  platform: 'neutral',
  target: 'es2022',
  fixedExtension: true,
  dts: true,
  sourcemap: false,
  treeshake: true,
  clean: true,
  hash: true,
  tsconfig: 'tsconfig.json',
  // package.json's exports map is written by hand (explicit, no wildcards) and checked against
  // scripts/sdk-entries.mjs; do not rewrite it.
  exports: false,
};

// The agent frameworks are optional peer dependencies: each adapter entry imports its framework,
// which the user has installed; never bundled, in either format.
const frameworks: RegExp[] = [/^@modelcontextprotocol\/sdk(\/|$)/, /^ai(\/|$)/, /^@langchain\/core(\/|$)/, /^@openai\/agents(-core)?(\/|$)/];
const external: (string | RegExp)[] = ['jose', 'ky', 'valibot', 'eventsource-parser', /^node:/, ...frameworks];

export default defineConfig([
  {
    ...common,
    format: 'esm',
    deps: { neverBundle: external, alwaysBundle: ['hono', '@hono/node-server'] },
  },
  {
    ...common,
    format: 'cjs',
    deps: { neverBundle: external.filter((name) => name !== 'ky'), alwaysBundle: ['ky', 'hono', '@hono/node-server'] },
  },
]);
