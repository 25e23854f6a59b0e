/**
 * How concentrated interactions are: how few carry most of the total
 * strength `Σ|I(S)|` (the paper's sparsity claim: a few salient concepts,
 * many near-zero ones).
 *
 * @module
 */

/** What {@linkcode interactionSparsity} returns. */
export interface InteractionSparsity {
  /** The fewest interactions whose `|I|` sum to at least `fraction` of the total. */
  count: number;
  /** How many interactions were ranked. */
  total: number;
  /** `Σ|I(S)|` over the ranked interactions. */
  strength: number;
  /** The smallest `|I|` among the `count` strongest. */
  threshold: number;
}

/**
 * Counts the strongest interactions needed to carry a fraction (90 % by
 * default) of the total strength; AND and OR interactions are ranked
 * together when both are given.
 *
 * @param interactions One or more arrays over the `2^n` subsets.
 * @param options The fraction, and whether `I(∅)` (a constant, the output at
 *   the baseline, not an interaction between players) counts.
 * @returns The count and the totals.
 * @throws {Error} `Cannot measure sparsity with fraction "<f>": …` for a
 *   fraction outside `(0, 1]`.
 * @example
 * ```ts
 * import { interactionSparsity } from "./interaction_sparsity.ts";
 * // strengths 8, 1, 1 (∅ skipped): 8 + 1 ≥ 90 % of 10
 * const s = interactionSparsity([[5, 8, 1, -1]]);
 * if (s.count !== 2 || s.strength !== 10) throw new Error(JSON.stringify(s));
 * ```
 */
export function interactionSparsity(
  interactions: readonly ArrayLike<number>[],
  options: {
    /**
     * Share of the total strength to carry.
     * @default 0.9
     */
    fraction?: number;
    /**
     * Rank the empty set's `I(∅)` too.
     * @default false
     */
    includeEmpty?: boolean;
  } = {},
): InteractionSparsity {
  const fraction = options.fraction ?? 0.9;
  if (!(fraction > 0 && fraction <= 1)) {
    throw new Error(
      `Cannot measure sparsity with fraction "${fraction}": expected a number in (0, 1]`,
    );
  }
  const strengths: number[] = [];
  for (const values of interactions) {
    for (let s = options.includeEmpty ? 0 : 1; s < values.length; s++) {
      strengths.push(Math.abs(values[s]));
    }
  }
  strengths.sort((a, b) => b - a);
  const strength = strengths.reduce((a, b) => a + b, 0);
  let count = 0;
  let carried = 0;
  // A relative slack keeps rounding in the running sum from adding one.
  while (
    count < strengths.length && carried < fraction * strength * (1 - 1e-12)
  ) {
    carried += strengths[count++];
  }
  return {
    count,
    total: strengths.length,
    strength,
    threshold: count > 0 ? strengths[count - 1] : 0,
  };
}
