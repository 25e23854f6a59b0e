/**
 * Harsanyi (AND) interactions by the fast Möbius transform, and back by the
 * zeta transform.
 *
 * @module
 */

import { playerCount, subsetButterfly } from "./_transforms.ts";

/**
 * The Harsanyi dividends (AND interactions) of a set function:
 * `I(S) = Σ_{T ⊆ S} (−1)^{|S|−|T|} v(T)`, for all `2^n` subsets at once in
 * O(n · 2^n) (one butterfly per player instead of the O(3^n) double sum).
 *
 * `I(∅) = v(∅)`, and `v(S) = Σ_{T ⊆ S} I(T)` ({@linkcode zetaTransform}).
 *
 * @param v The set function on the `2^n` subsets (bit `i` of the index set
 *   = player `i` present).
 * @returns A new array `I`, same layout.
 * @throws {Error} `Cannot compute the Möbius transform of length "<len>": …`
 *   when the length is not a power of two.
 * @example
 * ```ts
 * import { mobiusTransform } from "./mobius.ts";
 * // v(S) = 1 only when both players are present: a pure AND of {0, 1}
 * const I = mobiusTransform(new Float64Array([0, 0, 0, 1]));
 * if (I.join() !== "0,0,0,1") throw new Error(I.join());
 * ```
 */
export function mobiusTransform(v: ArrayLike<number>): Float64Array {
  playerCount(v.length, "compute the Möbius transform");
  const a = Float64Array.from(v);
  subsetButterfly(a, -1);
  return a;
}

/**
 * The inverse of {@linkcode mobiusTransform}: `v(S) = Σ_{T ⊆ S} I(T)`, the
 * outputs the AND interactions add up to.
 *
 * @param interactions `I` on the `2^n` subsets.
 * @returns A new array `v`.
 * @throws {Error} `Cannot compute the zeta transform of length "<len>": …`
 *   when the length is not a power of two.
 * @example
 * ```ts
 * import { mobiusTransform, zetaTransform } from "./mobius.ts";
 * const v = [0.5, -1, 2, 3.25, 0, 1, -2, 8];
 * const back = zetaTransform(mobiusTransform(v));
 * if (back.some((x, i) => x !== v[i])) throw new Error(back.join());
 * ```
 */
export function zetaTransform(interactions: ArrayLike<number>): Float64Array {
  playerCount(interactions.length, "compute the zeta transform");
  const a = Float64Array.from(interactions);
  subsetButterfly(a, 1);
  return a;
}
