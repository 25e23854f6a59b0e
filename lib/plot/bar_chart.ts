/**
 * Bar charts of signed values, such as the top Taylor coefficients of an
 * expansion: horizontal or vertical bars from zero, coloured by sign, with
 * value labels.
 *
 * @module
 */

import { d3format, d3scale } from "../deps.ts";
import {
  axisTicks,
  categoryLabels,
  drawAxis,
  drawFrame,
  drawTitle,
  type Frame,
  tickLabelWidth,
} from "./_axes.ts";
import { mathLabelWidth, mathText, mathToUnicode } from "./_math_label.ts";
import {
  attrs,
  esc,
  FONT_SIZE,
  INK,
  num,
  svgDocument,
  textWidth,
} from "./_svg.ts";

/** One bar: its category label (math syntax) and signed value. */
export interface Bar {
  /** Category label (math syntax, e.g. `"x_1^2"`). */
  label: string;
  /** Signed value, the bar's length from zero. */
  value: number;
}

/** Options of `barChart`. */
export interface BarChartOptions {
  /** Title above the chart (math syntax). @default "" (none) */
  title?: string;
  /** Title of the value axis (math syntax). @default "" (none) */
  valueLabel?: string;
  /** Title of the category axis (math syntax). @default "" (none) */
  categoryLabel?: string;
  /** Bars grow along x (`"horizontal"`, categories listed top-down) or y. @default "horizontal" */
  orientation?: "horizontal" | "vertical";
  /** Order: by decreasing |value| (`"abs"`), decreasing value, or as given. @default "abs" */
  sort?: "abs" | "value" | "none";
  /** Keep only the first `top` bars after sorting. @default all */
  top?: number;
  /**
   * A range of values the value axis covers besides the bars, so that
   * several charts share one scale (pass the extent of all their values).
   * @default the range of the shown bars (and 0)
   */
  valueDomain?: readonly [number, number];
  /** Colour of bars with value ≥ 0. @default "#d6604d" */
  positiveColor?: string;
  /** Colour of bars with value < 0. @default "#4393c3" */
  negativeColor?: string;
  /** Print each value at the end of its bar. @default true */
  showValues?: boolean;
  /** d3-format specifier of the value labels. @default ".2f" */
  valueFormat?: string;
  /** Figure width in px. @default 440 (horizontal), max(360, 90 + 40 per bar) (vertical) */
  width?: number;
  /** Figure height in px. @default 60 + 22 per bar (horizontal), 320 (vertical) */
  height?: number;
}

/**
 * Draws signed values as bars from zero, coloured by sign, each labelled
 * with its value; by default the bars are sorted by decreasing |value|.
 *
 * @param bars the labelled values
 * @param options title, axis titles, orientation, sorting, colours, size
 * @returns the SVG document as a string
 * @throws {Error} `Cannot draw bar chart "<title>": …` when no bar is given
 * or a value (of a bar or of `valueDomain`) is not finite.
 *
 * @example
 * ```ts
 * import { barChart } from "./bar_chart.ts";
 *
 * const svg = barChart([
 *   { label: "x_2", value: 0.51 },
 *   { label: "x_1^2", value: 0.55 },
 *   { label: "x_1 x_2", value: -0.07 },
 * ], { title: "Top coefficients", top: 2 });
 * if (svg.includes("−0.07")) throw new Error("top: 2 should drop the smallest");
 * ```
 */
