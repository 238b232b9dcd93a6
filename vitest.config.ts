import { defineConfig } from 'vitest/config';

// Two projects: the trust helpers run without any server; the contract suite runs every
// operation against a Prism mock of openapi.yaml, started once in global setup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/trust/**/*.test.ts', 'test/enforce/**/*.test.ts', 'test/events/**/*.test.ts', 'test/testing/**/*.test.ts', 'test/vault/**/*.test.ts', 'test/codegen/**/*.test.ts'],
          // vitest's 5 s default fails a correct test on a loaded 2-core CI machine; these bounds only
          // catch hangs. Tests that are large by design set their own, larger bound.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The agent-framework adapters with the real frameworks: heavier imports, one HTTP round trip per MCP call.
        test: {
          name: 'adapters',
          include: ['test/adapters/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'contract',
          include: ['test/contract/**/*.test.ts'],
          globalSetup: ['test/contract/global-setup.ts'],
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
