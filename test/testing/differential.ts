// Records what a Grantex server answers to the contract calls, as a transcript that can be compared
// with one taken from another server: per operation, the status and the shape of the body (which
// fields are present, and whether each is null). Values are left out: ids, times and signatures
// differ between any two servers; shapes and statuses must not.
import { callOperation, sdkOperations } from '../contract/calls.js';
import { Grantex } from '../../src/index.js';
import type { OperationSpec } from '../../src/internal/operation.js';

/** A field's kind in a shape: present with a value, or present and null. */
export type FieldKind = 'value' | 'null';

/** One answer, reduced to what two servers must agree on. */
export interface TranscriptEntry {
  /** The SDK call (`credentials.get`), as in the generated operation table. */
  readonly call: string;
  readonly status: number;
  /** The error `code` of a refusal, when the body has one. */
  readonly code?: string;
  /** Field paths of the body: `key`, `list[].key` for the first item of an array, `[].key` for a bare array. */
  readonly shape: Readonly<Record<string, FieldKind>>;
}

/** What a comparison looks at: the status class and the shape. */
export const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;

function describeObject(value: Record<string, unknown>, prefix: string, out: Record<string, FieldKind>, depth: number): void {
  for (const [key, field] of Object.entries(value)) {
    const path = `${prefix}${key}`;
    out[path] = field === null ? 'null' : 'value';
    if (depth > 0 && Array.isArray(field) && typeof field[0] === 'object' && field[0] !== null && !Array.isArray(field[0])) {
      describeObject(field[0] as Record<string, unknown>, `${path}[].`, out, depth - 1);
    }
  }
}

/** The shape of a JSON body: its top-level fields and those of the first item of each top-level list. */
export function shapeOf(body: unknown): Record<string, FieldKind> {
  const out: Record<string, FieldKind> = {};
  if (Array.isArray(body)) {
    if (typeof body[0] === 'object' && body[0] !== null) describeObject(body[0] as Record<string, unknown>, '[].', out, 0);
  } else if (typeof body === 'object' && body !== null) {
    describeObject(body as Record<string, unknown>, '', out, 1);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Request-response operations (the live event feed is a stream; test/events covers it). */
export const transcriptOperations: OperationSpec[] = sdkOperations.filter((op) => op.bespoke !== 'eventStream' && op.bespoke !== 'eventSocket');

/** A server the transcript can be taken from: its `fetch`, base URL and a sandbox developer's key. */
export interface TranscriptTarget {
  readonly fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  readonly url: string;
  readonly sandboxApiKey: string;
}

/**
 * Calls one operation as the contract suite does (the spec's examples, every optional field, the
 * sandbox key) and reduces the server's last answer to a transcript entry.
 */
export async function recordOperation(target: TranscriptTarget, op: OperationSpec): Promise<TranscriptEntry> {
  let last: { status: number; body: unknown } | undefined;
  const recording = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const response = await target.fetch(input, init);
    const text = await response.clone().text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    last = { status: response.status, body };
    return response;
  };
  const client = new Grantex({ apiKey: target.sandboxApiKey, baseUrl: target.url, fetch: recording, maxRetries: 0, validation: 'off' });
  try {
    await callOperation(client, { baseUrl: target.url, fetch: recording, maxRetries: 0 }, op, 'full');
  } catch {
    // A refusal is part of the transcript; the last answer says what it was.
  }
  if (!last) throw new Error(`${op.call} sent no request`);
  const { status, body } = last;
  const code = status >= 400 && typeof (body as { code?: unknown })?.code === 'string' ? (body as { code: string }).code : undefined;
  return { call: op.call, status, ...(code ? { code } : {}), shape: status >= 400 ? {} : shapeOf(body) };
}

/** Where two entries for the same call disagree (status class, a field's presence, or null vs value); empty when they agree. */
export function differences(real: TranscriptEntry, local: TranscriptEntry): string[] {
  const out: string[] = [];
  if (statusClass(real.status) !== statusClass(local.status)) out.push(`status ${real.status} (real) vs ${local.status}`);
  else {
    for (const [path, kind] of Object.entries(real.shape)) {
      const other = local.shape[path];
      if (other === undefined) out.push(`${path} missing`);
      else if (other !== kind) out.push(`${path} is ${other}, real ${kind}`);
    }
    for (const path of Object.keys(local.shape)) if (!(path in real.shape)) out.push(`${path} extra`);
  }
  return out;
}
