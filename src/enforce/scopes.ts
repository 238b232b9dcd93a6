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
 * So is a plain decimal too large for a number (`capped:999…9`): it would overflow to Infinity,
 * which means "no cap" and would let every amount through.
 */
function capOf(rest: readonly string[]): number {
  const n = rest.length;
  if (n >= 2 && rest[n - 2] === 'capped') {
    const value = rest[n - 1]!;
    const cap = Number(value);
    return CAP.test(value) && rest.indexOf('capped') === n - 2 && Number.isFinite(cap) ? cap : Number.NaN;
  }
  return rest.includes('capped') ? Number.NaN : Infinity;
}

/**
 * Reads what the `tool:<connector>:<level>[:<resource>][:capped:<N>]` scopes of a grant hold for one
 * connector; `undefined` when none names it. Matching is exact and case-sensitive (a connector has
 * no `:`, so the prefix cannot match another connector). The highest level counts; when several
 * scopes share it, the strictest cap does. Only this connector's scopes are split, and nothing is
 * kept between calls: a fresh grant costs no more than a cached one.
 */
export function heldFor(scopes: readonly string[], connector: string): Held | undefined {
  const prefix = `tool:${connector}:`;
  let held: Held | undefined;
  for (const scope of scopes) {
    if (!scope.startsWith(prefix)) continue;
    held ??= { rank: -1, cap: Infinity, ignored: 0 };
    const parts = scope.slice(prefix.length).split(':');
    const rank = RANKS.get(parts[0]!);
    if (rank === undefined) {
      held.ignored++;
      continue;
    }
    const cap = capOf(parts.slice(1));
    if (rank > held.rank) {
      held.rank = rank;
      held.cap = cap;
    } else if (rank === held.rank) {
      // Math.min keeps NaN: one unreadable cap makes every amount fail.
      held.cap = Math.min(held.cap, cap);
    }
  }
  return held;
}

export const levelOf = (rank: number): PermissionLevel | null => LEVELS[rank] ?? null;
