/**
 * The Taylor polynomial of a network at an expansion point, as an object:
 * built from derivatives, evaluated at many points, re-centred, pruned,
 * rendered as text or LaTeX, and serialised into `expansion.json`.
 *
 * Conventions (DESIGN section 1): the stored *derivatives* are `∂^α f(x0)`,
 * the *coefficients* are `∂^α f(x0) / α!`, and the polynomial is
 *
 *     p(x) = Σ_α  c_α · (x − x0)^α
 *
 * in the variables shifted by the center `x0`. Terms are kept in graded
 * order (degree ascending; within a degree earlier variables carry higher
 * powers first: `1, x_1, x_2, x_1², x_1 x_2, x_2²`), the order the paper
 * prints; `toJSON()` and `topK()` list them largest first instead.
 *
 * @module
 */

import {
  binomial,
  factorial,
  factorialOf,
  flatIndexOfTuple,
  multiIndicesOfDegree,
  tupleOfMultiIndex,
} from "./_multi_index.ts";
import { renderPolynomial } from "./_poly_render.ts";
import {
  compareGraded,
  denseOf,
  type SparseMonomial,
  sparseMonomial,
  sparseOf,
} from "./_poly_sparse.ts";

/** One monomial `coefficient · (x − center)^exponents`. */
export interface Term {
  /** The exponent of each variable (length `dim`). */
  readonly exponents: readonly number[];
  /** The Taylor coefficient `∂^α f / α!`. */
  readonly coefficient: number;
}

/** The plain-data form written into `expansion.json` (terms largest first). */
export interface TaylorPolynomialJSON {
  /** Number of input variables. */
  dim: number;
  /** Truncation order `n` of the expansion. */
  order: number;
  /** The expansion point `x0`. */
  center: number[];
  /** The terms, by decreasing `|coefficient|`. */
  terms: { exponents: number[]; coefficient: number }[];
}

/** Options of {@link TaylorPolynomial.fromDerivatives}. */
export interface FromDerivativesOptions {
  /** The expansion point `x0`; its length is the input dimension `d`. */
  center: readonly number[];
  /**
   * Layout of `derivatives[k]`: `"all"` is the full symmetric tensor of
   * shape `[d]*k` (C order); `"none"` has shape `[d]` and holds only the
   * pure `∂^k f / ∂x_i^k`, so the polynomial has no mixed terms.
   * @default {"all"}
   */
  mixed?: "all" | "none";
}

/** Options of {@link TaylorPolynomial.prune}. */
export interface PruneOptions {
  /**
   * Drop terms with `|coefficient| < threshold`; exact zeros always go.
   * @default {0}
   */
  threshold?: number;
  /**
   * Keep at most this many terms, the largest by `|coefficient|` (ties:
   * lower degree first, then graded order).
   * @default {Infinity}
   */
  keep?: number;
}

/** Options of {@link TaylorPolynomial.toString} and `toLatex`. */
export interface RenderOptions {
  /**
   * Decimals of every coefficient; when the largest |coefficient| would
   * round to zero with them, as many as give it `digits` significant
   * digits instead (exponent form past 20 decimals), so tiny polynomials
   * never print as all zeros.
   * @default {2}
   */
  digits?: number;
  /**
   * Name of the inputs, indexed from 1 (`x_1`, `x_2`, …).
   * @default {"x"}
   */
  variable?: string;
  /**
   * Name of the output, left of `=`.
   * @default {"y"}
   */
  output?: string;
  /**
   * Term order: `"degree"` is the graded order the paper prints;
   * `"magnitude"` puts the largest `|coefficient|` first.
   * @default {"degree"}
   */
  sort?: "degree" | "magnitude";
}

