/**
 * The monomial basis of a jet and the product of its homogeneous parts
 * (private to `lib/taylor/`).
 *
 * A jet of order `n` in `v` variables stores, for every degree `k ≤ n`, a
 * *block*: the `n_k = C(k + v − 1, k)` coefficients of the degree-`k`
 * monomials, stacked on axis 0 in the graded order of `_multi_index.ts`
 * (sorted variable tuples in lexicographic order). A univariate basis
 * (`v = 1`) has one coefficient per degree.
 *
 * The product of a degree-`j` block and a degree-`l` block is the degree
 * `j + l` block `c_γ = Σ_{α+β=γ} a_α b_β`. It is built from kernels every
 * tfjs backend has, including wasm (which has no `UnsortedSegmentSum`, and
 * whose `GatherV2` and `Slice` copy far more than they return): one
 * broadcast multiply forms every pair `a_α b_β`, and one sorted
 * `SparseSegmentSum` adds the pairs that land on the same `γ`.
 *
 * @module
 */

import { type Tensor, tf } from "../deps.ts";
import { binomial, multiIndicesOfDegree } from "./_multi_index.ts";

/** How the pairs of a block product are summed into monomials. */
interface ProductPlan {
  /** Pair rows `α·n_l + β`, sorted by the monomial `α + β` they land on. */
  indices: tf.Tensor1D;
  /** The monomial (rank within degree `j + l`) of each sorted pair. */
  segments: tf.Tensor1D;
}

/** Monomials of total degree ≤ `order` in `vars` variables. */
export class Basis {
  /** Number of variables (1 for a univariate jet). */
  readonly vars: number;
  /** Highest total degree. */
  readonly order: number;
  /** `counts[k]`, the number of monomials of degree exactly `k`. */
  readonly counts: readonly number[];
  private readonly plans = new Map<string, ProductPlan>();
  private readonly exponentCache = new Map<number, number[][]>();

  /**
   * @param vars number of variables, ≥ 1
   * @param order highest total degree, ≥ 0
   */
  constructor(vars: number, order: number) {
    this.vars = vars;
    this.order = order;
    const counts: number[] = [];
    for (let k = 0; k <= order; k++) counts.push(binomial(k + vars - 1, k));
    this.counts = counts;
  }

  /** Total number of monomials, `C(order + vars, vars)`. */
  get size(): number {
    return this.counts.reduce((a, b) => a + b, 0);
  }

  /**
   * The exponent vectors of degree `k`, in block order.
   *
   * @param k the degree
   * @returns `counts[k]` exponent vectors (shared; do not modify)
   */
  exponents(k: number): number[][] {
    let list = this.exponentCache.get(k);
    if (!list) {
      list = multiIndicesOfDegree(this.vars, k);
      this.exponentCache.set(k, list);
    }
    return list;
  }

  /**
   * The position of the monomial `x^γ` within its degree block: the number
   * of sorted tuples of the same length that precede its own sorted tuple
   * `(t_0 ≤ t_1 ≤ …)` lexicographically. At position `p`, the tuples that
   * put a smaller value `v ∈ [t_{p−1}, t_p)` there are followed by any
   * non-decreasing tail of length `r = k − p − 1` over `[v, vars)`:
   * `C(vars − v + r − 1, r)` of them; the hockey-stick identity sums that
   * over `v` in closed form.
   *
   * @param gamma exponent vector of length `vars`
   * @returns the rank of `x^γ` within degree `|γ|`
   */
  rank(gamma: readonly number[]): number {
    const d = this.vars;
    let k = 0;
    for (const g of gamma) k += g;
    let rank = 0;
    let p = 0;
    let previous = 0;
    for (let variable = 0; variable < d; variable++) {
      for (let repeat = 0; repeat < gamma[variable]; repeat++) {
        const r = k - p - 1;
        rank += binomial(d - previous + r, r + 1) -
          binomial(d - variable + r, r + 1);
        previous = variable;
        p++;
      }
    }
    return rank;
  }

  /**
   * The product of a degree-`j` block and a degree-`l` block: the degree
   * `j + l` block of `a · b`. Blocks are `[n_j, ...rest]` and
   * `[n_l, ...rest]`; a degree-0 block may instead have any shape that
   * broadcasts against the other one.
   *
   * @param a block of degree `j`
   * @param b block of degree `l`
   * @param degrees `[j, l]`
   * @returns block of degree `j + l`
   */
  multiply(a: Tensor, b: Tensor, degrees: [number, number]): Tensor {
    const [j, l] = degrees;
    if (j === 0 || l === 0 || this.vars === 1) return tf.mul(a, b);
    const nj = this.counts[j];
    const nl = this.counts[l];
    const rest = a.shape.slice(1);
    const width = rest.reduce((x, y) => x * y, 1);
    // Every pair a_α b_β at once, as an [n_j, n_l, width] broadcast product.
    const pairs = tf.reshape(
      tf.mul(tf.reshape(a, [nj, 1, width]), tf.reshape(b, [1, nl, width])),
      [nj * nl, width],
    );
    const plan = this.plan(j, l);
    const summed = tf.sparse.sparseSegmentSum(
      pairs,
      plan.indices,
      plan.segments,
    );
    return tf.reshape(summed, [this.counts[j + l], ...rest]);
  }

  /** Frees the index tensors of the cached product plans. */
  dispose(): void {
    for (const plan of this.plans.values()) {
      plan.indices.dispose();
      plan.segments.dispose();
    }
    this.plans.clear();
  }

  private plan(j: number, l: number): ProductPlan {
    const key = `${j},${l}`;
    let plan = this.plans.get(key);
    if (plan) return plan;
    const left = this.exponents(j);
    const right = this.exponents(l);
    const nl = right.length;
    const rows: number[] = [];
    const targets: number[] = [];
    const sum = new Array<number>(this.vars);
    left.forEach((alpha, a) => {
      right.forEach((beta, b) => {
        for (let i = 0; i < this.vars; i++) sum[i] = alpha[i] + beta[i];
        rows.push(a * nl + b);
        targets.push(this.rank(sum));
      });
    });
    const order = rows.map((_, i) => i).sort((x, y) =>
      targets[x] - targets[y] || x - y
    );
    plan = tf.tidy(() => ({
      indices: tf.keep(tf.tensor1d(order.map((i) => rows[i]), "int32")),
      segments: tf.keep(tf.tensor1d(order.map((i) => targets[i]), "int32")),
    }));
    this.plans.set(key, plan);
    return plan;
  }
}
