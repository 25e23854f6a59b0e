/**
 * Multi-index arithmetic shared by the Taylor code (private to `lib/taylor/`).
 *
 * A multi-index `α ∈ Nᵈ` names the monomial `x^α = x_1^α_1 ⋯ x_d^α_d`, of
 * degree `|α| = α_1 + ⋯ + α_d`. The same monomial is also named by the sorted
 * tuple of its variables, `(i_1 ≤ ⋯ ≤ i_k)` (0-based, variable `i` repeated
 * `α_i` times): the entry of a symmetric derivative tensor of shape `[d]*k`
 * that holds `∂^α f`.
 *
 * **Order.** Enumerations are graded: degree ascending, and within a degree
 * the sorted tuples in lexicographic order, which is the same as exponent
 * vectors in *descending* lexicographic order (earlier variables carry higher
 * powers first). For `d = 2`: `1, x_1, x_2, x_1², x_1 x_2, x_2², …`, the order
 * the paper prints its polynomials in.
 *
 * Factorials and multinomials are float64 (`factorial(171)` is `Infinity`).
 *
 * @module
 */

/** `k!` for k = 0..170 as float64 (larger values overflow to Infinity). */
const FACTORIALS: readonly number[] = (() => {
  const table = [1];
  for (let k = 1; k <= 170; k++) table.push(table[k - 1] * k);
  return table;
})();

/**
 * `k!` as a float64.
 *
 * @param k a non-negative integer
 * @returns `k!`, exact up to `k = 18` (beyond that rounded to float64), and
 *   `Infinity` from `k = 171`
 * @throws {RangeError} if `k` is not a non-negative integer
 * @example
 * ```ts
 * import { factorial } from "./_multi_index.ts";
 * if (factorial(5) !== 120) throw new Error("5! should be 120");
 * ```
 */
export function factorial(k: number): number {
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(
      `Cannot take the factorial of "${k}": not a non-negative integer`,
    );
  }
  return k < FACTORIALS.length ? FACTORIALS[k] : Infinity;
}

/**
 * `α! = α_1! ⋯ α_d!`, the divisor that turns `∂^α f` into a Taylor
 * coefficient.
 *
 * @param alpha a multi-index (non-negative integers)
 * @returns `α!` as a float64
 * @throws {RangeError} if an entry is not a non-negative integer
 * @example
 * ```ts
 * import { factorialOf } from "./_multi_index.ts";
 * if (factorialOf([2, 0, 3]) !== 12) throw new Error("2!·0!·3! should be 12");
 * ```
 */
export function factorialOf(alpha: readonly number[]): number {
  let product = 1;
  for (const a of alpha) product *= factorial(a);
  return product;
}

/**
 * The multinomial coefficient `|α|! / α!`: how many ordered tuples of
 * variables name the monomial `x^α`, i.e. how many entries of the symmetric
 * tensor of shape `[d]*|α|` hold `∂^α f`.
 *
 * Computed as a product of binomials so that it stays exact (and finite)
 * wherever the result fits a float64 integer.
 *
 * @param alpha a multi-index (non-negative integers)
 * @returns `|α|! / α!`
 * @throws {RangeError} if an entry is not a non-negative integer
 * @example
 * ```ts
 * import { multinomial } from "./_multi_index.ts";
 * // x1² x2 is named by (0,0,1), (0,1,0) and (1,0,0)
 * if (multinomial([2, 1]) !== 3) throw new Error("3!/(2!·1!) should be 3");
 * ```
 */
export function multinomial(alpha: readonly number[]): number {
  let result = 1;
  let total = 0;
  for (const a of alpha) {
    total += a;
    result *= binomial(total, a);
  }
  return result;
}

/**
 * The binomial coefficient `C(n, k)`, exact while it fits a float64 integer.
 *
 * @param n a non-negative integer
 * @param k an integer; `C(n, k) = 0` outside `0 ≤ k ≤ n`
 * @returns `n! / (k! (n − k)!)`
 * @throws {RangeError} if `n` is not a non-negative integer or `k` not an
 *   integer
 * @example
 * ```ts
 * import { binomial } from "./_multi_index.ts";
 * if (binomial(10, 3) !== 120) throw new Error("C(10,3) should be 120");
 * ```
 */
export function binomial(n: number, k: number): number {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k)) {
    throw new RangeError(
      `Cannot take the binomial coefficient "C(${n}, ${k})": n must be a non-negative integer and k an integer`,
    );
  }
  if (k < 0 || k > n) return 0;
  const m = Math.min(k, n - k);
  // C(n, j) = C(n, j−1)·(n−j+1)/j stays an integer at every step.
  let result = 1;
  for (let j = 1; j <= m; j++) result = (result * (n - m + j)) / j;
  return Math.round(result);
}

/**
 * How many multi-indices of total degree ≤ `n` there are in `d` variables:
 * `C(n + d, d)`, the number of Taylor coefficients of `mixed: "all"`.
 *
 * @param d number of variables
 * @param n maximal total degree (≥ 0)
 * @returns `C(n + d, d)`
 * @throws {RangeError} if `d` or `n` is not a non-negative integer
 * @example
 * ```ts
 * import { countMultiIndices } from "./_multi_index.ts";
 * // 1, x1, x2, x1², x1 x2, x2²
 * if (countMultiIndices(2, 2) !== 6) throw new Error("expected 6");
 * ```
 */
