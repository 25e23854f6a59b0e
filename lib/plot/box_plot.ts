/**
 * Box plots per category with overlaid markers and value labels: the HOPE
 * global-explanation figure (for each monomial, the spread of its
 * coefficient over many expansion points, with the local, mean and combined
 * values marked).
 *
 * @module
 */

import { d3array, d3format, d3scale } from "../deps.ts";
import {
  axisDomain,
  axisTicks,
  categoryLabels,
  drawAxis,
  drawFrame,
  drawTitle,
  type Frame,
  tickLabelWidth,
} from "./_axes.ts";
import { drawLegendRow, type LegendEntry, legendRowWidth } from "./_legend.ts";
import { markerPath, type MarkerShape } from "./_marker.ts";
import { mathLabelWidth, mathText, mathToUnicode } from "./_math_label.ts";
import { attrs, FONT_SIZE, INK, num, svgDocument } from "./_svg.ts";

/** One category: its label, the sample the box summarises, and marked values. */
export interface BoxGroup {
  /** Category label (math syntax, e.g. `"x_1^2"`). */
  label: string;
  /** The sample (non-finite values are ignored; may be empty to draw markers only). */
  values: ArrayLike<number>;
  /** Marked values keyed by marker style name, e.g. `{ local: 0.51, mean: 0.49 }`. */
  markers?: Readonly<Record<string, number>>;
}

/** How a marker kind is drawn and named in the legend. */
export interface BoxMarkerStyle {
  /** Legend label (math syntax). */
  label: string;
  /** Fill colour. */
  color: string;
  /** Marker shape. */
  shape: MarkerShape;
}

/**
 * The HOPE global-explanation markers: the local coefficient at the
 * reference point (red), the mean over expansion points (blue) and the
 * combined local/global value (black).
 */
export const HOPE_MARKERS: Readonly<Record<string, BoxMarkerStyle>> = {
  local: { label: "local", color: "#d62728", shape: "circle" },
  mean: { label: "mean", color: "#1f77b4", shape: "diamond" },
  combined: { label: "combined", color: "#111111", shape: "star" },
};

/** Options of `boxPlot`. */
export interface BoxPlotOptions {
  /** Title above the plot (math syntax). @default "" (none) */
  title?: string;
  /** Title under the category labels (math syntax). @default "" (none) */
  xLabel?: string;
  /** y axis title (math syntax). @default "" (none) */
  yLabel?: string;
  /** y axis range. @default a nice range around boxes, outliers and markers */
  yDomain?: readonly [number, number];
  /** Marker kinds, keyed as in `BoxGroup.markers`, in legend order. @default HOPE_MARKERS */
  markerStyles?: Readonly<Record<string, BoxMarkerStyle>>;
  /** Marker kind whose value is printed above each box, or "" for none. @default "combined" */
  valueLabel?: string;
  /** d3-format specifier of the value labels. @default ".2f" */
  valueFormat?: string;
  /** Whisker reach in interquartile ranges (Tukey); points beyond are outliers. @default 1.5 */
  whisker?: number;
  /** Dashed line at y = 0 when 0 is inside the y range. @default true */
  zeroLine?: boolean;
  /** Figure width in px. @default max(360, 90 + 52 per group, what the title and the legend need) */
  width?: number;
  /** Figure height in px. @default 340 */
  height?: number;
}

/** Quartiles, whisker ends and outliers of a sample (quantiles as NumPy's default, R-7). */
interface BoxStats {
  q1: number;
  median: number;
  q3: number;
  lo: number;
  hi: number;
  outliers: number[];
}

function boxStats(values: ArrayLike<number>, whisker: number): BoxStats | null {
  const sorted = Array.from(values).filter(Number.isFinite).sort((a, b) =>
    a - b
  );
  if (sorted.length === 0) return null;
  const q = (p: number) => d3array.quantileSorted(sorted, p) as number;
  const q1 = q(0.25);
  const q3 = q(0.75);
  const reach = whisker * (q3 - q1);
  const inner = sorted.filter((v) => v >= q1 - reach && v <= q3 + reach);
  return {
    q1,
    median: q(0.5),
    q3,
    lo: inner[0],
    hi: inner[inner.length - 1],
    outliers: sorted.filter((v) => v < q1 - reach || v > q3 + reach),
  };
}