/**
 * A multivariate polynomial in `x − center`, truncated at total degree
 * `order`: the Taylor expansion of a function at `center`.
 *
 * Immutable: every transformation returns a new polynomial (the term list
 * and terms are frozen; exponent arrays are `readonly` by type only, as
 * frozen arrays are slow to scan). Memory is `terms × dim` numbers, since
 * exponents are stored densely as `expansion.json` lists them; the
 * arithmetic itself costs O(non-zero exponents) per term.
 *
 * @example
 * ```ts
 * import { TaylorPolynomial } from "./polynomial.ts";
 * // f(x) = x_1² x_2 at x0 = (1, 2): f = 2, ∇f = (4, 1),
 * // ∂²f = [[4, 2], [2, 0]]
 * const p = TaylorPolynomial.fromDerivatives(
 *   [[2], [4, 1], [4, 2, 2, 0]],
 *   { center: [1, 2] },
 * );
 * // moving x_1 alone, f is quadratic, so the second-order polynomial is exact
 * const [y] = p.evaluate([[1.1, 2]]);
 * if (Math.abs(y - 1.21 * 2) > 1e-12) throw new Error(`got ${y}`);
 * if (p.toString() !== "y = 2.00 + 4.00 (x_1 - 1) + 1.00 (x_2 - 2) + 2.00 (x_1 - 1)^2 + 2.00 (x_1 - 1) (x_2 - 2)") {
 *   throw new Error(p.toString());
 * }
 * ```
 */
export class TaylorPolynomial {
  /** Number of input variables `d`. */
  readonly dim: number;
  /** Truncation order `n`: every term has total degree ≤ n. */
  readonly order: number;
  /** The expansion point `x0`. */
  readonly center: readonly number[];
  /** The terms in graded order, one per distinct exponent vector. */
  readonly terms: readonly Term[];

  /** The sparse form of each term, in the same order. */
  #monomials: readonly SparseMonomial[];
  #index: Map<string, number> | undefined;

  /**
   * A polynomial from its terms in `x − center`; terms with the same
   * exponents are summed, and the terms are put in graded order.
   *
   * @param terms the monomials, in any order
   * @param options `center` (the expansion point, length `dim ≥ 1`) and
   *   `order` (the truncation order; `@default` the largest term degree)
   * @throws {RangeError} if the center is empty or not finite, an exponent
   *   vector has the wrong length or a non-integer or negative entry, or a
   *   term's degree exceeds `order`
   * @example
   * ```ts
   * import { TaylorPolynomial } from "./polynomial.ts";
   * const p = new TaylorPolynomial(
   *   [{ exponents: [0, 1], coefficient: 0.5 }, { exponents: [2, 0], coefficient: 0.51 }],
   *   { center: [0, 0] },
   * );
   * if (p.order !== 2 || p.toString() !== "y = 0.50 x_2 + 0.51 x_1^2") {
   *   throw new Error(p.toString());
   * }
   * ```
   */
  constructor(
    terms: readonly Term[],
    options: { center: readonly number[]; order?: number },
  ) {
    const center = checkPoint(
      options.center,
      undefined,
      "build a Taylor polynomial at center",
    );
    const dim = center.length;
    const merged = new Map<
      string,
      { monomial: SparseMonomial; exponents: number[]; coefficient: number }
    >();
    let maxDegree = 0;
    for (const term of terms) {
      const monomial = sparseOf(term.exponents, dim);
      maxDegree = Math.max(maxDegree, monomial.degree);
      const seen = merged.get(monomial.key);
      if (seen) seen.coefficient += term.coefficient;
      else {
        merged.set(monomial.key, {
          monomial,
          exponents: [...term.exponents],
          coefficient: term.coefficient,
        });
      }
    }
    const order = options.order ?? maxDegree;
    if (!Number.isInteger(order) || order < maxDegree) {
      throw new RangeError(
        `Cannot build a Taylor polynomial of order "${order}": it must be an integer ≥ the largest term degree ${maxDegree}`,
      );
    }
    const sorted = [...merged.values()].sort((a, b) =>
      compareGraded(a.monomial, b.monomial)
    );
    this.dim = dim;
    this.order = order;
    this.center = Object.freeze(center);
    this.#monomials = sorted.map((t) => t.monomial);
    this.terms = Object.freeze(
      sorted.map((t) =>
        Object.freeze({ exponents: t.exponents, coefficient: t.coefficient })
      ),
    );
  }

