/**
 * A float64 reference for a network's outputs and derivatives, in plain
 * JavaScript numbers with no tfjs arithmetic, to check the engine's three
 * methods (which compute in float32 on tfjs) against something independent.
 *
 * It is forward Taylor mode written plainly: every element of every tensor
 * carries its truncated Taylor polynomial in `q` variables `t` up to total
 * degree `n`, as a dense array over the monomials (graded order), pushed
 * through the layers in float64 from the network's float32 parameters:
 *
 * - affine layers (Linear, Conv2d, AvgPool2d) act on every coefficient;
 *   the bias touches only the constant one;
 * - an element-wise `σ` composes the univariate series of `σ` at `u0` with
 *   the polynomial `δ = u − u0` by Horner's rule,
 *   `σ(u) = Σ_m σ^{(m)}(u0)/m! · δ^m`, products truncated at degree `n`;
 *   the series of `σ` at `u0` come from closed forms (sine), the ODEs
 *   `tanh' = 1 − tanh²` and `s' = s − s²` (degree by degree), Hermite
 *   polynomials for the normal density (GELU), and `exp` (ELU);
 * - ReLU, LeakyReLU, ELU and MaxPool2d take the branch of `u0` (a kink
 *   at `u0` itself is resolved as the engine does: `u0 > 0` is the
 *   positive branch, the first maximum wins).
 *
 * With `mixed: "all"` the variables are the inputs themselves
 * (`x = x0 + t`), so every mixed partial `∂^α y = α! · [t^α] y` comes out
 * exactly; with `"directions"` (and `"none"`, the unit vectors) each
 * direction `v` is one univariate series along `x0 + t v`. The cost grows
 * with the number of monomials `C(n + d, d)` for `"all"`: meant for small
 * inputs and orders, and for checking, not speed.
 *
 * Convention, as in the engine: returned "derivatives" are `∂^α y(x0)`, in
 * the layout of `dk.npy` (DESIGN section 2).
 *
 * @module
 */

import type { Network } from "../nn/network.ts";
import type { LayerSpec } from "../nn/spec.ts";

/** Options of {@linkcode referenceDerivatives}. */
export interface Reference64Options {
  /** Highest order `n` (an integer ≥ 0). */
  order: number;
  /**
   * Which partials: every mixed partial (`"all"`, `dk` of shape `[d]*k`),
   * `∂^k y/∂x_i^k` for every input (`"none"`, shape `[d]`), or `∂^k y/∂v^k`
   * for each of `directions` (`"directions"`, shape `[m]`).
   * @default "all"
   */
  mixed?: "all" | "none" | "directions";
  /**
   * Directions `[m][d]` for `mixed: "directions"`.
   * @default undefined
   */
  directions?: readonly (readonly number[])[];
  /**
   * Flat index of the network output to differentiate.
   * @default 0
   */
  output?: number;
}

/** Options of {@linkcode referenceOutputs}. */
export interface ReferenceOutputsOptions {
  /**
   * Flat index of the network output to return.
   * @default 0
   */
  output?: number;
}

/**
 * The derivatives of one network output at a point, up to `order`, in
 * float64 (see the module doc for how).
 *
 * @param network The network (its parameters are read once, as float32).
 * @param point The expansion point `x0`, flattened (images NCHW).
 * @param options `order`; `mixed` (default `"all"`); `directions`;
 *   `output` (default 0).
 * @returns `derivatives[k]`, k = 0 … order, flat in the layout of `dk.npy`:
 *   `[d]*k` for `"all"`, `[d]` for `"none"`, `[m]` for `"directions"`
 *   (`derivatives[0]` holds the value `y(x0)`).
 * @throws {Error} `Cannot compute a float64 reference …` for an order that
 *   is not an integer ≥ 0, a point or direction of the wrong length, a
 *   missing `directions`, an output index out of range, or a layer type it
 *   has no rule for.
 * @example
 * ```ts
 * import { referenceDerivatives } from "./reference64.ts";
 * import { Network } from "../nn/network.ts";
 * import { tf } from "../deps.ts";
 * // y = sin(2 x1 + x2), so ∂²y/∂x1∂x2 = −2 sin(2 x1 + x2)
 * const net = Network.create({
 *   format: "hope-network/1",
 *   input: [2],
 *   layers: ["Linear_2_1", "Sine"],
 * }, {
 *   parameters: new Map<string, tf.Tensor>([
 *     ["0.weight.npy", tf.tensor2d([[2, 1]])],
 *     ["0.bias.npy", tf.tensor1d([0])],
 *   ]),
 * });
 * const d = referenceDerivatives(net, [0.25, 0.5], { order: 2 });
 * // d[2] is the 2×2 Hessian in C order; entry (0, 1) is index 1
 * if (Math.abs(d[2][1] + 2 * Math.sin(1)) > 1e-15) throw new Error(`${d[2]}`);
 * net.dispose();
 * ```
 */
