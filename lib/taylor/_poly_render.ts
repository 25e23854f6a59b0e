/**
 * Text and LaTeX rendering of polynomial terms (private to `lib/taylor/`),
 * used by `TaylorPolynomial.toString()` and `toLatex()`.
 *
 * @module
 */

/** One monomial `coefficient · Π_j (x_vars[j] − c)^exps[j]` to render. */
export interface RenderTerm {
  /** 0-based variables with a non-zero exponent, ascending. */
  readonly vars: readonly number[];
  /** Their exponents, all ≥ 1. */
  readonly exps: readonly number[];
  /** The Taylor coefficient. */
  readonly coefficient: number;
}

/** How to render; every field is already resolved by the caller. */
export interface RenderStyle {
  /** `"text"` gives `x_1^2`, `"latex"` gives `x_{1}^{2}`. */
  syntax: "text" | "latex";
  /** Decimals of every coefficient (`toFixed`). */
  digits: number;
  /** Name of the input variables, indexed from 1. */
  variable: string;
  /** Name of the output on the left of `=`. */
  output: string;
}

/**
 * Renders `output = c_1 m_1 ± c_2 m_2 ± …` in the given term order, skipping
 * exact zeros (a pruned or rounded-away term) and writing `"0"` when nothing
 * is left. Signs are pulled out of the coefficients (`- 0.02 x_1`, never
 * `+ -0.02 x_1`); a coefficient that rounds to zero keeps its sign, as the
 * paper prints `-0.00 x_1 x_2`.
 *
 * @param terms the terms, in the order to print them
 * @param center the expansion point; a coordinate `c ≠ 0` renders its
 *   variable as the shifted factor `(x_i - c)` or `(x_i + |c|)`
 * @param style syntax, digits and names
 * @returns the rendered equation
 * @example
 * ```ts
 * import { renderPolynomial } from "./_poly_render.ts";
 * const text = renderPolynomial(
 *   [
 *     { vars: [0], exps: [1], coefficient: 0.54 },
 *     { vars: [0], exps: [2], coefficient: -0.5 },
 *   ],
 *   [0.5],
 *   { syntax: "text", digits: 2, variable: "x", output: "y" },
 * );
 * if (text !== "y = 0.54 (x_1 - 0.5) - 0.50 (x_1 - 0.5)^2") throw new Error(text);
 * ```
 */
export function renderPolynomial(
  terms: readonly RenderTerm[],
  center: readonly number[],
  style: RenderStyle,
): string {
  const factors = center.map((c, i) => variableFactor(i, c, style));
  let body = "";
  for (const { vars, exps, coefficient } of terms) {
    if (coefficient === 0) continue;
    const magnitude = Math.abs(coefficient).toFixed(style.digits);
    const monomial: string[] = [];
    vars.forEach((i, j) => {
      const e = exps[j];
      if (e === 1) monomial.push(factors[i]);
      else if (style.syntax === "latex") monomial.push(`${factors[i]}^{${e}}`);
      else monomial.push(`${factors[i]}^${e}`);
    });
    const piece = monomial.length === 0
      ? magnitude
      : `${magnitude} ${monomial.join(" ")}`;
    const negative = coefficient < 0;
    if (body === "") body = negative ? `-${piece}` : piece;
    else body += negative ? ` - ${piece}` : ` + ${piece}`;
  }
  return `${style.output} = ${body === "" ? "0" : body}`;
}

/** `x_i`, or `(x_i - c)` / `(x_i + |c|)` when the center coordinate c ≠ 0. */
function variableFactor(i: number, c: number, style: RenderStyle): string {
  const name = style.syntax === "latex"
    ? `${style.variable}_{${i + 1}}`
    : `${style.variable}_${i + 1}`;
  if (c === 0) return name;
  return `(${name} ${c > 0 ? "-" : "+"} ${formatCenter(Math.abs(c))})`;
}

/**
 * A center coordinate in its shortest form at six significant digits, so
 * that 0.5 prints as `0.5` (the paper's `(x_1-0.5)`) and 0.1 + 0.2 as `0.3`.
 */
function formatCenter(value: number): string {
  return String(Number(value.toPrecision(6)));
}
