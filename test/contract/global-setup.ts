import type { TestProject } from 'vitest/node';

// @ts-expect-error plain ESM script without type declarations
import { startPrism } from '../../scripts/prism.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

/** One Prism mock of openapi.yaml for the whole contract suite, with request validation on. */
export default async function setup(project: TestProject) {
  const prism = await startPrism({ quiet: false });
  project.provide('prismUrl', prism.url);
  return async () => {
    await prism.stop();
  };
}
