import { defineConfig } from 'vitest/config';

// Two projects: the trust helpers run without any server; the contract suite runs every
// operation against a Prism mock of openapi.yaml, started once in global setup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/trust/**/*.test.ts', 'test/enforce/**/*.test.ts', 'test/events/**/*.test.ts', 'test/testing/**/*.test.ts', 'test/vault/**/*.test.ts'],
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
