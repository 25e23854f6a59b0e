/**
 * Whether interactions explain a model: they must add back up to its output
 * on every masked input.
 *
 * @module
 */

import { zetaTransform } from "./mobius.ts";
import { orOutputs } from "./or_interactions.ts";
import { playerCount } from "./_transforms.ts";

/** What {@linkcode faithfulness} returns. */
export interface Faithfulness {
  /** `max_S |v̂(S) − v(S)|`. */
  maxAbsError: number;
  /** `maxAbsError / max_S |v(S)|` (over 1 when every `v(S)` is 0). */
  maxRelativeError: number;
  /** The subset with the largest error. */
  worstSubset: number;
  /** The reconstruction `v̂`. */
  reconstructed: Float64Array;
}

/**
 * Sums interactions back into outputs and compares with the model's:
 * `v̂(S) = Σ_{T ⊆ S} I_and(T) + I_or(∅) + Σ_{T ∩ S ≠ ∅} I_or(T)`
 * (the OR part only when given).
 *
 * @param outputs The model's `v` on the `2^n` subsets.
 * @param interactions AND interactions, and optionally OR interactions.
 * @returns The largest absolute and relative errors.
 * @throws {Error} `Cannot check faithfulness of "<len> interactions": …`
 *   when the lengths differ or are not a power of two.
 * @example
 * ```ts
 * import { faithfulness } from "./faithfulness.ts";
 * import { mobiusTransform } from "./mobius.ts";
 * const v = [0, 1, 2, 4];
 * const f = faithfulness(v, { and: mobiusTransform(v) });
 * if (f.maxRelativeError > 1e-15) throw new Error(String(f.maxRelativeError));
 * ```
 */
export function faithfulness(
  outputs: ArrayLike<number>,
  interactions: { and: ArrayLike<number>; or?: ArrayLike<number> },
): Faithfulness {
  const { and, or } = interactions;
  for (const a of [and, or]) {
    if (a !== undefined && a.length !== outputs.length) {
      throw new Error(
        `Cannot check faithfulness of "${a.length} interactions": the outputs have ${outputs.length} subsets`,
      );
    }
  }
  playerCount(outputs.length, "check faithfulness");
  const reconstructed = zetaTransform(and);
  if (or) {
    const fromOr = orOutputs(or);
    for (let s = 0; s < fromOr.length; s++) reconstructed[s] += fromOr[s];
  }
  let maxAbsError = 0;
  let worstSubset = 0;
  let scale = 0;
  for (let s = 0; s < outputs.length; s++) {
    const e = Math.abs(reconstructed[s] - outputs[s]);
    if (e > maxAbsError) {
      maxAbsError = e;
      worstSubset = s;
    }
    scale = Math.max(scale, Math.abs(outputs[s]));
  }
  return {
    maxAbsError,
    maxRelativeError: maxAbsError / (scale > 0 ? scale : 1),
    worstSubset,
    reconstructed,
  };
}
