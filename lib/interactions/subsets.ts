/**
 * The subset encoding used throughout `interactions`: a subset of `n ≤ 16`
 * players is an integer whose bit `i` is set when player `i` is present, so
 * the `2^n` subsets are `0 … 2^n − 1`, `0` is `∅` and `2^n − 1` is `N`.
 *
 * @module
 */

/**
 * The players of a subset, ascending.
 *
 * @param subset The subset index.
 * @returns The indices of its set bits.
 * @throws {Error} `Cannot list the players of subset "<s>": …` for a
 *   negative or non-integer index, or one of more than 30 bits.
 * @example
 * ```ts
 * import { playersOf } from "./subsets.ts";
 * if (playersOf(0b1011).join() !== "0,1,3") throw new Error();
 * ```
 */
export function playersOf(subset: number): number[] {
  if (!Number.isInteger(subset) || subset < 0 || subset >= 2 ** 30) {
    throw new Error(
      `Cannot list the players of subset "${subset}": expected an integer in 0 … 2^30 − 1`,
    );
  }
  const out: number[] = [];
  for (let i = 0; subset >> i; i++) if ((subset >> i) & 1) out.push(i);
  return out;
}

/**
 * The subset index of a list of players.
 *
 * @param players Player indices (each 0 … 29; repeats are ignored).
 * @returns The index with those bits set.
 * @throws {Error} `Cannot encode player "<p>": …` for an index outside
 *   0 … 29.
 * @example
 * ```ts
 * import { subsetOf } from "./subsets.ts";
 * if (subsetOf([0, 3]) !== 9) throw new Error();
 * ```
 */
export function subsetOf(players: readonly number[]): number {
  let s = 0;
  for (const p of players) {
    if (!Number.isInteger(p) || p < 0 || p > 29) {
      throw new Error(
        `Cannot encode player "${p}": expected an integer in 0 … 29`,
      );
    }
    s |= 1 << p;
  }
  return s;
}

/**
 * The number of players in a subset (its order `|S|`).
 *
 * @param subset The subset index.
 * @returns The number of set bits.
 * @example
 * ```ts
 * import { subsetSize } from "./subsets.ts";
 * if (subsetSize(0b1011) !== 3) throw new Error();
 * ```
 */
export function subsetSize(subset: number): number {
  let s = subset >>> 0;
  let k = 0;
  while (s) {
    s &= s - 1;
    k++;
  }
  return k;
}
