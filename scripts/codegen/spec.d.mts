// Types of spec.mjs, for the TypeScript suites that read openapi.yaml (the contract suite).

type Json = Record<string, unknown>;

export const HTTP_METHODS: readonly string[];
export function deref(spec: unknown, node: unknown): Json | undefined;
export function refName(node: unknown): string | undefined;
export function exampleOf(spec: unknown, holder: unknown): unknown;
export function requiredFields(spec: unknown, schema: unknown): string[];
export function propertyNames(spec: unknown, schema: unknown): { names: Set<string>; open: boolean };
export function schemaAt(spec: unknown, schema: unknown, segments: readonly string[]): Json | undefined;
export function jsonBodyOf(spec: unknown, operation: unknown): Json | undefined;
export function parseArg(entry: string): { name: string; where: string; field: string | undefined };
