/**
 * Exact enumeration of the linear regions of a small ReLU network that meet
 * a 2-D box, with each region's polygon.
 *
 * @module
 */

import type { Network } from "../nn/network.ts";
import { checkBox, planarNetwork, UNIT_BOX } from "./_input.ts";
import type { Box } from "./_input.ts";
import { patternKey } from "./_pattern_key.ts";
import { type Polygon, signedArea, splitPolygon } from "./_polygon.ts";
import type { PiecewiseLinearNetwork } from "./piecewise_linear.ts";

/** One linear region, clipped to the box. */
export interface ExactRegion {
  /** Hex key of the activation pattern (same keys as {@linkcode regionGrid}). */
  key: string;
  /** The activation pattern (`neuronCount` bits). */
  pattern: Uint8Array;
  /** The region ∩ box, a convex polygon with counter-clockwise vertices. */
  polygon: [number, number][];
  /** Its area. */
  area: number;
  /** `∂y/∂x`, row-major `[m, 2]`. */
  gradient: Float64Array;
  /** The affine map's value at the origin, length `m`. */
  bias: Float64Array;
}

/** What {@linkcode enumerateRegions} returns. */
export interface RegionEnumeration {
  /** Every region with positive area in the box. */
  regions: ExactRegion[];
  /** `regions.length`. */
  count: number;
  /** Area of the box (the regions' areas sum to it). */
  boxArea: number;
}

/** Options of {@linkcode enumerateRegions}. */
export interface EnumerateRegionsOptions {
  /**
   * The box `[[x_min, x_max], [y_min, y_max]]`.
   * @default [[-1, 1], [-1, 1]]
   */
  box?: Box;
  /**
   * Most cells kept at any stage; more is an error (the count of regions of
   * deep, wide networks grows fast, and the grid is then the tool).
   * @default 100000
   */
  maxRegions?: number;
}

/** A cell during the enumeration: polygon, pattern so far, affine state. */
interface Cell {
  polygon: Polygon;
  bits: number[];
  /** The current hidden vector is `A x + c`: `a` row-major `[k, 2]`. */
  a: Float64Array;
  c: Float64Array;
}

/**
 * Enumerates, exactly, the linear regions of a (leaky) ReLU network that
 * meet a 2-D box (with positive area), returning each as a polygon.
 *
 * Layer by layer: inside a cell of the patterns so far, the next layer's
 * pre-activations are affine in `x`, so each of its neurons cuts the (convex)
 * cell along a line; the pieces get the neuron's bit (1 where the
 * pre-activation is positive) and carry on. The pieces after the last layer
 * are the regions, each with its affine map. Exact up to float64 rounding: a
 * vertex within `1e-10 · (|a|·R + |c|)` of a cutting line counts as on it.
 *
 * @param network A Linear/ReLU/LeakyReLU network with a 2-D input, or its
 *   float64 form.
 * @param options Box and the cap on the number of cells.
 * @returns The regions, their count and the box area.
 * @throws {Error} `Cannot enumerate linear regions …` for a bad box, a
 *   network whose input is not 2-D, or more than `maxRegions` cells.
 * @example
 * ```ts
 * import { enumerateRegions } from "./enumerate_regions.ts";
 * // y = relu(x1) + relu(x2) on [−1, 1]²: four unit squares
 * const net = {
 *   inputDim: 2, outputDim: 1, neuronCount: 2,
 *   layers: [
 *     { in: 2, out: 2, weight: new Float64Array([1, 0, 0, 1]),
 *       bias: new Float64Array([0, 0]), negativeSlope: 0 },
 *     { in: 2, out: 1, weight: new Float64Array([1, 1]),
 *       bias: new Float64Array([0]), negativeSlope: null },
 *   ],
 * };
 * const { count, regions } = enumerateRegions(net);
 * if (count !== 4 || regions.some((r) => Math.abs(r.area - 1) > 1e-12)) {
 *   throw new Error(JSON.stringify(regions.map((r) => r.area)));
 * }
 * ```
 */
