// Types of sdk-call.mjs, for the generator's tests.

export const WIDTH: number;
export function renderSdkCall(spec: unknown, operation: unknown, pathItem?: unknown, options?: { into?: string }): { code: string; held: string[] };
