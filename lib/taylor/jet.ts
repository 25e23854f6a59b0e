/**
 * Truncated Taylor arithmetic on tfjs tensors ("jets"), the core of the
 * forward Taylor mode (DESIGN section 1).
 *
 * A jet of order `n` stands for every tensor `z(x)` of a network by its
 * Taylor polynomial in `x − x0` truncated at total degree `n`, batched over
 * `P` expansion points. **Convention**: a jet stores *coefficients*
 * `∂^α z(x0) / α!`; the *derivatives* `∂^α z(x0)` that `dk.npy` holds are the
 * coefficients times `α!`.
 *
 * Layout: `blocks[k]` holds the homogeneous part of degree `k`.
 * - `blocks[0]`, the value `z(x0)`, has shape `[1, P, 1, ...shape]`;
 * - `blocks[k]`, `k ≥ 1`, has shape `[n_k, P, R, ...shape]`, where `n_k`
 *   counts the monomials of degree `k` and `R` the *replicas*: independent
 *   jets that share the value (one per input coordinate for
 *   `mixed: "none"`, one per direction for `"directions"`, a single one for
 *   `"all"`), so the value is computed once per point;
 * - `blocks[k] = null` means the degree-`k` part is exactly zero (a linear
 *   input has nothing above degree 1 until the first non-linearity), which
 *   the arithmetic skips.
 *
 * `shape` is the per-sample internal shape (images NHWC `[H, W, C]`).
 * Methods return new jets and never dispose their inputs: run them inside
 * `tf.tidy`.
 *
 * @module
 */

import { type Tensor, tf } from "../deps.ts";
import { toInternal } from "../nn/layer.ts";
import { Basis } from "./_series.ts";

/** One homogeneous part of a jet, or `null` when it is exactly zero. */
export type Block = Tensor | null;

/** The fields of a {@linkcode Jet}. */
export interface JetInit {
  /** The monomials the blocks are written in. */
  basis: Basis;
  /** `blocks[k]`, k = 0 … order (`blocks[0]` is never null). */
  blocks: Block[];
  /** Per-sample internal shape of the tensor. */
  shape: readonly number[];
  /** Number of expansion points `P`. */
  points: number;
  /** Number of replicas `R`. */
  replicas: number;
  /**
   * Whether a piecewise-linear layer (ReLU, LeakyReLU, MaxPool) was passed.
   * @default false
   */
  piecewiseLinear?: boolean;
}

/** Options of {@linkcode Jet.variables}. */
export interface VariablesOptions {
  /** Highest total degree `n`. */
  order: number;
  /**
   * `"all"`: one multivariate jet in the `d` inputs; `"none"`: one
   * univariate jet per input coordinate; `"directions"`: one univariate jet
   * per row of `directions`.
   * @default "all"
   */
  mixed?: "all" | "none" | "directions";
  /**
   * Directions `[m, ...inputShape]` (external layout) for `"directions"`.
   * @default undefined
   */
  directions?: Tensor;
}

/**
 * A truncated Taylor polynomial of a tensor, batched over expansion points.
 *
 * @example
 * ```ts
 * import { Jet } from "./jet.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * // x ↦ x² at x0 = 3 (one input, order 2): coefficients 9, 6, 1
 * const y = tf.tidy(() => {
 *   const x = Jet.variables(tf.tensor2d([[3]]), { order: 2 });
 *   const sq = x.mul(x);
 *   return tf.concat(sq.blocks.map((b) => tf.reshape(b!, [-1])));
 * });
 * if (y.dataSync().join() !== "9,6,1") throw new Error(String(y.dataSync()));
 * ```
 */
export class Jet {
  /** The monomials the blocks are written in. */
  readonly basis: Basis;
  /** `blocks[k]`, the coefficients of degree `k` (see the module doc). */
  readonly blocks: readonly Block[];
  /** Per-sample internal shape. */
  readonly shape: readonly number[];
  /** Number of expansion points `P`. */
  readonly points: number;
  /** Number of replicas `R`. */
  readonly replicas: number;
  /** Whether a piecewise-linear layer was passed. */
  readonly piecewiseLinear: boolean;

  /**
   * Wraps blocks as a jet.
   *
   * @param init The blocks and their layout.
   */
  constructor(init: JetInit) {
    this.basis = init.basis;
    this.blocks = init.blocks;
    this.shape = init.shape;
    this.points = init.points;
    this.replicas = init.replicas;
    this.piecewiseLinear = init.piecewiseLinear ?? false;
  }

