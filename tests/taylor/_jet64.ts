/**
 * A float64 reference for the Taylor tests, written plainly and on purpose
 * unlike the engine: univariate truncated series as arrays of JS numbers,
 * naive Cauchy products, composition by explicit powers, and the Taylor
 * coefficients of each activation from closed forms or from derivative
 * polynomials (`tanh^{(m)}` as a polynomial in `tanh`). A whole network is
 * pushed through along one direction `x0 + t·v` on NCHW arrays of series.
 *
 * @module
 */

import { readNpy } from "../../lib/io/npy.ts";
import type { Network } from "../../lib/nn/network.ts";
import type { LayerSpec } from "../../lib/nn/spec.ts";

/** Coefficients `c_0 … c_n` of a univariate truncated series. */
export type Series = number[];

/** The truncated Cauchy product. */
export function mul(a: Series, b: Series): Series {
  const out = new Array(a.length).fill(0);
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; i + j < a.length; j++) out[i + j] += a[i] * b[j];
  }
  return out;
}

/** `Σ_m c_m (a − a_0)^m` by explicit powers. */
export function compose(c: Series, a: Series): Series {
  const delta = [0, ...a.slice(1)];
  const out = new Array(a.length).fill(0);
  let power: Series = [1, ...new Array(a.length - 1).fill(0)];
  for (let m = 0; m < a.length; m++) {
    for (let k = 0; k < a.length; k++) out[k] += c[m] * power[k];
    power = mul(power, delta);
  }
  return out;
}

function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}

/** Coefficients of a polynomial in `y` evaluated at `y`. */
function evalPoly(p: number[], y: number): number {
  return p.reduceRight((acc, c) => acc * y + c, 0);
}

/**
 * `σ^{(m)}` for `σ' = q(σ)` (q a polynomial): `P_0(y) = y`,
 * `P_{m+1} = P_m' · q`. Returns `σ^{(m)} / m!` at the point where `σ = y`.
 */
function derivativePolynomials(q: number[], y: number, n: number): Series {
  let p = [0, 1];
  const out = [y];
  for (let m = 1; m <= n; m++) {
    const dp = p.slice(1).map((c, i) => c * (i + 1));
    const next = new Array(dp.length + q.length - 1).fill(0);
    dp.forEach((a, i) => q.forEach((b, j) => (next[i + j] += a * b)));
    p = next;
    out.push(evalPoly(p, y) / factorial(m));
  }
  return out;
}

