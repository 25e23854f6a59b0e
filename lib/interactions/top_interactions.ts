/**
 * The strongest interactions, with their players, for tables and bar
 * charts.
 *
 * @module
 */

import { playersOf } from "./subsets.ts";

/** One interaction. */
export interface RankedInteraction {
  /** `"and"` or `"or"` (the key it came from). */
  kind: string;
  /** The subset index (bit `i` = player `i`). */
  subset: number;
  /** Its players, ascending. */
  players: number[];
  /** `I(S)`. */
  value: number;
}

/**
 * The `count` interactions of largest `|I(S)|`, strongest first (ties by
 * kind, then subset index, so the order is deterministic).
 *
 * @param interactions Arrays over the `2^n` subsets keyed by kind, e.g.
 *   `{ and, or }`.
 * @param options How many, and whether `I(∅)` is ranked.
 * @returns The ranked interactions.
 * @example
 * ```ts
 * import { topInteractions } from "./top_interactions.ts";
 * const top = topInteractions({ and: [9, 0.5, -2, 1] }, { count: 2 });
 * if (top.map((t) => t.players.join("")).join() !== "1,01") {
 *   throw new Error(JSON.stringify(top));
 * }
 * ```
 */
export function topInteractions(
  interactions: Readonly<Record<string, ArrayLike<number>>>,
  options: {
    /**
     * How many to return.
     * @default 10
     */
    count?: number;
    /**
     * Rank `I(∅)` too.
     * @default false
     */
    includeEmpty?: boolean;
  } = {},
): RankedInteraction[] {
  const all: RankedInteraction[] = [];
  for (const [kind, values] of Object.entries(interactions)) {
    for (let s = options.includeEmpty ? 0 : 1; s < values.length; s++) {
      all.push({ kind, subset: s, players: playersOf(s), value: values[s] });
    }
  }
  all.sort((a, b) =>
    Math.abs(b.value) - Math.abs(a.value) ||
    (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || a.subset - b.subset
  );
  return all.slice(0, options.count ?? 10);
}
