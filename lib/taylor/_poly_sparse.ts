/**
 * Monomials by their non-zero exponents (private to `lib/taylor/`).
 *
 * The public `Term` stores dense exponent vectors, as `expansion.json` lists
 * them; but an unmixed expansion over 784 pixels has terms like `x_17^6`
 * whose dense vector is 783 zeros. Evaluation, re-centring, sorting and
 * rendering work on this sparse form, so they cost O(non-zeros) per term.
 *
 * @module
 */

/** A monomial `Π x_vars[j]^exps[j]`, variables ascending, exponents > 0. */
export interface SparseMonomial {
  /** 0-based variables with a non-zero exponent, ascending. */
  readonly vars: readonly number[];
  /** Their exponents, all ≥ 1. */
  readonly exps: readonly number[];
  /** Total degree `Σ exps`. */
  readonly degree: number;
  /** A string naming the monomial, equal for equal monomials. */
  readonly key: string;
}

/**
 * The sparse form of a trusted monomial (no checks).
 *
 * @param vars variables, ascending
 * @param exps their exponents, each ≥ 1
 * @returns the monomial with its degree and key
 * @example
 * ```ts
 * import { sparseMonomial } from "./_poly_sparse.ts";
 * const m = sparseMonomial([0, 3], [2, 1]);
 * if (m.degree !== 3 || m.key !== "0^2,3^1,") throw new Error(m.key);
 * ```
 */
export function sparseMonomial(
  vars: readonly number[],
  exps: readonly number[],
): SparseMonomial {
  let degree = 0;
  let key = "";
  for (let j = 0; j < vars.length; j++) {
    degree += exps[j];
    key += `${vars[j]}^${exps[j]},`;
  }
  return { vars, exps, degree, key };
}

/**
 * The sparse form of a dense exponent vector, checked.
 *
 * @param exponents one exponent per variable
 * @param dim the expected number of variables
 * @returns the monomial
 * @throws {RangeError} if the length is not `dim` or an entry is not a
 *   non-negative integer
 * @example
 * ```ts
 * import { sparseOf } from "./_poly_sparse.ts";
 * const m = sparseOf([0, 2, 0, 1], 4);
 * if (m.vars.join() !== "1,3" || m.exps.join() !== "2,1") throw new Error(m.key);
 * ```
 */
export function sparseOf(
  exponents: readonly number[],
  dim: number,
): SparseMonomial {
  if (!Array.isArray(exponents) || exponents.length !== dim) {
    throw new RangeError(
      `Cannot build a Taylor polynomial from term "${
        JSON.stringify(exponents)
      }": expected ${dim} exponents`,
    );
  }
  const vars: number[] = [];
  const exps: number[] = [];
  for (let i = 0; i < dim; i++) {
    const e = exponents[i];
    if (!Number.isInteger(e) || e < 0) {
      throw new RangeError(
        `Cannot build a Taylor polynomial from term "${
          JSON.stringify(exponents)
        }": exponents must be non-negative integers`,
      );
    }
    if (e > 0) {
      vars.push(i);
      exps.push(e);
    }
  }
  return sparseMonomial(vars, exps);
}

/**
 * The dense exponent vector of a monomial.
 *
 * @param monomial the sparse form
 * @param dim the number of variables
 * @returns a fresh array of length `dim`
 * @example
 * ```ts
 * import { denseOf, sparseMonomial } from "./_poly_sparse.ts";
 * const got = denseOf(sparseMonomial([1], [3]), 3).join();
 * if (got !== "0,3,0") throw new Error(got);
 * ```
 */
export function denseOf(monomial: SparseMonomial, dim: number): number[] {
  const exponents = new Array<number>(dim).fill(0);
  monomial.vars.forEach((v, j) => exponents[v] = monomial.exps[j]);
  return exponents;
}

/**
 * Graded order: degree ascending, then the dense exponent vectors in
 * descending lexicographic order (earlier variables carry higher powers
 * first: `x_1², x_1 x_2, x_2²`). Walking the sparse lists suffices: at the
 * first variable where the vectors differ, the one with the larger exponent
 * (possibly against an implicit 0) comes first.
 *
 * @param a a monomial
 * @param b another monomial
 * @returns negative if `a` comes first, positive if `b` does, 0 if equal
 * @example
 * ```ts
 * import { compareGraded, sparseMonomial } from "./_poly_sparse.ts";
 * const x1x2 = sparseMonomial([0, 1], [1, 1]);
 * const x2sq = sparseMonomial([1], [2]);
 * if (!(compareGraded(x1x2, x2sq) < 0)) throw new Error("x1 x2 comes first");
 * ```
 */
export function compareGraded(a: SparseMonomial, b: SparseMonomial): number {
  if (a.degree !== b.degree) return a.degree - b.degree;
  const n = Math.min(a.vars.length, b.vars.length);
  for (let j = 0; j < n; j++) {
    if (a.vars[j] !== b.vars[j]) return a.vars[j] - b.vars[j];
    if (a.exps[j] !== b.exps[j]) return b.exps[j] - a.exps[j];
  }
  // Same degree and one list a prefix of the other means equal monomials.
  return 0;
}