export function referenceDerivatives(
  network: Network,
  point: readonly number[],
  options: Reference64Options,
): Float64Array[] {
  const { order, output = 0 } = options;
  const mixed = options.mixed ?? "all";
  const d = inputSize(network);
  if (!Number.isInteger(order) || order < 0) {
    throw new Error(
      `Cannot compute a float64 reference of order "${order}": expected an integer ≥ 0`,
    );
  }
  checkPoint(point, d);
  checkOutput(network, output);
  if (mixed === "all") {
    const basis = new Basis(d, order);
    const coefficients = propagate(network, {
      basis,
      batch: 1,
      seed: (x, stride) => {
        for (let i = 0; i < d; i++) {
          x[i * stride] = point[i];
          if (order > 0) x[i * stride + basis.unit(i)] = 1;
        }
      },
      output,
    });
    return allPartials(basis, coefficients, d);
  }
  let directions: readonly (readonly number[])[];
  if (mixed === "none") {
    directions = Array.from({ length: d }, (_, i) => {
      const v = new Array(d).fill(0);
      v[i] = 1;
      return v;
    });
  } else if (mixed === "directions") {
    if (!options.directions || options.directions.length === 0) {
      throw new Error(
        `Cannot compute a float64 reference with mixed "directions": no directions given`,
      );
    }
    directions = options.directions;
    directions.forEach((v, r) => {
      if (v.length !== d) {
        throw new Error(
          `Cannot compute a float64 reference along direction ${r} "[${v}]": expected ${d} numbers (the input size)`,
        );
      }
    });
  } else {
    throw new Error(
      `Cannot compute a float64 reference with mixed "${mixed}": expected "all", "none" or "directions"`,
    );
  }
  const basis = new Basis(1, order);
  const m = directions.length;
  const out = Array.from({ length: order + 1 }, () => new Float64Array(m));
  const chunk = chunkSize(network, order + 1);
  for (let start = 0; start < m; start += chunk) {
    const rows = directions.slice(start, start + chunk);
    const coefficients = propagate(network, {
      basis,
      batch: rows.length,
      seed: (x, stride) => {
        rows.forEach((v, r) => {
          for (let i = 0; i < d; i++) {
            const at = i * stride + r * (order + 1);
            x[at] = point[i];
            if (order > 0) x[at + 1] = v[i];
          }
        });
      },
      output,
    });
    let factorial = 1;
    for (let k = 0; k <= order; k++) {
      if (k > 0) factorial *= k;
      for (let r = 0; r < rows.length; r++) {
        out[k][start + r] = coefficients[r * (order + 1) + k] * factorial;
      }
    }
  }
  return out;
}

/**
 * The network's output at many points, in float64 from its float32
 * parameters: what the engine's float32 forward pass approximates.
 *
 * @param network The network.
 * @param points Rows of `d` numbers, or one flat array of `P × d`.
 * @param options `output` (default 0).
 * @returns One value per point.
 * @throws {Error} `Cannot compute a float64 reference …` for rows of the
 *   wrong length, an output index out of range, or an unknown layer type.
 * @example
 * ```ts
 * import { referenceOutputs } from "./reference64.ts";
 * import { Network } from "../nn/network.ts";
 * import { tf } from "../deps.ts";
 * const net = Network.create({
 *   format: "hope-network/1",
 *   input: [1],
 *   layers: ["Linear_1_1", "Tanh"],
 * }, {
 *   parameters: new Map<string, tf.Tensor>([
 *     ["0.weight.npy", tf.tensor2d([[0.5]])],
 *     ["0.bias.npy", tf.tensor1d([0])],
 *   ]),
 * });
 * const y = referenceOutputs(net, [[1], [2]]);
 * if (y[1] !== Math.tanh(1)) throw new Error(`${y}`);
 * net.dispose();
 * ```
 */
