/**
 * Grids of heat maps with row and column titles and colour bars: for
 * example ten MNIST digits × [image, series map, perturbation map, mask].
 *
 * @module
 */

import { drawTitle } from "./_axes.ts";
import {
  colorbarExponent,
  colorDomain,
  type ColormapName,
  colorScale,
  drawColorbar,
} from "./_color.ts";
import { drawCells, type Grid, type GridData, toGrid } from "./_grid.ts";
import { mathLabelWidth, mathText, mathToUnicode } from "./_math_label.ts";
import { FONT_SIZE, num, svgDocument } from "./_svg.ts";

export type { ColormapName } from "./_color.ts";
export type { GridData } from "./_grid.ts";

/** One map of the grid. */
export interface HeatmapPanel {
  /** The 2-D array (row 0 at the top, as an image). */
  data: GridData;
  /** Colour map. @default options.colormaps[column], else "diverging" */
  colormap?: ColormapName;
  /** Values at the two ends of the colour map. @default from options.normalize */
  domain?: readonly [number, number];
}

/** Options of `heatmapGrid`. */
export interface HeatmapGridOptions {
  /** Title above the grid (math syntax). @default "" (none) */
  title?: string;
  /** Titles left of each row (math syntax). @default none */
  rowTitles?: readonly string[];
  /** Titles above each column (math syntax). @default none */
  colTitles?: readonly string[];
  /** Colour map of each column, for panels without their own. @default "diverging" for every column */
  colormaps?: readonly ColormapName[];
  /**
   * Which panels share a colour domain (panels with an explicit `domain`
   * keep it): each panel alone (`"panel"`; its colour bar then reads
   * −max … max, or min … max), each column (`"column"`), or all panels with
   * the same colour map (`"grid"`). @default "column"
   */
  normalize?: "panel" | "column" | "grid";
  /** Size in px of one array cell. @default so the largest map is 84 px across */
  cellSize?: number;
  /** Space in px between maps. @default 6 */
  gap?: number;
  /** Draw a colour bar under each column. @default true */
  colorbars?: boolean;
}

interface Resolved {
  grid: Grid;
  colormap: ColormapName;
  domain: [number, number];
}

/**
 * Draws a grid of heat maps (`panels[row][col]`, `null` for an empty slot),
 * one `<rect>` per array cell, with row and column titles and a horizontal
 * colour bar under each column.
 *
 * @param panels the maps, row by row
 * @param options titles, colour maps, normalisation, sizes
 * @returns the SVG document as a string
 * @throws {Error} `Cannot draw heat map grid "<title>": …` when there are no
 * panels, or `Cannot draw heat map "<row>, <col>": …` for a bad array.
 *
 * @example
 * ```ts
 * import { heatmapGrid } from "./heatmap_grid.ts";
 *
 * const image = { data: [[0, 1], [1, 0]], colormap: "greys" as const };
 * const map = { data: [[-1, 0.5], [0.2, 1]] };
 * const svg = heatmapGrid([[image, map]], { colTitles: ["image", "HOPE"] });
 * const cells = svg.match(/width="1" height="1"/g) ?? [];
 * if (cells.length !== 8) throw new Error(`expected 8 cells, got ${cells.length}`);
 * ```
 */
