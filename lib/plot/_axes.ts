/**
 * Axes for the figures: domains, ticks (from d3-scale) and their SVG, for
 * linear, logarithmic and categorical axes.
 *
 * @module
 */

import { d3format, d3scale } from "../deps.ts";
import { mathLabelWidth, mathText } from "./_math_label.ts";
import { FONT_SIZE, GRID, INK, num } from "./_svg.ts";

/** Kind of a numeric axis. */
export type AxisKind = "linear" | "log";

/** A continuous d3 scale (linear or log). */
export type Scale = d3scale.ScaleContinuousNumeric<number, number>;

/** One tick: its data value, label (math syntax) and whether it is major. */
export interface Tick {
  value: number;
  label: string;
  major: boolean;
}

/** The plotting area of a figure, in px. */
export interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Length of major and minor tick marks, px. */
const MAJOR = 4.5;
const MINOR = 2.5;
/** Gap between tick marks and their labels, px. */
const TICK_PAD = 3;

/**
 * A nice domain covering `values` (finite values only; positive only for a
 * log axis), or `explicit` as given. Degenerate extents are widened so the
 * scale stays invertible.
 */
export function axisDomain(
  kind: AxisKind,
  values: Iterable<number>,
  explicit?: readonly [number, number],
): [number, number] {
  if (explicit) return [explicit[0], explicit[1]];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (kind === "log" && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return kind === "log" ? [1, 10] : [0, 1];
  if (kind === "log") {
    const a = Math.floor(Math.log10(lo) + 1e-12);
    const b = Math.ceil(Math.log10(hi) - 1e-12);
    return [10 ** a, 10 ** Math.max(b, a + 1)];
  }
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) / 2;
    lo -= pad;
    hi += pad;
  }
  const d = d3scale.scaleLinear().domain([lo, hi]).nice(6).domain();
  return [d[0], d[1]];
}

/** A d3 linear or log scale from `domain` to `range`. */
export function makeScale(
  kind: AxisKind,
  domain: readonly [number, number],
  range: readonly [number, number],
): Scale {
  return kind === "log"
    ? d3scale.scaleLog().domain(domain).range(range)
    : d3scale.scaleLinear().domain(domain).range(range);
}

/**
 * Ticks for a numeric axis. Log axes label powers of ten as `10^{k}` with
 * unlabelled minor ticks between; a log domain under one decade falls back to
 * plain numbers.
 */
export function axisTicks(
  kind: AxisKind,
  domain: readonly [number, number],
  count = 6,
): Tick[] {
  if (kind === "linear") {
    const s = d3scale.scaleLinear().domain(domain);
    const fmt = s.tickFormat(count);
    return s.ticks(count).map((v) => ({
      value: v,
      label: fmt(v),
      major: true,
    }));
  }
  const s = d3scale.scaleLog().domain(domain);
  const all = s.ticks();
  const isPow = (v: number) =>
    Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
  const powers = all.filter(isPow);
  if (powers.length < 2) {
    const fmt = d3format.format("~g");
    return s.ticks(count).map((v) => ({
      value: v,
      label: fmt(v),
      major: true,
    }));
  }
  // Too many decades: label every `step`-th power, drop minor ticks.
  const step = Math.ceil(powers.length / 8);
  const ticks: Tick[] = [];
  for (const v of all) {
    const k = Math.round(Math.log10(v));
    if (isPow(v)) {
      if (k % step !== 0) continue;
      ticks.push({ value: v, label: `10^{${fmt10(k)}}`, major: true });
    } else if (step === 1) {
      ticks.push({ value: v, label: "", major: false });
    }
  }
  return ticks;
}

/** An exponent with a typographic minus sign. */
function fmt10(k: number): string {
  return k < 0 ? `−${-k}` : String(k);
}

/** Width in px of the widest tick label. */
export function tickLabelWidth(ticks: readonly Tick[]): number {
  let w = 0;
  for (const t of ticks) {
    w = Math.max(w, mathLabelWidth(t.label, FONT_SIZE.tick));
  }
  return w;
}

/** Options of `drawAxis`. */
export interface DrawAxisOptions {
  /** Axis title (math syntax). */
  label?: string;
  /** Light grid lines at the major ticks across the frame. */
  grid?: boolean;
  /** Distance from the frame edge to the axis title baseline, px. */
  labelOffset?: number;
}

/**
 * SVG for a bottom or left axis on `frame`: tick marks outward, tick labels,
 * optional grid lines and the axis title. `position` maps a tick value to
 * px along the axis.
 */