export function referenceOutputs(
  network: Network,
  points: readonly (readonly number[])[] | Float64Array,
  options: ReferenceOutputsOptions = {},
): Float64Array {
  const { output = 0 } = options;
  const d = inputSize(network);
  let flat: Float64Array;
  if (points instanceof Float64Array) {
    if (points.length % d !== 0) {
      throw new Error(
        `Cannot compute a float64 reference at points "Float64Array(${points.length})": length is not a multiple of ${d}`,
      );
    }
    flat = points;
  } else {
    flat = new Float64Array(points.length * d);
    points.forEach((p, i) => {
      checkPoint(p, d);
      flat.set(p, i * d);
    });
  }
  checkOutput(network, output);
  const count = flat.length / d;
  const out = new Float64Array(count);
  const basis = new Basis(0, 0);
  const chunk = chunkSize(network, 1);
  for (let start = 0; start < count; start += chunk) {
    const size = Math.min(chunk, count - start);
    const values = propagate(network, {
      basis,
      batch: size,
      seed: (x, stride) => {
        for (let r = 0; r < size; r++) {
          for (let i = 0; i < d; i++) {
            x[i * stride + r] = flat[(start + r) * d + i];
          }
        }
      },
      output,
    });
    out.set(values, start);
  }
  return out;
}

/**
 * The monomials in `q` variables of total degree ≤ `n`, in graded order,
 * with the table of products that stay within degree `n`.
 */
class Basis {
  /** Number of monomials `K = C(n + q, q)`. */
  readonly size: number;
  /** Exponent vectors, in graded order. */
  readonly monomials: number[][] = [];
  /**
   * Products `(a, b, c)` meaning `t^a · t^b = t^c`, for every pair with
   * `deg b ≥ 1` (the factor `δ` of Horner's rule has no constant term).
   */
  readonly products: Int32Array;
  readonly #index = new Map<string, number>();

  constructor(readonly q: number, readonly n: number) {
    for (let degree = 0; degree <= n; degree++) {
      for (const e of exponentsOfDegree(q, degree)) {
        this.#index.set(e.join(), this.monomials.length);
        this.monomials.push(e);
      }
    }
    if (q === 0) {
      this.#index.set("", 0);
      this.monomials.splice(0, this.monomials.length, []);
    }
    this.size = this.monomials.length;
    const triples: number[] = [];
    this.monomials.forEach((a, ia) => {
      const da = sum(a);
      this.monomials.forEach((b, ib) => {
        const db = sum(b);
        if (db === 0 || da + db > n) return;
        triples.push(ia, ib, this.indexOf(a.map((e, r) => e + b[r])));
      });
    });
    this.products = Int32Array.from(triples);
  }

  /** Index of an exponent vector. */
  indexOf(exponents: readonly number[]): number {
    return this.#index.get(exponents.join())!;
  }

  /** Index of the monomial `t_i`. */
  unit(i: number): number {
    const e = new Array(this.q).fill(0);
    e[i] = 1;
    return this.indexOf(e);
  }
}

/** Every exponent vector of `q` entries summing to `degree`, first entry largest first. */
function exponentsOfDegree(q: number, degree: number): number[][] {
  if (q === 0) return degree === 0 ? [[]] : [];
  if (q === 1) return [[degree]];
  const out: number[][] = [];
  for (let a = degree; a >= 0; a--) {
    for (const rest of exponentsOfDegree(q - 1, degree - a)) {
      out.push([a, ...rest]);
    }
  }
  return out;
}

function sum(e: readonly number[]): number {
  return e.reduce((s, x) => s + x, 0);
}

/**
 * A tensor of truncated polynomials for a batch: element `e`, batch item
 * `b`, coefficient `k` at `data[(e · batch + b) · K + k]`; `shape` is the
 * per-sample shape (NCHW or flat).
 */
interface PolyTensor {
  shape: number[];
  data: Float64Array;
}

/** What {@linkcode propagate} pushes through the network. */
interface Propagation {
  basis: Basis;
  batch: number;
  /** Writes the input polynomials; `stride = batch · K` per input element. */
  seed: (x: Float64Array, stride: number) => void;
  output: number;
}

/**
 * Pushes the seeded input polynomials through every layer and returns the
 * polynomials of output element `output`, `[batch][K]`.
 */