export function barChart(
  bars: readonly Bar[],
  options: BarChartOptions = {},
): string {
  const {
    title = "",
    valueLabel = "",
    categoryLabel = "",
    orientation = "horizontal",
    sort = "abs",
    top = Infinity,
    positiveColor = "#d6604d",
    negativeColor = "#4393c3",
    showValues = true,
    valueFormat = ".2f",
  } = options;
  const fail = (why: string) =>
    new Error(`Cannot draw bar chart "${title}": ${why}`);
  if (bars.length === 0) throw fail("no bars given");
  for (const b of bars) {
    if (!Number.isFinite(b.value)) {
      throw fail(`bar "${b.label}" has value ${b.value}, which is not finite`);
    }
  }
  if (options.valueDomain?.some((v) => !Number.isFinite(v))) {
    throw fail(
      `valueDomain [${
        options.valueDomain.join(", ")
      }] is not two finite numbers`,
    );
  }
  const order = [...bars];
  if (sort === "abs") {
    order.sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  } else if (sort === "value") order.sort((a, b) => b.value - a.value);
  const shown = order.slice(0, Math.max(1, top));
  const n = shown.length;
  const horizontal = orientation === "horizontal";
  const width = options.width ??
    (horizontal ? 440 : Math.max(360, 90 + 40 * n));
  const height = options.height ?? (horizontal ? 60 + 22 * n : 320);
  const fmt = d3format.format(valueFormat);
  const covered = [
    ...shown.map((b) => b.value),
    ...(options.valueDomain ?? []),
  ];
  // Room for the value labels; the labels of `valueDomain`'s ends count
  // too, so that charts sharing it get the same padding.
  const labelW = showValues
    ? Math.max(...covered.map((v) => textWidth(fmt(v), FONT_SIZE.value))) + 6
    : 0;
  const lo = Math.min(0, ...covered);
  const hi = Math.max(0, ...covered);
  const niceDomain = d3scale.scaleLinear().domain(
    lo === hi ? [0, 1] : [lo, hi],
  ).nice(5).domain() as [number, number];
  const ticks = axisTicks("linear", niceDomain, 5);
  const catLabels = shown.map((b) => b.label);

  const body: string[] = [];
  const titleSpace = title ? 34 : 12;
  let frame: Frame;
  let valueScale: d3scale.ScaleLinear<number, number>;
  let band: d3scale.ScaleBand<number>;
  // Margin for the value-axis tick labels (vertical bars only).
  const yLabelOffset = tickLabelWidth(ticks) + 4.5 + 3 + 10;
  if (horizontal) {
    const catW = Math.max(
      ...catLabels.map((l) => mathLabelWidth(l, FONT_SIZE.tick + 0.5)),
    );
    const left = 10 + (categoryLabel ? 20 : 0) + catW + 6;
    const bottom = 4.5 + 3 + FONT_SIZE.tick * 1.4 + (valueLabel ? 22 : 0) + 8;
    frame = {
      left,
      top: titleSpace,
      width: width - left - 16,
      height: height - titleSpace - bottom,
    };
    valueScale = paddedScale(niceDomain, {
      lo,
      hi,
      room: labelW,
      range: [frame.left, frame.left + frame.width],
      // A frame width that does not depend on the category labels, so
      // that charts sharing `valueDomain` get the same padded domain.
      px: options.valueDomain ? width * 0.6 : frame.width,
    });
    band = d3scale.scaleBand<number>().domain(shown.map((_, k) => k))
      .range([frame.top, frame.top + frame.height]).padding(0.25);
  } else {
    const left = yLabelOffset + (valueLabel ? 14 : 0) + 4;
    const frameWidth = width - left - 16;
    band = d3scale.scaleBand<number>().domain(shown.map((_, k) => k))
      .range([left, left + frameWidth]).padding(0.25);
    const centres = shown.map((_, k) => (band(k) ?? 0) + band.bandwidth() / 2);
    const extent = categoryLabels(catLabels, centres, band.step(), "bottom", 0)
      .extent;
    const bottom = extent + (categoryLabel ? 22 : 0) + 8;
    frame = {
      left,
      top: titleSpace,
      width: frameWidth,
      height: height - titleSpace - bottom,
    };
    valueScale = paddedScale(niceDomain, {
      lo,
      hi,
      room: FONT_SIZE.value + 4,
      range: [frame.top + frame.height, frame.top],
      px: options.valueDomain ? height * 0.6 : frame.height,
    });
  }
  const vTicks = axisTicks(
    "linear",
    valueScale.domain() as [number, number],
    5,
  );
  if (title) body.push(drawTitle(title, frame.left + frame.width / 2, 22));
  const centres = shown.map((_, k) => (band(k) ?? 0) + band.bandwidth() / 2);
  if (horizontal) {
    body.push(
      ...drawAxis("bottom", vTicks, valueScale, frame, {
        label: valueLabel,
        grid: true,
        labelOffset: 4.5 + 3 + FONT_SIZE.tick * 1.4 + 16,
      }),
      ...categoryLabels(catLabels, centres, band.step(), "left", frame.left)
        .svg,
    );
    if (categoryLabel) {
      const x = 10 + FONT_SIZE.label * 0.8;
      const y = frame.top + frame.height / 2;
      body.push(
        mathText(categoryLabel, x, y, {
          size: FONT_SIZE.label,
          anchor: "middle",
          transform: `rotate(-90 ${num(x)} ${num(y)})`,
        }),
      );
    }
  } else {
    body.push(
      ...drawAxis("left", vTicks, valueScale, frame, {
        label: valueLabel,
        grid: true,
        labelOffset: yLabelOffset,
      }),
    );
    const cats = categoryLabels(
      catLabels,
      centres,
      band.step(),
      "bottom",
      frame.top + frame.height,
    );
    body.push(...cats.svg);
    if (categoryLabel) {
      body.push(
        mathText(
          categoryLabel,
          frame.left + frame.width / 2,
          frame.top + frame.height + cats.extent + 16,
          { size: FONT_SIZE.label, anchor: "middle" },
        ),
      );
    }
  }
  const zero = valueScale(0);
  let rects = "";
  let values = "";
  shown.forEach((b, k) => {
    const v = valueScale(b.value);
    const start = band(k) ?? 0;
    const thick = band.bandwidth();
    const fill = b.value >= 0 ? positiveColor : negativeColor;
    const r = horizontal
      ? {
        x: Math.min(v, zero),
        y: start,
        width: Math.abs(v - zero),
        height: thick,
      }
      : {
        x: start,
        y: Math.min(v, zero),
        width: thick,
        height: Math.abs(v - zero),
      };
    rects += `<rect class="bar"${attrs({ ...r, fill })}><title>${
      esc(mathToUnicode(b.label))
    } ${fmt(b.value)}</title></rect>`;
    if (showValues) {
      const positive = b.value >= 0;
      values += horizontal
        ? mathText(fmt(b.value), v + (positive ? 4 : -4), centres[k], {
          size: FONT_SIZE.value,
          anchor: positive ? "start" : "end",
          baseline: "middle",
        })
        : mathText(
          fmt(b.value),
          centres[k],
          positive ? v - 4 : v + 4 + FONT_SIZE.value * 0.75,
          { size: FONT_SIZE.value, anchor: "middle" },
        );
    }
  });
  body.push(`<g class="bars">${rects}</g>`);
  body.push(
    horizontal
      ? `<path class="zero" d="M${num(zero)},${num(frame.top)}V${
        num(frame.top + frame.height)
      }" stroke="${INK}" stroke-width="0.8"/>`
      : `<path class="zero" d="M${num(frame.left)},${num(zero)}H${
        num(frame.left + frame.width)
      }" stroke="${INK}" stroke-width="0.8"/>`,
  );
  if (values !== "") body.push(`<g class="values">${values}</g>`);
  body.push(drawFrame(frame));
  return svgDocument(width, height, mathToUnicode(title) || "Bar chart", body);
}

/**
 * A linear scale over `domain` onto `range`, widened so that `room` px of
 * a frame `px` long fit beyond the longest positive bar (when `hi > 0`) and
 * the longest negative bar (when `lo < 0`), leaving space for the value
 * labels, then rounded to nice ends.
 */
function paddedScale(
  domain: readonly [number, number],
  where: {
    lo: number;
    hi: number;
    room: number;
    range: readonly [number, number];
    px: number;
  },
): d3scale.ScaleLinear<number, number> {
  const { lo, hi, room, range, px } = where;
  // Data units per px of the widened scale, over-estimated by assuming
  // both sides need `room`, so a label always fits.
  const perPx = (domain[1] - domain[0]) / Math.max(1, px - 2 * room);
  const needHi = hi > 0 ? Math.max(0, hi + room * perPx - domain[1]) : 0;
  const needLo = lo < 0 ? Math.max(0, domain[0] - (lo - room * perPx)) : 0;
  return d3scale.scaleLinear()
    .domain([domain[0] - needLo, domain[1] + needHi])
    .nice(5)
    .range(range);
}
