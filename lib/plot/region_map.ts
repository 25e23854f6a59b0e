/**
 * 2-D region maps: an integer region id per grid cell (for instance the
 * linear regions of a ReLU network over a 2-D input box) in categorical
 * colours, with boundary lines between regions.
 *
 * @module
 */

import { drawFrame } from "./_axes.ts";
import { categoricalColors } from "./_color.ts";
import { type Grid, type GridData, toGrid } from "./_grid.ts";
import { drawImagePlot, type ImageAxesOptions } from "./_image_plot.ts";
import { mathText, mathToUnicode } from "./_math_label.ts";
import { FONT_SIZE, INK, num, svgDocument } from "./_svg.ts";

export type { GridData } from "./_grid.ts";
export type { ImageAxesOptions } from "./_image_plot.ts";

/** Options of `regionMap`. */
export interface RegionMapOptions extends ImageAxesOptions {
  /** Draw lines between cells of different regions. @default true */
  boundaries?: boolean;
  /** Print the number of regions above the top-right corner. @default true */
  showCount?: boolean;
  /** Figure width in px. @default 400 */
  width?: number;
}

/**
 * Boundary segments in cell units between cells of different ids, merged
 * along each grid line into maximal runs (a compact path).
 */
function boundaryPath(
  grid: Grid,
  toPx: (col: number, rowEdge: number) => [number, number],
): string {
  const { rows, cols, values } = grid;
  const id = (i: number, j: number) => values[i * cols + j];
  let d = "";
  const segment = (a: [number, number], b: [number, number]) => {
    d += `M${num(a[0])},${num(a[1])}L${num(b[0])},${num(b[1])}`;
  };
  // Vertical lines at column edge j (between columns j-1 and j).
  for (let j = 1; j < cols; j++) {
    let start = -1;
    for (let i = 0; i <= rows; i++) {
      const differs = i < rows && id(i, j - 1) !== id(i, j);
      if (differs && start < 0) start = i;
      if (!differs && start >= 0) {
        segment(toPx(j, start), toPx(j, i));
        start = -1;
      }
    }
  }
  // Horizontal lines at row edge i (between rows i-1 and i).
  for (let i = 1; i < rows; i++) {
    let start = -1;
    for (let j = 0; j <= cols; j++) {
      const differs = j < cols && id(i - 1, j) !== id(i, j);
      if (differs && start < 0) start = j;
      if (!differs && start >= 0) {
        segment(toPx(start, i), toPx(j, i));
        start = -1;
      }
    }
  }
  return d;
}

/**
 * Draws a map of integer region ids with one `<rect>` per cell: each
 * distinct id gets its own categorical colour (ids are ranked in ascending
 * order, so the colours do not depend on the ids' magnitudes), and region
 * boundaries are drawn as lines.
 *
 * @param regions the region id of each cell (nested rows, or flat with a shape)
 * @param options title, axis labels and extents, boundaries, size
 * @returns the SVG document as a string
 * @throws {Error} `Cannot draw region map "<title>": …` for ragged or empty
 * arrays, a mismatched shape, or a value that is not an integer.
 *
 * @example
 * ```ts
 * import { regionMap } from "./region_map.ts";
 *
 * const svg = regionMap([[0, 0, 1], [0, 2, 1]], { xExtent: [-1, 1], yExtent: [-1, 1] });
 * if (!svg.includes("3 regions")) throw new Error("expected a region count");
 * ```
 */
export function regionMap(
  regions: GridData,
  options: RegionMapOptions = {},
): string {
  const {
    title = "",
    origin = "lower",
    boundaries = true,
    showCount = true,
    width = 400,
  } = options;
  const grid = toGrid(regions, "region map", title);
  for (let k = 0; k < grid.values.length; k++) {
    if (!Number.isInteger(grid.values[k])) {
      const i = Math.floor(k / grid.cols);
      throw new Error(
        `Cannot draw region map "${title}": value ${grid.values[k]} at [${i}, ${
          k % grid.cols
        }] is not an integer region id`,
      );
    }
  }
  const ids = [...new Set(Array.from(grid.values))].sort((a, b) => a - b);
  const palette = categoricalColors(ids.length);
  const colorOf = new Map(ids.map((id, k) => [id, palette[k]]));
  const { body, frame, height } = drawImagePlot(
    grid,
    (v) => colorOf.get(v) ?? INK,
    {
      ...options,
      width,
      right: 16,
      extraTop: showCount && title ? 12 : showCount ? 6 : 0,
    },
    "regions",
  );
  if (boundaries) {
    const cw = frame.width / grid.cols;
    const ch = frame.height / grid.rows;
    const d = boundaryPath(grid, (col, rowEdge) => [
      frame.left + col * cw,
      origin === "upper"
        ? frame.top + rowEdge * ch
        : frame.top + frame.height - rowEdge * ch,
    ]);
    if (d !== "") {
      body.push(
        `<path class="boundaries" d="${d}" fill="none" stroke="${INK}" ` +
          `stroke-width="0.9" stroke-linecap="square"/>`,
      );
    }
  }
  body.push(drawFrame(frame));
  if (showCount) {
    body.push(
      mathText(
        `${ids.length} region${ids.length === 1 ? "" : "s"}`,
        frame.left + frame.width,
        frame.top - 5,
        { size: FONT_SIZE.tick, anchor: "end", className: "count" },
      ),
    );
  }
  return svgDocument(width, height, mathToUnicode(title) || "Region map", body);
}