function propagate(network: Network, p: Propagation): Float64Array {
  const parameters = readParameters(network);
  const K = p.basis.size;
  const stride = p.batch * K;
  const shape = [...network.spec.input];
  const x0 = new Float64Array(product(shape) * stride);
  p.seed(x0, stride);
  let x: PolyTensor = { shape, data: x0 };
  const scratch = new Scratch(p.basis);
  network.spec.layers.forEach((spec, index) => {
    x = applyLayer(spec, x, { index, parameters, stride, K, scratch });
  });
  return x.data.slice(p.output * stride, (p.output + 1) * stride);
}

function readParameters(network: Network): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const [name, tensor] of network.exportParameters()) {
    out.set(name, Float64Array.from(tensor.dataSync()));
    tensor.dispose();
  }
  return out;
}

interface LayerContext {
  index: number;
  parameters: Map<string, Float64Array>;
  stride: number;
  K: number;
  scratch: Scratch;
}

function applyLayer(
  spec: LayerSpec,
  x: PolyTensor,
  ctx: LayerContext,
): PolyTensor {
  const { stride, K } = ctx;
  switch (spec.type) {
    case "Linear": {
      const w = ctx.parameters.get(spec.weight!)!;
      const bias = spec.bias ? ctx.parameters.get(spec.bias) : undefined;
      const out = new Float64Array(spec.out * stride);
      for (let o = 0; o < spec.out; o++) {
        const to = o * stride;
        for (let i = 0; i < spec.in; i++) {
          const wi = w[o * spec.in + i];
          if (wi === 0) continue;
          const from = i * stride;
          for (let j = 0; j < stride; j++) out[to + j] += wi * x.data[from + j];
        }
        if (bias) {
          for (let j = 0; j < stride; j += K) out[to + j] += bias[o];
        }
      }
      return { shape: [spec.out], data: out };
    }
    case "Conv2d": {
      const w = ctx.parameters.get(spec.weight!)!;
      const bias = spec.bias ? ctx.parameters.get(spec.bias) : undefined;
      const [c, h, wd] = x.shape;
      const [kh, kw] = spec.kernel;
      const [sh, sw] = spec.stride;
      const [ph, pw] = spec.padding;
      const oh = Math.floor((h + 2 * ph - kh) / sh) + 1;
      const ow = Math.floor((wd + 2 * pw - kw) / sw) + 1;
      const out = new Float64Array(spec.out * oh * ow * stride);
      for (let o = 0; o < spec.out; o++) {
        for (let i = 0; i < oh; i++) {
          for (let j = 0; j < ow; j++) {
            const to = ((o * oh + i) * ow + j) * stride;
            for (let ci = 0; ci < c; ci++) {
              for (let a = 0; a < kh; a++) {
                const r = i * sh + a - ph;
                if (r < 0 || r >= h) continue;
                for (let b = 0; b < kw; b++) {
                  const col = j * sw + b - pw;
                  if (col < 0 || col >= wd) continue;
                  const wi = w[((o * c + ci) * kh + a) * kw + b];
                  const from = ((ci * h + r) * wd + col) * stride;
                  for (let s = 0; s < stride; s++) {
                    out[to + s] += wi * x.data[from + s];
                  }
                }
              }
            }
            if (bias) {
              for (let s = 0; s < stride; s += K) out[to + s] += bias[o];
            }
          }
        }
      }
      return { shape: [spec.out, oh, ow], data: out };
    }
    case "AvgPool2d":
    case "MaxPool2d": {
      const [c, h, wd] = x.shape;
      const [kh, kw] = spec.kernel;
      const [sh, sw] = spec.stride;
      const oh = Math.floor((h - kh) / sh) + 1;
      const ow = Math.floor((wd - kw) / sw) + 1;
      const out = new Float64Array(c * oh * ow * stride);
      const average = spec.type === "AvgPool2d";
      for (let ci = 0; ci < c; ci++) {
        for (let i = 0; i < oh; i++) {
          for (let j = 0; j < ow; j++) {
            const to = ((ci * oh + i) * ow + j) * stride;
            const cells: number[] = [];
            for (let a = 0; a < kh; a++) {
              for (let b = 0; b < kw; b++) {
                cells.push(((ci * h + i * sh + a) * wd + j * sw + b) * stride);
              }
            }
            if (average) {
              const scale = 1 / cells.length;
              for (const from of cells) {
                for (let s = 0; s < stride; s++) {
                  out[to + s] += scale * x.data[from + s];
                }
              }
              continue;
            }
            // Each batch item follows the window element of largest value.
            for (let s = 0; s < stride; s += K) {
              let best = cells[0];
              for (const from of cells) {
                if (x.data[from + s] > x.data[best + s]) best = from;
              }
              for (let k = 0; k < K; k++) {
                out[to + s + k] = x.data[best + s + k];
              }
            }
          }
        }
      }
      return { shape: [c, oh, ow], data: out };
    }
    case "Flatten":
      return { shape: [product(x.shape)], data: x.data };
    case "Unflatten":
      return { shape: [...spec.shape], data: x.data };
    case "Identity":
    case "Dropout":
    case "Dropout2d":
      return x;
    default: {
      const series = activationSeries(spec, ctx.index);
      const out = new Float64Array(x.data.length);
      const n = ctx.scratch.basis.n;
      const c = new Float64Array(n + 1);
      for (let s = 0; s < x.data.length; s += K) {
        series(x.data[s], c);
        ctx.scratch.compose(c, x.data, s, out);
      }
      return { shape: x.shape, data: out };
    }
  }
}

