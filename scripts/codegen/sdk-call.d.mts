// Types of sdk-call.mjs, for the generator's tests.

export const WIDTH: number;
export function renderSdkCall(spec: unknown, operation: unknown, pathItem?: unknown): { code: string; held: string[] };
