/**
 * Faà di Bruno's formula for one element-wise map, in float64: the partial
 * Bell polynomials and the derivatives of every activation up to order `n`.
 *
 * For `z = σ(x)` acting on one coordinate and any `y(z)`,
 *
 *     d^k y/dx^k = Σ_{s=1..k} B_{k,s}(σ'(x), …, σ^{(k−s+1)}(x)) · d^s y/dz^s,
 *
 * with the partial Bell polynomials given by the recurrence
 * `B_{0,0} = 1`, `B_{k,0} = 0` (`k ≥ 1`) and
 * `B_{k,s} = Σ_{i=1..k−s+1} C(k−1, i−1) · x_i · B_{k−i,s−1}`.
 *
 * Activation derivatives come from the Taylor coefficients of `σ(u + h)` in
 * `h`, computed by the jet recurrences of the first-order ODE each
 * activation satisfies (`tanh' = 1 − tanh²`, `s' = s − s²`); the `m`-th
 * derivative is `m!` times the `m`-th coefficient. Private to `lib/taylor/`.
 *
 * @module
 */

import type { LayerSpec } from "../nn/spec.ts";

/** Pascal's triangle up to row `n`: `rows[a][b] = C(a, b)`. */
export function binomialRows(n: number): Float64Array[] {
  const rows: Float64Array[] = [];
  for (let a = 0; a <= n; a++) {
    const row = new Float64Array(a + 1);
    row[0] = row[a] = 1;
    for (let b = 1; b < a; b++) row[b] = rows[a - 1][b - 1] + rows[a - 1][b];
    rows.push(row);
  }
  return rows;
}

/**
 * Writes `B_{k,s}(x_1, …, x_{k−s+1})` for `0 ≤ s ≤ k ≤ n` into `out`
 * (row-major `[n+1][n+1]`, index `k·(n+1) + s`).
 *
 * @param x `x[i]` for `i = 1 … n` (`x[0]` is ignored).
 * @param options `n`, the highest order; `binom`, {@linkcode binomialRows}
 *   of at least `n`; `out`, scratch of length `(n+1)²`, overwritten.
 */
export function bellTable(
  x: Float64Array,
  { n, binom, out }: { n: number; binom: Float64Array[]; out: Float64Array },
): void {
  const w = n + 1;
  out.fill(0);
  out[0] = 1;
  for (let k = 1; k <= n; k++) {
    const row = binom[k - 1];
    for (let s = 1; s <= k; s++) {
      let acc = 0;
      for (let i = 1; i <= k - s + 1; i++) {
        acc += row[i - 1] * x[i] * out[(k - i) * w + s - 1];
      }
      out[k * w + s] = acc;
    }
  }
}

/** Writes `σ^{(m)}(u)` for `m = 0 … n` into `out` (length `n + 1`). */
export type ActivationDerivatives = (u: number, out: Float64Array) => void;

/**
 * The derivative generator of an element-wise layer, or `undefined` when the
 * layer is not element-wise (or is the identity).
 *
 * @param spec The layer.
 * @param n Highest order.
 * @returns The generator.
 */
export function activationDerivatives(
  spec: LayerSpec,
  n: number,
): ActivationDerivatives | undefined {
  const fact = factorials(n);
  const c = new Float64Array(n + 2);
  switch (spec.type) {
    case "Sine": {
      const w0 = spec.w0;
      // d^m/du^m sin(w0 u) = w0^m sin(w0 u + mπ/2): the cycle sin, cos, −sin, −cos.
      return (u, out) => {
        const s = Math.sin(w0 * u);
        const co = Math.cos(w0 * u);
        const cycle = [s, co, -s, -co];
        let p = 1;
        for (let m = 0; m <= n; m++) {
          out[m] = p * cycle[m % 4];
          p *= w0;
        }
      };
    }
    case "Tanh":
      return (u, out) => {
        tanhJet(u, n, c);
        for (let m = 0; m <= n; m++) out[m] = fact[m] * c[m];
      };
    case "Sigmoid":
      return (u, out) => {
        sigmoidJet(u, n, c);
        for (let m = 0; m <= n; m++) out[m] = fact[m] * c[m];
      };
    case "Softplus": {
      // softplus_β(u) = log(1 + e^{βu})/β, whose derivative is sigmoid(βu):
      // σ^{(m)}(u) = β^{m−1} · sigmoid^{(m−1)}(βu).
      const beta = spec.beta;
      return (u, out) => {
        const t = beta * u;
        out[0] = (Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)))) / beta;
        sigmoidJet(t, n - 1, c);
        let p = 1;
        for (let m = 1; m <= n; m++) {
          out[m] = p * fact[m - 1] * c[m - 1];
          p *= beta;
        }
      };
    }
    case "GELU":
      return spec.approximate === "tanh" ? geluTanh(n, fact) : geluErf(n);
    case "ELU": {
      const alpha = spec.alpha;
      return (u, out) => {
        out.fill(0);
        if (u > 0) {
          out[0] = u;
          out[1] = 1;
          return;
        }
        const e = alpha * Math.exp(u);
        out[0] = alpha * Math.expm1(u);
        for (let m = 1; m <= n; m++) out[m] = e;
      };
    }
    case "ReLU":
    case "LeakyReLU": {
      // Piecewise linear: every derivative of order ≥ 2 is zero off the kink;
      // at u = 0 we take the left slope, as PyTorch's backward does.
      const slope = spec.type === "ReLU" ? 0 : spec.slope;
      return (u, out) => {
        out.fill(0);
        const g = u > 0 ? 1 : slope;
        out[0] = g * u;
        if (n >= 1) out[1] = g;
      };
    }
    default:
      return undefined;
  }
}

