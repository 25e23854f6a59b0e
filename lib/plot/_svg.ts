/**
 * Shared SVG text helpers for the figures: escaping, fixed number formatting,
 * fonts, text-width estimates, colour conversion and document assembly.
 *
 * Every figure is built as a string from d3 scales and path generators, with
 * no DOM: output is a pure function of the input, byte for byte.
 *
 * @module
 */

/** One font stack for every figure, so figures set side by side match. */
export const FONT_FAMILY = "DejaVu Sans, Helvetica, Arial, sans-serif";

/** Font sizes in px (user units) for the parts of a figure. */
export const FONT_SIZE = {
  title: 14,
  label: 12,
  tick: 10.5,
  legend: 11,
  value: 9.5,
} as const;

/** Stroke and text colour of frames and axes. */
export const INK = "#222222";
/** Colour of light grid lines. */
export const GRID = "#e3e3e3";

/** Escapes text for use in XML text nodes and double-quoted attributes. */
export function esc(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) =>
      c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;",
  );
}

/**
 * Formats a coordinate with at most `digits` decimals and no trailing zeros,
 * never `-0` or exponent notation, so snapshots do not depend on float noise
 * below 1/100 px.
 */
export function num(value: number, digits = 2): string {
  const s = value.toFixed(digits);
  const trimmed = s.includes(".") ? s.replace(/\.?0+$/, "") : s;
  return trimmed === "-0" ? "0" : trimmed;
}

/** Renders `name="value"` pairs; `undefined` values are left out. */
export function attrs(
  record: Record<string, string | number | undefined>,
): string {
  let out = "";
  for (const [k, v] of Object.entries(record)) {
    if (v === undefined) continue;
    out += ` ${k}="${typeof v === "number" ? num(v) : esc(v)}"`;
  }
  return out;
}

/** Approximate advance widths of DejaVu Sans in em, by character class. */
function charWidth(c: string): number {
  if (" .,:;'|!ijlI()[]1".includes(c)) return 0.32;
  if ("mwMW@%−×+=<>~".includes(c)) return 0.84;
  if (c >= "A" && c <= "Z") return 0.7;
  if (c >= "0" && c <= "9") return 0.64;
  return 0.6;
}

/**
 * Estimated rendered width of plain text in px. Layout only needs a
 * deterministic upper-ish bound (there is no DOM to measure with).
 */
export function textWidth(text: string, fontSize: number): number {
  let w = 0;
  for (const c of text) w += charWidth(c);
  return w * fontSize;
}

/**
 * Converts a CSS colour from d3 (`rgb(r, g, b)` or `#rgb`/`#rrggbb`) to
 * `#rrggbb`, the shortest stable form.
 */
export function hex(color: string): string {
  const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(color);
  if (m) {
    return "#" +
      [m[1], m[2], m[3]].map((v) => Number(v).toString(16).padStart(2, "0"))
        .join("");
  }
  if (/^#[0-9a-f]{3}$/i.test(color)) {
    return "#" + [...color.slice(1)].map((c) => c + c).join("").toLowerCase();
  }
  return color.toLowerCase();
}

/** 32-bit FNV-1a hash of a string, as 8 hex digits. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Placeholder for element ids; replaced by a content hash in `svgDocument`. */
export const ID = "__ID__";

/**
 * Wraps figure parts into a standalone SVG document with `width`, `height`,
 * `viewBox`, a `<title>`, the shared font and a white background.
 *
 * Ids (clip paths) are derived from a hash of the content, so they are
 * deterministic yet differ between figures inlined in one HTML page.
 */
export function svgDocument(
  width: number,
  height: number,
  title: string,
  body: string[],
): string {
  const w = num(width);
  const h = num(height);
  const doc = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" ` +
    `viewBox="0 0 ${w} ${h}" font-family="${FONT_FAMILY}" ` +
    `font-size="${FONT_SIZE.label}" fill="${INK}">`,
    `<title>${esc(title)}</title>`,
    `<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>`,
    ...body,
    `</svg>`,
    "",
  ].join("\n");
  return doc.includes(ID) ? doc.replaceAll(ID, `h${fnv1a(doc)}`) : doc;
}
