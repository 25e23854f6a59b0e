/**
 * Marker shapes as SVG path data centred at (0, 0), from d3-shape symbols.
 *
 * @module
 */

import { d3shape } from "../deps.ts";

/** Marker shapes a series or box-plot marker can use. */
export type MarkerShape =
  | "circle"
  | "square"
  | "triangle"
  | "diamond"
  | "cross"
  | "star";

/** Cycle of shapes for series without an explicit marker. */
export const MARKER_CYCLE: readonly MarkerShape[] = [
  "circle",
  "square",
  "triangle",
  "diamond",
  "cross",
  "star",
];

const SYMBOLS: Record<MarkerShape, d3shape.SymbolType> = {
  circle: d3shape.symbolCircle,
  square: d3shape.symbolSquare,
  triangle: d3shape.symbolTriangle,
  diamond: d3shape.symbolDiamond,
  cross: d3shape.symbolCross,
  star: d3shape.symbolStar,
};

/**
 * Path data of `shape` whose area equals a circle of diameter `size` px,
 * with coordinates rounded to 2 decimals (deterministic text).
 */
export function markerPath(shape: MarkerShape, size: number): string {
  const area = Math.PI * (size / 2) ** 2;
  return d3shape.symbol(SYMBOLS[shape], area).digits(2)() ?? "";
}
