/**
 * Reading the figures back for structural checks: the SVG frame every
 * figure must have, axis positions, and path coordinates.
 *
 * @module
 */

import { assert, assertEquals } from "../_assert.ts";
import { byName, parseXml, textOf, type XmlElement } from "./_xml.ts";

/**
 * Parses a figure and checks what every figure promises: well-formed XML,
 * an `<svg>` root with the SVG namespace, numeric `width`/`height` matching
 * `viewBox`, the shared font family and a non-empty `<title>` first.
 */
export function parseSvg(svg: string): XmlElement {
  const root = parseXml(svg);
  assertEquals(root.name, "svg", "root element");
  assertEquals(root.attrs.xmlns, "http://www.w3.org/2000/svg", "namespace");
  const w = Number(root.attrs.width);
  const h = Number(root.attrs.height);
  assert(
    w > 0 && h > 0,
    `width/height ${root.attrs.width}/${root.attrs.height}`,
  );
  assertEquals(
    root.attrs.viewBox,
    `0 0 ${root.attrs.width} ${root.attrs.height}`,
  );
  assert(
    (root.attrs["font-family"] ?? "").startsWith("DejaVu Sans"),
    "shared font family",
  );
  const first = root.children.find((c) => typeof c !== "string");
  assert(
    typeof first !== "string" && first?.name === "title" &&
      textOf(first).trim() !== "",
    "a non-empty <title> comes first",
  );
  assert(!/NaN|undefined|Infinity/.test(svg), "no NaN/undefined/Infinity");
  return root;
}

/** Absolute coordinates of the `M`/`L` points of a path (`h`/`v`/`H`/`V` too). */
export function pathPoints(
  d: string,
): { points: [number, number][]; moves: number } {
  const points: [number, number][] = [];
  let moves = 0;
  let x = 0;
  let y = 0;
  for (const m of d.matchAll(/([MLHVhv])([^MLHVhvZz]*)/g)) {
    const nums = m[2].split(/[\s,]+/).filter((s) => s !== "").map(Number);
    switch (m[1]) {
      case "M":
      case "L":
        for (let k = 0; k < nums.length; k += 2) {
          [x, y] = [nums[k], nums[k + 1]];
          points.push([x, y]);
        }
        if (m[1] === "M") moves++;
        break;
      case "H":
        x = nums[0];
        points.push([x, y]);
        break;
      case "V":
        y = nums[0];
        points.push([x, y]);
        break;
      case "h":
        x += nums[0];
        points.push([x, y]);
        break;
      case "v":
        y += nums[0];
        points.push([x, y]);
        break;
    }
  }
  return { points, moves };
}

/** A tick of an axis: its label text (minus as "-") and px position. */
export interface ReadTick {
  label: string;
  pos: number;
}

/** The labelled ticks of the `g.axis-<orient>` group, in order. */
export function readTicks(
  root: XmlElement,
  orient: "bottom" | "left",
): ReadTick[] {
  const [axis] = byName(root, "g", `axis-${orient}`);
  assert(axis !== undefined, `an axis-${orient} group`);
  const [marks] = byName(axis, "path", "ticks");
  const labels = byName(axis, "text").map((t) => textOf(t).replace(/−/g, "-"));
  // Tick marks are "M x,y h-len" (left) or "M x,y v len" (bottom); only
  // major ticks are labelled, and they are the longer marks.
  const starts = [
    ...marks.attrs.d.matchAll(/M([-\d.]+),([-\d.]+)[hv](-?[\d.]+)/g),
  ]
    .map((m) => ({
      pos: Number(orient === "left" ? m[2] : m[1]),
      len: Math.abs(Number(m[3])),
    }));
  const major = Math.max(...starts.map((s) => s.len));
  const majors = starts.filter((s) => s.len === major);
  assertEquals(majors.length, labels.length, "one label per major tick");
  return labels.map((label, k) => ({ label, pos: majors[k].pos }));
}

/** The value → px map of a linear axis, fitted from its first and last ticks. */
export function linearAxis(
  root: XmlElement,
  orient: "bottom" | "left",
): (v: number) => number {
  const ticks = readTicks(root, orient);
  const a = ticks[0];
  const b = ticks[ticks.length - 1];
  const va = Number(a.label);
  const vb = Number(b.label);
  return (v) => a.pos + (v - va) * (b.pos - a.pos) / (vb - va);
}
