import { LEVELS } from './manifest.js';
import type { PermissionLevel } from './types.js';

/** What a grant holds for one connector. */
export interface Held {
  /** Rank of the highest known level (index into LEVELS); -1 when no scope grants anything. */
  rank: number;
  /** Cap of the scopes at that level: Infinity for none, NaN when one cannot be read. */
  cap: number;
  /** Scopes for the connector that grant nothing (an unknown level). */
  ignored: number;
}

const RANKS = new Map<string, number>(LEVELS.map((level, rank) => [level, rank]));
const CAP = /^\d+(?:\.\d+)?$/;

/**
 * The cap of a tool scope, from the segments after its level:
 * `[]`, `[resource…]` → none; `[resource…, 'capped', N]` → N. A `capped` anywhere else, or an N
 * that is not a plain decimal number, is a cap that cannot be read: NaN, which no amount is under.
 */
function capOf(rest: readonly string[]): number {
  const n = rest.length;
  if (n >= 2 && rest[n - 2] === 'capped') {
    const value = rest[n - 1]!;
    return CAP.test(value) && rest.indexOf('capped') === n - 2 ? Number(value) : Number.NaN;
  }
  return rest.includes('capped') ? Number.NaN : Infinity;
}

/**
 * Reads the `tool:<connector>:<level>[:<resource>][:capped:<N>]` scopes of a grant into one entry per
 * connector. Matching is exact and case-sensitive. The highest level per connector counts; when
 * several scopes share it, the strictest cap does. Other scopes are not tool scopes and are skipped.
 */
export function readToolScopes(scopes: readonly string[]): ReadonlyMap<string, Held> {
  const held = new Map<string, Held>();
  for (const scope of scopes) {
    if (!scope.startsWith('tool:')) continue;
    const parts = scope.split(':');
    const connector = parts[1]!;
    if (parts.length < 3 || connector === '') continue;
    let entry = held.get(connector);
    if (!entry) held.set(connector, (entry = { rank: -1, cap: Infinity, ignored: 0 }));
    const rank = RANKS.get(parts[2]!);
    if (rank === undefined) {
      entry.ignored++;
      continue;
    }
    const cap = capOf(parts.slice(3));
    if (rank > entry.rank) {
      entry.rank = rank;
      entry.cap = cap;
    } else if (rank === entry.rank) {
      // Math.min keeps NaN: one unreadable cap makes every amount fail.
      entry.cap = Math.min(entry.cap, cap);
    }
  }
  return held;
}

// Grants from the token cache share their frozen scope array, so the parse runs once per token.
const parsed = new WeakMap<readonly string[], ReadonlyMap<string, Held>>();

/** {@link readToolScopes}, remembered per scope array. */
export function toolScopesOf(scopes: readonly string[]): ReadonlyMap<string, Held> {
  let held = parsed.get(scopes);
  if (!held) parsed.set(scopes, (held = readToolScopes(scopes)));
  return held;
}

export const levelOf = (rank: number): PermissionLevel | null => LEVELS[rank] ?? null;
