/**
 * Activation patterns: which neurons of a (leaky) ReLU network are active at
 * each point.
 *
 * @module
 */

import type { PiecewiseLinearNetwork } from "./piecewise_linear.ts";

/**
 * The activation pattern of every point, in float64.
 *
 * Bit `j` is 1 when neuron `j`'s pre-activation is strictly positive (the
 * neurons of every step followed by a (leaky) ReLU, in layer order). A
 * pre-activation of exactly 0 reads as inactive; the network is continuous
 * there, so the affine map of either side gives its value.
 *
 * @param net The network in float64 form.
 * @param points Row-major `[N, d]` coordinates.
 * @returns Row-major `[N, neuronCount]` bits (0 or 1).
 * @throws {Error} `Cannot compute activation patterns "<length>": …` when
 *   the length of `points` is not a multiple of `d`.
 * @example
 * ```ts
 * import { activationPatterns } from "./activation_patterns.ts";
 * // z = x − 0.5 then ReLU: active only at x = 1
 * const net = {
 *   inputDim: 1, outputDim: 1, neuronCount: 1,
 *   layers: [{
 *     in: 1, out: 1, weight: new Float64Array([1]),
 *     bias: new Float64Array([-0.5]), negativeSlope: 0,
 *   }],
 * };
 * const bits = activationPatterns(net, new Float64Array([0, 1]));
 * if (bits.join() !== "0,1") throw new Error(bits.join());
 * ```
 */
export function activationPatterns(
  net: PiecewiseLinearNetwork,
  points: Float64Array,
): Uint8Array {
  const d = net.inputDim;
  if (points.length % d !== 0) {
    throw new Error(
      `Cannot compute activation patterns "${points.length}": not a multiple of the input dimension ${d}`,
    );
  }
  const n = points.length / d;
  const bits = new Uint8Array(n * net.neuronCount);
  const widest = Math.max(d, ...net.layers.map((l) => l.out));
  let h = new Float64Array(widest);
  let z = new Float64Array(widest);
  for (let p = 0; p < n; p++) {
    h.set(points.subarray(p * d, (p + 1) * d));
    let bit = p * net.neuronCount;
    for (const layer of net.layers) {
      const { weight, bias, negativeSlope } = layer;
      for (let o = 0; o < layer.out; o++) {
        let s = bias[o];
        const row = o * layer.in;
        for (let i = 0; i < layer.in; i++) s += weight[row + i] * h[i];
        if (negativeSlope !== null) {
          const active = s > 0;
          bits[bit++] = active ? 1 : 0;
          if (!active) s *= negativeSlope;
        }
        z[o] = s;
      }
      [h, z] = [z, h];
    }
  }
  return bits;
}
