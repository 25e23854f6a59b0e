/**
 * Legends: a boxed column, or an unboxed row, of entries, each a small
 * sample (line and/or marker) followed by its label.
 *
 * @module
 */

import { mathLabelWidth, mathText } from "./_math_label.ts";
import { attrs, FONT_SIZE, INK, num } from "./_svg.ts";

/** One legend entry: how its sample is drawn, and its label (math syntax). */
export interface LegendEntry {
  label: string;
  color: string;
  /** Stroke dash pattern of a line sample. */
  dash?: string;
  /** Draw a line sample. @default true */
  line?: boolean;
  /** Marker path centred at (0, 0), drawn on top of the sample. */
  marker?: string;
  /** Draw the marker hollow (stroked, white fill). */
  hollow?: boolean;
}

const ROW = 17;
const SAMPLE = 24;
const PAD = 6;
const GAP = 16;

/** Sample and label of one entry, the sample starting at `x`, centred on `cy`. */
function entrySvg(e: LegendEntry, x: number, cy: number): string {
  let out = "";
  if (e.line !== false) {
    out += `<path d="M${num(x)},${num(cy)}h${SAMPLE}"${
      attrs({
        stroke: e.color,
        "stroke-width": 1.8,
        "stroke-dasharray": e.dash,
        fill: "none",
      })
    }/>`;
  }
  if (e.marker) {
    out += `<path d="${e.marker}" transform="translate(${num(x + SAMPLE / 2)} ${
      num(cy)
    })"${
      attrs(
        e.hollow
          ? { fill: "#ffffff", stroke: e.color, "stroke-width": 1.2 }
          : { fill: e.color },
      )
    }/>`;
  }
  return out + mathText(e.label, x + SAMPLE + 6, cy, {
    size: FONT_SIZE.legend,
    baseline: "middle",
    fill: INK,
  });
}

/** Size in px of the boxed legend for `entries`. */
export function legendSize(
  entries: readonly LegendEntry[],
): { width: number; height: number } {
  let w = 0;
  for (const e of entries) {
    w = Math.max(w, mathLabelWidth(e.label, FONT_SIZE.legend));
  }
  return {
    width: PAD * 2 + SAMPLE + 6 + w,
    height: PAD * 2 + ROW * entries.length - 3,
  };
}

/** The boxed legend with its top-left corner at `(x, y)`. */
export function drawLegend(
  entries: readonly LegendEntry[],
  x: number,
  y: number,
): string {
  const { width, height } = legendSize(entries);
  let out = `<g class="legend">` +
    `<rect x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${
      num(height)
    }" fill="#ffffff" fill-opacity="0.85" stroke="#bbbbbb" stroke-width="0.8"/>`;
  entries.forEach((e, k) => {
    out += entrySvg(e, x + PAD, y + PAD + ROW * k + (ROW - 3) / 2);
  });
  return out + `</g>`;
}

/** Width in px of a row legend (`drawLegendRow`). */
export function legendRowWidth(entries: readonly LegendEntry[]): number {
  let w = 0;
  for (const e of entries) {
    w += SAMPLE + 6 + mathLabelWidth(e.label, FONT_SIZE.legend) + GAP;
  }
  return Math.max(0, w - GAP);
}

/** A legend as one unboxed row of entries centred on `(centreX, cy)`. */
export function drawLegendRow(
  entries: readonly LegendEntry[],
  centreX: number,
  cy: number,
): string {
  let x = centreX - legendRowWidth(entries) / 2;
  let out = `<g class="legend">`;
  for (const e of entries) {
    out += entrySvg(e, x, cy);
    x += SAMPLE + 6 + mathLabelWidth(e.label, FONT_SIZE.legend) + GAP;
  }
  return out + `</g>`;
}
