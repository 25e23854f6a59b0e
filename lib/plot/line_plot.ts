/**
 * Line plots: several series with a legend, linear or log axes.
 *
 * @module
 */

import { d3chromatic, d3format, d3shape } from "../deps.ts";
import {
  axisDomain,
  type AxisKind,
  axisTicks,
  drawAxis,
  drawFrame,
  drawTitle,
  type Frame,
  makeScale,
  type Scale,
  type Tick,
  tickLabelWidth,
} from "./_axes.ts";
import { drawLegend, type LegendEntry, legendSize } from "./_legend.ts";
import { MARKER_CYCLE, markerPath, type MarkerShape } from "./_marker.ts";
import { mathToUnicode } from "./_math_label.ts";
import { attrs, esc, FONT_SIZE, hex, ID, num, svgDocument } from "./_svg.ts";

export type { AxisKind } from "./_axes.ts";
export type { MarkerShape } from "./_marker.ts";

/** One series of a line plot. */
export interface LineSeries {
  /** Legend label (math syntax, e.g. `"order n = 2"` or `"x_1^2"`). */
  label: string;
  /** x values. */
  x: ArrayLike<number>;
  /** y values, as many as `x`; non-finite values (and ≤ 0 on a log axis) break the line. */
  y: ArrayLike<number>;
  /** Stroke colour. @default the next Tableau 10 colour */
  color?: string;
  /** `true` for the next dash pattern of the cycle, or an SVG dash array. @default options.dashed */
  dash?: boolean | string;
  /** Marker shape, or `"none"`. @default the next shape of the cycle when options.markers, else "none" */
  marker?: MarkerShape | "none";
}

/**
 * Where the legend goes: a corner inside the frame, right of it, nowhere, or
 * `auto` (the first free corner, else right of the frame).
 */
export type LegendPosition =
  | "auto"
  | "top-right"
  | "top-left"
  | "bottom-right"
  | "bottom-left"
  | "right"
  | "none";

/** Options of `linePlot`. */
export interface LinePlotOptions {
  /** Title above the plot (math syntax). @default "" (none) */
  title?: string;
  /** x axis title (math syntax). @default "" (none) */
  xLabel?: string;
  /** y axis title (math syntax). @default "" (none) */
  yLabel?: string;
  /** x axis kind. @default "linear" */
  xScale?: AxisKind;
  /** y axis kind. @default "linear" */
  yScale?: AxisKind;
  /** x axis range. @default a nice range around the data (whole decades on a log axis) */
  xDomain?: readonly [number, number];
  /** y axis range. @default a nice range around the data (whole decades on a log axis) */
  yDomain?: readonly [number, number];
  /** Ticks of the x axis at integers only, such as epochs or orders. @default false */
  integerX?: boolean;
  /** Give every series a marker, cycling through shapes. @default false */
  markers?: boolean;
  /** Dash every series after the first, cycling through patterns (reads in black and white). @default false */
  dashed?: boolean;
  /** At most this many markers per series, evenly spaced over its points. @default 25 */
  maxMarkers?: number;
  /** Legend placement. @default "auto" */
  legend?: LegendPosition;
  /** Light grid lines at major ticks. @default true */
  grid?: boolean;
  /** Figure width in px. @default 480 */
  width?: number;
  /** Figure height in px. @default 320 */
  height?: number;
}

/**
 * Drops points closer than `MIN_STEP` px to the last kept point of their
 * piece (the first and last point of each piece stay), so dense series
 * give compact paths; the drawn line moves by under `MIN_STEP` px.
 */
function thin(
  pts: readonly ([number, number] | null)[],
): ([number, number] | null)[] {
  const out: ([number, number] | null)[] = [];
  let last: [number, number] | null = null;
  pts.forEach((p, i) => {
    const endOfPiece = p !== null &&
      (i + 1 === pts.length || pts[i + 1] === null);
    if (
      p === null || last === null || endOfPiece ||
      Math.hypot(p[0] - last[0], p[1] - last[1]) >= MIN_STEP
    ) {
      out.push(p);
      last = p;
    }
  });
  return out;
}

/** The ticks at integers, labelled as integers (`2`, not `2.0`). */
function integerTicks(ticks: readonly Tick[]): Tick[] {
  const fmt = d3format.format("d");
  return ticks.filter((t) => Number.isInteger(t.value)).map((t) => ({
    ...t,
    label: t.major ? fmt(t.value) : "",
  }));
}

/** Smallest distance in px between consecutive drawn points of a line. */
const MIN_STEP = 0.25;

/** Dash patterns cycled by `dashed` / `dash: true`. */
const DASHES = ["", "6 3", "2 2.5", "8 3 2 3", "12 4", "4 2 1 2 1 2"];

