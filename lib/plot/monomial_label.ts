/**
 * Names of monomials `x^α` for figure labels, such as `x_1^2 x_2`, or
 * `(x_1 − 0.5)^2 x_2` for a polynomial in powers of `x − x0`.
 *
 * @module
 */

import { mathToUnicode } from "./_math_label.ts";

/** Options of `monomialLabel`. */
export interface MonomialLabelOptions {
  /** Variable name; variable `i` (0-based) is written `<variable>_{i+1}`. @default "x" */
  variable?: string;
  /**
   * The expansion point `x0`: a coordinate `c ≠ 0` names its factor
   * `(x_i − c)` or `(x_i + |c|)`, the basis the coefficient belongs to.
   * @default all zeros (plain powers `x_i`)
   */
  center?: readonly number[];
  /** `"math"` for the figures' label syntax (`x_1^2 x_2`), `"unicode"` for plain text (`x₁²x₂`). @default "math" */
  style?: "math" | "unicode";
}

/**
 * The label of the monomial with exponents `α` (one per variable): `1` for
 * the constant, factors with exponent 0 left out, exponent 1 not written.
 *
 * @param exponents `α`, non-negative integers, one per variable
 * @param options variable name, expansion point and output style
 * @returns the label, e.g. `"x_1^2 x_2"` for `[2, 1]`
 * @throws {Error} `Cannot name monomial "[…]": …` when an exponent is not a
 * non-negative integer.
 *
 * @example
 * ```ts
 * import { monomialLabel } from "./monomial_label.ts";
 *
 * if (monomialLabel([2, 1]) !== "x_1^2 x_2") throw new Error("math style");
 * if (monomialLabel([0, 2], { style: "unicode" }) !== "x₂²") {
 *   throw new Error("unicode style");
 * }
 * const shifted = monomialLabel([2, 1], { center: [0.5, 0], style: "unicode" });
 * if (shifted !== "(x₁ − 0.5)²x₂") throw new Error(shifted);
 * ```
 */
export function monomialLabel(
  exponents: readonly number[],
  options: MonomialLabelOptions = {},
): string {
  const { variable = "x", center = [], style = "math" } = options;
  const factors: string[] = [];
  exponents.forEach((e, i) => {
    if (!Number.isInteger(e) || e < 0) {
      throw new Error(
        `Cannot name monomial "[${
          exponents.join(", ")
        }]": exponent ${e} of variable ${i + 1} is not a non-negative integer`,
      );
    }
    if (e === 0) return;
    const index = i + 1 < 10 ? `${i + 1}` : `{${i + 1}}`;
    const c = center[i] ?? 0;
    const base = c === 0
      ? `${variable}_${index}`
      : `(${variable}_${index} ${c > 0 ? "−" : "+"} ${
        String(Number(Math.abs(c).toPrecision(6)))
      })`;
    factors.push(`${base}${e === 1 ? "" : e < 10 ? `^${e}` : `^{${e}}`}`);
  });
  if (factors.length === 0) return "1";
  return style === "unicode"
    ? factors.map(mathToUnicode).join("")
    : factors.join(" ");
}
