/**
 * Labels with a little TeX-like math, rendered into SVG `<text>` with
 * `<tspan>` sub- and superscripts, or converted to Unicode.
 *
 * Syntax: `x_1^2 x_2`, `x_{12}`, `10^{-3}`, `\sigma`, `\partial`. When a label
 * contains `$`, only the parts between dollars are math (so `file_name $x_1$`
 * keeps its underscore); otherwise the whole label is read as math. `\_`,
 * `\^`, `\$`, `\{` and `\}` are literal characters. Scripts do not nest:
 * inside `_{…}` or `^{…}`, `_` and `^` are plain text. Text that already uses
 * Unicode scripts (`x₁²`) passes through unchanged.
 *
 * Scripts are shifted with `dy` rather than `baseline-shift`, which Firefox
 * and some SVG rasterisers ignore.
 *
 * @module
 */

import { attrs, esc, num, textWidth } from "./_svg.ts";

/** A piece of a label at one script level: 0 base, 1 superscript, -1 subscript. */
export interface MathRun {
  text: string;
  script: 0 | 1 | -1;
}

const SYMBOLS: Record<string, string> = {
  alpha: "α",
  beta: "β",
  gamma: "γ",
  delta: "δ",
  epsilon: "ε",
  theta: "θ",
  lambda: "λ",
  mu: "μ",
  pi: "π",
  sigma: "σ",
  tau: "τ",
  phi: "φ",
  omega: "ω",
  Delta: "Δ",
  Sigma: "Σ",
  Omega: "Ω",
  partial: "∂",
  nabla: "∇",
  cdot: "·",
  times: "×",
  approx: "≈",
  le: "≤",
  ge: "≥",
  pm: "±",
  infty: "∞",
};

/** Scale of script text relative to the base font size. */
const SCRIPT_SCALE = 0.7;
/** Vertical shift of superscripts and subscripts, in units of the base size. */
const SUP_SHIFT = -0.38;
const SUB_SHIFT = 0.22;

function pushRun(runs: MathRun[], text: string, script: 0 | 1 | -1): void {
  if (text === "") return;
  const last = runs[runs.length - 1];
  if (last && last.script === script) last.text += text;
  else runs.push({ text, script });
}

/** Reads `\name` or `\c` at `i` (pointing at the backslash). */
function readCommand(s: string, i: number): { text: string; end: number } {
  const m = /^[A-Za-z]+/.exec(s.slice(i + 1));
  if (m) {
    const name = m[0];
    // As in TeX, one space after a command name only ends the name.
    const end = i + 1 + name.length;
    return {
      text: SYMBOLS[name] ?? name,
      end: s[end] === " " ? end + 1 : end,
    };
  }
  return { text: s[i + 1] ?? "\\", end: i + 2 };
}

/** Reads one script argument at `i`: a `{group}`, a command or one char. */
function readScript(s: string, i: number): { text: string; end: number } {
  if (s[i] === "{") {
    let text = "";
    let j = i + 1;
    while (j < s.length && s[j] !== "}") {
      if (s[j] === "\\") {
        const c = readCommand(s, j);
        text += c.text;
        j = c.end;
      } else {
        text += s[j];
        j++;
      }
    }
    return { text, end: j + 1 };
  }
  if (s[i] === "\\") return readCommand(s, i);
  const ch = String.fromCodePoint(s.codePointAt(i) ?? 0);
  return { text: i < s.length ? ch : "", end: i + ch.length };
}

function parseMath(s: string, runs: MathRun[]): void {
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === "_" || c === "^") {
      const arg = readScript(s, i + 1);
      pushRun(runs, arg.text, c === "^" ? 1 : -1);
      i = arg.end;
    } else if (c === "\\") {
      const cmd = readCommand(s, i);
      pushRun(runs, cmd.text, 0);
      i = cmd.end;
    } else if (c === "{" || c === "}") {
      i++;
    } else {
      pushRun(runs, c, 0);
      i++;
    }
  }
}

/** Splits a label into runs of base text, superscripts and subscripts. */
export function parseMathLabel(label: string): MathRun[] {
  const runs: MathRun[] = [];
  if (!label.replace(/\\\$/g, "").includes("$")) {
    parseMath(label, runs);
    return runs;
  }
  let plain = "";
  let i = 0;
  while (i < label.length) {
    if (label[i] === "\\" && label[i + 1] === "$") {
      plain += "$";
      i += 2;
    } else if (label[i] === "$") {
      pushRun(runs, plain, 0);
      plain = "";
      let j = i + 1;
      while (j < label.length && !(label[j] === "$" && label[j - 1] !== "\\")) {
        j++;
      }
      parseMath(label.slice(i + 1, j), runs);
      i = j + 1;
    } else {
      plain += label[i];
      i++;
    }
  }
  pushRun(runs, plain, 0);
  return runs;
}

