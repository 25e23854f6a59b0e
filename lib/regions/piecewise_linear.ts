/**
 * A ReLU network read out into plain float64 arrays, the form every region
 * computation works on.
 *
 * Why float64 JS rather than tfjs: an activation pattern is decided by the
 * sign of each pre-activation, and the exact enumeration of regions decides
 * the same signs from polygon geometry. Both must agree to count regions
 * exactly, and tfjs has no float64; the networks of interest (2 → width → 1
 * with width ≤ a few hundred) take microseconds per point in plain JS.
 *
 * @module
 */

import type { Network } from "../nn/network.ts";

/** One affine step `z = W h + b`, optionally followed by a (leaky) ReLU. */
export interface PiecewiseLinearLayer {
  /** Input size. */
  in: number;
  /** Output size. */
  out: number;
  /** `W`, row-major `[out, in]` (PyTorch layout). */
  weight: Float64Array;
  /** `b`, length `out`. */
  bias: Float64Array;
  /**
   * Slope on the negative side of the activation after this step: `0` for
   * ReLU, the layer's `slope` for LeakyReLU, `null` when no activation
   * follows (the step's neurons then have no bit in the pattern).
   */
  negativeSlope: number | null;
}

/** A network that is piecewise affine: Linear steps and (leaky) ReLUs. */
export interface PiecewiseLinearNetwork {
  /** Input dimension `d`. */
  inputDim: number;
  /** Output dimension `m`. */
  outputDim: number;
  /** The steps, in order. */
  layers: PiecewiseLinearLayer[];
  /**
   * Number of activation bits: the neurons of every step followed by a
   * (leaky) ReLU, in layer order.
   */
  neuronCount: number;
}

/**
 * Reads a Linear/ReLU/LeakyReLU network into float64 arrays.
 *
 * Consecutive Linear layers are kept as separate steps (their composition is
 * affine, so they add no bits); Identity, Dropout and Flatten of a vector are
 * no-ops. Every activation must directly follow a Linear layer, so that each
 * neuron owns exactly one bit of the activation pattern.
 *
 * @param network A network with a vector input.
 * @returns The float64 form.
 * @throws {Error} `Cannot analyse linear regions of layer <i> "<type>": …`
 *   for a layer that is not Linear, ReLU, LeakyReLU, Identity, Dropout or
 *   Flatten, an activation that follows no Linear layer or another
 *   activation, or a non-vector input.
 * @example
 * ```ts
 * import { Network } from "../nn/network.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * import { toPiecewiseLinear } from "./piecewise_linear.ts";
 * const net = Network.create({
 *   format: "hope-network/1",
 *   input: [2],
 *   layers: ["Linear_2_3", "ReLU", "Linear_3_1"],
 * }, { seed: 1 });
 * const pl = toPiecewiseLinear(net);
 * if (pl.neuronCount !== 3 || pl.layers[0].negativeSlope !== 0) {
 *   throw new Error(JSON.stringify(pl.layers.map((l) => l.negativeSlope)));
 * }
 * ```
 */
export function toPiecewiseLinear(network: Network): PiecewiseLinearNetwork {
  const input = network.spec.input;
  if (input.length !== 1) {
    throw new Error(
      `Cannot analyse linear regions of input "[${input}]": only vector inputs are supported`,
    );
  }
  const layers: PiecewiseLinearLayer[] = [];
  network.layers.forEach((layer, i) => {
    const spec = layer.spec;
    const fail = (why: string): never => {
      throw new Error(
        `Cannot analyse linear regions of layer ${i} "${spec.type}": ${why}`,
      );
    };
    switch (spec.type) {
      case "Linear": {
        const wInternal = layer.weight!.dataSync(); // [in, out]
        const weight = new Float64Array(spec.in * spec.out);
        for (let r = 0; r < spec.in; r++) {
          for (let c = 0; c < spec.out; c++) {
            weight[c * spec.in + r] = wInternal[r * spec.out + c];
          }
        }
        const bias = layer.bias
          ? Float64Array.from(layer.bias.dataSync())
          : new Float64Array(spec.out);
        layers.push({
          in: spec.in,
          out: spec.out,
          weight,
          bias,
          negativeSlope: null,
        });
        return;
      }
      case "ReLU":
      case "LeakyReLU": {
        const last = layers.at(-1);
        if (!last) fail("an activation needs a Linear layer before it");
        if (last!.negativeSlope !== null) {
          fail("two activations in a row are not supported");
        }
        last!.negativeSlope = spec.type === "ReLU" ? 0 : spec.slope;
        return;
      }
      case "Identity":
      case "Dropout":
      case "Flatten":
        return;
      default:
        fail(
          "only Linear, ReLU, LeakyReLU, Identity, Dropout and Flatten layers are piecewise linear",
        );
    }
  });
  const outputDim = layers.length ? layers.at(-1)!.out : input[0];
  return {
    inputDim: input[0],
    outputDim,
    layers,
    neuronCount: layers.reduce(
      (n, l) => n + (l.negativeSlope === null ? 0 : l.out),
      0,
    ),
  };
}
