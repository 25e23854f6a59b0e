/**
 * Colour maps (from d3-scale-chromatic), colour bars and categorical
 * palettes shared by the heat-map, region and bar figures.
 *
 * @module
 */

import { d3chromatic, d3format } from "../deps.ts";
import { axisTicks, type Tick } from "./_axes.ts";
import { mathLabelWidth, mathText } from "./_math_label.ts";
import { FONT_SIZE, hex, INK, num } from "./_svg.ts";

/**
 * Colour map names: `diverging` (blue–white–red, symmetric about 0, for signed
 * maps such as derivatives), `greys` (white → black, for images), `viridis`
 * and `magma` (perceptually uniform sequential maps).
 */
export type ColormapName = "diverging" | "greys" | "viridis" | "magma";

/** Colour for values that are NaN or infinite. */
export const MISSING = "#bdbdbd";

function interpolator(name: ColormapName): (t: number) => string {
  switch (name) {
    // RdBu runs red → blue; reversed so positive values read as red (warm).
    case "diverging":
      return (t) => d3chromatic.interpolateRdBu(1 - t);
    case "greys":
      return d3chromatic.interpolateGreys;
    case "viridis":
      return d3chromatic.interpolateViridis;
    case "magma":
      return d3chromatic.interpolateMagma;
  }
}

/**
 * Default colour domain of the finite values in `arrays` for a map:
 * `[-m, m]` with `m = max |v|` for the diverging map (so 0 is white), else
 * `[min, max]`. Degenerate domains are widened so every value maps to a
 * colour.
 */
export function colorDomain(
  name: ColormapName,
  arrays: readonly ArrayLike<number>[],
): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) return name === "diverging" ? [-1, 1] : [0, 1];
  if (name === "diverging") {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    return m === 0 ? [-1, 1] : [-m, m];
  }
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

/**
 * A function from a value to `#rrggbb` along colour map `name` over `domain`
 * (values outside are clamped; non-finite values get `MISSING`).
 */
export function colorScale(
  name: ColormapName,
  domain: readonly [number, number],
): (v: number) => string {
  const f = interpolator(name);
  const [lo, hi] = domain;
  const span = hi - lo;
  return (v) => {
    if (!Number.isFinite(v)) return MISSING;
    const t = span === 0 ? 0.5 : Math.min(1, Math.max(0, (v - lo) / span));
    return hex(f(t));
  };
}

/**
 * The power of ten factored out of a horizontal colour bar's labels, or 0
 * when its values read well as they are (0.01 ≤ max |v| < 10⁴).
 */
export function colorbarExponent(domain: readonly [number, number]): number {
  const m = Math.max(Math.abs(domain[0]), Math.abs(domain[1]));
  return m === 0 || (m >= 0.01 && m < 1e4) ? 0 : Math.floor(Math.log10(m));
}

/**
 * Ticks of a horizontal colour bar under a narrow map, where round ticks
 * often leave a single label: the two ends, and the middle when all three
 * labels fit in `length` px; values are in units of `10^exponent`.
 */
function endTicks(
  lo: number,
  hi: number,
  length: number,
  exponent: number,
): Tick[] {
  const short = d3format.format(".2~g");
  const tick = (v: number) => ({
    value: v,
    label: short(v / 10 ** exponent),
    major: true,
  });
  const three = [tick(lo), tick((lo + hi) / 2), tick(hi)];
  const width = three.reduce(
    (w, t) => w + mathLabelWidth(t.label, FONT_SIZE.tick) + 8,
    0,
  );
  return width <= length ? three : [three[0], three[2]];
}

/** Number of strips that draw a colour bar's gradient. */
const STRIPS = 64;

/** Options of `drawColorbar`. */
export interface ColorbarOptions {
  /** Bar title (math syntax). */
  label?: string;
  /** Tick labels to use instead of numeric ticks of the domain. */
  ticks?: readonly Tick[];
}

/**
 * A colour bar as `STRIPS` abutting rects (no gradient element, so no ids
 * and the same look in every renderer), with ticks on its far side.
 * Vertical bars grow upwards; horizontal bars grow to the right.
 */