  /**
   * The Taylor polynomial of order `n = derivatives.length − 1` from the
   * derivatives at `center`: `c_α = ∂^α f / α!`.
   *
   * With `mixed: "all"`, `derivatives[k]` is the symmetric tensor of shape
   * `[d]*k` (C order, `derivatives[0]` a single value) and `∂^α f` is read
   * from its sorted-tuple entry `(i_1 ≤ ⋯ ≤ i_k)`; every `C(n + d, d)`
   * monomial becomes a term. With `mixed: "none"`, `derivatives[k]` has
   * length `d` (`∂^k f / ∂x_i^k`) and only the `1 + n·d` pure powers are
   * terms.
   *
   * @param derivatives `derivatives[k]` for k = 0..n, flat arrays
   *   (`Float32Array`, `Float64Array`, `number[]`, …)
   * @param options `center` (required) and `mixed`
   * @returns the polynomial in `x − center`
   * @throws {RangeError} if there are no derivatives, the center is empty or
   *   not finite, `mixed` is unknown, a `derivatives[k]` has the wrong length,
   *   or a value it contributes is not finite
   * @example
   * ```ts
   * import { TaylorPolynomial } from "./polynomial.ts";
   * // f(x) = exp(x_1 + 2 x_2) at 0, pure derivatives only: ∂^k/∂x_i^k = a_i^k
   * const p = TaylorPolynomial.fromDerivatives(
   *   [[1], [1, 2], [1, 4]],
   *   { center: [0, 0], mixed: "none" },
   * );
   * if (p.terms.length !== 5) throw new Error("expected 1 + 2·2 terms");
   * if (p.coefficientOf([0, 2]) !== 2) throw new Error("4 / 2! should be 2");
   * ```
   */
  static fromDerivatives(
    derivatives: readonly ArrayLike<number>[],
    options: FromDerivativesOptions,
  ): TaylorPolynomial {
    const center = checkPoint(
      options.center,
      undefined,
      "build a Taylor polynomial at center",
    );
    const mixed = options.mixed ?? "all";
    if (mixed !== "all" && mixed !== "none") {
      throw new RangeError(
        `Cannot build a Taylor polynomial with mixed "${mixed}": expected "all" or "none"`,
      );
    }
    if (derivatives.length === 0) {
      throw new RangeError(
        `Cannot build a Taylor polynomial from "derivatives": it is empty (derivatives[0] is the value)`,
      );
    }
    const d = center.length;
    const order = derivatives.length - 1;
    const terms: Term[] = [];
    derivatives.forEach((values, k) => {
      const expected = k === 0 ? 1 : mixed === "all" ? d ** k : d;
      if (values.length !== expected) {
        const shape = k === 0
          ? "[]"
          : `[${new Array(mixed === "all" ? k : 1).fill(d)}]`;
        throw new RangeError(
          `Cannot build a Taylor polynomial from "derivatives[${k}]": expected ${expected} values (shape ${shape}), got ${values.length}`,
        );
      }
      const read = (flat: number): number => {
        const value = values[flat];
        if (!Number.isFinite(value)) {
          throw new RangeError(
            `Cannot build a Taylor polynomial from "derivatives[${k}]": entry ${flat} is ${value}`,
          );
        }
        return value;
      };
      if (mixed === "none" && k > 0) {
        const divisor = factorial(k);
        for (let i = 0; i < d; i++) {
          const exponents = new Array<number>(d).fill(0);
          exponents[i] = k;
          terms.push({ exponents, coefficient: read(i) / divisor });
        }
        return;
      }
      for (const exponents of multiIndicesOfDegree(d, k)) {
        const flat = flatIndexOfTuple(tupleOfMultiIndex(exponents), d);
        terms.push({
          exponents,
          coefficient: read(flat) / factorialOf(exponents),
        });
      }
    });
    return new TaylorPolynomial(terms, { center, order });
  }