  /**
   * The input jet `x = x0 + (x − x0)`: value `x0`, degree 1 the unit
   * directions, nothing above.
   *
   * @param points Expansion points `[P, ...inputShape]`, external layout
   *   (images NCHW).
   * @param options Order, mode and directions.
   * @returns The jet of the network input, in internal layout.
   * @example
   * ```ts
   * import { Jet } from "./jet.ts";
   * import { tf } from "../deps.ts";
   * await tf.ready();
   * const x = Jet.variables(tf.zeros([5, 3]), { order: 4, mixed: "none" });
   * if (x.replicas !== 3 || x.points !== 5 || x.top !== 1) throw new Error();
   * ```
   */
  static variables(points: Tensor, options: VariablesOptions): Jet {
    const { order, mixed = "all" } = options;
    const [count, ...external] = points.shape;
    const d = external.reduce((a, b) => a * b, 1);
    const value = toInternal(points, external);
    const shape = value.shape.slice(1);
    const directions = options.directions ??
      tf.reshape(tf.eye(d), [d, ...external]);
    const m = directions.shape[0];
    const internal = tf.reshape(toInternal(directions, external), [
      ...(mixed === "all" ? [m, 1, 1] : [1, 1, m]),
      ...shape,
    ]);
    // Repeat over the points by a broadcast product (wasm's Tile is slow).
    const first = count === 1 ? internal : tf.mul(
      internal,
      tf.ones(internal.shape.map((_, i) => i === 1 ? count : 1)),
    );
    const basis = mixed === "all" ? new Basis(d, order) : new Basis(1, order);
    const blocks: Block[] = [tf.reshape(value, [1, count, 1, ...shape])];
    if (order >= 1) blocks.push(first);
    while (blocks.length <= order) blocks.push(null);
    return new Jet({
      basis,
      blocks,
      shape,
      points: count,
      replicas: mixed === "all" ? 1 : m,
    });
  }

  /**
   * The univariate jet `u0 + t` of the given order: its image under an
   * element-wise `σ` holds the Taylor coefficients `σ^{(k)}(u0) / k!`.
   *
   * @param u0 Values, any shape (a jet's `blocks[0]`).
   * @param order Highest degree.
   * @returns A univariate jet with blocks shaped like `u0`.
   * @example
   * ```ts
   * import { Jet } from "./jet.ts";
   * import { tf } from "../deps.ts";
   * await tf.ready();
   * const t = Jet.identity(tf.tensor([[2]]), 3);
   * if (t.top !== 1 || t.blocks[1]!.dataSync()[0] !== 1) throw new Error();
   * ```
   */
  static identity(u0: Tensor, order: number): Jet {
    const blocks: Block[] = [u0];
    if (order >= 1) blocks.push(tf.onesLike(u0));
    while (blocks.length <= order) blocks.push(null);
    return new Jet({
      basis: new Basis(1, order),
      blocks,
      shape: u0.shape.slice(3),
      points: u0.shape[1] ?? 1,
      replicas: 1,
    });
  }

  /** Highest total degree `n` the jet is truncated at. */
  get order(): number {
    return this.basis.order;
  }

  /** The highest degree with a non-zero block (0 for a constant). */
  get top(): number {
    for (let k = this.blocks.length - 1; k > 0; k--) {
      if (this.blocks[k] !== null) return k;
    }
    return 0;
  }

  /** The value `z(x0)`, shape `[1, P, 1, ...shape]`. */
  get value(): Tensor {
    return this.blocks[0] as Tensor;
  }

  /**
   * A jet with the same layout and other blocks.
   *
   * @param blocks The new blocks.
   * @param options A new per-sample shape; whether to mark the result
   *   piecewise linear (it stays marked once marked).
   * @returns The new jet.
   */
  withBlocks(
    blocks: Block[],
    options: { shape?: readonly number[]; piecewiseLinear?: boolean } = {},
  ): Jet {
    return new Jet({
      basis: this.basis,
      blocks,
      shape: options.shape ?? this.shape,
      points: this.points,
      replicas: this.replicas,
      piecewiseLinear: this.piecewiseLinear || !!options.piecewiseLinear,
    });
  }

