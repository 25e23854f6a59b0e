/**
 * Interaction strength by order `|S|`: how much of a model's output is
 * carried by interactions of 1, 2, … players.
 *
 * @module
 */

import { playerCount } from "./_transforms.ts";
import { subsetSize } from "./subsets.ts";

/** Per order `k = 0 … n`. */
export interface OrderStrength {
  /** `Σ_{|S| = k} |I(S)|`. */
  strength: Float64Array;
  /** `binom(n, k)`, the number of subsets of order `k`. */
  count: Float64Array;
  /** `strength / count`. */
  mean: Float64Array;
}

/**
 * Sums `|I(S)|` over the subsets of each order.
 *
 * @param interactions Values on the `2^n` subsets.
 * @returns Strength, count and mean per order `0 … n`.
 * @throws {Error} `Cannot sum strength by order of length "<len>": …` when
 *   the length is not a power of two.
 * @example
 * ```ts
 * import { strengthByOrder } from "./strength_by_order.ts";
 * const s = strengthByOrder([1, -2, 3, 4]);
 * if (s.strength.join() !== "1,5,4" || s.count.join() !== "1,2,1") {
 *   throw new Error(JSON.stringify(s));
 * }
 * ```
 */
export function strengthByOrder(
  interactions: ArrayLike<number>,
): OrderStrength {
  const n = playerCount(interactions.length, "sum strength by order");
  const strength = new Float64Array(n + 1);
  const count = new Float64Array(n + 1);
  for (let s = 0; s < interactions.length; s++) {
    const k = subsetSize(s);
    strength[k] += Math.abs(interactions[s]);
    count[k]++;
  }
  return { strength, count, mean: strength.map((x, k) => x / count[k]) };
}
