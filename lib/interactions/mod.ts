/**
 * AND-OR interactions (seed `004_*`: Li & Zhang, "Does a Neural Network
 * Really Encode Symbolic Concepts?", ICML 2023).
 *
 * Mask convention, used by every function here: with `n ≤ 16` players, a
 * subset `S` is the integer whose bit `i` is set when player `i` is present;
 * arrays over subsets have length `2^n`, index 0 is `∅` and `2^n − 1` is
 * `N`. The masked input of `S` keeps the input's values on the features of
 * the players in `S` and takes the baseline's on the others; `v(S)` is the
 * model's output on it.
 *
 * - AND (Harsanyi) interactions `I(S) = Σ_{T ⊆ S} (−1)^{|S|−|T|} v(T)`:
 *   {@linkcode mobiusTransform}, inverse {@linkcode zetaTransform}.
 * - OR interactions: {@linkcode orInteractions}, inverse {@linkcode orOutputs}.
 * - The sparse AND-OR decomposition: {@linkcode andOrDecomposition}.
 * - Checks and summaries: {@linkcode faithfulness},
 *   {@linkcode interactionSparsity}, {@linkcode topInteractions},
 *   {@linkcode strengthByOrder}.
 * - Players and models: {@linkcode maskedInputs}, {@linkcode maskedOutputs},
 *   {@linkcode networkEvaluator}, {@linkcode patchPlayers},
 *   {@linkcode playerMap}.
 *
 * @example
 * ```ts
 * import { maskedOutputs, mobiusTransform, topInteractions } from "./mod.ts";
 * // f(x) = 3 x0 x1 − x2 at x = 1 with baseline 0: I({0, 1}) = 3, I({2}) = −1
 * const f = (x: Float32Array, { rows }: { rows: number }) =>
 *   Promise.resolve(Array.from({ length: rows },
 *     (_, r) => 3 * x[3 * r] * x[3 * r + 1] - x[3 * r + 2]));
 * const v = await maskedOutputs(f, [1, 1, 1]);
 * const top = topInteractions({ and: mobiusTransform(v) }, { count: 2 });
 * if (top[0].subset !== 0b011 || top[0].value !== 3 || top[1].value !== -1) {
 *   throw new Error(JSON.stringify(top));
 * }
 * ```
 *
 * @module
 */

export { andOrDecomposition } from "./and_or_decomposition.ts";
export type {
  AndOrDecomposition,
  AndOrOptions,
} from "./and_or_decomposition.ts";
export { faithfulness } from "./faithfulness.ts";
export type { Faithfulness } from "./faithfulness.ts";
export { interactionSparsity } from "./interaction_sparsity.ts";
export type { InteractionSparsity } from "./interaction_sparsity.ts";
export { maskedInputs } from "./masked_inputs.ts";
export type { MaskOptions } from "./masked_inputs.ts";
export { maskedOutputs } from "./masked_outputs.ts";
export type { BatchFunction, MaskedOutputOptions } from "./masked_outputs.ts";
export { mobiusTransform, zetaTransform } from "./mobius.ts";
export { networkEvaluator } from "./network_evaluator.ts";
export type { NetworkEvaluatorOptions } from "./network_evaluator.ts";
export { orInteractions, orOutputs } from "./or_interactions.ts";
export { patchPlayers } from "./patch_players.ts";
export { playerMap } from "./player_map.ts";
export { strengthByOrder } from "./strength_by_order.ts";
export type { OrderStrength } from "./strength_by_order.ts";
export { playersOf, subsetOf, subsetSize } from "./subsets.ts";
export { topInteractions } from "./top_interactions.ts";
export type { RankedInteraction } from "./top_interactions.ts";
