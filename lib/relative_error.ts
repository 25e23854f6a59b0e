/**
 * The error measure used throughout hope-ts to compare derivatives or
 * values with a reference.
 *
 * @module
 */

/**
 * The max-norm relative error `max|a − b| / max|b|` (the absolute error
 * when `b` is all zeros).
 *
 * @param a The values checked.
 * @param b The reference, as long as `a`.
 * @returns The error.
 * @example
 * ```ts
 * import { relativeError } from "./relative_error.ts";
 * // max |a − b| = 0.1 over max |b| = 2
 * if (Math.abs(relativeError([1.1, 2], [1, 2]) - 0.05) > 1e-12) throw new Error();
 * ```
 */
export function relativeError(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}
