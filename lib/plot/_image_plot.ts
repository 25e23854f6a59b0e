/**
 * A 2-D array drawn as cells on axes in data coordinates, with room on the
 * right for a colour bar: the layout shared by `heatmap` and `regionMap`.
 *
 * @module
 */

import { d3scale } from "../deps.ts";
import {
  axisTicks,
  drawAxis,
  drawTitle,
  type Frame,
  tickLabelWidth,
} from "./_axes.ts";
import { drawCells, type Grid } from "./_grid.ts";
import { FONT_SIZE } from "./_svg.ts";

/** Axes and size options shared by `heatmap` and `regionMap`. */
export interface ImageAxesOptions {
  /** Title above the map (math syntax). @default "" (none) */
  title?: string;
  /** x axis title (math syntax). @default "" (none) */
  xLabel?: string;
  /** y axis title (math syntax). @default "" (none) */
  yLabel?: string;
  /** x at the left edge of column 0 and the right edge of the last column. @default [0, cols] */
  xExtent?: readonly [number, number];
  /** y at the outer edges of row 0 and the last row. @default [0, rows] */
  yExtent?: readonly [number, number];
  /** Row 0 at the bottom (`"lower"`, y grows upwards) or the top (`"upper"`, images). @default "lower" */
  origin?: "upper" | "lower";
  /** Figure height in px. @default fitted to square cells */
  height?: number;
}

/** The figure's options with what its kind of map fixes. */
export interface ImagePlotLayout extends ImageAxesOptions {
  /** Figure width in px. */
  width: number;
  /** Width in px reserved right of the frame (colour bar). */
  right: number;
  /** Extra height in px between the title and the frame. */
  extraTop: number;
}

/**
 * Lays out and draws the cells, axes and title. Returns the SVG parts and
 * the frame, so the caller can add a colour bar or overlays.
 */
export function drawImagePlot(
  grid: Grid,
  color: (v: number, index: number) => string,
  layout: ImagePlotLayout,
  className: string,
): { body: string[]; frame: Frame; height: number } {
  const {
    title = "",
    xLabel = "",
    yLabel = "",
    xExtent = [0, grid.cols],
    yExtent = [0, grid.rows],
    origin = "lower",
  } = layout;
  const xTicks = axisTicks("linear", xExtent, 5)
    .filter((t) => between(t.value, xExtent));
  // With origin "upper", row 0 (the first y value) is at the top.
  const yRange = origin === "lower" ? yExtent : [yExtent[1], yExtent[0]];
  const yTicks = axisTicks("linear", yExtent, 5)
    .filter((t) => between(t.value, yExtent));
  const yLabelOffset = tickLabelWidth(yTicks) + 4.5 + 3 + 10;
  const left = yLabelOffset + (yLabel ? 14 : 0) + 4;
  const top = (title ? 34 : 12) + layout.extraTop;
  const bottom = 4.5 + 3 + FONT_SIZE.tick * 1.4 + (xLabel ? 22 : 0) +
    8;
  // Square cells where possible: shrink the longer side of the frame.
  const availW = layout.width - left - layout.right;
  const availH = layout.height === undefined
    ? Infinity
    : layout.height - top - bottom;
  const cell = Math.min(availW / grid.cols, availH / grid.rows);
  const height = layout.height ?? top + bottom + cell * grid.rows;
  const frame: Frame = {
    left: left + (availW - cell * grid.cols) / 2,
    top,
    width: cell * grid.cols,
    height: cell * grid.rows,
  };
  const x = d3scale.scaleLinear().domain(xExtent).range([
    frame.left,
    frame.left + frame.width,
  ]);
  const y = d3scale.scaleLinear().domain(yRange).range([
    frame.top + frame.height,
    frame.top,
  ]);
  const body: string[] = [];
  if (title) {
    body.push(drawTitle(title, frame.left + frame.width / 2, 22));
  }
  body.push(
    drawCells(
      grid,
      color,
      {
        x: frame.left,
        y: frame.top,
        cellWidth: cell,
        cellHeight: cell,
      },
      origin,
      className,
    ),
  );
  body.push(
    ...drawAxis("bottom", xTicks, x, frame, {
      label: xLabel,
      labelOffset: 4.5 + 3 + FONT_SIZE.tick * 1.4 + 16,
    }),
    ...drawAxis("left", yTicks, y, frame, {
      label: yLabel,
      labelOffset: yLabelOffset,
    }),
  );
  return { body, frame, height };
}

function between(v: number, extent: readonly [number, number]): boolean {
  const eps = 1e-9 * Math.abs(extent[1] - extent[0]);
  return v >= Math.min(...extent) - eps && v <= Math.max(...extent) + eps;
}
