/**
 * Checks shared by the grid and the exact enumeration of regions.
 *
 * @module
 */

import { Network } from "../nn/network.ts";
import {
  type PiecewiseLinearNetwork,
  toPiecewiseLinear,
} from "./piecewise_linear.ts";

/** An axis-aligned box `[[x_min, x_max], [y_min, y_max]]` in the input plane. */
export type Box = readonly [
  readonly [number, number],
  readonly [number, number],
];

/** The square `[−1, 1]²` of the XOR data. */
export const UNIT_BOX: Box = [[-1, 1], [-1, 1]];

/**
 * The float64 form of a network with a 2-D input.
 *
 * @param net A network or its float64 form.
 * @param what The computation, for the error message.
 * @returns The float64 form.
 */
export function planarNetwork(
  net: Network | PiecewiseLinearNetwork,
  what: string,
): PiecewiseLinearNetwork {
  const pl = net instanceof Network ? toPiecewiseLinear(net) : net;
  if (pl.inputDim !== 2) {
    throw new Error(
      `Cannot ${what} of input dimension "${pl.inputDim}": the input must be 2-D`,
    );
  }
  return pl;
}

/**
 * Throws unless the box has finite, increasing bounds.
 *
 * @param box The box.
 * @param what The computation, for the error message.
 */
export function checkBox(box: Box, what: string): void {
  const ok = box.length === 2 &&
    box.every((r) =>
      r.length === 2 && Number.isFinite(r[0]) && Number.isFinite(r[1]) &&
      r[0] < r[1]
    );
  if (!ok) {
    throw new Error(
      `Cannot ${what} on box "${
        JSON.stringify(box)
      }": expected [[x_min, x_max], [y_min, y_max]] with finite bounds, min < max`,
    );
  }
}
