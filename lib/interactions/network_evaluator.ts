/**
 * A network as the batched scalar function interactions need.
 *
 * @module
 */

import { tf } from "../deps.ts";
import type { Network } from "../nn/network.ts";
import type { BatchFunction } from "./masked_outputs.ts";

/** Options of {@linkcode networkEvaluator}. */
export interface NetworkEvaluatorOptions {
  /**
   * Which output (flat index; the class for a classifier).
   * @default 0
   */
  output?: number;
  /**
   * The scalar explained: the raw output, or for a classifier the log-odds
   * of the class, `log p / (1 − p)` with `p = softmax(outputs)[output]`
   * (the paper's choice for classification).
   * @default "output"
   */
  score?: "output" | "log-odds";
}

/**
 * Wraps a network as a {@linkcode BatchFunction}: masked inputs `[B, d]`
 * (flattened in the network's external layout, images NCHW) go through
 * `network.forward`, one tfjs call per batch.
 *
 * @param network The network.
 * @param options Which output, and raw value or log-odds.
 * @returns The batched function.
 * @throws {Error} `Cannot evaluate output "<k>": …` when the network has no
 *   such output; `Cannot evaluate the log-odds of output "<k>": …` for a
 *   network with a single output.
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * import { Network } from "../nn/network.ts";
 * import { networkEvaluator } from "./network_evaluator.ts";
 * await tf.ready();
 * const net = Network.create({
 *   format: "hope-network/1", input: [2], layers: ["Linear_2_3"],
 * }, { seed: 1 });
 * const f = networkEvaluator(net, { output: 2 });
 * const y = await f(new Float32Array([0, 0, 1, 1]), { rows: 2, cols: 2 });
 * if (y.length !== 2) throw new Error(String(y));
 * ```
 */
export function networkEvaluator(
  network: Network,
  options: NetworkEvaluatorOptions = {},
): BatchFunction {
  const output = options.output ?? 0;
  const score = options.score ?? "output";
  const outSize = network.outputShape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(output) || output < 0 || output >= outSize) {
    throw new Error(
      `Cannot evaluate output "${output}": the network has ${outSize} outputs`,
    );
  }
  if (score === "log-odds" && outSize < 2) {
    throw new Error(
      `Cannot evaluate the log-odds of output "${output}": the network has 1 output, log-odds need a classifier's logits`,
    );
  }
  return async (inputs, { rows }) => {
    const y = tf.tidy(() =>
      tf.reshape(
        network.forward(tf.tensor(inputs, [rows, ...network.inputShape])),
        [rows, outSize],
      )
    );
    const z = await y.data();
    y.dispose();
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const row = z.subarray(r * outSize, (r + 1) * outSize);
      out[r] = score === "output" ? row[output] : logOdds(row, output);
    }
    return out;
  };
}

/**
 * `log p / (1 − p)` for `p = softmax(z)[c]`, in float64:
 * `z_c − log Σ_{j ≠ c} exp z_j`, with the largest other logit factored out.
 */
function logOdds(z: ArrayLike<number>, c: number): number {
  let max = -Infinity;
  for (let j = 0; j < z.length; j++) if (j !== c) max = Math.max(max, z[j]);
  let sum = 0;
  for (let j = 0; j < z.length; j++) if (j !== c) sum += Math.exp(z[j] - max);
  return z[c] - max - Math.log(sum);
}
