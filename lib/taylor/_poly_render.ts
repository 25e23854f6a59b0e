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
  /**
   * Decimals of every coefficient (`toFixed`); more when the largest
   * coefficient would round to zero (see {@linkcode coefficientFormat}).
   */
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
 * paper prints `-0.00 x_1 x_2`. Every coefficient gets the same format,
 * {@linkcode coefficientFormat}, so a polynomial of tiny coefficients
 * never prints as all `0.00`.
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
  const format = coefficientFormat(
    terms.map((t) => t.coefficient),
    style.digits,
  );
  let body = "";
  for (const { vars, exps, coefficient } of terms) {
    if (coefficient === 0) continue;
    const magnitude = format(Math.abs(coefficient));
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

/**
 * How the coefficients print: with `digits` decimals, unless the largest
 * finite |coefficient| would round to zero with them; then with as many
 * decimals as give it `max(digits, 1)` significant digits (`0.0000086`
 * for 8.58e-6 at 2 digits), or, past 20 decimals, in exponent form with
 * those significant digits (`8.6e-25`). One format for every coefficient.
 *
 * @param coefficients the coefficients
 * @param digits the decimals asked for
 * @returns the formatter of a magnitude
 * @example
 * ```ts
 * import { coefficientFormat } from "./_poly_render.ts";
 * if (coefficientFormat([0.51, -0.002], 2)(0.002) !== "0.00") throw new Error();
 * if (coefficientFormat([8.58e-6, -5.5e-7], 2)(8.58e-6) !== "0.0000086") {
 *   throw new Error();
 * }
 * if (coefficientFormat([8.58e-25], 2)(8.58e-25) !== "8.6e-25") throw new Error();
 * ```
 */
export function coefficientFormat(
  coefficients: readonly number[],
  digits: number,
): (magnitude: number) => string {
  const largest = Math.max(
    0,
    ...coefficients.filter(Number.isFinite).map(Math.abs),
  );
  if (largest === 0 || Number(largest.toFixed(digits)) !== 0) {
    return (m) => m.toFixed(digits);
  }
  const significant = Math.max(digits, 1);
  const decimals = significant - 1 - Math.floor(Math.log10(largest));
  return decimals <= MAX_DECIMALS
    ? (m) => m.toFixed(decimals)
    : (m) => m.toExponential(significant - 1);
}

/** Beyond this many decimals, tiny coefficients print in exponent form. */
const MAX_DECIMALS = 20;

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
