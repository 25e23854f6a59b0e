/**
 * How the linear regions of two networks relate: the least-squares maps
 * between their region parameters, fitted point by point on a shared grid in
 * both directions, as in the XOR notebook of seed `003_*`.
 *
 * @module
 */

import { applyLinearMap, fitLinearMap, type LinearMap } from "./linear_map.ts";
import type { Matrix } from "./linear_map.ts";
import type { RegionGrid } from "./region_grid.ts";

/** One direction of {@linkcode regionParameterMaps}. */
export interface RegionParameterMap {
  /** The fitted map from the source network's parameters to the target's. */
  map: LinearMap;
  /**
   * The source's distinct regions mapped into the target's parameter space:
   * `[source.count, 3m]` (the notebook's "1 → 2" scatter).
   */
  mappedRegions: Matrix;
  /**
   * The surface the mapped parameters give at every grid point:
   * `[x, y, 1] · mapped parameters`, `[rows · cols, m]`.
   */
  mappedOutputs: Float64Array;
  /**
   * Fraction of grid points (and outputs) where the mapped surface has the
   * sign of the target network's output: −1, 0 or +1, where values within
   * `1e-9 ·` the target's largest `|output|` count as 0 (so that rounding at
   * an exact zero of both does not count as a disagreement).
   */
  signAgreement: number;
}

/** Both directions. */
export interface RegionParameterMaps {
  /** Network 1 → network 2. */
  forward: RegionParameterMap;
  /** Network 2 → network 1. */
  backward: RegionParameterMap;
}

/**
 * Fits the least-squares affine maps between the per-point region
 * parameters `[∂y/∂x_1, ∂y/∂x_2, b]` of two networks on the same grid, one
 * row per grid point (so large regions weigh more, as in the notebook), in
 * both directions.
 *
 * The notebook rounds the parameters to 5 decimals before fitting, to keep
 * autograd noise out of the fit; the parameters here come from activation
 * patterns and are identical within a region, so they are used as they are.
 *
 * @param first The grid of network 1.
 * @param second The grid of network 2, on the same points.
 * @returns The map 1 → 2 (`forward`) and 2 → 1 (`backward`), with mapped
 *   regions and surfaces.
 * @throws {Error} `Cannot map region parameters "<r1>×<c1> vs <r2>×<c2>": …`
 *   when the grids differ in points or output dimension.
 * @example
 * ```ts
 * import { regionGrid } from "./region_grid.ts";
 * import { regionParameterMaps } from "./region_parameter_maps.ts";
 * const layer = (w: number[], b: number[], slope: number | null) => ({
 *   in: 2, out: w.length / 2, weight: new Float64Array(w),
 *   bias: new Float64Array(b), negativeSlope: slope,
 * });
 * const net = (s: number) => ({
 *   inputDim: 2, outputDim: 1, neuronCount: 2,
 *   layers: [layer([1, 0, 0, 1], [0, 0], 0), layer([s, s], [0], null)],
 * });
 * const g1 = regionGrid(net(1), { resolution: 5 });
 * const g2 = regionGrid(net(3), { resolution: 5 });
 * const { forward } = regionParameterMaps(g1, g2);
 * // network 2 is network 1 scaled by 3: a perfect fit, same signs
 * if (forward.map.score < 1 - 1e-12 || forward.signAgreement !== 1) {
 *   throw new Error(`${forward.map.score} ${forward.signAgreement}`);
 * }
 * ```
 */
export function regionParameterMaps(
  first: RegionGrid,
  second: RegionGrid,
): RegionParameterMaps {
  const same = first.rows === second.rows && first.cols === second.cols &&
    first.outputDim === second.outputDim &&
    first.points.every((v, i) => v === second.points[i]);
  if (!same) {
    throw new Error(
      `Cannot map region parameters "${first.rows}×${first.cols} vs ${second.rows}×${second.cols}": both grids need the same points and output dimension`,
    );
  }
  return {
    forward: oneWay(first, second),
    backward: oneWay(second, first),
  };
}

function parameterMatrix(grid: RegionGrid): Matrix {
  const cols = 3 * grid.outputDim;
  return { rows: grid.rows * grid.cols, cols, data: grid.parameters };
}

function oneWay(source: RegionGrid, target: RegionGrid): RegionParameterMap {
  const m = source.outputDim;
  const map = fitLinearMap(parameterMatrix(source), parameterMatrix(target));
  const distinct: Matrix = {
    rows: source.count,
    cols: 3 * m,
    data: new Float64Array(source.count * 3 * m),
  };
  source.regions.forEach((r, i) => distinct.data.set(r.parameters, i * 3 * m));
  const mappedRegions = applyLinearMap(map, distinct);
  const n = source.rows * source.cols;
  const mappedOutputs = new Float64Array(n * m);
  const scale = target.outputs.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  const sign = (v: number) => Math.abs(v) <= 1e-9 * scale ? 0 : Math.sign(v);
  let agree = 0;
  for (let p = 0; p < n; p++) {
    const params = mappedRegions.data.subarray(
      source.regionIds[p] * 3 * m,
      (source.regionIds[p] + 1) * 3 * m,
    );
    const x = source.points[2 * p];
    const y = source.points[2 * p + 1];
    for (let k = 0; k < m; k++) {
      const v = params[3 * k] * x + params[3 * k + 1] * y + params[3 * k + 2];
      mappedOutputs[p * m + k] = v;
      if (sign(v) === sign(target.outputs[p * m + k])) agree++;
    }
  }
  return { map, mappedRegions, mappedOutputs, signAgreement: agree / (n * m) };
}
