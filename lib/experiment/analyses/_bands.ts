/**
 * Errors of polynomial approximations on bands of radii around a point
 * (private to `analyses/`), shared by `accuracy` and `convergence`.
 *
 * @module
 */

/**
 * For each radius `r`, the largest `|values − truth|` over the points with
 * `distance ≤ r` (the band `[0, r]`; a band with no point gives 0).
 *
 * @param distances The distance of each point from the expansion point.
 * @param values The approximation at each point.
 * @param truth The network at each point.
 * @param radii The band radii.
 * @returns One error per radius.
 */
export function bandErrors(
  distances: ArrayLike<number>,
  values: ArrayLike<number>,
  truth: ArrayLike<number>,
  radii: readonly number[],
): number[] {
  return radii.map((r) => {
    const limit = r * (1 + 1e-12);
    let worst = 0;
    for (let i = 0; i < distances.length; i++) {
      if (distances[i] > limit) continue;
      const e = Math.abs(values[i] - truth[i]);
      // A NaN or infinite polynomial value is the worst error there is.
      worst = Number.isNaN(e) ? Infinity : Math.max(worst, e);
    }
    return worst;
  });
}

/**
 * The output key of a radius, `r` and its shortest decimal form (`r0.25`,
 * `r1`): never an integer-like key, which JavaScript would sort first.
 *
 * @param r The radius.
 * @returns The key.
 */
export function radiusKey(r: number): string {
  return `r${r}`;
}

/**
 * An error for the tables: three significant digits in exponent form, or
 * `Infinity` / `NaN` as such.
 *
 * @param v The error.
 * @returns The text.
 */
export function formatError(v: number): string {
  return Number.isFinite(v) ? v.toExponential(2) : String(v);
}