/**
 * Draws series as lines on linear or logarithmic axes, with an optional
 * legend, markers and dash styles, as a standalone SVG document.
 *
 * Log axes show whole decades with labels `10^k` and unlabelled minor ticks.
 *
 * @param series the lines to draw, in legend order
 * @param options title, axis labels and kinds, domains, styles, size
 * @returns the SVG document as a string
 * @throws {Error} `Cannot draw line plot "<title>": …` when no series is
 * given, a series has different numbers of x and y values, or a log axis has
 * no positive values to show.
 *
 * @example
 * ```ts
 * import { linePlot } from "./line_plot.ts";
 *
 * const n = [1, 2, 3, 4, 5];
 * const svg = linePlot([
 *   { label: "HOPE", x: n, y: n.map((k) => 10 ** -k) },
 *   { label: "autograd", x: n, y: n.map((k) => 3 * 10 ** -k), dash: true },
 * ], { yScale: "log", xLabel: "order n", yLabel: "error", title: "Accuracy" });
 * if (!svg.startsWith("<svg") || !svg.includes("autograd")) {
 *   throw new Error("expected an SVG with a legend");
 * }
 * ```
 */
export function linePlot(
  series: readonly LineSeries[],
  options: LinePlotOptions = {},
): string {
  const {
    title = "",
    xLabel = "",
    yLabel = "",
    xScale = "linear",
    yScale = "linear",
    markers = false,
    dashed = false,
    maxMarkers = 25,
    legend = "auto",
    grid = true,
    width = 480,
    height = 320,
  } = options;
  const fail = (why: string) =>
    new Error(`Cannot draw line plot "${title}": ${why}`);
  if (series.length === 0) throw fail("no series given");
  for (const s of series) {
    if (s.x.length !== s.y.length) {
      throw fail(
        `series "${s.label}" has ${s.x.length} x values and ${s.y.length} y values`,
      );
    }
  }
  const all = (key: "x" | "y") => series.flatMap((s) => Array.from(s[key]));
  for (const [key, kind] of [["x", xScale], ["y", yScale]] as const) {
    const explicit = key === "x" ? options.xDomain : options.yDomain;
    if (kind === "log" && !explicit && !all(key).some((v) => v > 0)) {
      throw fail(
        `the log ${key} axis needs positive values, the series have none`,
      );
    }
  }
  const xDomain = axisDomain(xScale, all("x"), options.xDomain);
  const yDomain = axisDomain(yScale, all("y"), options.yDomain);
  const xTicks = options.integerX
    ? integerTicks(axisTicks(xScale, xDomain))
    : axisTicks(xScale, xDomain);
  const yTicks = axisTicks(yScale, yDomain);

  const palette = d3chromatic.schemeTableau10.map(hex);
  const styled = series.map((s, k) => {
    const dash = typeof s.dash === "string"
      ? s.dash
      : (s.dash ?? dashed)
      ? DASHES[k % DASHES.length]
      : "";
    const shape = s.marker ??
      (markers ? MARKER_CYCLE[k % MARKER_CYCLE.length] : "none");
    return {
      ...s,
      color: s.color ?? palette[k % palette.length],
      dash: dash === "" ? undefined : dash,
      markerD: shape === "none" ? undefined : markerPath(shape, 6.5),
    };
  });
  const entries: LegendEntry[] = styled.map((s) => ({
    label: s.label,
    color: s.color,
    dash: s.dash,
    marker: s.markerD,
  }));
  const showLegend = legend !== "none";
  const leg = legendSize(entries);

  const yTickW = tickLabelWidth(yTicks);
  const yLabelOffset = yTickW + 4.5 + 3 + 10;
  const layout = (outside: boolean) => {
    const margin = {
      left: yLabelOffset + (yLabel ? 14 : 0) + 4,
      right: showLegend && outside ? leg.width + 22 : 18,
      top: title ? 34 : 14,
      bottom: 4.5 + 3 + FONT_SIZE.tick * 1.4 + (xLabel ? 22 : 0) + 8,
    };
    const frame: Frame = {
      left: margin.left,
      top: margin.top,
      width: width - margin.left - margin.right,
      height: height - margin.top - margin.bottom,
    };
    const x = makeScale(xScale, xDomain, [
      frame.left,
      frame.left + frame.width,
    ]);
    const y = makeScale(yScale, yDomain, [frame.top + frame.height, frame.top]);
    return { frame, x, y };
  };
  const visible = (v: number, kind: AxisKind) =>
    Number.isFinite(v) && (kind === "linear" || v > 0);
  const legendBox = (pos: LegendPosition, frame: Frame) => {
    const pad = 8;
    return {
      x: pos === "right"
        ? frame.left + frame.width + 12
        : pos.endsWith("left")
        ? frame.left + pad
        : frame.left + frame.width - pad - leg.width,
      y: pos.startsWith("bottom")
        ? frame.top + frame.height - pad - leg.height
        : frame.top + (pos === "right" ? 0 : pad),
    };
  };
  /** Each series in px (`null` where a value cannot be shown). */
  const project = (sx: Scale, sy: Scale) =>
    series.map((s) =>
      Array.from(s.x, (xv, i): [number, number] | null => {
        const yv = s.y[i];
        return visible(xv, xScale) && visible(yv, yScale)
          ? [sx(xv), sy(yv)]
          : null;
      })
    );
  let position: LegendPosition = legend;
  let { frame, x, y } = layout(legend === "right");
  if (legend === "auto") {
    // The inside corner covering the fewest points of the lines (vertices
    // and 8 samples per segment); outside on the right if every corner
    // covers some.
    const corners: LegendPosition[] = [
      "top-right",
      "top-left",
      "bottom-right",
      "bottom-left",
    ];
    const boxes = corners.map((pos) => legendBox(pos, frame));
    const covered = corners.map(() => 0);
    for (const pts of project(x, y)) {
      pts.forEach((p0, i) => {
        if (!p0) return;
        const p1 = pts[i + 1];
        for (let t = 0; t < (p1 ? 8 : 1); t++) {
          const px = p1 ? p0[0] + (p1[0] - p0[0]) * t / 8 : p0[0];
          const py = p1 ? p0[1] + (p1[1] - p0[1]) * t / 8 : p0[1];
          boxes.forEach((b, k) => {
            if (
              px >= b.x - 4 && px <= b.x + leg.width + 4 &&
              py >= b.y - 4 && py <= b.y + leg.height + 4
            ) covered[k]++;
          });
        }
      });
    }
    const best = covered.indexOf(Math.min(...covered));
    if (covered[best] === 0) position = corners[best];
    else {
      position = "right";
      ({ frame, x, y } = layout(true));
    }
  }

  const body: string[] = [];
  if (title) body.push(drawTitle(title, frame.left + frame.width / 2, 22));
  body.push(
    ...drawAxis("bottom", xTicks, x, frame, {
      label: xLabel,
      grid,
      labelOffset: 4.5 + 3 + FONT_SIZE.tick * 1.4 + 16,
    }),
    ...drawAxis("left", yTicks, y, frame, {
      label: yLabel,
      grid,
      labelOffset: yLabelOffset,
    }),
  );
  body.push(
    `<clipPath id="${ID}-clip"><rect x="${num(frame.left)}" y="${
      num(frame.top)
    }" width="${num(frame.width)}" height="${num(frame.height)}"/></clipPath>`,
  );
  const inside = (v: number, d: readonly [number, number]) =>
    v >= Math.min(d[0], d[1]) && v <= Math.max(d[0], d[1]);
  const projected = project(x, y);
  styled.forEach((s, k) => {
    const pts = projected[k];
    const line = d3shape.line<[number, number] | null>()
      .defined((p) => p !== null)
      .x((p) => p![0])
      .y((p) => p![1])
      .digits(2);
    body.push(
      `<path class="series"${
        attrs({
          d: line(thin(pts)) ?? "",
          fill: "none",
          stroke: s.color,
          "stroke-width": 1.8,
          "stroke-linejoin": "round",
          "stroke-linecap": "round",
          "stroke-dasharray": s.dash,
          "clip-path": `url(#${ID}-clip)`,
        })
      }><title>${esc(mathToUnicode(s.label))}</title></path>`,
    );
    if (s.markerD) {
      const idx = pts.map((_, i) => i).filter((i) =>
        pts[i] !== null && inside(s.x[i], xDomain) && inside(s.y[i], yDomain)
      );
      const stride = Math.max(1, Math.ceil(idx.length / maxMarkers));
      let marks = "";
      for (let m = 0; m < idx.length; m += stride) {
        const [px, py] = pts[idx[m]]!;
        marks += `<path d="${s.markerD}" transform="translate(${num(px)} ${
          num(py)
        })"/>`;
      }
      body.push(
        `<g class="markers" fill="${s.color}" stroke="#ffffff" stroke-width="0.6">${marks}</g>`,
      );
    }
  });
  body.push(drawFrame(frame));
  if (showLegend) {
    const b = legendBox(position, frame);
    body.push(drawLegend(entries, b.x, b.y));
  }
  return svgDocument(width, height, mathToUnicode(title) || "Line plot", body);
}
