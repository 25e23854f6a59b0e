/**
 * An independent float64 reference for the derivatives of small networks,
 * written plainly for the tests of `hope` and `autograd`: truncated
 * multivariate Taylor polynomials ("jets") pushed forward through the
 * network, with no tfjs arithmetic in the loop.
 *
 * The input is `x = x0 + Σ_r t_r V_r` in `q` variables `t`; affine layers act
 * through their dense matrices (read from the network by applying each layer
 * to the unit vectors, which is exact in float32); element-wise activations
 * use the homogeneous-degree recurrences of their ODEs (Euler's identity):
 * `k f_k = Σ_{j=1..k} j u_j g_{k−j}` with `g = σ'(u)`, `tanh' = 1 − tanh²`,
 * `sigmoid' = s − s²`, and the `sin`/`cos` pair. Derivatives are
 * `∂^α f = α! · [t^α] f`.
 *
 * @module
 */

import { tf } from "../../lib/deps.ts";
import { toInternal } from "../../lib/nn/layer.ts";
import type { Network } from "../../lib/nn/network.ts";

/** Monomials in `q` variables up to total degree `n`, with product tables. */
class Space {
  readonly monos: number[][] = [];
  readonly byDegree: number[][] = [];
  private readonly index = new Map<string, number>();

  constructor(readonly q: number, readonly n: number) {
    for (let k = 0; k <= n; k++) {
      const list: number[] = [];
      const rec = (prefix: number[], left: number) => {
        if (prefix.length === q - 1) {
          const m = [...prefix, left];
          this.index.set(m.join(), this.monos.length);
          list.push(this.monos.length);
          this.monos.push(m);
          return;
        }
        for (let a = left; a >= 0; a--) rec([...prefix, a], left - a);
      };
      if (q === 0) continue;
      rec([], k);
      this.byDegree.push(list);
    }
  }

  /** Index of a multi-index. */
  at(alpha: number[]): number {
    return this.index.get(alpha.join())!;
  }

  /** Adds `scale · [a_j · b_{k−j}]` (homogeneous parts) into `out`. */
  mulAdd(
    a: Float64Array,
    b: Float64Array,
    degrees: { j: number; k: number; scale: number; out: Float64Array },
  ): void {
    const { j, k, scale, out } = degrees;
    for (const ia of this.byDegree[j]) {
      if (a[ia] === 0) continue;
      for (const ib of this.byDegree[k - j]) {
        const m = this.monos[ia].map((e, r) => e + this.monos[ib][r]);
        out[this.at(m)] += scale * a[ia] * b[ib];
      }
    }
  }
}

type Jet = Float64Array;

/** `σ(u)` for one element-wise activation, degree by degree. */
function activate(space: Space, type: string, u: Jet, w0 = 1): Jet {
  const f = new Float64Array(u.length);
  const g = new Float64Array(u.length);
  const u0 = u[0];
  if (type === "Sine") {
    // s = sin(w0 u), c = cos(w0 u): k s_k = Σ j w0 u_j c_{k−j}, k c_k = −Σ j w0 u_j s_{k−j}.
    f[0] = Math.sin(w0 * u0);
    g[0] = Math.cos(w0 * u0);
    for (let k = 1; k <= space.n; k++) {
      for (let j = 1; j <= k; j++) {
        space.mulAdd(u, g, { j, k, scale: (j * w0) / k, out: f });
        space.mulAdd(u, f, { j, k, scale: (-j * w0) / k, out: g });
      }
    }
    return f;
  }
  // f' = g(f) with g = 1 − f² (tanh) or f − f² (sigmoid).
  f[0] = type === "Tanh" ? Math.tanh(u0) : 1 / (1 + Math.exp(-u0));
  const gOf = (k: number) => {
    const sq = new Float64Array(u.length);
    for (let j = 0; j <= k; j++) {
      space.mulAdd(f, f, { j, k, scale: 1, out: sq });
    }
    for (const i of space.byDegree[k]) {
      g[i] = (type === "Tanh" ? (k === 0 ? 1 : 0) : f[i]) - sq[i];
    }
  };
  if (type !== "Tanh" && type !== "Sigmoid") {
    throw new Error(`no reference rule for "${type}"`);
  }
  gOf(0);
  for (let k = 1; k <= space.n; k++) {
    for (let j = 1; j <= k; j++) {
      space.mulAdd(u, g, { j, k, scale: j / k, out: f });
    }
    gOf(k);
  }
  return f;
}

/** Dense matrix `[in][out]` and bias of a layer's affine map, from tfjs. */
function affineOf(
  layer: Network["layers"][number],
): { matrix: Float32Array; bias: Float32Array; nIn: number; nOut: number } {
  const nIn = layer.inShape.reduce((a, b) => a * b, 1);
  const nOut = layer.outShape.reduce((a, b) => a * b, 1);
  return tf.tidy(() => {
    const eye = tf.reshape(tf.eye(nIn), [nIn, ...layer.inShape]);
    const lin = layer.applyLinear ? layer.applyLinear(eye) : layer.apply(eye);
    const zero = layer.apply(tf.zeros([1, ...layer.inShape]));
    return {
      matrix: lin.dataSync() as Float32Array,
      bias: zero.dataSync() as Float32Array,
      nIn,
      nOut,
    };
  });
}