  /**
   * Reads the form written by {@link TaylorPolynomial.toJSON} back (for
   * example a polynomial listed in `expansion.json`).
   *
   * @param json the parsed JSON value
   * @returns the polynomial
   * @throws {RangeError} if a field is missing or malformed
   * @example
   * ```ts
   * import { TaylorPolynomial } from "./polynomial.ts";
   * const p = TaylorPolynomial.fromJSON({
   *   dim: 1, order: 2, center: [0.5],
   *   terms: [{ exponents: [2], coefficient: 3 }],
   * });
   * if (p.evaluate([[1.5]])[0] !== 3) throw new Error("3·(1.5 − 0.5)² = 3");
   * ```
   */
  static fromJSON(json: unknown): TaylorPolynomial {
    const fail = (why: string): never => {
      const text = JSON.stringify(json) ?? String(json);
      throw new RangeError(
        `Cannot read Taylor polynomial "${
          text.length > 60 ? text.slice(0, 57) + "..." : text
        }": ${why}`,
      );
    };
    if (typeof json !== "object" || json === null) return fail("not an object");
    const { dim, order, center, terms } = json as Record<string, unknown>;
    if (!Array.isArray(center)) return fail("center is not an array");
    if (dim !== center.length) {
      return fail("dim does not match the center's length");
    }
    if (typeof order !== "number") return fail("order is not a number");
    if (!Array.isArray(terms)) return fail("terms is not an array");
    const parsed = terms.map((t, i): Term => {
      if (
        typeof t !== "object" || t === null || !Array.isArray(t.exponents) ||
        typeof t.coefficient !== "number"
      ) {
        return fail(`terms[${i}] is not {exponents, coefficient}`);
      }
      return { exponents: t.exponents, coefficient: t.coefficient };
    });
    return new TaylorPolynomial(parsed, { center, order });
  }

  /**
   * The coefficient of `(x − center)^exponents`, 0 when there is no such term.
   *
   * @param exponents an exponent vector of length `dim`
   * @returns the coefficient
   * @throws {RangeError} if `exponents` has the wrong length or bad entries
   * @example
   * ```ts
   * import { TaylorPolynomial } from "./polynomial.ts";
   * const p = new TaylorPolynomial([{ exponents: [1, 1], coefficient: 0.06 }], { center: [0, 0] });
   * if (p.coefficientOf([1, 1]) !== 0.06 || p.coefficientOf([2, 0]) !== 0) {
   *   throw new Error("wrong lookup");
   * }
   * ```
   */
  coefficientOf(exponents: readonly number[]): number {
    const key = sparseOf(exponents, this.dim).key;
    if (this.#index === undefined) {
      this.#index = new Map(this.#monomials.map((m, i) => [m.key, i]));
    }
    const at = this.#index.get(key);
    return at === undefined ? 0 : this.terms[at].coefficient;
  }

