import { GrantexInvalidArgumentError } from '../errors.js';

/** An array or object whose opening bracket is written and whose members are being written. */
interface Open {
  readonly node: object;
  /** The object's kept keys, sorted; `undefined` for an array. */
  readonly keys: readonly string[] | undefined;
  readonly length: number;
  index: number;
}

/**
 * Canonical JSON as the audit chain hashes it: object keys sorted by UTF-16 code unit at every
 * depth, arrays in their order, `undefined` properties dropped, no whitespace.
 *
 * Written with an explicit stack instead of recursion: metadata nested a few thousand levels deep
 * (tiny in bytes, well within what the server stores) would otherwise overflow the call stack.
 * Throws `GrantexInvalidArgumentError` for a value JSON cannot hold: one that contains itself, or
 * a `bigint`.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  const open: Open[] = [];
  // The arrays and objects being written, to refuse a cycle (which would never end) while still
  // allowing the same value twice side by side, as JSON.stringify does.
  const path = new Set<object>();
  let next = value;
  for (;;) {
    if (next === null || typeof next !== 'object') {
      if (typeof next === 'bigint') throw new GrantexInvalidArgumentError('Audit metadata holds a bigint, which JSON cannot represent');
      // Functions and symbols, like undefined array items, are written as null.
      out.push(JSON.stringify(next) ?? 'null');
    } else if (path.has(next)) {
      throw new GrantexInvalidArgumentError('Audit metadata contains itself, which JSON cannot represent');
    } else if (Array.isArray(next)) {
      path.add(next);
      out.push('[');
      open.push({ node: next, keys: undefined, length: next.length, index: 0 });
    } else {
      const record = next as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      path.add(next);
      out.push('{');
      open.push({ node: next, keys, length: keys.length, index: 0 });
    }
    // Close every finished container, then move to the next member of the innermost open one.
    let top = open[open.length - 1];
    while (top && top.index === top.length) {
      out.push(top.keys ? '}' : ']');
      path.delete(top.node);
      open.pop();
      top = open[open.length - 1];
    }
    if (!top) return out.join('');
    if (top.index > 0) out.push(',');
    if (top.keys) {
      const key = top.keys[top.index]!;
      out.push(JSON.stringify(key), ':');
      next = (top.node as Record<string, unknown>)[key];
    } else {
      next = (top.node as readonly unknown[])[top.index];
    }
    top.index++;
  }
}