/** Estimated width in px of a label rendered at `fontSize`. */
export function mathLabelWidth(label: string, fontSize: number): number {
  let w = 0;
  for (const r of parseMathLabel(label)) {
    w += textWidth(r.text, r.script === 0 ? fontSize : fontSize * SCRIPT_SCALE);
  }
  return w;
}

/** Whether the label has any sub- or superscript (so it is taller). */
export function hasScripts(label: string): boolean {
  return parseMathLabel(label).some((r) => r.script !== 0);
}

/** Placement and style of one `<text>` element. */
export interface TextStyle {
  size: number;
  anchor?: "start" | "middle" | "end";
  weight?: "normal" | "bold";
  fill?: string;
  transform?: string;
  baseline?: "middle" | "hanging";
  /** CSS class, so tests and stylesheets can find the element. */
  className?: string;
}

/**
 * Renders a label as an SVG `<text>` at `(x, y)` (the baseline, or the
 * middle/top when `baseline` says so), with scripts as shifted `<tspan>`s.
 */
export function mathText(
  label: string,
  x: number,
  y: number,
  style: TextStyle,
): string {
  // Baselines are shifted by hand: `dominant-baseline` is not honoured by
  // every renderer (librsvg ignores "central"). 0.35 em centres digits and
  // lower-case text; 0.8 em puts the cap height at `y`.
  const shift = style.baseline === "middle"
    ? 0.35 * style.size
    : style.baseline === "hanging"
    ? 0.8 * style.size
    : 0;
  const a = attrs({
    class: style.className,
    x,
    y: y + shift,
    "font-size": style.size,
    "text-anchor": style.anchor === "start" ? undefined : style.anchor,
    "font-weight": style.weight === "bold" ? "bold" : undefined,
    fill: style.fill,
    transform: style.transform,
  });
  const runs = parseMathLabel(label);
  if (runs.every((r) => r.script === 0)) {
    return `<text${a}>${esc(runs.map((r) => r.text).join(""))}</text>`;
  }
  let offset = 0;
  let inner = "";
  for (const r of runs) {
    const target = r.script === 1
      ? SUP_SHIFT * style.size
      : r.script === -1
      ? SUB_SHIFT * style.size
      : 0;
    const dy = target - offset;
    offset = target;
    const size = r.script === 0 ? undefined : style.size * SCRIPT_SCALE;
    const ta = attrs({
      dy: dy === 0 ? undefined : num(dy),
      "font-size": size === undefined ? undefined : num(size),
    });
    inner += ta === "" ? esc(r.text) : `<tspan${ta}>${esc(r.text)}</tspan>`;
  }
  // librsvg drops spaces at the start of a shifted tspan (even no-break
  // ones) unless whitespace is preserved, turning "x^2 + y" into "x²+ y".
  return `<text${a} xml:space="preserve">${inner}</text>`;
}

const SUP: Record<string, string> = {
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
  "+": "⁺",
  "-": "⁻",
  "−": "⁻",
  "=": "⁼",
  "(": "⁽",
  ")": "⁾",
  n: "ⁿ",
  i: "ⁱ",
};
const SUB: Record<string, string> = {
  "0": "₀",
  "1": "₁",
  "2": "₂",
  "3": "₃",
  "4": "₄",
  "5": "₅",
  "6": "₆",
  "7": "₇",
  "8": "₈",
  "9": "₉",
  "+": "₊",
  "-": "₋",
  "−": "₋",
  "=": "₌",
  "(": "₍",
  ")": "₎",
  a: "ₐ",
  e: "ₑ",
  o: "ₒ",
  x: "ₓ",
  h: "ₕ",
  k: "ₖ",
  l: "ₗ",
  m: "ₘ",
  n: "ₙ",
  p: "ₚ",
  s: "ₛ",
  t: "ₜ",
  i: "ᵢ",
  j: "ⱼ",
};

/**
 * Converts a label to plain Unicode text (`x_1^2` → `x₁²`), for places that
 * cannot hold markup such as `<title>` or HTML table cells. A script with a
 * character that has no Unicode form is kept as `_{…}` / `^{…}`.
 */
export function mathToUnicode(label: string): string {
  let out = "";
  for (const r of parseMathLabel(label)) {
    if (r.script === 0) {
      out += r.text;
      continue;
    }
    const table = r.script === 1 ? SUP : SUB;
    const chars = [...r.text];
    out += chars.every((c) => c in table)
      ? chars.map((c) => table[c]).join("")
      : `${r.script === 1 ? "^" : "_"}{${r.text}}`;
  }
  return out;
}