/** Buffers for composing a univariate series with a polynomial. */
class Scratch {
  readonly #acc: Float64Array;
  readonly #next: Float64Array;

  constructor(readonly basis: Basis) {
    this.#acc = new Float64Array(basis.size);
    this.#next = new Float64Array(basis.size);
  }

  /**
   * `out[at …] = Σ_m c_m δ^m` with `δ = u − u_0` the polynomial at
   * `u[at …]` without its constant, by Horner's rule
   * (`r ← r·δ + c_m`, m = n … 0), products truncated at degree `n`.
   */
  compose(
    c: Float64Array,
    u: Float64Array,
    at: number,
    out: Float64Array,
  ): void {
    const { size, n, products } = this.basis;
    if (size === 1) {
      out[at] = c[0];
      return;
    }
    const acc = this.#acc;
    const next = this.#next;
    acc.fill(0);
    acc[0] = c[n];
    for (let m = n - 1; m >= 0; m--) {
      next.fill(0);
      for (let p = 0; p < products.length; p += 3) {
        const a = acc[products[p]];
        if (a !== 0) next[products[p + 2]] += a * u[at + products[p + 1]];
      }
      next[0] += c[m];
      acc.set(next);
    }
    out.set(acc, at);
  }
}

/**
 * The rule of an element-wise layer: writes `σ^{(m)}(u0)/m!`, m = 0 … n,
 * into `c` (its length is n + 1).
 */
type SeriesRule = (u0: number, c: Float64Array) => void;

function activationSeries(spec: LayerSpec, index: number): SeriesRule {
  switch (spec.type) {
    case "Sine": {
      const w0 = spec.w0;
      // (d/du)^m sin(w0 u) = w0^m sin(w0 u + m π/2), the shift taken as the
      // cycle sin, cos, −sin, −cos (so sin(0) stays exactly 0 at even m)
      return (u0, c) => {
        const cycle = [
          Math.sin(w0 * u0),
          Math.cos(w0 * u0),
          -Math.sin(w0 * u0),
          -Math.cos(w0 * u0),
        ];
        let scale = 1;
        for (let m = 0; m < c.length; m++) {
          if (m > 0) scale *= w0 / m;
          c[m] = scale * cycle[m % 4];
        }
      };
    }
    case "Tanh":
      // t' = 1 − t²: (k + 1) t_{k+1} = [k = 0] − Σ_j t_j t_{k−j}
      return (u0, c) =>
        odeSeries(c, Math.tanh(u0), (k, sq) => (k === 0 ? 1 : 0) - sq);
    case "Sigmoid":
      // s' = s − s²
      return (u0, c) => odeSeries(c, sigmoid(u0), (k, sq) => c[k] - sq);
    case "Softplus": {
      const beta = spec.beta;
      // f' = sigmoid(β u): f_m = β^{m−1} s_{m−1} / m with s the series of
      // the sigmoid at β u0 in its own variable.
      return (u0, c) => {
        const n = c.length - 1;
        const s = new Float64Array(Math.max(n, 1));
        odeSeries(s, sigmoid(beta * u0), (k, sq) => s[k] - sq);
        const v = beta * u0;
        c[0] = (Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)))) / beta;
        let power = 1;
        for (let m = 1; m <= n; m++) {
          c[m] = power * s[m - 1] / m;
          power *= beta;
        }
      };
    }
    case "ELU": {
      const alpha = spec.alpha;
      return (u0, c) => {
        if (u0 > 0) {
          linearSeries(c, u0, 1);
          return;
        }
        let term = alpha * Math.exp(u0);
        c[0] = alpha * Math.expm1(u0);
        for (let m = 1; m < c.length; m++) {
          term /= m;
          c[m] = term;
        }
      };
    }
    case "ReLU":
      return (u0, c) => linearSeries(c, u0 > 0 ? u0 : 0, u0 > 0 ? 1 : 0);
    case "LeakyReLU": {
      const slope = spec.slope;
      return (u0, c) =>
        u0 > 0 ? linearSeries(c, u0, 1) : linearSeries(c, slope * u0, slope);
    }
    case "GELU":
      return spec.approximate === "tanh" ? geluTanhSeries : geluSeries;
  }
  throw new Error(
    `Cannot compute a float64 reference for layer ${index} "${spec.type}": no rule for it`,
  );
}

