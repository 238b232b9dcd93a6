// Types of json-schema.mjs, for the generator's tests.

export interface SchemaError {
  readonly path: string;
  readonly message: string;
}
export function validateJson(value: unknown, schema: unknown, path: string, root?: unknown): SchemaError[];
export function childPath(base: string, key: string | number): string;
export function closest(name: string, allowed: Iterable<string>): string | undefined;
