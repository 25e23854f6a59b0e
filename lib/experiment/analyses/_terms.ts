/**
 * Names of monomials in analysis outputs (private to `analyses/`): the keys
 * claims point at, such as `1`, `x2`, `x1^2`, `x1*x2^3`.
 *
 * @module
 */

import type { TaylorPolynomial } from "../../taylor/polynomial.ts";

/**
 * The key of the monomial with exponents `α`.
 *
 * @param exponents One exponent per variable.
 * @returns `"1"` for the constant, else factors joined by `*`.
 */
export function termKey(exponents: readonly number[]): string {
  const factors: string[] = [];
  exponents.forEach((e, i) => {
    if (e === 1) factors.push(`x${i + 1}`);
    else if (e > 1) factors.push(`x${i + 1}^${e}`);
  });
  return factors.length ? factors.join("*") : "1";
}

/**
 * Every coefficient of a polynomial keyed by {@linkcode termKey}, in the
 * polynomial's term order.
 *
 * @param poly The polynomial.
 * @returns The mapping.
 */
export function coefficientMap(
  poly: TaylorPolynomial,
): Record<string, number> {
  return Object.fromEntries(
    poly.terms.map((t) => [termKey(t.exponents), t.coefficient]),
  );
}