/** `c = [v, slope, 0, …]`. */
function linearSeries(c: Float64Array, v: number, slope: number): void {
  c.fill(0);
  c[0] = v;
  if (c.length > 1) c[1] = slope;
}

/**
 * The series of `y` with `y(u0) = y0` and `y' = F(y)`, F a polynomial of
 * degree ≤ 2 given degree by degree: `(k + 1) y_{k+1} = F_k`, where the
 * callback receives `k` and `Σ_{j ≤ k} y_j y_{k−j}` (the degree-k part of
 * `y²`).
 */
function odeSeries(
  c: Float64Array,
  y0: number,
  next: (k: number, square: number) => number,
): void {
  c[0] = y0;
  for (let k = 0; k + 1 < c.length; k++) {
    let square = 0;
    for (let j = 0; j <= k; j++) square += c[j] * c[k - j];
    c[k + 1] = next(k, square) / (k + 1);
  }
}

function sigmoid(v: number): number {
  return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
}

/**
 * GELU `u Φ(u)`: `Φ_m = φ^{(m−1)}(u0)/m!` with
 * `φ^{(j)}(u) = (−1)^j He_j(u) φ(u)` (probabilists' Hermite,
 * `He_{j+1} = u He_j − j He_{j−1}`); then `c_m = u0 Φ_m + Φ_{m−1}`.
 */
function geluSeries(u0: number, c: Float64Array): void {
  const n = c.length - 1;
  const phi = Math.exp(-u0 * u0 / 2) / Math.sqrt(2 * Math.PI);
  const cdf = new Float64Array(n + 1);
  cdf[0] = 0.5 * erfc(-u0 / Math.SQRT2);
  let hPrev = 0;
  let h = 1;
  let factorial = 1;
  for (let m = 1; m <= n; m++) {
    const j = m - 1;
    factorial *= m;
    cdf[m] = (j % 2 === 0 ? 1 : -1) * h * phi / factorial;
    [hPrev, h] = [h, u0 * h - j * hPrev];
  }
  c[0] = u0 * cdf[0];
  for (let m = 1; m <= n; m++) c[m] = u0 * cdf[m] + cdf[m - 1];
}

/**
 * GELU, tanh form `½ u (1 + tanh(g(u)))`, `g(u) = √(2/π)(u + 0.044715 u³)`:
 * the series of `tanh` at `g(u0)` composed with the cubic `g(u0 + s) − g(u0)`,
 * then multiplied by `½ (u0 + s)`.
 */