/** erf by its Maclaurin series (float64-accurate for |x| ≤ 5). */
export function erf(x: number): number {
  if (Math.abs(x) > 5) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** `exp(q)` of a series by `Σ q^m / m!` around `q_0`. */
function expSeries(q: Series): Series {
  const n = q.length - 1;
  const c = Array.from(
    { length: n + 1 },
    (_, m) => Math.exp(q[0]) / factorial(m),
  );
  return compose(c, q);
}

/** `log(a)` of a series with `a_0 > 0`. */
function logSeries(a: Series): Series {
  const n = a.length - 1;
  const c = [Math.log(a[0])];
  for (let m = 1; m <= n; m++) c.push((m % 2 ? 1 : -1) / (m * a[0] ** m));
  return compose(c, a);
}

/** The activations and operations of the engine, on float64 series. */
export function activate(op: { type: string }, a: Series): Series {
  const spec = op as { type: string; [k: string]: unknown };
  const n = a.length - 1;
  const u0 = a[0];
  switch (spec.type) {
    case "Sine": {
      const w0 = spec.w0 as number;
      return compose(
        Array.from(
          { length: n + 1 },
          (_, m) =>
            w0 ** m * Math.sin(w0 * u0 + (m * Math.PI) / 2) / factorial(m),
        ),
        a,
      );
    }
    case "Tanh":
      return compose(derivativePolynomials([1, 0, -1], Math.tanh(u0), n), a);
    case "Sigmoid":
      return compose(
        derivativePolynomials([0, 1, -1], 1 / (1 + Math.exp(-u0)), n),
        a,
      );
    case "Softplus": {
      const beta = (spec.beta as number) ?? 1;
      const s = derivativePolynomials(
        [0, 1, -1],
        1 / (1 + Math.exp(-beta * u0)),
        n,
      );
      // f' (u) = sigmoid(βu): f^{(m)} = β^{m−1} sigmoid^{(m−1)}(βu)
      const c = [Math.log1p(Math.exp(beta * u0)) / beta];
      for (let m = 1; m <= n; m++) {
        c.push(beta ** (m - 1) * s[m - 1] * factorial(m - 1) / factorial(m));
      }
      return compose(c, a);
    }
    case "Exp":
      return expSeries(a);
    case "Power": {
      const p = spec.p as number;
      if (Number.isInteger(p)) {
        let out: Series = [1, ...new Array(n).fill(0)];
        for (let i = 0; i < Math.abs(p); i++) out = mul(out, a);
        return p >= 0 ? out : activate({ type: "Reciprocal" }, out);
      }
      return expSeries(logSeries(a).map((c) => c * p));
    }
    case "Reciprocal": {
      // long division: a · r = 1
      const r: Series = [];
      for (let k = 0; k <= n; k++) {
        let s = k === 0 ? 1 : 0;
        for (let j = 1; j <= k; j++) s -= a[j] * r[k - j];
        r.push(s / a[0]);
      }
      return r;
    }
    case "GELU": {
      if (spec.approximate === "tanh") {
        const cube = mul(mul(a, a), a);
        const inner = a.map((c, k) =>
          Math.sqrt(2 / Math.PI) * (c + 0.044715 * cube[k])
        );
        const t = activate({ type: "Tanh" }, inner);
        return mul(
          a.map((c) => 0.5 * c),
          t.map((c, k) => (k === 0 ? 1 + c : c)),
        );
      }
      // φ(u0 + δ) = φ(u0)·exp(−u0 δ − δ²/2); Φ' = φ; GELU = u·Φ(u).
      const phi0 = Math.exp(-u0 * u0 / 2) / Math.sqrt(2 * Math.PI);
      const q = new Array(n + 1).fill(0);
      q[1] = -u0;
      if (n >= 2) q[2] = -0.5;
      const phi = expSeries(q).map((c) => c * phi0);
      const cdf = [0.5 * (1 + erf(u0 / Math.SQRT2))];
      for (let k = 1; k <= n; k++) cdf.push(phi[k - 1] / k);
      return mul(a, compose(cdf, a));
    }
    case "ELU": {
      const alpha = spec.alpha as number;
      if (u0 > 0) return [...a];
      const c = [alpha * (Math.exp(u0) - 1)];
      for (let m = 1; m <= n; m++) c.push(alpha * Math.exp(u0) / factorial(m));
      return compose(c, a);
    }
    case "ReLU":
      return a.map((c) => (u0 > 0 ? c : 0));
    case "LeakyReLU":
      return a.map((c) => (u0 > 0 ? c : (spec.slope as number) * c));
    case "Identity":
    case "Dropout":
    case "Dropout2d":
      return [...a];
  }
  throw new Error(`reference has no ${spec.type}`);
}

/** A per-sample tensor of series, with its NCHW (or flat) shape. */
interface SeriesTensor {
  shape: number[];
  data: Series[];
}

function add(a: Series, b: Series, w = 1): Series {
  return a.map((c, k) => c + w * b[k]);
}

/**
 * The weights and biases of a saved network read straight from its `.npy`
 * files, in PyTorch's layout (`Linear` `[out, in]`, `Conv2d`
 * `[out, in, kh, kw]`, C order), with no engine conversion in between: a
 * reference that reads them this way cannot share a layout mistake with
 * the engine's loader and `exportParameters()`.
 */
export async function pytorchParameters(
  dir: string,
  net: Network,
): Promise<Map<string, number[]>> {
  const params = new Map<string, number[]>();
  for (const spec of net.spec.layers as LayerSpec[]) {
    if (spec.type !== "Linear" && spec.type !== "Conv2d") continue;
    for (const name of [spec.weight, spec.bias]) {
      if (name) {
        params.set(
          name,
          Array.from((await readNpy(`${dir}/${name}`)).data as Float32Array),
        );
      }
    }
  }
  return params;
}

/**
 * Pushes `x0 + t·v` through the network in float64 and returns the series of
 * every output (flattened NCHW). The weights are the network's own, in
 * PyTorch's layout from `exportParameters()`, unless `options.parameters`
 * gives them (see {@linkcode pytorchParameters}).
 */
export function networkSeries(
  net: Network,
  x0: number[],
  v: number[],
  order: number,
  options: { parameters?: ReadonlyMap<string, number[]> } = {},
): Series[] {
  const params = new Map(options.parameters);
  if (!options.parameters) {
    for (const [name, tensor] of net.exportParameters()) {
      params.set(name, Array.from(tensor.dataSync()));
      tensor.dispose();
    }
  }
  const read = (name?: string) => name ? params.get(name) : undefined;
  let x: SeriesTensor = {
    shape: [...net.spec.input],
    data: x0.map((c, i) => {
      const s = new Array(order + 1).fill(0);
      s[0] = c;
      if (order >= 1) s[1] = v[i];
      return s;
    }),
  };
  const zero = () => new Array(order + 1).fill(0);
  for (const spec of net.spec.layers as LayerSpec[]) {
    switch (spec.type) {
      case "Linear": {
        const w = read(spec.weight)!;
        const b = read(spec.bias);
        const out: Series[] = [];
        for (let o = 0; o < spec.out; o++) {
          let s = zero();
          s[0] = b ? b[o] : 0;
          for (let i = 0; i < spec.in; i++) {
            s = add(s, x.data[i], w[o * spec.in + i]);
          }
          out.push(s);
        }
        x = { shape: [spec.out], data: out };
        break;
      }
      case "Conv2d": {
        const w = read(spec.weight)!;
        const b = read(spec.bias);
        const [c, h, wd] = x.shape;
        const [kh, kw] = spec.kernel;
        const [sh, sw] = spec.stride;
        const [ph, pw] = spec.padding;
        const oh = Math.floor((h + 2 * ph - kh) / sh) + 1;
        const ow = Math.floor((wd + 2 * pw - kw) / sw) + 1;
        const out: Series[] = [];
        for (let o = 0; o < spec.out; o++) {
          for (let i = 0; i < oh; i++) {
            for (let j = 0; j < ow; j++) {
              let s = zero();
              s[0] = b ? b[o] : 0;
              for (let ci = 0; ci < c; ci++) {
                for (let p = 0; p < kh; p++) {
                  for (let q = 0; q < kw; q++) {
                    const r = i * sh + p - ph;
                    const col = j * sw + q - pw;
                    if (r < 0 || r >= h || col < 0 || col >= wd) continue;
                    const weight = w[((o * c + ci) * kh + p) * kw + q];
                    s = add(s, x.data[(ci * h + r) * wd + col], weight);
                  }
                }
              }
              out.push(s);
            }
          }
        }
        x = { shape: [spec.out, oh, ow], data: out };
        break;
      }
      case "AvgPool2d":
      case "MaxPool2d": {
        const [c, h, wd] = x.shape;
        const [kh, kw] = spec.kernel;
        const [sh, sw] = spec.stride;
        const oh = Math.floor((h - kh) / sh) + 1;
        const ow = Math.floor((wd - kw) / sw) + 1;
        const out: Series[] = [];
        for (let ci = 0; ci < c; ci++) {
          for (let i = 0; i < oh; i++) {
            for (let j = 0; j < ow; j++) {
              const window: Series[] = [];
              for (let p = 0; p < kh; p++) {
                for (let q = 0; q < kw; q++) {
                  window.push(x.data[(ci * h + i * sh + p) * wd + j * sw + q]);
                }
              }
              if (spec.type === "AvgPool2d") {
                out.push(
                  window.reduce((s, e) => add(s, e, 1 / window.length), zero()),
                );
              } else {
                let best = window[0];
                for (const e of window) if (e[0] > best[0]) best = e;
                out.push([...best]);
              }
            }
          }
        }
        x = { shape: [c, oh, ow], data: out };
        break;
      }
      case "Flatten":
        x = { shape: [x.data.length], data: x.data };
        break;
      case "Unflatten":
        x = { shape: [...spec.shape], data: x.data };
        break;
      default:
        x = { shape: x.shape, data: x.data.map((s) => activate(spec, s)) };
    }
  }
  return x.data;
}
