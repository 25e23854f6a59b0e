/**
 * Labels in the figures' math syntax as plain Unicode text, for places that
 * hold no markup (HTML table cells, logs), so that they read as the figures
 * do: `x_1^2 x_2` → `x₁² x₂`.
 *
 * @module
 */

import { mathToUnicode } from "./_math_label.ts";

/**
 * The label with its sub- and superscripts as Unicode characters; a script
 * with a character that has no Unicode form stays `_{…}` / `^{…}`.
 *
 * @param label a label in math syntax (`x_1^2`, `x_{12}`, `\sigma`); LaTeX
 *   such as `TaylorPolynomial.toLatex()` writes reads the same
 * @returns the text, e.g. `"x₁²"`
 *
 * @example
 * ```ts
 * import { unicodeLabel } from "./unicode_label.ts";
 *
 * const text = unicodeLabel("y = 0.50 x_{2} + 0.51 (x_{1} - 0.5)^{2}");
 * if (text !== "y = 0.50 x₂ + 0.51 (x₁ - 0.5)²") throw new Error(text);
 * ```
 */
export function unicodeLabel(label: string): string {
  return mathToUnicode(label);
}
