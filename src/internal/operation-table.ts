/**
 * Reads the compact operation table that the generator writes (generated/operations.gen.ts) into
 * the {@link OperationSpec} rows the transport reads. The table stores nothing that can be worked
 * out: the operationId is the key, the namespace is the group the row sits in, the validator is
 * found under the method name, path arguments follow from the path template. That keeps the
 * table small in every bundle, including one-file bundles where nothing is loaded lazily.
 *
 * A row is `'<name> <METHOD> <path>[?<query>&<query>…][ <flags>]'`, or that string and an object
 * with the rarer fields, which are copied as they are (`OperationSpec` names). The flags:
 * `v` the response is validated (by `schemas[<method name>]` of the namespace's validator
 * module), `b` a JSON body, `B` a JSON body the spec requires, `n` a public operation (no
 * credential), `t` authenticated with another bearer token, `s` the answer is an event stream.
 * The encoder is scripts/codegen/emit-table.mjs.
 */
import type { OperationSpec } from './operation.js';

/** One encoded row of the table. */
export type OperationRow = string | readonly [string, Partial<OperationSpec>];

/** The operationIds of a table: the keys of every group. */
type OperationIds<T> = { [G in keyof T]: keyof T[G] }[keyof T] & string;

/** Rows of the namespace `client` hold the whole method name; others get `<namespace>.` in front. */
const TOP_LEVEL = 'client';

function decodeRow(id: string, group: string, row: OperationRow): OperationSpec {
  const [text, extra] = typeof row === 'string' ? [row, undefined] : row;
  const [name = '', method = '', target = '', flags = ''] = text.split(' ');
  const [path = '', search] = target.split('?');
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ['path', m[1]!] as const);
  const spec: Record<string, unknown> = { id, call: group === TOP_LEVEL ? name : `${group}.${name}`, method, path };
  if (params.length) spec['args'] = params;
  if (search) spec['query'] = search.split('&');
  if (/[bB]/.test(flags)) spec['body'] = true;
  if (flags.includes('B')) spec['requiredBody'] = true;
  if (flags.includes('n')) spec['auth'] = 'none';
  if (flags.includes('t')) spec['auth'] = 'bearer';
  if (flags.includes('v')) {
    spec['validator'] = name;
    spec['group'] = group;
  }
  if (flags.includes('s')) spec['stream'] = true;
  return Object.assign(spec, extra) as unknown as OperationSpec;
}

/**
 * Every row of `table` (namespace → operationId → row) as an `OperationSpec`, keyed by operationId.
 *
 * @example
 * ```ts
 * const operations = decodeOperations({ agents: { getAgent: 'get GET /v1/agents/{id} v' } });
 * operations.getAgent.call; // 'agents.get'
 * ```
 */
export function decodeOperations<const T extends Readonly<Record<string, Readonly<Record<string, OperationRow>>>>>(
  table: T,
): Readonly<Record<OperationIds<T>, OperationSpec>> {
  const operations: Record<string, OperationSpec> = {};
  for (const [group, rows] of Object.entries(table)) {
    for (const [id, row] of Object.entries(rows)) operations[id] = decodeRow(id, group, row);
  }
  // Every key of every group was filled in above: the mapped type only names them.
  return operations as Readonly<Record<OperationIds<T>, OperationSpec>>;
}
