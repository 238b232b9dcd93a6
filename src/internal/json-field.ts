import { GrantexInvalidResponseError } from '../errors.js';

/**
 * Some fields are stored as JSON and sent back double-encoded: the wire carries a string that
 * holds a JSON object or array. The SDK returns the value the caller originally sent.
 */
export function parseJsonObjectField(value: unknown, field: string, operation: string): Record<string, unknown> {
  if (value === null || value === undefined || value === '') return {};
  const parsed = typeof value === 'string' ? tryParse(value) : value;
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  throw new GrantexInvalidResponseError(`Response of ${operation} has a ${field} that is not a JSON object`, { operation });
}

/** Like {@link parseJsonObjectField}, for fields holding an encoded array (e.g. SCIM `emails`). */
export function parseJsonArrayField<T = unknown>(value: unknown, field: string, operation: string): T[] {
  if (value === null || value === undefined || value === '') return [];
  const parsed = typeof value === 'string' ? tryParse(value) : value;
  if (Array.isArray(parsed)) return parsed as T[];
  throw new GrantexInvalidResponseError(`Response of ${operation} has a ${field} that is not a JSON array`, { operation });
}

/** Replaces the named double-encoded object fields of a record by their decoded objects. */
export function decodeObjectFields<T extends object, K extends keyof T & string>(
  record: T,
  fields: readonly K[],
  operation: string,
): Omit<T, K> & { [P in K]: Record<string, unknown> } {
  const out = { ...record } as Record<string, unknown>;
  for (const field of fields) {
    if (field in record) out[field] = parseJsonObjectField(out[field], field, operation);
  }
  return out as Omit<T, K> & { [P in K]: Record<string, unknown> };
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `T` with the named double-encoded fields replaced by decoded objects (distributes over unions). */
export type WithDecodedObjects<T, K extends PropertyKey> = T extends unknown
  ? Omit<T, K & keyof T> & { [P in K & keyof T]: Record<string, unknown> }
  : never;

/** Decodes the named fields of every item of a list. */
export function decodeEach<T extends object, K extends string>(items: readonly T[], fields: readonly K[], operation: string): WithDecodedObjects<T, K>[] {
  return items.map((item) => decodeObjectFields(item, fields as never, operation) as unknown as WithDecodedObjects<T, K>);
}