function geluTanhSeries(u0: number, c: Float64Array): void {
  const n = c.length - 1;
  const k0 = Math.sqrt(2 / Math.PI);
  const a = 0.044715;
  const g = [
    k0 * (u0 + a * u0 ** 3),
    k0 * (1 + 3 * a * u0 * u0),
    k0 * 3 * a * u0,
    k0 * a,
  ];
  const t = new Float64Array(n + 1);
  odeSeries(t, Math.tanh(g[0]), (k, sq) => (k === 0 ? 1 : 0) - sq);
  // Horner in s: r ← r·δ + t_m with δ = g_1 s + g_2 s² + g_3 s³.
  let r = new Float64Array(n + 1);
  r[0] = t[n];
  for (let m = n - 1; m >= 0; m--) {
    const next = new Float64Array(n + 1);
    for (let i = 0; i <= n; i++) {
      if (r[i] === 0) continue;
      for (let j = 1; j <= 3 && i + j <= n; j++) next[i + j] += r[i] * g[j];
    }
    next[0] += t[m];
    r = next;
  }
  r[0] += 1;
  for (let m = 0; m <= n; m++) {
    c[m] = 0.5 * (u0 * r[m] + (m > 0 ? r[m - 1] : 0));
  }
}

/**
 * The complementary error function to float64 accuracy: the Maclaurin
 * series of erf for |x| < 3 (terms stay below e^9, so at most four digits
 * are lost to cancellation), the continued fraction
 * `erfc x = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))` above.
 */
function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) {
    let term = x;
    let total = x;
    for (let k = 1; k < 200; k++) {
      term *= -x * x / k;
      const add = term / (2 * k + 1);
      total += add;
      if (Math.abs(add) < 1e-17 * Math.abs(total)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * total;
  }
  let t = x;
  for (let k = 80; k >= 1; k--) t = x + (k / 2) / t;
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * t);
}

/** `dk` tensors `[d]*k` (C order) from the polynomial `Σ c_α t^α`. */
function allPartials(
  basis: Basis,
  coefficients: Float64Array,
  d: number,
): Float64Array[] {
  const out: Float64Array[] = [Float64Array.of(coefficients[0])];
  const factorials = [1];
  for (let k = 1; k <= basis.n; k++) factorials.push(factorials[k - 1] * k);
  for (let k = 1; k <= basis.n; k++) {
    const dk = new Float64Array(d ** k);
    const counts = new Array(d).fill(0);
    for (let flat = 0; flat < dk.length; flat++) {
      counts.fill(0);
      for (let r = flat, j = 0; j < k; j++, r = Math.floor(r / d)) {
        counts[r % d]++;
      }
      const alphaFactorial = counts.reduce((f, e) => f * factorials[e], 1);
      dk[flat] = alphaFactorial * coefficients[basis.indexOf(counts)];
    }
    out.push(dk);
  }
  return out;
}

/** How many batch items keep the largest tensor under 2^23 numbers. */
function chunkSize(network: Network, K: number): number {
  let shape = [...network.spec.input];
  let largest = product(shape);
  for (const spec of network.spec.layers) {
    shape = shapeAfter(spec, shape);
    largest = Math.max(largest, product(shape));
  }
  return Math.max(1, Math.floor(2 ** 23 / (largest * K)));
}

function shapeAfter(spec: LayerSpec, shape: number[]): number[] {
  switch (spec.type) {
    case "Linear":
      return [spec.out];
    case "Conv2d": {
      const [, h, w] = shape;
      return [
        spec.out,
        Math.floor(
          (h + 2 * spec.padding[0] - spec.kernel[0]) / spec.stride[0],
        ) +
        1,
        Math.floor(
          (w + 2 * spec.padding[1] - spec.kernel[1]) / spec.stride[1],
        ) +
        1,
      ];
    }
    case "AvgPool2d":
    case "MaxPool2d": {
      const [c, h, w] = shape;
      return [
        c,
        Math.floor((h - spec.kernel[0]) / spec.stride[0]) + 1,
        Math.floor((w - spec.kernel[1]) / spec.stride[1]) + 1,
      ];
    }
    case "Flatten":
      return [product(shape)];
    case "Unflatten":
      return [...spec.shape];
    default:
      return shape;
  }
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function inputSize(network: Network): number {
  return product(network.spec.input);
}

function checkPoint(point: readonly number[], d: number): void {
  if (point.length !== d || point.some((v) => !Number.isFinite(v))) {
    throw new Error(
      `Cannot compute a float64 reference at point "[${point}]": expected ${d} finite numbers (the input size)`,
    );
  }
}

function checkOutput(network: Network, output: number): void {
  const size = product(network.outputShape);
  if (!Number.isInteger(output) || output < 0 || output >= size) {
    throw new Error(
      `Cannot compute a float64 reference of output "${output}": the network has ${size} outputs`,
    );
  }
}
