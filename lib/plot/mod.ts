/**
 * Figures for hope-ts: pure functions from data to a standalone SVG string.
 *
 * Design note: the figures use d3 modules (`d3-scale`, `d3-shape`,
 * `d3-array`, `d3-format`, `d3-scale-chromatic`) for scales, ticks, path
 * generators, statistics, number formats and colour maps, and write the SVG
 * text directly rather than through `d3-node`/jsdom. With no DOM, output is
 * deterministic byte for byte (fixed number formatting, ids derived from a
 * content hash), fast, and free of a heavy dependency; the price is that text
 * widths are estimated from per-character tables rather than measured.
 *
 * Labels accept a little TeX-like math (`x_1^2 x_2`, `10^{-3}`, `\sigma`),
 * drawn with `<tspan>` sub- and superscripts; `monomialLabel` names Taylor
 * terms in that syntax.
 *
 * @example
 * ```ts
 * import { barChart, monomialLabel } from "./mod.ts";
 *
 * const svg = barChart([
 *   { label: monomialLabel([0, 1]), value: 0.51 },
 *   { label: monomialLabel([2, 0]), value: 0.55 },
 * ]);
 * if (!svg.includes("<title>")) throw new Error("expected a titled SVG");
 * ```
 *
 * @module
 */

export { barChart } from "./bar_chart.ts";
export type { Bar, BarChartOptions } from "./bar_chart.ts";
export { boxPlot, HOPE_MARKERS } from "./box_plot.ts";
export type { BoxGroup, BoxMarkerStyle, BoxPlotOptions } from "./box_plot.ts";
export { heatmap } from "./heatmap.ts";
export type {
  ColormapName,
  GridData,
  HeatmapOptions,
  ImageAxesOptions,
} from "./heatmap.ts";
export { heatmapGrid } from "./heatmap_grid.ts";
export type { HeatmapGridOptions, HeatmapPanel } from "./heatmap_grid.ts";
export { linePlot } from "./line_plot.ts";
export type {
  AxisKind,
  LegendPosition,
  LinePlotOptions,
  LineSeries,
  MarkerShape,
} from "./line_plot.ts";
export { monomialLabel } from "./monomial_label.ts";
export type { MonomialLabelOptions } from "./monomial_label.ts";
export { regionMap } from "./region_map.ts";
export type { RegionMapOptions } from "./region_map.ts";
export { unicodeLabel } from "./unicode_label.ts";
