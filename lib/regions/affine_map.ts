/**
 * The affine map a (leaky) ReLU network computes inside one linear region.
 *
 * @module
 */

import type { PiecewiseLinearNetwork } from "./piecewise_linear.ts";

/** `y = G x + c` on one linear region. */
export interface AffineMap {
  /** `G = ∂y/∂x`, row-major `[m, d]`. */
  gradient: Float64Array;
  /** `c`, the value the map takes at `x = 0`, length `m`. */
  bias: Float64Array;
}

/**
 * The exact affine map of the region with a given activation pattern.
 *
 * With `D_l = diag(1 if active, else the negative slope)`, the network is
 * `y = W_L D_{L−1} W_{L−1} ⋯ D_1 W_1 x + c`, so the gradient is that masked
 * product and the bias is the same recursion applied to the biases.
 *
 * @param net The network in float64 form.
 * @param pattern `neuronCount` bits in the order of
 *   {@linkcode activationPatterns}; a longer array is read from `offset`.
 * @param options Where the pattern starts in `pattern`.
 * @returns The gradient and bias of the region.
 * @throws {Error} `Cannot compute the affine map of pattern "<length>": …`
 *   when fewer than `neuronCount` bits follow `offset`.
 * @example
 * ```ts
 * import { affineMapOfPattern } from "./affine_map.ts";
 * // y = 2·relu(x1 + x2) − 1
 * const net = {
 *   inputDim: 2, outputDim: 1, neuronCount: 1,
 *   layers: [
 *     { in: 2, out: 1, weight: new Float64Array([1, 1]),
 *       bias: new Float64Array([0]), negativeSlope: 0 },
 *     { in: 1, out: 1, weight: new Float64Array([2]),
 *       bias: new Float64Array([-1]), negativeSlope: null },
 *   ],
 * };
 * const on = affineMapOfPattern(net, new Uint8Array([1]));
 * const off = affineMapOfPattern(net, new Uint8Array([0]));
 * if (on.gradient.join() !== "2,2" || off.gradient.join() !== "0,0" ||
 *   off.bias[0] !== -1) throw new Error("wrong affine maps");
 * ```
 */
export function affineMapOfPattern(
  net: PiecewiseLinearNetwork,
  pattern: ArrayLike<number>,
  options: {
    /**
     * Index of the first bit in `pattern`.
     * @default 0
     */
    offset?: number;
  } = {},
): AffineMap {
  const offset = options.offset ?? 0;
  if (pattern.length - offset < net.neuronCount) {
    throw new Error(
      `Cannot compute the affine map of pattern "${
        pattern.length - offset
      }": the network has ${net.neuronCount} neurons`,
    );
  }
  const d = net.inputDim;
  // h = A x + c, starting from the identity.
  let a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) a[i * d + i] = 1;
  let c = new Float64Array(d);
  let bit = offset;
  for (const layer of net.layers) {
    const na = new Float64Array(layer.out * d);
    const nc = new Float64Array(layer.out);
    for (let o = 0; o < layer.out; o++) {
      let s = layer.bias[o];
      for (let i = 0; i < layer.in; i++) {
        const w = layer.weight[o * layer.in + i];
        if (w === 0) continue;
        s += w * c[i];
        for (let k = 0; k < d; k++) na[o * d + k] += w * a[i * d + k];
      }
      nc[o] = s;
      if (layer.negativeSlope !== null && !pattern[bit++]) {
        const slope = layer.negativeSlope;
        nc[o] *= slope;
        for (let k = 0; k < d; k++) na[o * d + k] *= slope;
      }
    }
    a = na;
    c = nc;
  }
  return { gradient: a, bias: c };
}