  /**
   * The polynomial's values at many points. Powers of `x_i − x0_i` are
   * computed once per point and shared by all terms.
   *
   * @param points rows of `dim` coordinates, or one flat typed array of
   *   `count × dim` coordinates (row after row)
   * @returns one value per point
   * @throws {RangeError} if a row has the wrong length, or a flat array's
   *   length is not a multiple of `dim`
   * @example
   * ```ts
   * import { TaylorPolynomial } from "./polynomial.ts";
   * const p = new TaylorPolynomial(
   *   [{ exponents: [0, 1], coefficient: 0.5 }, { exponents: [2, 0], coefficient: 0.5 }],
   *   { center: [0, 0] },
   * );
   * const y = p.evaluate(new Float64Array([1, 2, 3, 4]));
   * if (y[0] !== 1.5 || y[1] !== 6.5) throw new Error(`got ${y}`);
   * ```
   */
  evaluate(
    points: readonly ArrayLike<number>[] | Float64Array | Float32Array,
  ): Float64Array {
    const d = this.dim;
    const flat = flattenPoints(points, d);
    const count = flat.length / d;
    // Compile the terms into flat arrays of factors (variable, exponent)
    // once, so the per-point loop touches only typed arrays.
    const size = this.terms.length;
    const coefficients = new Float64Array(size);
    const starts = new Int32Array(size + 1);
    const maxExp = new Int32Array(d);
    this.#monomials.forEach((m, j) => {
      coefficients[j] = this.terms[j].coefficient;
      starts[j + 1] = starts[j] + m.vars.length;
      m.vars.forEach((v, f) => {
        if (m.exps[f] > maxExp[v]) maxExp[v] = m.exps[f];
      });
    });
    const vars = new Int32Array(starts[size]);
    const exps = new Int32Array(starts[size]);
    this.#monomials.forEach((m, j) => {
      vars.set(m.vars, starts[j]);
      exps.set(m.exps, starts[j]);
    });
    const stride = maxExp.reduce((a, b) => Math.max(a, b), 0) + 1;
    const powers = new Float64Array(d * stride);
    const out = new Float64Array(count);
    for (let p = 0; p < count; p++) {
      for (let i = 0; i < d; i++) {
        const s = flat[p * d + i] - this.center[i];
        let power = 1;
        for (let e = 1; e <= maxExp[i]; e++) {
          power *= s;
          powers[i * stride + e] = power;
        }
      }
      let sum = 0;
      for (let j = 0; j < size; j++) {
        let product = coefficients[j];
        for (let f = starts[j]; f < starts[j + 1]; f++) {
          product *= powers[vars[f] * stride + exps[f]];
        }
        sum += product;
      }
      out[p] = sum;
    }
    return out;
  }

  /**
   * The same polynomial re-expanded around `x1`: exact (up to float64
   * rounding) by the binomial theorem, `(x − x0)^α = Π_i Σ_{β_i ≤ α_i}
   * C(α_i, β_i) h_i^{α_i − β_i} (x_i − x1_i)^{β_i}` with `h = x1 − x0`,
   * applied one variable at a time. This is how the global explanation moves
   * local expansions to a common reference point. A polynomial with only
   * pure powers (`mixed: "none"`) keeps only pure powers.
   *
   * @param x1 the new center (length `dim`)
   * @returns a polynomial of the same order in `x − x1`
   * @throws {RangeError} if `x1` has the wrong length or is not finite
   * @example
   * ```ts
   * import { TaylorPolynomial } from "./polynomial.ts";
   * // (x − 1)² = 1 − 2x + x²
   * const p = new TaylorPolynomial([{ exponents: [2], coefficient: 1 }], { center: [1] });
   * const q = p.recenter([0]);
   * if (q.coefficientOf([0]) !== 1 || q.coefficientOf([1]) !== -2) {
   *   throw new Error(q.toString());
   * }
   * ```
   */
  recenter(x1: readonly number[]): TaylorPolynomial {
    const target = checkPoint(x1, this.dim, "re-center a Taylor polynomial at");
    const map = new Map<string, { m: SparseMonomial; c: number }>();
    // bucket[i]: keys of the terms that involve variable i (stale keys of
    // terms already re-expanded are skipped when read)
    const bucket = Array.from({ length: this.dim }, () => new Set<string>());
    const add = (m: SparseMonomial, c: number): void => {
      const seen = map.get(m.key);
      if (seen) seen.c += c;
      else {
        map.set(m.key, { m, c });
        for (const v of m.vars) bucket[v].add(m.key);
      }
    };
    this.#monomials.forEach((m, j) => add(m, this.terms[j].coefficient));
    for (let i = 0; i < this.dim; i++) {
      const h = target[i] - this.center[i];
      const keys = bucket[i];
      bucket[i] = new Set();
      if (h === 0) continue;
      // Take out every term that involves variable i before adding the
      // re-expanded pieces, so no piece is re-expanded twice.
      const involved: { m: SparseMonomial; c: number }[] = [];
      for (const key of keys) {
        const entry = map.get(key);
        if (entry === undefined) continue;
        map.delete(key);
        involved.push(entry);
      }
      for (const { m, c } of involved) {
        const at = m.vars.indexOf(i);
        const e = m.exps[at];
        for (let b = 0; b <= e; b++) {
          const vars = m.vars.slice();
          const exps = m.exps.slice();
          if (b === 0) {
            vars.splice(at, 1);
            exps.splice(at, 1);
          } else exps[at] = b;
          add(sparseMonomial(vars, exps), c * binomial(e, b) * h ** (e - b));
        }
      }
    }
    const terms = [...map.values()].map(({ m, c }) => ({
      exponents: denseOf(m, this.dim),
      coefficient: c,
    }));
    return new TaylorPolynomial(terms, {
      center: target,
      order: this.order,
    });
  }

  /**
   * The polynomial in plain powers of `x`: {@link TaylorPolynomial.recenter}
   * to the origin.
   *
   * @returns a polynomial of the same order centred at 0
   * @example
   * ```ts
   * import { TaylorPolynomial } from "./polynomial.ts";
   * const p = new TaylorPolynomial(
   *   [{ exponents: [1, 0], coefficient: 2 }],
   *   { center: [0.5, 0] },
   * );
   * if (p.toPowersOfX().toString() !== "y = -1.00 + 2.00 x_1") {
   *   throw new Error(p.toPowersOfX().toString());
   * }
   * ```
   */
  toPowersOfX(): TaylorPolynomial {
    return this.recenter(new Array<number>(this.dim).fill(0));
  }

  /**
   * The polynomial without its small terms: exact zeros and terms with
   * `|coefficient| < threshold` go, then at most `keep` of the largest stay.
   * The center and order are unchanged.
   *
   * @param options `threshold` and `keep`
   * @returns the pruned polynomial
   * @throws {RangeError} if `threshold` is negative or not a number, or
   *   `keep` is not a non-negative integer (or Infinity)
   * @example
   * ```ts
   * import { TaylorPolynomial } from "./polynomial.ts";
   * const p = new TaylorPolynomial([
   *   { exponents: [0, 0], coefficient: 0.01 },
   *   { exponents: [1, 0], coefficient: -0.02 },
   *   { exponents: [0, 1], coefficient: 0.45 },
   *   { exponents: [2, 0], coefficient: 0.53 },
   * ], { center: [0, 0] });
   * const text = p.prune({ threshold: 0.1 }).toString();
   * if (text !== "y = 0.45 x_2 + 0.53 x_1^2") throw new Error(text);
   * ```
   */
  prune(options: PruneOptions = {}): TaylorPolynomial {
    const { threshold = 0, keep = Infinity } = options;
    if (typeof threshold !== "number" || !(threshold >= 0)) {
      throw new RangeError(
        `Cannot prune with threshold "${threshold}": it must be a number ≥ 0`,
      );
    }
    if (keep !== Infinity && (!Number.isInteger(keep) || keep < 0)) {
      throw new RangeError(
        `Cannot prune keeping "${keep}" terms: it must be a non-negative integer`,
      );
    }
    const kept = this.#byMagnitude(false)
      .filter((j) => !(Math.abs(this.terms[j].coefficient) < threshold))
      .slice(0, keep)
      .map((j) => this.terms[j]);
    return new TaylorPolynomial(kept, {
      center: this.center,
      order: this.order,
    });
  }

  /**
   * The polynomial with every coefficient rounded to `digits` decimals (the
   * rounding `toFixed` and so `toString` use; `-0` becomes `0`). Terms that
   * round to zero stay, with coefficient 0; `prune()` removes them.
   *
   * @param digits decimals, an integer in 0..20
   * @returns the rounded polynomial
   * @throws {RangeError} if `digits` is not an integer in 0..20
   * @example
   * ```ts
   * import { TaylorPolynomial } from "./polynomial.ts";
   * const p = new TaylorPolynomial([{ exponents: [1], coefficient: 0.5349 }], { center: [0] });
   * if (p.round(2).coefficientOf([1]) !== 0.53) throw new Error("expected 0.53");
   * ```
   */
  round(digits: number): TaylorPolynomial {
    checkDigits(digits, "round");
    const terms = this.terms.map((t) => ({
      exponents: t.exponents,
      coefficient: Number(t.coefficient.toFixed(digits)) + 0,
    }));
    return new TaylorPolynomial(terms, {
      center: this.center,
      order: this.order,
    });
  }

  /**
   * The `k` largest terms by `|coefficient|`, largest first (ties: lower
   * degree first, then graded order); exact zeros are never listed.
   *
   * @param k how many terms at most
   * @returns up to `k` terms
   * @throws {RangeError} if `k` is not a non-negative integer
   * @example
   * ```ts
   * import { TaylorPolynomial } from "./polynomial.ts";
   * const p = new TaylorPolynomial([
   *   { exponents: [0, 1], coefficient: 0.45 },
   *   { exponents: [2, 0], coefficient: -0.53 },
   *   { exponents: [1, 1], coefficient: 0.06 },
   * ], { center: [0, 0] });
   * const [first, second] = p.topK(2);
   * if (first.coefficient !== -0.53 || second.coefficient !== 0.45) {
   *   throw new Error("wrong order");
   * }
   * ```
   */
  topK(k: number): Term[] {
    if (!Number.isInteger(k) || k < 0) {
      throw new RangeError(
        `Cannot take the top "${k}" terms: it must be a non-negative integer`,
      );
    }
    return this.#byMagnitude(false).slice(0, k).map((j) => this.terms[j]);
  }

  /**
   * The polynomial as text, `y = 0.50 x_2 + 0.51 x_1^2`; with a center
   * coordinate `c ≠ 0` its variable renders shifted, `(x_1 - 0.5)` or
   * `(x_1 + 0.5)^2`. Exact zeros are skipped (`y = 0` when none is left);
   * every other term prints, even when it rounds to `0.00`; but when the
   * largest does, every coefficient gets more decimals (`y = 0.0000086 x_1
   * - 0.0000006 x_2`, not `y = 0.00 x_1 - 0.00 x_2`).
   *
   * @param options `digits`, `variable`, `output`, `sort`
   * @returns the equation
   * @throws {RangeError} if `digits` is not an integer in 0..20
   * @example
   * ```ts
   * import { TaylorPolynomial } from "./polynomial.ts";
   * const p = new TaylorPolynomial([
   *   { exponents: [0, 0], coefficient: -0.13 },
   *   { exponents: [1, 0], coefficient: -0.51 },
   *   { exponents: [2, 0], coefficient: 0.5 },
   * ], { center: [-0.5, -0.5] });
   * const text = p.toString();
   * if (text !== "y = -0.13 - 0.51 (x_1 + 0.5) + 0.50 (x_1 + 0.5)^2") {
   *   throw new Error(text);
   * }
   * ```
   */
  toString(options: RenderOptions = {}): string {
    return this.#render("text", options);
  }

  /**
   * The polynomial as LaTeX, `y = 0.50 x_{2} + 0.51 x_{1}^{2}`, with the
   * same rules as {@link TaylorPolynomial.toString}.
   *
   * @param options `digits`, `variable`, `output`, `sort`
   * @returns the LaTeX equation (no surrounding `$`)
   * @throws {RangeError} if `digits` is not an integer in 0..20
   * @example
   * ```ts
   * import { TaylorPolynomial } from "./polynomial.ts";
   * const p = new TaylorPolynomial(
   *   [{ exponents: [0, 1], coefficient: 0.5 }, { exponents: [2, 0], coefficient: 0.51 }],
   *   { center: [0, 0] },
   * );
   * if (p.toLatex() !== "y = 0.50 x_{2} + 0.51 x_{1}^{2}") throw new Error(p.toLatex());
   * ```
   */
  toLatex(options: RenderOptions = {}): string {
    return this.#render("latex", options);
  }

  /**
   * The plain-data form for `expansion.json`: `dim`, `order`, `center` and
   * the terms largest first (ties: lower degree first, then graded order).
   * `JSON.stringify(p)` calls it.
   *
   * @returns fresh plain objects and arrays
   * @example
   * ```ts
   * import { TaylorPolynomial } from "./polynomial.ts";
   * const p = new TaylorPolynomial(
   *   [{ exponents: [0, 1], coefficient: 0.5 }, { exponents: [2, 0], coefficient: 0.51 }],
   *   { center: [0, 0] },
   * );
   * const text = JSON.stringify(p.toJSON().terms[0]);
   * if (text !== '{"exponents":[2,0],"coefficient":0.51}') throw new Error(text);
   * ```
   */
  toJSON(): TaylorPolynomialJSON {
    return {
      dim: this.dim,
      order: this.order,
      center: [...this.center],
      terms: this.#byMagnitude(true).map((j) => ({
        exponents: [...this.terms[j].exponents],
        coefficient: this.terms[j].coefficient,
      })),
    };
  }

  /**
   * Term positions by decreasing `|coefficient|`; ties keep graded order
   * (the stable sort over graded positions), NaN last. Exact zeros are
   * listed last when `withZeros`, else left out.
   */
  #byMagnitude(withZeros: boolean): number[] {
    const size = (j: number): number => {
      const m = Math.abs(this.terms[j].coefficient);
      return Number.isNaN(m) ? -1 : m;
    };
    return this.terms
      .map((_, j) => j)
      .filter((j) => withZeros || this.terms[j].coefficient !== 0)
      .sort((a, b) => size(b) - size(a));
  }

  #render(syntax: "text" | "latex", options: RenderOptions): string {
    const { digits = 2, variable = "x", output = "y", sort = "degree" } =
      options;
    checkDigits(digits, "render");
    if (sort !== "degree" && sort !== "magnitude") {
      throw new RangeError(
        `Cannot render sorted by "${sort}": expected "degree" or "magnitude"`,
      );
    }
    const order = sort === "degree"
      ? this.terms.map((_, j) => j)
      : this.#byMagnitude(false);
    const terms = order.map((j) => ({
      vars: this.#monomials[j].vars,
      exps: this.#monomials[j].exps,
      coefficient: this.terms[j].coefficient,
    }));
    return renderPolynomial(terms, this.center, {
      syntax,
      digits,
      variable,
      output,
    });
  }
}

