/**
 * Linear regions of a ReLU network seen on a grid over a 2-D box: the
 * activation pattern and exact local affine map at every grid point, and the
 * distinct regions the grid meets (the XOR notebook of seed `003_*`, with
 * regions told apart by their activation pattern rather than by a distance
 * threshold on their parameters).
 *
 * @module
 */

import type { Network } from "../nn/network.ts";
import { checkBox, planarNetwork, UNIT_BOX } from "./_input.ts";
import type { Box } from "./_input.ts";
import { patternKey } from "./_pattern_key.ts";
import { activationPatterns } from "./activation_patterns.ts";
import { affineMapOfPattern } from "./affine_map.ts";
import type { PiecewiseLinearNetwork } from "./piecewise_linear.ts";

/** One distinct region met by the grid. */
export interface GridRegion {
  /** Hex key of the activation pattern. */
  key: string;
  /** The activation pattern (`neuronCount` bits). */
  pattern: Uint8Array;
  /** `∂y/∂x`, row-major `[m, 2]`. */
  gradient: Float64Array;
  /** The affine map's value at the origin, length `m`. */
  bias: Float64Array;
  /**
   * The notebook's region parameters: per output `k`, `[∂y_k/∂x_1,
   * ∂y_k/∂x_2, bias_k]` (length `3m`).
   */
  parameters: Float64Array;
  /** How many grid points lie in the region. */
  pointCount: number;
}

/** Everything {@linkcode regionGrid} computes. */
export interface RegionGrid {
  /** Grid x coordinates (columns), increasing. */
  xs: Float64Array;
  /** Grid y coordinates (rows), increasing. */
  ys: Float64Array;
  /** `ys.length`. */
  rows: number;
  /** `xs.length`. */
  cols: number;
  /** Points row-major `[rows · cols, 2]`; point `i·cols + j` is `(xs[j], ys[i])`. */
  points: Float64Array;
  /** Bits row-major `[rows · cols, neuronCount]`. */
  patterns: Uint8Array;
  /** Index into `regions` of every point (regions numbered by first appearance). */
  regionIds: Int32Array;
  /** The distinct regions, in order of first appearance. */
  regions: GridRegion[];
  /** Per point, its region's parameters: row-major `[rows · cols, 3m]`. */
  parameters: Float64Array;
  /** Per point, the network output from its affine map: `[rows · cols, m]`. */
  outputs: Float64Array;
  /** `regions.length`. */
  count: number;
  /** Number of activation bits. */
  neuronCount: number;
  /** Output dimension `m`. */
  outputDim: number;
}

/** Options of {@linkcode regionGrid}. */
export interface RegionGridOptions {
  /**
   * The box `[[x_min, x_max], [y_min, y_max]]`.
   * @default [[-1, 1], [-1, 1]]
   */
  box?: Box;
  /**
   * Grid points per axis (both ends included), or `[nx, ny]`; the notebook
   * uses 101 (steps of 0.02 on `[−1, 1]`).
   * @default 101
   */
  resolution?: number | readonly [number, number];
}

/**
 * Activation patterns, exact affine maps and distinct linear regions of a
 * (leaky) ReLU network on a grid over a 2-D box.
 *
 * Every point's affine map is computed from its pattern (exact inside a
 * region, identical for all points of a region), so the distinct regions are
 * the distinct patterns and need no distance threshold.
 *
 * @param network A Linear/ReLU/LeakyReLU network with a 2-D input, or its
 *   float64 form.
 * @param options Box and resolution.
 * @returns Patterns, region ids, region parameters and outputs per point.
 * @throws {Error} `Cannot compute linear regions …` for a bad box or
 *   resolution, or a network whose input is not 2-D; the errors of
 *   {@linkcode toPiecewiseLinear} for other layers.
 * @example
 * ```ts
 * import { Network } from "../nn/network.ts";
 * import { type Tensor, tf } from "../deps.ts";
 * import { regionGrid } from "./region_grid.ts";
 * await tf.ready();
 * // y = relu(x1) + relu(x2): four regions, one per quadrant
 * const net = Network.create({
 *   format: "hope-network/1",
 *   input: [2],
 *   layers: [
 *     { type: "Linear", in: 2, out: 2, weight: "w1", bias: "b1" },
 *     { type: "ReLU" },
 *     { type: "Linear", in: 2, out: 1, weight: "w2", bias: "b2" },
 *   ],
 * }, {
 *   parameters: new Map<string, Tensor>([
 *     ["w1", tf.tensor2d([[1, 0], [0, 1]])], ["b1", tf.tensor1d([0, 0])],
 *     ["w2", tf.tensor2d([[1, 1]])], ["b2", tf.tensor1d([0])],
 *   ]),
 * });
 * const grid = regionGrid(net, { resolution: 11 });
 * if (grid.count !== 4) throw new Error(`${grid.count} regions`);
 * ```
 */
