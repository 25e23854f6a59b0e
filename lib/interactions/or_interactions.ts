/**
 * OR interactions (Li & Zhang, "Does a Neural Network Really Encode Symbolic
 * Concepts?", ICML 2023, seed `004_*`): the Harsanyi dividends of the
 * complement game, with a sign so that an OR pattern counts positively.
 *
 * @module
 */

import { playerCount, subsetButterfly } from "./_transforms.ts";

/**
 * OR interactions of a set function:
 * `I_or(S) = −Σ_{T ⊆ S} (−1)^{|S|−|T|} v(N \ T)` for `S ≠ ∅`, and
 * `I_or(∅) = v(∅)`; then `v(S) = I_or(∅) + Σ_{T ∩ S ≠ ∅} I_or(T)`
 * ({@linkcode orOutputs}): `I_or(T)` is paid as soon as any player of `T` is
 * present. O(n · 2^n).
 *
 * @param v The set function on the `2^n` subsets.
 * @returns A new array `I_or`, same layout.
 * @throws {Error} `Cannot compute OR interactions of length "<len>": …`
 *   when the length is not a power of two.
 * @example
 * ```ts
 * import { orInteractions } from "./or_interactions.ts";
 * // v(S) = 1 when player 0 or player 1 is present: a pure OR of {0, 1}
 * const I = orInteractions(new Float64Array([0, 1, 1, 1]));
 * if (I.join() !== "0,0,0,1") throw new Error(I.join());
 * ```
 */
export function orInteractions(v: ArrayLike<number>): Float64Array {
  const n = playerCount(v.length, "compute OR interactions");
  const full = (1 << n) - 1;
  const a = new Float64Array(v.length);
  for (let t = 0; t < v.length; t++) a[t] = v[full ^ t];
  subsetButterfly(a, -1);
  for (let s = 1; s < a.length; s++) a[s] = -a[s];
  a[0] = v[0];
  return a;
}

/**
 * The outputs OR interactions add up to:
 * `v(S) = I_or(∅) + Σ_{T ∩ S ≠ ∅} I_or(T)` (the inverse of
 * {@linkcode orInteractions}).
 *
 * @param interactions `I_or` on the `2^n` subsets.
 * @returns A new array `v`.
 * @throws {Error} `Cannot sum OR interactions of length "<len>": …` when the
 *   length is not a power of two.
 * @example
 * ```ts
 * import { orInteractions, orOutputs } from "./or_interactions.ts";
 * const v = [0.5, -1, 2, 3.25, 0, 1, -2, 8];
 * const back = orOutputs(orInteractions(v));
 * if (back.some((x, i) => Math.abs(x - v[i]) > 1e-12)) throw new Error();
 * ```
 */
export function orOutputs(interactions: ArrayLike<number>): Float64Array {
  const n = playerCount(interactions.length, "sum OR interactions");
  const full = (1 << n) - 1;
  // Σ_{T ∩ S ≠ ∅} I(T) = Σ_{T ≠ ∅} I(T) − Σ_{∅ ≠ T ⊆ N∖S} I(T)
  const within = Float64Array.from(interactions);
  within[0] = 0;
  const total = within.reduce((s, x) => s + x, 0);
  subsetButterfly(within, 1);
  const v = new Float64Array(interactions.length);
  for (let s = 0; s < v.length; s++) {
    v[s] = interactions[0] + total - within[full ^ s];
  }
  return v;
}