  /**
   * Pushes the jet through an affine map `z ↦ L z + b` that acts on
   * batches: every coefficient goes through `L` on its own, folded into the
   * batch, and only the value gets the constant `b`.
   *
   * @param linear The linear part `L`, on a batch `[B, ...shape]`.
   * @param options `bias`: the constant `b`, broadcast against `L`'s output
   *   (default none); `batched`: one call of `L` for the value and every
   *   block (default false: one call per degree). Batching reads a large
   *   weight once instead of once per degree, but splitting the result
   *   copies it once per degree on wasm, so it pays only when the blocks are
   *   smaller than the weight.
   * @returns The image jet.
   */
  mapLinear(
    linear: (x: Tensor) => Tensor,
    options: { bias?: Tensor; batched?: boolean } = {},
  ): Jet {
    const { bias, batched = false } = options;
    const rows = (b: Tensor) => b.shape.slice(0, 3).reduce((m, n) => m * n, 1);
    const fold = (b: Tensor) => tf.reshape(b, [rows(b), ...this.shape]);
    const present = this.blocks.filter((b): b is Tensor => b !== null);
    const images = batched && present.length > 1
      ? tf.split(linear(tf.concat(present.map(fold))), present.map(rows))
      : present.map((b) => linear(fold(b)));
    const shape = images[0].shape.slice(1);
    let next = 0;
    const blocks = this.blocks.map((b, k) => {
      if (b === null) return null;
      const image = images[next++];
      const value = k === 0 && bias ? tf.add(image, bias) : image;
      return tf.reshape(value, [...b.shape.slice(0, 3), ...shape]);
    });
    return this.withBlocks(blocks, { shape });
  }

  /**
   * The sum of two jets of the same layout.
   *
   * @param other The other jet.
   * @returns `this + other`.
   */
  add(other: Jet): Jet {
    return this.withBlocks(
      this.blocks.map((a, k) => {
        const b = other.blocks[k];
        return a === null ? b : b === null ? a : tf.add(a, b);
      }),
      { piecewiseLinear: other.piecewiseLinear },
    );
  }

  /**
   * Adds a constant to the value.
   *
   * @param c The constant.
   * @returns `this + c`.
   */
  shift(c: number): Jet {
    return this.withBlocks([tf.add(this.value, c), ...this.blocks.slice(1)]);
  }

  /**
   * Multiplies every coefficient by a number.
   *
   * @param c The factor.
   * @returns `c · this`.
   */
  scale(c: number): Jet {
    return this.withBlocks(this.blocks.map((b) => b && tf.mul(b, c)));
  }

  /**
   * The truncated product of two jets of the same layout (a Cauchy product
   * over degrees, each term a product of homogeneous blocks).
   *
   * @param other The other factor.
   * @returns `this · other`, truncated at the order.
   */
  mul(other: Jet): Jet {
    const blocks: Block[] = [];
    for (let k = 0; k <= this.order; k++) {
      blocks.push(productOfDegree(this.basis, this.blocks, other.blocks, k));
    }
    return this.withBlocks(blocks, { piecewiseLinear: other.piecewiseLinear });
  }

  /**
   * The composition `σ(this)` for an element-wise `σ` given by its Taylor
   * coefficients `c_m = σ^{(m)}(u0) / m!` at the value `u0`:
   * `σ(u) = Σ_m c_m δ^m` with `δ = u − u0`. The powers of `δ` are truncated
   * products; `δ^m` starts at degree `m` and, for a jet of top degree `t`,
   * ends at `m·t`, so a linear `u` costs one block product per degree.
   *
   * @param coefficients `c_0 … c_n`, each shaped like the value (or
   *   broadcasting against it), `null` for a zero coefficient.
   * @returns The composed jet.
   */
  compose(coefficients: readonly Block[]): Jet {
    const n = this.order;
    const delta: Block[] = [null, ...this.blocks.slice(1)];
    const out: Block[] = [coefficients[0] ?? tf.zerosLike(this.value)];
    for (let k = 1; k <= n; k++) out.push(null);
    let power: Block[] = delta;
    for (let m = 1; m <= n; m++) {
      if (m > 1) {
        const next: Block[] = [];
        for (let k = 0; k <= n; k++) {
          next.push(
            k < m ? null : productOfDegree(this.basis, power, delta, k),
          );
        }
        power = next;
      }
      const c = coefficients[m];
      if (!c) continue;
      for (let k = m; k <= n; k++) {
        const p = power[k];
        if (p === null) continue;
        const term = tf.mul(c, p);
        out[k] = out[k] === null ? term : tf.add(out[k] as Tensor, term);
      }
    }
    return this.withBlocks(out);
  }