export function regionGrid(
  network: Network | PiecewiseLinearNetwork,
  options: RegionGridOptions = {},
): RegionGrid {
  const what = "compute linear regions";
  const net = planarNetwork(network, what);
  const box = options.box ?? UNIT_BOX;
  checkBox(box, what);
  const res = options.resolution ?? 101;
  const [nx, ny] = typeof res === "number" ? [res, res] : res;
  if (![nx, ny].every((n) => Number.isInteger(n) && n >= 2)) {
    throw new Error(
      `Cannot ${what} on a grid of resolution "${res}": expected integers ≥ 2`,
    );
  }
  const xs = linspace(box[0][0], box[0][1], nx);
  const ys = linspace(box[1][0], box[1][1], ny);
  const count = nx * ny;
  const points = new Float64Array(count * 2);
  for (let i = 0; i < ny; i++) {
    for (let j = 0; j < nx; j++) {
      points[2 * (i * nx + j)] = xs[j];
      points[2 * (i * nx + j) + 1] = ys[i];
    }
  }
  const bitsPer = net.neuronCount;
  const m = net.outputDim;
  const patterns = activationPatterns(net, points);
  const regionIds = new Int32Array(count);
  const regions: GridRegion[] = [];
  const byKey = new Map<string, number>();
  for (let p = 0; p < count; p++) {
    const key = patternKey(patterns, { start: p * bitsPer, count: bitsPer });
    let id = byKey.get(key);
    if (id === undefined) {
      id = regions.length;
      byKey.set(key, id);
      const pattern = patterns.slice(p * bitsPer, (p + 1) * bitsPer);
      const { gradient, bias } = affineMapOfPattern(net, pattern);
      regions.push({
        key,
        pattern,
        gradient,
        bias,
        parameters: regionParameters(gradient, bias),
        pointCount: 0,
      });
    }
    regions[id].pointCount++;
    regionIds[p] = id;
  }
  const parameters = new Float64Array(count * 3 * m);
  const outputs = new Float64Array(count * m);
  for (let p = 0; p < count; p++) {
    const r = regions[regionIds[p]];
    parameters.set(r.parameters, p * 3 * m);
    for (let k = 0; k < m; k++) {
      outputs[p * m + k] = r.gradient[2 * k] * points[2 * p] +
        r.gradient[2 * k + 1] * points[2 * p + 1] + r.bias[k];
    }
  }
  return {
    xs,
    ys,
    rows: ny,
    cols: nx,
    points,
    patterns,
    regionIds,
    regions,
    parameters,
    outputs,
    count: regions.length,
    neuronCount: bitsPer,
    outputDim: m,
  };
}

/** `[g_k1, g_k2, b_k]` per output `k`, the notebook's `calcRegion` layout. */
function regionParameters(
  gradient: Float64Array,
  bias: Float64Array,
): Float64Array {
  const out = new Float64Array(bias.length * 3);
  for (let k = 0; k < bias.length; k++) {
    out[3 * k] = gradient[2 * k];
    out[3 * k + 1] = gradient[2 * k + 1];
    out[3 * k + 2] = bias[k];
  }
  return out;
}

/** `n` evenly spaced values from `a` to `b`, both included (NumPy's rule). */
function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const step = (b - a) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = a + i * step;
  out[n - 1] = b;
  return out;
}
