// Types of validate.mjs, for the TypeScript tests that run the generator on fixture specs.
import type { Problem } from './generate.mjs';

export function validateSpec(spec: unknown, schema: unknown): Problem[];
export function formatProblem(problem: Problem): string;