  /**
   * Solves `f_i' = g_i · u'` degree by degree, for unknowns `f_i = F_i(u)`
   * whose derivatives `g_i = F_i'(u)` are known in terms of the `f`'s (the
   * homogeneous-degree recurrence of DESIGN section 1): with `E` the Euler
   * operator, `E f = g · E u`, so
   * `k·f_k = Σ_{j=1..k} j·u_j·g_{k−j}`. Each step needs `g` only up to
   * degree `k − 1`, hence the recurrence closes.
   *
   * @param u The inner jet.
   * @param system `init`: the values `F_i(u0)`; `rhs(m, f)`: the degree-`m`
   *   blocks of every `h_i` given the blocks `f[i][0..m]`, where
   *   `g_i = scale_i · h_i` (`scale` defaults to all ones; a constant factor
   *   folded into the step costs nothing).
   * @returns One jet per unknown.
   * @example
   * ```ts
   * import { Jet } from "./jet.ts";
   * import { tf } from "../deps.ts";
   * await tf.ready();
   * // exp(u) at u = 0 + t: f' = f·u', coefficients 1/k!
   * const c = tf.tidy(() => {
   *   const u = Jet.identity(tf.zeros([1, 1, 1]), 4);
   *   const [f] = Jet.solve(u, {
   *     init: [tf.exp(u.value)],
   *     rhs: (m, f) => [f[0][m]],
   *   });
   *   return tf.concat(f.blocks.map((b) => tf.reshape(b!, [-1])));
   * });
   * if (Math.abs(c.dataSync()[4] - 1 / 24) > 1e-7) throw new Error();
   * ```
   */
  static solve(
    u: Jet,
    system: {
      init: Tensor[];
      rhs: (m: number, f: readonly Block[][]) => Block[];
      scale?: number[];
    },
  ): Jet[] {
    const n = u.order;
    const basis = u.basis;
    // E u: the degree-j part times j.
    const eu: Block[] = u.blocks.map((b, j) =>
      j === 0 || b === null ? null : j === 1 ? b : tf.mul(b, j)
    );
    const f: Block[][] = system.init.map((v) => [v]);
    const g: Block[][] = f.map(() => []);
    for (let k = 1; k <= n; k++) {
      const rhs = system.rhs(k - 1, f);
      rhs.forEach((block, i) => g[i].push(block));
      f.forEach((fi, i) => {
        const terms: Tensor[] = [];
        for (let j = 1; j <= k; j++) {
          const a = eu[j];
          const b = g[i][k - j];
          if (a && b) terms.push(basis.multiply(a, b, [j, k - j]));
        }
        const factor = (system.scale?.[i] ?? 1) / k;
        fi.push(terms.length === 0 ? null : tf.mul(addAll(terms), factor));
      });
    }
    return f.map((blocks) => u.withBlocks(blocks));
  }

  /**
   * Keeps one feature of the per-sample tensor (the expanded output).
   *
   * @param index Flat index into the per-sample internal shape.
   * @returns A jet of shape `[1]`.
   */
  select(index: number): Jet {
    const size = this.shape.reduce((a, b) => a * b, 1);
    return this.withBlocks(
      this.blocks.map((b) => {
        if (b === null) return null;
        const lead = b.shape.slice(0, 3);
        const flat = tf.reshape(b, [lead[0] * lead[1] * lead[2], size]);
        return tf.reshape(tf.slice(flat, [0, index], [-1, 1]), [...lead, 1]);
      }),
      { shape: [1] },
    );
  }

  /** Frees every block. */
  dispose(): void {
    for (const b of this.blocks) b?.dispose();
  }
}

/** `Σ_{i=0..k} a_i · b_{k−i}`, the degree-`k` block of a product. */
function productOfDegree(
  basis: Basis,
  a: readonly Block[],
  b: readonly Block[],
  k: number,
): Block {
  const terms: Tensor[] = [];
  if (a === b) {
    // A square: a_i b_{k−i} and a_{k−i} b_i coincide, so take each pair once.
    for (let i = 0; 2 * i <= k; i++) {
      const x = a[i];
      const y = a[k - i];
      if (!x || !y) continue;
      const p = basis.multiply(x, y, [i, k - i]);
      terms.push(2 * i === k ? p : tf.add(p, p));
    }
  } else {
    for (let i = 0; i <= k; i++) {
      const x = a[i];
      const y = b[k - i];
      if (x && y) terms.push(basis.multiply(x, y, [i, k - i]));
    }
  }
  return terms.length === 0 ? null : addAll(terms);
}

/** The sum of a non-empty list of same-shape tensors. */
function addAll(terms: Tensor[]): Tensor {
  return terms.length === 1 ? terms[0] : tf.addN(terms);
}

/**
 * The degree-`k` block of the square of a jet's blocks; exported for the
 * rules (tanh and sigmoid need `t²`).
 *
 * @param basis The monomials.
 * @param blocks The blocks of the jet.
 * @param k The degree.
 * @returns `(t²)_k`, or `null` when zero.
 */
export function squareOfDegree(
  basis: Basis,
  blocks: readonly Block[],
  k: number,
): Block {
  return productOfDegree(basis, blocks, blocks, k);
}