/**
 * Draws one box per category (quartiles, median, whiskers, outliers) with
 * marker values overlaid side by side inside the box, a legend of the marker
 * kinds, and the value of one marker kind printed in bold above each box
 * (its legend entry says so: "combined (value in bold)").
 *
 * @param groups the categories, left to right
 * @param options title, axis labels, marker styles, value labels, size
 * @returns the SVG document as a string
 * @throws {Error} `Cannot draw box plot "<title>": …` when no group is given
 * or a group names a marker kind missing from `markerStyles`.
 *
 * @example
 * ```ts
 * import { boxPlot } from "./box_plot.ts";
 *
 * const svg = boxPlot([
 *   { label: "x_2", values: [0.48, 0.5, 0.51, 0.45],
 *     markers: { local: 0.51, mean: 0.485, combined: 0.5 } },
 *   { label: "x_1^2", values: [0.5, 0.53, 0.55, 0.52],
 *     markers: { local: 0.55, mean: 0.525, combined: 0.53 } },
 * ], { title: "Global explanation", yLabel: "coefficient" });
 * if (!svg.includes("0.53") || !svg.includes("combined")) {
 *   throw new Error("expected value labels and a legend");
 * }
 * ```
 */
export function boxPlot(
  groups: readonly BoxGroup[],
  options: BoxPlotOptions = {},
): string {
  const {
    title = "",
    xLabel = "",
    yLabel = "",
    markerStyles = HOPE_MARKERS,
    valueLabel = "combined",
    valueFormat = ".2f",
    whisker = 1.5,
    zeroLine = true,
    height = 340,
  } = options;
  const fail = (why: string) =>
    new Error(`Cannot draw box plot "${title}": ${why}`);
  if (groups.length === 0) throw fail("no groups given");
  for (const g of groups) {
    for (const key of Object.keys(g.markers ?? {})) {
      if (!(key in markerStyles)) {
        throw fail(
          `group "${g.label}" has marker "${key}", which is not in markerStyles (${
            Object.keys(markerStyles).join(", ")
          })`,
        );
      }
    }
  }
  const stats = groups.map((g) => boxStats(g.values, whisker));
  const extentValues: number[] = [];
  stats.forEach((s, k) => {
    if (s) extentValues.push(s.lo, s.hi, ...s.outliers);
    extentValues.push(...Object.values(groups[k].markers ?? {}));
  });
  const labelled = groups.some((g) =>
    Number.isFinite(g.markers?.[valueLabel] ?? NaN)
  );
  if (labelled && !options.yDomain && extentValues.length > 0) {
    // Head room for the value labels: about 18 px of a typical frame
    // (height less 120 px of title, legend and category labels).
    const lo = Math.min(...extentValues);
    const hi = Math.max(...extentValues);
    extentValues.push(hi + (hi - lo) * 18 / Math.max(60, height - 120));
  }
  const yDomain = axisDomain("linear", extentValues, options.yDomain);
  const yTicks = axisTicks("linear", yDomain);
  const used = Object.keys(markerStyles).filter((key) =>
    groups.some((g) => g.markers && key in g.markers)
  );
  // The printed numbers are explained where the marker kinds are named.
  const entries: LegendEntry[] = used.map((key) => ({
    label: key === valueLabel && labelled
      ? `${markerStyles[key].label} (value in bold)`
      : markerStyles[key].label,
    color: markerStyles[key].color,
    line: false,
    marker: markerPath(markerStyles[key].shape, 8),
  }));

  const yLabelOffset = tickLabelWidth(yTicks) + 4.5 + 3 + 10;
  const left = yLabelOffset + (yLabel ? 14 : 0) + 4;
  // Wide enough for the boxes, and for the title (bold, about a tenth
  // wider than the estimate) and the legend row centred over the frame.
  const width = options.width ?? Math.ceil(Math.max(
    360,
    90 + 52 * groups.length,
    left + 24 + mathLabelWidth(title, FONT_SIZE.title) * 1.1,
    left + 24 + legendRowWidth(entries),
  ));
  const top = (title ? 34 : 12) + (entries.length > 0 ? 22 : 0);
  const frameWidth = width - left - 16;
  const x = d3scale.scaleBand<number>()
    .domain(groups.map((_, k) => k))
    .range([left, left + frameWidth])
    .paddingInner(0.35)
    .paddingOuter(0.3);
  const band = x.bandwidth();
  const centres = groups.map((_, k) => (x(k) ?? 0) + band / 2);
  const labels = groups.map((g) => g.label);
  const extent = categoryLabels(labels, centres, x.step(), "bottom", 0).extent;
  const bottom = extent + (xLabel ? 22 : 0) + 8;
  const frame: Frame = {
    left,
    top,
    width: frameWidth,
    height: height - top - bottom,
  };
  const y = d3scale.scaleLinear().domain(yDomain).range([
    frame.top + frame.height,
    frame.top,
  ]);

  const body: string[] = [];
  if (title) body.push(drawTitle(title, frame.left + frame.width / 2, 22));
  if (entries.length > 0) {
    body.push(
      drawLegendRow(entries, frame.left + frame.width / 2, frame.top - 13),
    );
  }
  body.push(
    ...drawAxis("left", yTicks, y, frame, {
      label: yLabel,
      grid: true,
      labelOffset: yLabelOffset,
    }),
  );
  if (zeroLine && yDomain[0] < 0 && yDomain[1] > 0) {
    body.push(
      `<path class="zero" d="M${num(frame.left)},${num(y(0))}H${
        num(frame.left + frame.width)
      }" stroke="#888888" stroke-width="0.8" stroke-dasharray="4 3"/>`,
    );
  }
  const bottomY = frame.top + frame.height;
  body.push(
    ...categoryLabels(labels, centres, x.step(), "bottom", bottomY).svg,
  );
  if (xLabel) {
    body.push(
      mathText(xLabel, frame.left + frame.width / 2, bottomY + extent + 16, {
        size: FONT_SIZE.label,
        anchor: "middle",
      }),
    );
  }
  const fmt = d3format.format(valueFormat);
  const outlierD = markerPath("circle", 4);
  groups.forEach((g, k) => {
    const s = stats[k];
    const cx = centres[k];
    const x0 = cx - band / 2;
    let parts = "";
    let top = Infinity;
    if (s) {
      parts += `<path class="whisker" d="M${num(cx)},${num(y(s.lo))}V${
        num(y(s.q1))
      }M${num(cx)},${num(y(s.q3))}V${num(y(s.hi))}M${num(cx - band / 4)},${
        num(y(s.lo))
      }h${num(band / 2)}M${num(cx - band / 4)},${num(y(s.hi))}h${
        num(band / 2)
      }" stroke="${INK}" stroke-width="1" fill="none"/>`;
      parts += `<rect class="box"${
        attrs({
          x: x0,
          y: y(s.q3),
          width: band,
          height: Math.max(0.5, y(s.q1) - y(s.q3)),
          fill: "#e6e6e6",
          stroke: INK,
          "stroke-width": 1,
        })
      }/>`;
      parts += `<path class="median" d="M${num(x0)},${num(y(s.median))}h${
        num(band)
      }" stroke="${INK}" stroke-width="1.8"/>`;
      for (const v of s.outliers) {
        parts += `<path class="outlier" d="${outlierD}" transform="translate(${
          num(cx)
        } ${num(y(v))})" fill="none" stroke="#666666" stroke-width="0.8"/>`;
      }
      top = Math.min(top, y(s.hi), ...s.outliers.map((v) => y(v)));
    }
    // Markers share the box width, side by side, so equal values stay visible.
    const present = used.filter((key) => g.markers && key in g.markers);
    present.forEach((key, m) => {
      const v = g.markers![key];
      const style = markerStyles[key];
      const mx = x0 + band * (m + 0.5) / present.length;
      parts +=
        `<path class="marker marker-${key}" d="${
          markerPath(style.shape, 8)
        }" transform="translate(${num(mx)} ${
          num(y(v))
        })" fill="${style.color}" ` +
        `stroke="#ffffff" stroke-width="0.6"><title>${style.label} ${
          fmt(v)
        }</title></path>`;
      top = Math.min(top, y(v) - 4);
    });
    const shown = g.markers?.[valueLabel];
    if (shown !== undefined && Number.isFinite(shown)) {
      parts += mathText(fmt(shown), cx, Math.max(frame.top + 10, top - 5), {
        size: FONT_SIZE.value,
        anchor: "middle",
        weight: "bold",
        fill: markerStyles[valueLabel]?.color ?? INK,
        className: "value",
      });
    }
    body.push(`<g class="group">${parts}</g>`);
  });
  body.push(drawFrame(frame));
  return svgDocument(width, height, mathToUnicode(title) || "Box plot", body);
}
