import { GrantexInvalidResponseError } from '../errors.js';

/**
 * Some fields are stored as JSON and sent back double-encoded: the wire carries a string that
 * holds a JSON object. The SDK returns the object the caller originally sent.
 */
export function parseJsonObjectField(value: unknown, field: string, operation: string): Record<string, unknown> {
  if (value === null || value === undefined || value === '') return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // Falls through to the typed error below.
    }
  }
  throw new GrantexInvalidResponseError(`Response of ${operation} has a ${field} that is not a JSON object`, { operation });
}
