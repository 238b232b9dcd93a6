/**
 * Reading an answer: the body as text under the size cap, parsed leniently, and the fields the
 * spec marks as JSON-encoded decoded. Validation and shaping are in answer-shape.ts.
 */
import { GrantexInvalidResponseError } from '../errors.js';
import { readCappedBody } from './capped-body.js';
import type { OperationSpec } from './operation.js';

const DECIMAL = /^\d+$/;

/**
 * Reads the body as text, refusing more than `limit` bytes while it streams. Not `async`: the
 * common case hands back `text()`'s own promise, without a second promise around it.
 */
export function readBody(response: Response, limit: number, op: OperationSpec): Promise<string> {
  // A declared length within the cap is the common case: the runtime refuses a body longer than
  // it declares (as readCappedBody also relies on), so `text()` is read under the cap already.
  const declared = response.headers.get('content-length');
  if (declared !== null && DECIMAL.test(declared) && Number(declared) <= limit) return response.text();
  return readCappedBody(response, limit).then((bytes) => {
    if (bytes === undefined) {
      throw new GrantexInvalidResponseError(`Response of ${op.call} is larger than maxResponseBytes (${limit} bytes)`, {
        status: response.status,
        operation: op.call,
        code: 'RESPONSE_TOO_LARGE',
      });
    }
    return new TextDecoder().decode(bytes);
  });
}

/** The body as JSON, or the text itself when it is not JSON (an HTML error page), or `undefined` when empty. */
export function parseLoose(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Replaces a JSON-encoded string at a dotted path (arrays walked) by its decoded value. */
export function decodeAt(value: unknown, segments: readonly string[], call: string): unknown {
  if (Array.isArray(value)) return value.map((item) => decodeAt(item, segments, call));
  if (typeof value !== 'object' || value === null) return value;
  const [head, ...rest] = segments as [string, ...string[]];
  if (!(head in value)) return value;
  const record = value as Record<string, unknown>;
  const current = record[head];
  let next: unknown;
  if (rest.length > 0) next = decodeAt(current, rest, call);
  else if (typeof current === 'string') {
    if (current === '') next = current;
    else {
      try {
        next = JSON.parse(current);
      } catch {
        throw new GrantexInvalidResponseError(`Response of ${call} has a ${segments.join('.')} that is not valid JSON`, { operation: call });
      }
    }
  } else next = current;
  return { ...record, [head]: next };
}
