/**
 * Training losses, both averaged over the batch as PyTorch's defaults
 * (`MSELoss()`, `CrossEntropyLoss()`).
 *
 * @module
 */

import { type Tensor, tf } from "../deps.ts";

/** The losses known by name. */
export type LossName = "mse" | "cross_entropy";

/** A loss: network output and target to a scalar (rank-0 tensor). */
export type LossFunction = (output: Tensor, target: Tensor) => Tensor;

/**
 * Mean squared error over every element, `mean((output − target)²)`.
 * A target with the same number of elements but a different shape (e.g.
 * `[N]` against `[N, 1]`) is reshaped to the output's shape.
 *
 * @param output Network output `[N, ...]`.
 * @param target Target, same size.
 * @returns The loss.
 * @throws {Error} `Cannot compute loss "mse": ...` when the sizes differ.
 * @example
 * ```ts
 * import { mseLoss } from "./loss.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * // ((1 − 0)² + (3 − 1)²) / 2 = 2.5
 * const l = mseLoss(tf.tensor([[1], [3]]), tf.tensor([0, 1]));
 * if (l.dataSync()[0] !== 2.5) throw new Error();
 * ```
 */
export function mseLoss(output: Tensor, target: Tensor): Tensor {
  if (output.size !== target.size) {
    throw new Error(
      `Cannot compute loss "mse": output [${output.shape}] and target [${target.shape}] differ in size`,
    );
  }
  return tf.tidy(() => {
    const t = target.shape.join() === output.shape.join()
      ? target
      : tf.reshape(target, output.shape);
    return tf.mean(tf.squaredDifference(output, tf.cast(t, "float32")));
  });
}

/**
 * Cross-entropy of the softmax of logits,
 * `mean_n(−Σ_k p_nk · log softmax(z_n)_k)`, with `p` the one-hot vector of
 * an integer label or given class probabilities.
 *
 * @param logits Output `[N, K]` before any softmax.
 * @param target Labels `[N]` (int32, `0..K−1`) or probabilities `[N, K]`.
 * @returns The loss.
 * @throws {Error} `Cannot compute loss "cross_entropy": ...` when the shapes
 *   do not fit.
 * @example
 * ```ts
 * import { crossEntropyLoss } from "./loss.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * // Equal logits over 4 classes: −log(1/4) = log 4.
 * const l = crossEntropyLoss(tf.zeros([2, 4]), tf.tensor1d([0, 3], "int32"));
 * if (Math.abs(l.dataSync()[0] - Math.log(4)) > 1e-6) throw new Error();
 * ```
 */
export function crossEntropyLoss(logits: Tensor, target: Tensor): Tensor {
  const [n, k] = logits.shape;
  const labels = target.rank === 1 && target.shape[0] === n;
  const probabilities = target.rank === 2 &&
    target.shape.join() === `${n},${k}`;
  if (logits.rank !== 2 || !(labels || probabilities)) {
    throw new Error(
      `Cannot compute loss "cross_entropy": logits [${logits.shape}] need [N, K] with labels [N] or probabilities [N, K], got [${target.shape}]`,
    );
  }
  return tf.tidy(() => {
    const p = labels
      ? tf.oneHot(tf.cast(target, "int32") as tf.Tensor1D, k)
      : target;
    const logP = tf.logSoftmax(logits as tf.Tensor2D);
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.cast(p, "float32"), logP), 1)));
  });
}

/**
 * The loss function for a name, or the function itself.
 *
 * @param loss `"mse"`, `"cross_entropy"` or a function.
 * @returns The loss function.
 * @throws {Error} `Cannot use loss "<name>": ...` for an unknown name.
 * @example
 * ```ts
 * import { lossFunction, mseLoss } from "./loss.ts";
 * if (lossFunction("mse") !== mseLoss) throw new Error();
 * ```
 */
export function lossFunction(loss: LossName | LossFunction): LossFunction {
  if (typeof loss === "function") return loss;
  if (loss === "mse") return mseLoss;
  if (loss === "cross_entropy") return crossEntropyLoss;
  throw new Error(
    `Cannot use loss "${loss}": unknown; expected "mse" or "cross_entropy"`,
  );
}