export function drawAxis(
  orient: "bottom" | "left",
  ticks: readonly Tick[],
  position: (v: number) => number,
  frame: Frame,
  options: DrawAxisOptions = {},
): string[] {
  const out: string[] = [`<g class="axis axis-${orient}">`];
  const bottom = frame.top + frame.height;
  const right = frame.left + frame.width;
  let marks = "";
  let grid = "";
  const labels: string[] = [];
  for (const t of ticks) {
    const p = position(t.value);
    const len = t.major ? MAJOR : MINOR;
    if (orient === "bottom") {
      marks += `M${num(p)},${num(bottom)}v${len}`;
      if (options.grid && t.major) {
        grid += `M${num(p)},${num(frame.top)}V${num(bottom)}`;
      }
      if (t.label !== "") {
        labels.push(
          mathText(t.label, p, bottom + len + TICK_PAD + FONT_SIZE.tick * 0.8, {
            size: FONT_SIZE.tick,
            anchor: "middle",
          }),
        );
      }
    } else {
      marks += `M${num(frame.left)},${num(p)}h${-len}`;
      if (options.grid && t.major) {
        grid += `M${num(frame.left)},${num(p)}H${num(right)}`;
      }
      if (t.label !== "") {
        labels.push(
          mathText(t.label, frame.left - len - TICK_PAD, p, {
            size: FONT_SIZE.tick,
            anchor: "end",
            baseline: "middle",
          }),
        );
      }
    }
  }
  if (grid !== "") {
    out.push(
      `<path class="grid" d="${grid}" stroke="${GRID}" stroke-width="0.8" fill="none"/>`,
    );
  }
  if (marks !== "") {
    out.push(
      `<path class="ticks" d="${marks}" stroke="${INK}" stroke-width="1" fill="none"/>`,
    );
  }
  out.push(...labels, `</g>`);
  if (options.label) {
    if (orient === "bottom") {
      const y = bottom + (options.labelOffset ?? 34);
      out.push(
        mathText(options.label, frame.left + frame.width / 2, y, {
          size: FONT_SIZE.label,
          anchor: "middle",
          className: "axis-title",
        }),
      );
    } else {
      const x = frame.left - (options.labelOffset ?? 40);
      const y = frame.top + frame.height / 2;
      out.push(
        mathText(options.label, x, y, {
          size: FONT_SIZE.label,
          anchor: "middle",
          transform: `rotate(-90 ${num(x)} ${num(y)})`,
          className: "axis-title",
        }),
      );
    }
  }
  return out;
}

/** The frame's outline, drawn last so it sits above the data. */
export function drawFrame(frame: Frame): string {
  return `<rect class="frame" x="${num(frame.left)}" y="${num(frame.top)}" ` +
    `width="${num(frame.width)}" height="${num(frame.height)}" fill="none" ` +
    `stroke="${INK}" stroke-width="1"/>`;
}

/** Title centred above the frame. */
export function drawTitle(title: string, centreX: number, y: number): string {
  return mathText(title, centreX, y, {
    size: FONT_SIZE.title,
    anchor: "middle",
    weight: "bold",
    className: "title",
  });
}

/**
 * Category labels under (or, for `"left"`, beside) a band axis. Labels that
 * do not fit their band are rotated by 45°. Returns the SVG and the extent
 * in px the labels need away from the axis.
 */
export function categoryLabels(
  labels: readonly string[],
  centres: readonly number[],
  band: number,
  orient: "bottom" | "left",
  at: number,
): { svg: string[]; extent: number } {
  const size = FONT_SIZE.tick + 0.5;
  const widths = labels.map((l) => mathLabelWidth(l, size));
  const widest = Math.max(0, ...widths);
  const svg: string[] = [`<g class="categories">`];
  if (orient === "left") {
    labels.forEach((l, k) => {
      svg.push(
        mathText(l, at - 6, centres[k], {
          size,
          anchor: "end",
          baseline: "middle",
        }),
      );
    });
    svg.push(`</g>`);
    return { svg, extent: widest + 6 };
  }
  const rotate = widest > band - 4;
  labels.forEach((l, k) => {
    const x = centres[k];
    const y = at + 8 + (rotate ? size * 0.5 : size * 0.8);
    svg.push(
      mathText(l, x, y, {
        size,
        anchor: rotate ? "end" : "middle",
        transform: rotate ? `rotate(-45 ${num(x)} ${num(y)})` : undefined,
      }),
    );
  });
  svg.push(`</g>`);
  return {
    svg,
    extent: rotate ? 8 + widest * Math.SQRT1_2 + size : 8 + size * 1.3,
  };
}
