/**
 * A single 2-D array as a heat map on axes in data coordinates, with a
 * colour bar: surfaces `z(x1, x2)` sampled on a grid, errors over a box.
 *
 * @module
 */

import {
  colorDomain,
  type ColormapName,
  colorScale,
  drawColorbar,
} from "./_color.ts";
import { drawFrame } from "./_axes.ts";
import { type GridData, toGrid } from "./_grid.ts";
import { drawImagePlot, type ImageAxesOptions } from "./_image_plot.ts";
import { mathLabelWidth, mathToUnicode } from "./_math_label.ts";
import { FONT_SIZE, svgDocument } from "./_svg.ts";

export type { ColormapName } from "./_color.ts";
export type { GridData } from "./_grid.ts";
export type { ImageAxesOptions } from "./_image_plot.ts";

/** Options of `heatmap`. */
export interface HeatmapOptions extends ImageAxesOptions {
  /** Colour map. @default "viridis" */
  colormap?: ColormapName;
  /** Values at the two ends of the colour map. @default [min, max], or [-m, m] with m = max |v| for "diverging" */
  domain?: readonly [number, number];
  /** Title above the colour bar (math syntax). @default "" (none) */
  colorbarLabel?: string;
  /** Figure width in px. @default 420 */
  width?: number;
}

/**
 * Draws `values[i][j]` (row `i` along y, column `j` along x) as a heat map
 * with one `<rect>` per cell, axis ticks in data coordinates and a vertical
 * colour bar.
 *
 * @param values the 2-D array (nested rows, or flat with a shape)
 * @param options title, axis labels and extents, colour map, size
 * @returns the SVG document as a string
 * @throws {Error} `Cannot draw heat map "<title>": …` for ragged or empty
 * arrays or a shape that does not match the data.
 *
 * @example
 * ```ts
 * import { heatmap } from "./heatmap.ts";
 *
 * const z = [[0, 1, 2], [3, 4, 5]];
 * const svg = heatmap(z, { xExtent: [-1, 1], yExtent: [-1, 1], xLabel: "x_1" });
 * const cells = svg.match(/<rect x="\d+" y="\d+" width="1"/g) ?? [];
 * if (cells.length !== 6) throw new Error(`expected 6 cells, got ${cells.length}`);
 * ```
 */
export function heatmap(
  values: GridData,
  options: HeatmapOptions = {},
): string {
  const {
    title = "",
    colormap = "viridis",
    colorbarLabel = "",
    width = 420,
  } = options;
  const grid = toGrid(values, "heat map", title);
  const domain = options.domain ?? colorDomain(colormap, [grid.values]);
  const color = colorScale(colormap, domain);
  const barLabelW = colorbarLabel
    ? mathLabelWidth(colorbarLabel, FONT_SIZE.tick)
    : 0;
  const right = 14 + Math.max(14 + 44, barLabelW / 2 + 7 + 8);
  const { body, frame, height } = drawImagePlot(
    grid,
    color,
    { ...options, width, right, extraTop: 0 },
    "map",
  );
  body.push(drawFrame(frame));
  body.push(
    ...drawColorbar(
      colormap,
      domain,
      {
        x: frame.left + frame.width + 14,
        y: frame.top + (colorbarLabel ? 14 : 0),
        length: frame.height - (colorbarLabel ? 14 : 0),
        thickness: 14,
      },
      "vertical",
      { label: colorbarLabel },
    ),
  );
  return svgDocument(width, height, mathToUnicode(title) || "Heat map", body);
}
