import { defineConfig } from '@hey-api/openapi-ts';

// The spec is the single source of truth; this file only says how hey-api turns it into types
// and response validators. The client surface (namespaces, the operation table) is written by
// scripts/generate-sdk.mjs from the same spec, so no generated HTTP client sits on the request path.
export default defineConfig({
  input: 'openapi.yaml',
  output: { path: process.env.GRANTEX_CODEGEN_OUT ?? 'generated' },
  plugins: ['@hey-api/typescript', { name: 'valibot', requests: false }],
});
