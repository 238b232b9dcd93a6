import { configDefaults, defineConfig } from 'vitest/config';

// test/ mirrors src/ (test/README.md). Three projects: everything that needs no outside process; the
// agent-framework adapters, which load the real frameworks; and the contract suite, which runs every
// operation against a Prism mock of openapi.yaml, started once in global setup. A new area folder
// joins the first project without a change here.
const ADAPTERS = 'test/{ai,langchain,mcp,openai-agents}/**/*.test.ts';
const CONTRACT = 'test/contract/**/*.test.ts';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ADAPTERS, CONTRACT],
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
          include: [ADAPTERS],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'contract',
          include: [CONTRACT],
          globalSetup: ['test/contract/global-setup.ts'],
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
