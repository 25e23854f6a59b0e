/**
 * Masked copies of an input: players present keep the input's values,
 * absent players take the baseline's.
 *
 * @module
 */

import { resolvePlayers } from "./_players.ts";

/** Options of {@linkcode maskedInputs} and `maskedOutputs`. */
export interface MaskOptions {
  /**
   * The feature indices (into the flattened input) of each player; player
   * `i` is bit `i` of a subset index. At most 16 players, disjoint.
   * @default one player per feature
   */
  players?: readonly (readonly number[])[];
  /**
   * Value of a feature whose player is absent: one number for all, or one
   * per feature.
   * @default 0
   */
  baseline?: number | ArrayLike<number>;
  /**
   * What features that belong to no player hold: their input value, or the
   * baseline.
   * @default "input"
   */
  rest?: "input" | "baseline";
}

/**
 * Builds the masked inputs of a range of subsets.
 *
 * @param input The input, flattened (`d` features; images in NCHW order).
 * @param options Players, baseline, and the subsets `start … start + count − 1`.
 * @returns Row-major `[count, d]`: row `k` is the input masked to subset
 *   `start + k`.
 * @throws {Error} `Cannot compute interactions "n = <n>": at most 16
 *   players (2^n forward passes)`; `Cannot use player <i> "<f>": …` for a
 *   feature index out of range or shared by two players; `Cannot use
 *   baseline of length "<len>": …`; `Cannot mask subsets "<start>+<count>": …`
 *   for a range outside `0 … 2^n`.
 * @example
 * ```ts
 * import { maskedInputs } from "./masked_inputs.ts";
 * // two players, baseline 0: ∅, {0}, {1}, {0, 1}
 * const x = maskedInputs([3, 5], {});
 * if (x.join() !== "0,0,3,0,0,5,3,5") throw new Error(x.join());
 * ```
 */
export function maskedInputs(
  input: ArrayLike<number>,
  options: MaskOptions & {
    /**
     * First subset.
     * @default 0
     */
    start?: number;
    /**
     * Number of subsets.
     * @default 2^n − start
     */
    count?: number;
  },
): Float32Array {
  const { players, baseline, rest } = resolvePlayers(input, options);
  const total = 2 ** players.length;
  const start = options.start ?? 0;
  const count = options.count ?? total - start;
  if (
    !Number.isInteger(start) || !Number.isInteger(count) || start < 0 ||
    count < 0 || start + count > total
  ) {
    throw new Error(
      `Cannot mask subsets "${start}+${count}": the ${players.length} players have subsets 0 … ${
        total - 1
      }`,
    );
  }
  const d = input.length;
  const out = new Float32Array(count * d);
  for (let k = 0; k < count; k++) {
    const s = start + k;
    const row = out.subarray(k * d, (k + 1) * d);
    row.set(rest);
    players.forEach((features, i) => {
      const source = (s >> i) & 1 ? input : baseline;
      for (const f of features) row[f] = source[f];
    });
  }
  return out;
}