export function countMultiIndices(d: number, n: number): number {
  checkDimensions(d, n);
  return binomial(n + d, d);
}

/**
 * Every multi-index of `d` variables with total degree exactly `k`, in the
 * module's graded order (earlier variables carry higher powers first).
 *
 * @param d number of variables
 * @param k total degree (≥ 0)
 * @returns `C(k + d − 1, k)` fresh exponent arrays of length `d`
 * @throws {RangeError} if `d` or `k` is not a non-negative integer
 * @example
 * ```ts
 * import { multiIndicesOfDegree } from "./_multi_index.ts";
 * const got = JSON.stringify(multiIndicesOfDegree(2, 2));
 * if (got !== "[[2,0],[1,1],[0,2]]") throw new Error(got);
 * ```
 */
export function multiIndicesOfDegree(d: number, k: number): number[][] {
  checkDimensions(d, k);
  const out: number[][] = [];
  const alpha = new Array<number>(d).fill(0);
  // Put the most of the remaining degree on variable i first; the last
  // variable takes whatever is left.
  const fill = (i: number, left: number): void => {
    if (i === d - 1) {
      alpha[i] = left;
      out.push(alpha.slice());
      return;
    }
    for (let a = left; a >= 0; a--) {
      alpha[i] = a;
      fill(i + 1, left - a);
    }
    alpha[i] = 0;
  };
  if (d === 0) return k === 0 ? [[]] : [];
  fill(0, k);
  return out;
}

/**
 * Every multi-index of `d` variables with total degree ≤ `n`, degree
 * ascending, each degree in the order of {@link multiIndicesOfDegree}.
 *
 * @param d number of variables
 * @param n maximal total degree (≥ 0)
 * @returns `C(n + d, d)` fresh exponent arrays of length `d`
 * @throws {RangeError} if `d` or `n` is not a non-negative integer
 * @example
 * ```ts
 * import { multiIndices } from "./_multi_index.ts";
 * const got = JSON.stringify(multiIndices(2, 2));
 * if (got !== "[[0,0],[1,0],[0,1],[2,0],[1,1],[0,2]]") throw new Error(got);
 * ```
 */
export function multiIndices(d: number, n: number): number[][] {
  checkDimensions(d, n);
  const out: number[][] = [];
  for (let k = 0; k <= n; k++) out.push(...multiIndicesOfDegree(d, k));
  return out;
}

/**
 * The sorted tuple of variables `(i_1 ≤ ⋯ ≤ i_k)` (0-based) that names the
 * monomial `x^α`: variable `i` appears `α_i` times.
 *
 * @param alpha a multi-index (non-negative integers)
 * @returns the tuple, of length `|α|`
 * @throws {RangeError} if an entry is not a non-negative integer
 * @example
 * ```ts
 * import { tupleOfMultiIndex } from "./_multi_index.ts";
 * const got = JSON.stringify(tupleOfMultiIndex([2, 0, 1]));
 * if (got !== "[0,0,2]") throw new Error(got);
 * ```
 */
export function tupleOfMultiIndex(alpha: readonly number[]): number[] {
  const tuple: number[] = [];
  alpha.forEach((a, i) => {
    if (!Number.isInteger(a) || a < 0) {
      throw new RangeError(
        `Cannot read multi-index "[${alpha}]": entry ${i} is not a non-negative integer`,
      );
    }
    for (let r = 0; r < a; r++) tuple.push(i);
  });
  return tuple;
}

/**
 * The position of entry `(i_1, …, i_k)` in a C-order (row-major) flat array
 * of shape `[d]*k`: `((i_1·d + i_2)·d + ⋯)·d + i_k`. For the empty tuple
 * (a scalar) it is 0.
 *
 * @param tuple 0-based variable indices, each in `[0, d)`
 * @param d the length of every axis
 * @returns the flat index
 * @throws {RangeError} if an index is outside `[0, d)` or not an integer
 * @example
 * ```ts
 * import { flatIndexOfTuple } from "./_multi_index.ts";
 * // entry (1, 0, 2) of a 3×3×3 tensor
 * if (flatIndexOfTuple([1, 0, 2], 3) !== 11) throw new Error("expected 11");
 * ```
 */
export function flatIndexOfTuple(tuple: readonly number[], d: number): number {
  let flat = 0;
  for (const i of tuple) {
    if (!Number.isInteger(i) || i < 0 || i >= d) {
      throw new RangeError(
        `Cannot index tuple "(${tuple})": entry ${i} is outside [0, ${d})`,
      );
    }
    flat = flat * d + i;
  }
  return flat;
}

function checkDimensions(d: number, n: number): void {
  if (!Number.isInteger(d) || d < 0 || !Number.isInteger(n) || n < 0) {
    throw new RangeError(
      `Cannot enumerate multi-indices "d=${d}, degree=${n}": both must be non-negative integers`,
    );
  }
}
