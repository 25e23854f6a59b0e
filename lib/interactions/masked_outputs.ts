/**
 * The set function `v(S)` of an explained model: its output on every masked
 * input, in batches.
 *
 * @module
 */

import { resolvePlayers } from "./_players.ts";
import { maskedInputs, type MaskOptions } from "./masked_inputs.ts";

/**
 * A model seen as a batched scalar function: given masked inputs row-major
 * `[B, d]`, resolves to their `B` scalar outputs.
 */
export type BatchFunction = (
  inputs: Float32Array,
  batch: { rows: number; cols: number },
) => Promise<Float64Array | Float32Array | number[]>;

/** Options of {@linkcode maskedOutputs}. */
export interface MaskedOutputOptions extends MaskOptions {
  /**
   * Masked inputs per call of the model.
   * @default 1024
   */
  batchSize?: number;
}

/**
 * Evaluates a model on all `2^n` masked inputs: `v(S)` for every subset
 * `S` (bit `i` of the index = player `i` present), calling the model with
 * consecutive batches of subsets in index order.
 *
 * @param model The batched model.
 * @param input The input, flattened.
 * @param options Players, baseline, batch size.
 * @returns `v`, length `2^n`.
 * @throws {Error} The errors of {@linkcode maskedInputs}; `Cannot compute
 *   interactions "<len> outputs": …` when the model returns the wrong number
 *   of values, `Cannot compute interactions "v(<s>) = NaN": …` for a
 *   non-finite one.
 * @example
 * ```ts
 * import { maskedOutputs } from "./masked_outputs.ts";
 * // f(x) = x0 · x1 + x2 at x = (1, 1, 1), baseline 0
 * const model = (x: Float32Array, { rows }: { rows: number }) =>
 *   Promise.resolve(Array.from({ length: rows },
 *     (_, r) => x[3 * r] * x[3 * r + 1] + x[3 * r + 2]));
 * const v = await maskedOutputs(model, [1, 1, 1], { batchSize: 3 });
 * if (v.join() !== "0,0,0,1,1,1,1,2") throw new Error(v.join());
 * ```
 */
export async function maskedOutputs(
  model: BatchFunction,
  input: ArrayLike<number>,
  options: MaskedOutputOptions = {},
): Promise<Float64Array> {
  const { players } = resolvePlayers(input, options);
  const total = 2 ** players.length;
  const batchSize = options.batchSize ?? 1024;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(
      `Cannot compute interactions with batch size "${batchSize}": expected a positive integer`,
    );
  }
  const v = new Float64Array(total);
  for (let start = 0; start < total; start += batchSize) {
    const count = Math.min(batchSize, total - start);
    const inputs = maskedInputs(input, { ...options, start, count });
    const out = await model(inputs, { rows: count, cols: input.length });
    if (out.length !== count) {
      throw new Error(
        `Cannot compute interactions "${out.length} outputs": the model returned ${out.length} values for a batch of ${count} masked inputs`,
      );
    }
    for (let k = 0; k < count; k++) {
      if (!Number.isFinite(out[k])) {
        throw new Error(
          `Cannot compute interactions "v(${start + k}) = ${
            out[k]
          }": the model returned a non-finite value`,
        );
      }
      v[start + k] = out[k];
    }
  }
  return v;
}