export function drawColorbar(
  name: ColormapName,
  domain: readonly [number, number],
  box: { x: number; y: number; length: number; thickness: number },
  orient: "vertical" | "horizontal",
  options: ColorbarOptions = {},
): string[] {
  const color = colorScale(name, domain);
  const [lo, hi] = domain;
  const step = box.length / STRIPS;
  let strips = "";
  for (let k = 0; k < STRIPS; k++) {
    const c = color(lo + (hi - lo) * (k + 0.5) / STRIPS);
    // Each strip overlaps the next by 0.5 px to hide anti-aliasing seams.
    const extra = k < STRIPS - 1 ? 0.5 : 0;
    if (orient === "vertical") {
      const y = box.y + box.length - (k + 1) * step;
      strips += `<rect x="${num(box.x)}" y="${num(y - extra)}" width="${
        num(box.thickness)
      }" height="${num(step + extra)}" fill="${c}"/>`;
    } else {
      strips += `<rect x="${num(box.x + k * step)}" y="${num(box.y)}" width="${
        num(step + extra)
      }" height="${num(box.thickness)}" fill="${c}"/>`;
    }
  }
  const out = [`<g class="colorbar">`, `<g class="strips">${strips}</g>`];
  const w = orient === "vertical" ? box.thickness : box.length;
  const h = orient === "vertical" ? box.length : box.thickness;
  out.push(
    `<rect x="${num(box.x)}" y="${num(box.y)}" width="${num(w)}" height="${
      num(h)
    }" fill="none" stroke="${INK}" stroke-width="0.8"/>`,
  );
  const exponent = orient === "horizontal" && !options.ticks
    ? colorbarExponent(domain)
    : 0;
  const ticks = options.ticks ??
    (orient === "horizontal"
      ? endTicks(lo, hi, box.length, exponent)
      : axisTicks("linear", domain, 5)
        .filter((t) =>
          t.value >= Math.min(lo, hi) && t.value <= Math.max(lo, hi)
        ));
  let marks = "";
  for (const t of ticks) {
    const frac = hi === lo ? 0.5 : (t.value - lo) / (hi - lo);
    if (orient === "vertical") {
      const y = box.y + box.length * (1 - frac);
      const x = box.x + box.thickness;
      marks += `M${num(x)},${num(y)}h3`;
      out.push(
        mathText(t.label, x + 5, y, {
          size: FONT_SIZE.tick,
          baseline: "middle",
        }),
      );
    } else {
      const x = box.x + box.length * frac;
      const y = box.y + box.thickness;
      marks += `M${num(x)},${num(y)}v3`;
      // End labels align with the bar ends so they stay within the column.
      out.push(
        mathText(t.label, x, y + 4 + FONT_SIZE.tick * 0.8, {
          size: FONT_SIZE.tick,
          anchor: frac <= 0 ? "start" : frac >= 1 ? "end" : "middle",
        }),
      );
    }
  }
  if (exponent !== 0) {
    out.push(
      mathText(
        `×10^{${exponent < 0 ? "−" : ""}${Math.abs(exponent)}}`,
        box.x + box.length / 2,
        box.y + box.thickness + 4 + FONT_SIZE.tick * 2.1,
        { size: FONT_SIZE.tick, anchor: "middle" },
      ),
    );
  }
  if (marks !== "") {
    out.push(`<path d="${marks}" stroke="${INK}" stroke-width="0.8"/>`);
  }
  if (options.label) {
    if (orient === "vertical") {
      out.push(
        mathText(options.label, box.x + box.thickness / 2, box.y - 6, {
          size: FONT_SIZE.tick,
          anchor: "middle",
        }),
      );
    } else {
      out.push(
        mathText(options.label, box.x - 6, box.y + box.thickness / 2, {
          size: FONT_SIZE.tick,
          anchor: "end",
          baseline: "middle",
        }),
      );
    }
  }
  out.push(`</g>`);
  return out;
}

/**
 * `n` distinct categorical colours: Tableau 10 for up to ten categories,
 * else hues spaced by the golden angle on the sinebow (so neighbours in the
 * list differ strongly) and lightened for a calm map.
 */
export function categoricalColors(n: number): string[] {
  if (n <= 10) return d3chromatic.schemeTableau10.slice(0, n).map(hex);
  const golden = 0.6180339887498949;
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const c = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(
      d3chromatic.interpolateSinebow((k * golden) % 1),
    );
    const [r, g, b] = c ? [c[1], c[2], c[3]].map(Number) : [128, 128, 128];
    // Mix white in (alternately 45 % and 30 %) for a calmer map whose
    // neighbours in the sequence also differ in lightness.
    const w = k % 2 === 0 ? 0.45 : 0.3;
    const mix = (v: number) => Math.round(v + (255 - v) * w);
    out.push(hex(`rgb(${mix(r)}, ${mix(g)}, ${mix(b)})`));
  }
  return out;
}
