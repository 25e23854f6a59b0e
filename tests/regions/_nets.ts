/**
 * Small networks for the region tests: hand-built ones with known regions,
 * and random seeded ones.
 *
 * @module
 */

import { type Tensor, tf } from "../../lib/deps.ts";
import { Network } from "../../lib/nn/network.ts";
import type { LayerSpec } from "../../lib/nn/spec.ts";
import type { PiecewiseLinearNetwork } from "../../lib/regions/piecewise_linear.ts";

/**
 * A Network from PyTorch-layout weights `[out][in]` and biases, with the
 * given activation after every layer but the last.
 */
export function handNetwork(
  layers: { weight: number[][]; bias: number[] }[],
  activation: LayerSpec = { type: "ReLU" },
): Network {
  const specs: LayerSpec[] = [];
  const parameters = new Map<string, Tensor>();
  layers.forEach((l, i) => {
    specs.push({
      type: "Linear",
      in: l.weight[0].length,
      out: l.weight.length,
      weight: `w${i}`,
      bias: `b${i}`,
    });
    parameters.set(`w${i}`, tf.tensor2d(l.weight));
    parameters.set(`b${i}`, tf.tensor1d(l.bias));
    if (i < layers.length - 1) specs.push(activation);
  });
  return Network.create({
    format: "hope-network/1",
    input: [layers[0].weight[0].length],
    layers: specs,
  }, { parameters });
}

/** The same, directly in float64 form (negative slope 0 = ReLU). */
export function handPiecewise(
  layers: { weight: number[][]; bias: number[] }[],
  negativeSlope = 0,
): PiecewiseLinearNetwork {
  const pl = layers.map((l, i) => ({
    in: l.weight[0].length,
    out: l.weight.length,
    weight: Float64Array.from(l.weight.flat()),
    bias: Float64Array.from(l.bias),
    negativeSlope: i < layers.length - 1 ? negativeSlope : null,
  }));
  return {
    inputDim: pl[0].in,
    outputDim: pl.at(-1)!.out,
    layers: pl,
    neuronCount: pl.slice(0, -1).reduce((n, l) => n + l.out, 0),
  };
}

/** `relu(x) + relu(y)`: the four quadrants of the plane. */
export const QUADRANTS = [
  { weight: [[1, 0], [0, 1]], bias: [0, 0] },
  { weight: [[1, 1]], bias: [0] },
];

/**
 * The XOR notebook's hand-made network `[2, −4] relu([[1, 1], [1, 1]] x +
 * [1, 0]) − 1`: three regions split by `x + y = −1` and `x + y = 0`.
 */
export const NOTEBOOK_XOR = [
  { weight: [[1, 1], [1, 1]], bias: [1, 0] },
  { weight: [[2, -4]], bias: [-1] },
];

/** A seeded random ReLU (or LeakyReLU) network `2 → widths… → 1`. */
export function randomNetwork(
  widths: number[],
  options: { seed: number; activation?: string },
): Network {
  const sizes = [2, ...widths, 1];
  const layers: string[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(`Linear_${sizes[i]}_${sizes[i + 1]}`);
    if (i + 2 < sizes.length) layers.push(options.activation ?? "ReLU");
  }
  return Network.create(
    { format: "hope-network/1", input: [2], layers },
    { seed: options.seed },
  );
}
