import { defineConfig } from 'vitest/config';

// Runs this folder alone: `npx vitest run --config test/testing/vitest.config.ts`. The root config
// gets the same folder as its own project.
export default defineConfig({
  test: {
    name: 'testing',
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/testing/**/*.test.ts'],
  },
});