function factorials(n: number): Float64Array {
  const f = new Float64Array(n + 2);
  f[0] = 1;
  for (let m = 1; m < f.length; m++) f[m] = f[m - 1] * m;
  return f;
}

/** Taylor coefficients of `tanh(u + h)`: `k t_k = [h^{k−1}](1 − t²)`. */
function tanhJet(u: number, n: number, t: Float64Array): void {
  t[0] = Math.tanh(u);
  for (let k = 1; k <= n; k++) {
    let sq = 0;
    for (let i = 0; i <= k - 1; i++) sq += t[i] * t[k - 1 - i];
    t[k] = ((k === 1 ? 1 : 0) - sq) / k;
  }
}

/** Taylor coefficients of `sigmoid(u + h)`: `k s_k = [h^{k−1}](s − s²)`. */
function sigmoidJet(u: number, n: number, s: Float64Array): void {
  s[0] = u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
  for (let k = 1; k <= n; k++) {
    let sq = 0;
    for (let i = 0; i <= k - 1; i++) sq += s[i] * s[k - 1 - i];
    s[k] = (s[k - 1] - sq) / k;
  }
}

/**
 * `erf(x)` to about 1e-15: the everywhere-positive series
 * `erf(x) = 2/√π · e^{−x²} · Σ_j 2^j x^{2j+1} / (1·3·…·(2j+1))` (no
 * cancellation), and `±1` beyond `|x| = 6` where `erfc` is below 1e-16.
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a > 6) return Math.sign(x);
  let term = a;
  let sum = a;
  for (let j = 1; j < 500 && term > 1e-17 * sum; j++) {
    term *= (2 * a * a) / (2 * j + 1);
    sum += term;
  }
  return Math.sign(x) *
    Math.min(1, (2 / Math.sqrt(Math.PI)) * Math.exp(-a * a) * sum);
}

/**
 * GELU `u Φ(u)`: `Φ^{(j)}(u) = (−1)^{j−1} He_{j−1}(u) φ(u)` for `j ≥ 1`
 * (probabilists' Hermite polynomials), so
 * `σ^{(m)}(u) = u Φ^{(m)}(u) + m Φ^{(m−1)}(u)`.
 */
function geluErf(n: number): ActivationDerivatives {
  const phiD = new Float64Array(n + 2);
  return (u, out) => {
    const pdf = Math.exp(-0.5 * u * u) / Math.sqrt(2 * Math.PI);
    phiD[0] = 0.5 * (1 + erf(u / Math.SQRT2));
    let hePrev = 0;
    let he = 1;
    for (let j = 1; j <= n; j++) {
      phiD[j] = (j % 2 === 1 ? 1 : -1) * he * pdf;
      const next = u * he - (j - 1) * hePrev;
      hePrev = he;
      he = next;
    }
    out[0] = u * phiD[0];
    for (let m = 1; m <= n; m++) out[m] = u * phiD[m] + m * phiD[m - 1];
  };
}

/**
 * GELU, tanh form `½ u (1 + tanh(√(2/π)(u + 0.044715 u³)))`: jets of the
 * cubic inner argument, of `tanh` through `k t_k = Σ_j j g_j (1 − t²)_{k−j}`,
 * then of the product with `u`.
 */
function geluTanh(n: number, fact: Float64Array): ActivationDerivatives {
  const g = new Float64Array(n + 1);
  const t = new Float64Array(n + 1);
  const q = new Float64Array(n + 1);
  const cst = Math.sqrt(2 / Math.PI);
  return (u, out) => {
    // (u + h) + 0.044715 (u + h)³, expanded in h.
    g.fill(0);
    g[0] = cst * (u + 0.044715 * u * u * u);
    if (n >= 1) g[1] = cst * (1 + 3 * 0.044715 * u * u);
    if (n >= 2) g[2] = cst * 3 * 0.044715 * u;
    if (n >= 3) g[3] = cst * 0.044715;
    t[0] = Math.tanh(g[0]);
    q[0] = 1 - t[0] * t[0];
    for (let k = 1; k <= n; k++) {
      let acc = 0;
      for (let j = 1; j <= Math.min(k, 3); j++) acc += j * g[j] * q[k - j];
      t[k] = acc / k;
      let sq = 0;
      for (let i = 0; i <= k; i++) sq += t[i] * t[k - i];
      q[k] = -sq;
    }
    out[0] = 0.5 * u * (1 + t[0]);
    for (let k = 1; k <= n; k++) {
      const coef = 0.5 * ((k === 1 ? 1 : 0) + u * t[k] + t[k - 1]);
      out[k] = fact[k] * coef;
    }
  };
}
