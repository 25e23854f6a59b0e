/**
 * Linear regions of ReLU networks on a 2-D box (seed `003_*`, the XOR
 * notebook): activation patterns, exact local affine maps, distinct regions
 * on a grid, exact enumeration of the regions as polygons, and least-squares
 * maps between two networks' region parameters.
 *
 * @example
 * ```ts
 * import { enumerateRegions, regionGrid } from "./mod.ts";
 * // the notebook's hand-made XOR network: f = [2, −4] relu(W x + b) − 1
 * const net = {
 *   inputDim: 2, outputDim: 1, neuronCount: 2,
 *   layers: [
 *     { in: 2, out: 2, weight: new Float64Array([1, 1, 1, 1]),
 *       bias: new Float64Array([1, 0]), negativeSlope: 0 },
 *     { in: 2, out: 1, weight: new Float64Array([2, -4]),
 *       bias: new Float64Array([-1]), negativeSlope: null },
 *   ],
 * };
 * const exact = enumerateRegions(net);
 * const grid = regionGrid(net);
 * if (exact.count !== 3 || grid.count !== 3) {
 *   throw new Error(`${exact.count} ${grid.count}`);
 * }
 * ```
 *
 * @module
 */

export { activationPatterns } from "./activation_patterns.ts";
export { affineMapOfPattern } from "./affine_map.ts";
export type { AffineMap } from "./affine_map.ts";
export type { Box } from "./_input.ts";
export { enumerateRegions } from "./enumerate_regions.ts";
export type {
  EnumerateRegionsOptions,
  ExactRegion,
  RegionEnumeration,
} from "./enumerate_regions.ts";
export { applyLinearMap, fitLinearMap } from "./linear_map.ts";
export type { LinearMap, Matrix } from "./linear_map.ts";
export { toPiecewiseLinear } from "./piecewise_linear.ts";
export type {
  PiecewiseLinearLayer,
  PiecewiseLinearNetwork,
} from "./piecewise_linear.ts";
export { regionGrid } from "./region_grid.ts";
export type {
  GridRegion,
  RegionGrid,
  RegionGridOptions,
} from "./region_grid.ts";
export { regionParameterMaps } from "./region_parameter_maps.ts";
export type {
  RegionParameterMap,
  RegionParameterMaps,
} from "./region_parameter_maps.ts";