export function enumerateRegions(
  network: Network | PiecewiseLinearNetwork,
  options: EnumerateRegionsOptions = {},
): RegionEnumeration {
  const what = "enumerate linear regions";
  const net = planarNetwork(network, what);
  const box = options.box ?? UNIT_BOX;
  checkBox(box, what);
  const maxRegions = options.maxRegions ?? 100000;
  const [[x0, x1], [y0, y1]] = box;
  const boxArea = (x1 - x0) * (y1 - y0);
  // Pieces thinner than this are rounding artefacts, not regions.
  const minArea = 1e-14 * boxArea;
  const radius = Math.max(
    Math.abs(x0),
    Math.abs(x1),
    Math.abs(y0),
    Math.abs(y1),
  );
  let cells: Cell[] = [{
    polygon: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]],
    bits: [],
    a: new Float64Array([1, 0, 0, 1]),
    c: new Float64Array(2),
  }];
  const shape = net.layers.map((l) => l.out).join("→");
  for (const layer of net.layers) {
    const next: Cell[] = [];
    for (const cell of cells) {
      const { a, c } = affineStep(cell, layer);
      if (layer.negativeSlope === null) {
        next.push({ polygon: cell.polygon, bits: cell.bits, a, c });
        continue;
      }
      let pieces: { polygon: Polygon; bits: number[] }[] = [{
        polygon: cell.polygon,
        bits: cell.bits,
      }];
      for (let o = 0; o < layer.out; o++) {
        const ax = a[2 * o];
        const ay = a[2 * o + 1];
        const tol = 1e-10 *
          ((Math.abs(ax) + Math.abs(ay)) * radius + Math.abs(c[o]));
        const split: typeof pieces = [];
        for (const piece of pieces) {
          const { positive, negative } = splitPolygon(piece.polygon, {
            a: [ax, ay],
            c: c[o],
            tol,
          });
          for (const [poly, bit] of [[positive, 1], [negative, 0]] as const) {
            if (poly && Math.abs(signedArea(poly)) > minArea) {
              split.push({ polygon: poly, bits: [...piece.bits, bit] });
            }
          }
        }
        pieces = split;
        if (next.length + pieces.length > maxRegions) {
          throw new Error(
            `Cannot enumerate linear regions of network "${net.inputDim}→${shape}": more than maxRegions = ${maxRegions} cells; raise maxRegions or use regionGrid`,
          );
        }
      }
      for (const piece of pieces) {
        const bits = piece.bits.slice(cell.bits.length);
        const pa = a.slice();
        const pc = c.slice();
        bits.forEach((bit, o) => {
          if (bit) return;
          const s = layer.negativeSlope!;
          pa[2 * o] *= s;
          pa[2 * o + 1] *= s;
          pc[o] *= s;
        });
        next.push({ polygon: piece.polygon, bits: piece.bits, a: pa, c: pc });
      }
    }
    cells = next;
  }
  const regions = cells.map((cell): ExactRegion => {
    const pattern = Uint8Array.from(cell.bits);
    return {
      key: patternKey(pattern, { start: 0, count: pattern.length }),
      pattern,
      polygon: cell.polygon,
      area: Math.abs(signedArea(cell.polygon)),
      gradient: cell.a,
      bias: cell.c,
    };
  });
  return { regions, count: regions.length, boxArea };
}

/** The next layer's pre-activation `W (A x + c) + b` as `A' x + c'`. */
function affineStep(
  cell: Cell,
  layer: PiecewiseLinearNetwork["layers"][number],
): { a: Float64Array; c: Float64Array } {
  const a = new Float64Array(layer.out * 2);
  const c = new Float64Array(layer.out);
  for (let o = 0; o < layer.out; o++) {
    let s = layer.bias[o];
    let gx = 0;
    let gy = 0;
    for (let i = 0; i < layer.in; i++) {
      const w = layer.weight[o * layer.in + i];
      s += w * cell.c[i];
      gx += w * cell.a[2 * i];
      gy += w * cell.a[2 * i + 1];
    }
    a[2 * o] = gx;
    a[2 * o + 1] = gy;
    c[o] = s;
  }
  return { a, c };
}