/**
 * Taylor coefficients in `t` of output `output` of `network` at
 * `x0 + Σ_r t_r V[r]`, up to degree `n`.
 */
function outputJet(
  network: Network,
  x0: number[],
  options: { V: number[][]; n: number; output: number },
): { space: Space; jet: Jet } {
  const { V, n, output } = options;
  const space = new Space(V.length, n);
  const d = x0.length;
  // Permute the external input into the internal layout (NHWC images).
  const perm = tf.tidy(() =>
    toInternal(
      tf.reshape(tf.range(0, d), [1, ...network.inputShape]),
      network.inputShape,
    ).dataSync()
  );
  let state: Jet[] = Array.from(perm, (src) => {
    const jet = new Float64Array(space.monos.length);
    jet[0] = x0[src];
    V.forEach((row, r) => {
      const unit = new Array(V.length).fill(0);
      unit[r] = 1;
      jet[space.at(unit)] += row[src];
    });
    return jet;
  });
  for (const layer of network.layers) {
    const t = layer.spec.type;
    if (t === "Sine" || t === "Tanh" || t === "Sigmoid") {
      const w0 = t === "Sine" ? (layer.spec as { w0: number }).w0 : 1;
      state = state.map((u) => activate(space, t, u, w0));
      continue;
    }
    if (t === "Identity" || t === "Dropout" || t === "Dropout2d") continue;
    if (t === "MaxPool2d") {
      state = maxPool(state, layer);
      continue;
    }
    const { matrix, bias, nIn, nOut } = affineOf(layer);
    const next: Jet[] = [];
    for (let j = 0; j < nOut; j++) {
      const jet = new Float64Array(space.monos.length);
      jet[0] = bias[j];
      for (let i = 0; i < nIn; i++) {
        const a = matrix[i * nOut + j];
        if (a === 0) continue;
        const src = state[i];
        for (let m = 0; m < jet.length; m++) jet[m] += a * src[m];
      }
      next.push(jet);
    }
    state = next;
  }
  return { space, jet: state[output] };
}

/** Max pooling at the point: each window passes its (first) largest value. */
function maxPool(state: Jet[], layer: Network["layers"][number]): Jet[] {
  const spec = layer.spec as { kernel: number[]; stride: number[] };
  const [, W, C] = layer.inShape;
  const [oh, ow] = layer.outShape;
  const out: Jet[] = [];
  for (let a = 0; a < oh; a++) {
    for (let b = 0; b < ow; b++) {
      for (let c = 0; c < C; c++) {
        let best = -1;
        for (let i = 0; i < spec.kernel[0]; i++) {
          for (let j = 0; j < spec.kernel[1]; j++) {
            const at = ((a * spec.stride[0] + i) * W + b * spec.stride[1] + j) *
                C + c;
            if (best < 0 || state[at][0] > state[best][0]) best = at;
          }
        }
        out.push(state[best]);
      }
    }
  }
  return out;
}

function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}

/**
 * Exact (float64) derivatives of one output at `x0`, as `dk.npy` lays them
 * out: `mixed: "all"` gives the full `[d]*k` tensor, `"none"` the `[d]`
 * diagonal, `"directions"` the `[m]` directional derivatives `∂^k y/∂v^k`.
 *
 * @param network A network of affine, reshape, MaxPool2d, Sine, Tanh and
 *   Sigmoid layers.
 * @param x0 The point, flattened in external layout.
 * @param options Order, mode, directions and output index.
 * @returns `derivatives[k]`, k = 0 … order.
 */
export function referenceDerivatives(
  network: Network,
  x0: number[],
  options: {
    order: number;
    mixed: "all" | "none" | "directions";
    directions?: number[][];
    output?: number;
  },
): Float64Array[] {
  const { order: n, mixed } = options;
  const output = options.output ?? 0;
  const d = x0.length;
  const unit = (i: number) => x0.map((_, j) => (i === j ? 1 : 0));
  if (mixed === "all") {
    const { space, jet } = outputJet(network, x0, {
      V: x0.map((_, i) => unit(i)),
      n,
      output,
    });
    const out: Float64Array[] = [Float64Array.of(jet[0])];
    for (let k = 1; k <= n; k++) {
      const dk = new Float64Array(d ** k);
      for (let flat = 0; flat < dk.length; flat++) {
        const alpha = new Array(d).fill(0);
        let rest = flat;
        for (let m = 0; m < k; m++) {
          alpha[rest % d]++;
          rest = Math.floor(rest / d);
        }
        const c = jet[space.at(alpha)];
        dk[flat] = c * alpha.reduce((p, a) => p * factorial(a), 1);
      }
      out.push(dk);
    }
    return out;
  }
  const V = mixed === "none" ? x0.map((_, i) => unit(i)) : options.directions!;
  const jets = V.map((row) =>
    outputJet(network, x0, { V: [row], n, output }).jet
  );
  const out: Float64Array[] = [Float64Array.of(jets[0]?.[0] ?? NaN)];
  for (let k = 1; k <= n; k++) {
    out.push(Float64Array.from(jets, (jet) => jet[k] * factorial(k)));
  }
  return out;
}
