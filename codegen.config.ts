import { defineConfig } from '@hey-api/openapi-ts';

// The spec is the single source of truth; this file only says how to turn it into code.
// `client: false` on the SDK plugin keeps the generated operations free of any module-level
// client: every call receives the client owned by one `Grantex` instance.
export default defineConfig({
  input: 'openapi.yaml',
  output: { path: process.env.GRANTEX_CODEGEN_OUT ?? 'generated' },
  plugins: [
    '@hey-api/client-ky',
    '@hey-api/typescript',
    { name: 'valibot', requests: false },
    {
      name: '@hey-api/sdk',
      client: false,
      validator: { response: 'valibot' },
    },
  ],
});
