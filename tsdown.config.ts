// Build of the published package: ESM (.mjs + .d.mts) and CommonJS (.cjs + .d.cts) for each public
// entry. Runtime dependencies stay external in the ESM build. The CJS build inlines `ky`: it is
// ESM-only with a default export, which `require()` of an ES module hands back as a namespace object
// (the generated client would call `ky.default.create`, which does not exist). `valibot` ships its
// own CJS build and `jose` has only named exports (loaded through require(esm), Node 20.19+/22.12+),
// so both stay external there too. Shared code goes to chunks, so `import('./jwt/index.js')` in
// src/lazy-jwt.ts stays a separate chunk and the main entry does not load `jose` until it is used.
import { defineConfig, type UserConfig } from 'tsdown';

const entry = {
  index: 'src/index.ts',
  jwt: 'src/jwt/index.ts',
  pkce: 'src/pkce/index.ts',
  webhooks: 'src/webhooks/index.ts',
  errors: 'src/errors.ts',
};

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
  // package.json's exports map is written by hand (explicit, no wildcards); do not rewrite it.
  exports: false,
};

export default defineConfig([
  {
    ...common,
    format: 'esm',
    deps: { neverBundle: ['jose', 'ky', 'valibot'] },
  },
  {
    ...common,
    format: 'cjs',
    deps: { neverBundle: ['jose', 'valibot'], alwaysBundle: ['ky'], onlyBundle: ['ky'] },
  },
]);