/** A finite point as a fresh array, of length `dim` when given (else ≥ 1). */
function checkPoint(
  point: readonly number[],
  dim: number | undefined,
  what: string,
): number[] {
  const text = Array.isArray(point) ? `[${point}]` : String(point);
  if (!Array.isArray(point) || point.length === 0) {
    throw new RangeError(
      `Cannot ${what} "${text}": expected a non-empty array of numbers`,
    );
  }
  if (dim !== undefined && point.length !== dim) {
    throw new RangeError(
      `Cannot ${what} "${text}": expected ${dim} coordinates`,
    );
  }
  if (!point.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw new RangeError(
      `Cannot ${what} "${text}": coordinates must be finite numbers`,
    );
  }
  return [...point];
}

function checkDigits(digits: number, what: string): void {
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new RangeError(
      `Cannot ${what} to "${digits}" digits: expected an integer in 0..20`,
    );
  }
}

/** Points as one flat array of `count × dim` coordinates. */
function flattenPoints(
  points: readonly ArrayLike<number>[] | Float64Array | Float32Array,
  dim: number,
): ArrayLike<number> {
  if (points instanceof Float64Array || points instanceof Float32Array) {
    if (points.length % dim !== 0) {
      throw new RangeError(
        `Cannot evaluate at points "${points.constructor.name}(${points.length})": length is not a multiple of ${dim}`,
      );
    }
    return points;
  }
  const flat = new Float64Array(points.length * dim);
  points.forEach((row, p) => {
    if (row.length !== dim) {
      throw new RangeError(
        `Cannot evaluate at point "[${
          Array.from(row)
        }]": expected ${dim} coordinates`,
      );
    }
    for (let i = 0; i < dim; i++) flat[p * dim + i] = row[i];
  });
  return flat;
}