export function heatmapGrid(
  panels: readonly (readonly (HeatmapPanel | null)[])[],
  options: HeatmapGridOptions = {},
): string {
  const {
    title = "",
    rowTitles = [],
    colTitles = [],
    colormaps = [],
    normalize = "column",
    gap = 6,
    colorbars = true,
  } = options;
  const nRows = panels.length;
  const nCols = Math.max(0, ...panels.map((r) => r.length));
  if (nRows === 0 || nCols === 0) {
    throw new Error(`Cannot draw heat map grid "${title}": no panels given`);
  }
  const cells: (Resolved | null)[][] = panels.map((row, i) =>
    Array.from({ length: nCols }, (_, j) => {
      const p = row[j];
      if (!p) return null;
      const grid = toGrid(p.data, "heat map", `${i}, ${j}`);
      const colormap = p.colormap ?? colormaps[j] ?? "diverging";
      return { grid, colormap, domain: [0, 1] as [number, number] };
    })
  );
  // Shared domains: per column or per colour map over the whole grid.
  const groupKey = (j: number, c: Resolved) =>
    normalize === "grid" ? c.colormap : `${j}/${c.colormap}`;
  const groups = new Map<string, ArrayLike<number>[]>();
  cells.forEach((row) =>
    row.forEach((c, j) => {
      if (!c) return;
      const key = groupKey(j, c);
      groups.set(key, [...(groups.get(key) ?? []), c.grid.values]);
    })
  );
  cells.forEach((row, i) =>
    row.forEach((c, j) => {
      if (!c) return;
      const explicit = panels[i][j]?.domain;
      c.domain = explicit
        ? [explicit[0], explicit[1]]
        : normalize === "panel"
        ? colorDomain(c.colormap, [c.grid.values])
        : colorDomain(c.colormap, groups.get(groupKey(j, c)) ?? []);
    })
  );

  const largest = Math.max(
    ...cells.flat().map((c) => c ? Math.max(c.grid.rows, c.grid.cols) : 0),
  );
  const cellSize = options.cellSize ?? 84 / largest;
  const colW = Array.from({ length: nCols }, (_, j) =>
    Math.max(
      ...cells.map((r) => r[j] ? r[j]!.grid.cols * cellSize : 0),
      colTitles[j] ? mathLabelWidth(colTitles[j], FONT_SIZE.label) + 4 : 0,
      colorbars ? 90 : 0,
    ));
  const rowH = cells.map((r) =>
    Math.max(...r.map((c) => c ? c.grid.rows * cellSize : 0))
  );
  const titleW = Math.max(
    0,
    ...rowTitles.map((t) => mathLabelWidth(t, FONT_SIZE.label)),
  );
  const left = 10 + (titleW > 0 ? titleW + 10 : 0);
  const top = (title ? 34 : 10) + (colTitles.length > 0 ? 20 : 0);
  const colX = colW.map((_, j) =>
    left + colW.slice(0, j).reduce((a, b) => a + b + gap, 0)
  );
  const rowY = rowH.map((_, i) =>
    top + rowH.slice(0, i).reduce((a, b) => a + b + gap, 0)
  );
  const gridRight = colX[nCols - 1] + colW[nCols - 1];
  const gridBottom = rowY[nRows - 1] + rowH[nRows - 1];
  // One more line under the colour bars when a column factors out 10^k.
  const factored = cells.flat().some((c) =>
    c !== null && normalize !== "panel" && colorbarExponent(c.domain) !== 0
  );
  const barBlock = colorbars
    ? 12 + 9 + 4 + FONT_SIZE.tick * (factored ? 2.6 : 1.4) + 4
    : 0;
  const width = gridRight + 12;
  const height = gridBottom + barBlock + 10;

  const body: string[] = [];
  if (title) body.push(drawTitle(title, (left + gridRight) / 2, 22));
  colTitles.forEach((t, j) => {
    if (j >= nCols) return;
    body.push(
      mathText(t, colX[j] + colW[j] / 2, top - 7, {
        size: FONT_SIZE.label,
        anchor: "middle",
        className: "col-title",
      }),
    );
  });
  rowTitles.forEach((t, i) => {
    if (i >= nRows) return;
    body.push(
      mathText(t, left - 10, rowY[i] + rowH[i] / 2, {
        size: FONT_SIZE.label,
        anchor: "end",
        baseline: "middle",
        className: "row-title",
      }),
    );
  });
  cells.forEach((row, i) =>
    row.forEach((c, j) => {
      if (!c) return;
      const w = c.grid.cols * cellSize;
      const h = c.grid.rows * cellSize;
      const x = colX[j] + (colW[j] - w) / 2;
      const y = rowY[i] + (rowH[i] - h) / 2;
      body.push(
        drawCells(
          c.grid,
          colorScale(c.colormap, c.domain),
          {
            x,
            y,
            cellWidth: cellSize,
            cellHeight: cellSize,
          },
          "upper",
          "map",
        ),
        `<rect class="outline" x="${num(x)}" y="${num(y)}" width="${
          num(w)
        }" height="${
          num(h)
        }" fill="none" stroke="#9a9a9a" stroke-width="0.6"/>`,
      );
    })
  );
  if (colorbars) {
    for (let j = 0; j < nCols; j++) {
      const first = cells.map((r) => r[j]).find((c) => c !== null);
      if (!first) continue;
      const barW = Math.min(colW[j] - 6, 110);
      const perPanel = normalize === "panel" &&
        !panels.some((r) => r[j]?.domain);
      const ticks = perPanel
        ? first.colormap === "diverging"
          ? [
            { value: first.domain[0], label: "−max", major: true },
            { value: 0, label: "0", major: true },
            { value: first.domain[1], label: "max", major: true },
          ]
          : [
            { value: first.domain[0], label: "min", major: true },
            { value: first.domain[1], label: "max", major: true },
          ]
        : undefined;
      body.push(
        ...drawColorbar(
          first.colormap,
          first.domain,
          {
            x: colX[j] + (colW[j] - barW) / 2,
            y: gridBottom + 12,
            length: barW,
            thickness: 9,
          },
          "horizontal",
          { ticks },
        ),
      );
    }
  }
  return svgDocument(
    width,
    height,
    mathToUnicode(title) || "Heat map grid",
    body,
  );
}
