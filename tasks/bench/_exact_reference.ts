/**
 * Independent float64 derivatives of the benchmark's networks, from the
 * references the tests already use (no tfjs arithmetic in their loops):
 * `tests/taylor/_f64_jet.ts` (multivariate jets, every mixed partial) for
 * the multi-input MLP, and `tests/taylor/_jet64.ts` (univariate series
 * along one direction on NCHW arrays) for one input and for the
 * convolutional nets, whose dense per-layer matrices would not fit the
 * first one.
 *
 * @module
 */

import { createRng } from "../../lib/random.ts";
import { referenceDerivatives } from "../../tests/taylor/_f64_jet.ts";
import { networkSeries } from "../../tests/taylor/_jet64.ts";
import type { DemoNetwork } from "./_demo_networks.ts";

/** Reference derivatives of one network at its point. */
export interface ExactReference {
  /**
   * `derivatives[k]`, k = 0 … order: the full `dk.npy` layout, or for a
   * sample only the entries at `indices`.
   */
  derivatives: Float64Array[];
  /** For a sample: the flat entries of `dk.npy` that `derivatives` holds. */
  indices?: number[];
  /** Seconds the reference took. */
  seconds: number;
  /** How it was computed, for the notes under the table. */
  how: string;
}

function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}

function binomial(n: number, k: number): number {
  return factorial(n) / (factorial(k) * factorial(n - k));
}

/** Solves `A x = b` (dense, row-major, n × n) by partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) {
      if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    }
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let j = c; j <= n; j++) m[r][j] -= f * m[c][j];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let j = r + 1; j < n; j++) s -= m[r][j] * x[j];
    x[r] = s / m[r][r];
  }
  return x;
}

/**
 * Every mixed partial of a two-input network from directional series
 * (polarisation). Along `v = (cos θ, sin θ)`,
 * `D_v^k f = Σ_a C(k, a) cos^a θ sin^{k−a} θ ∂₁^a ∂₂^{k−a} f`; with
 * `order + 1` directions evenly spread over `[0, π)` the `k + 1` unknowns of
 * order `k` follow by least squares (normal equations, well conditioned
 * here: the columns are trigonometric polynomials sampled at equispaced
 * angles).
 */
function polarized(demo: DemoNetwork, order: number): Float64Array[] {
  const m = order + 1;
  const angles = Array.from({ length: m }, (_, j) => (j * Math.PI) / m);
  const series = angles.map((t) =>
    networkSeries(demo.network, demo.point, [Math.cos(t), Math.sin(t)], order)[
      0
    ]
  );
  const out: Float64Array[] = [Float64Array.of(series[0][0])];
  for (let k = 1; k <= order; k++) {
    const rows = angles.map((t) =>
      Array.from(
        { length: k + 1 },
        (_, a) => binomial(k, a) * Math.cos(t) ** a * Math.sin(t) ** (k - a),
      )
    );
    const rhs = series.map((s) => s[k] * factorial(k));
    const normal = rows[0].map((_, i) =>
      rows[0].map((_, j) => rows.reduce((s, r) => s + r[i] * r[j], 0))
    );
    const right = rows[0].map((_, i) =>
      rows.reduce((s, r, q) => s + r[i] * rhs[q], 0)
    );
    const p = solve(normal, right);
    // Entry (i_1 … i_k) of the C-order [2]^k tensor: a = how many i_r are 0.
    const dk = new Float64Array(2 ** k);
    for (let flat = 0; flat < dk.length; flat++) {
      let ones = 0;
      for (let r = flat; r > 0; r >>= 1) ones += r & 1;
      dk[flat] = p[k - ones];
    }
    out.push(dk);
  }
  return out;
}

/**
 * `∂^k y/∂x_i^k` for a seeded sample of the inputs, one series along each
 * unit vector.
 */
function sampledUnmixed(
  demo: DemoNetwork,
  order: number,
  sample: number,
): { derivatives: Float64Array[]; indices: number[] } {
  const d = demo.point.length;
  const indices = createRng(1).shuffle(Array.from({ length: d }, (_, i) => i))
    .slice(0, Math.min(sample, d)).sort((a, b) => a - b);
  const series = indices.map((i) => {
    const v = new Array(d).fill(0);
    v[i] = 1;
    return networkSeries(demo.network, demo.point, v, order)[0];
  });
  const derivatives = [Float64Array.of(series[0][0])];
  for (let k = 1; k <= order; k++) {
    derivatives.push(Float64Array.from(series, (s) => s[k] * factorial(k)));
  }
  return { derivatives, indices };
}

/**
 * The float64 derivatives of a benchmark network at its point, up to
 * `order`, in its mode.
 *
 * @param demo The network, point and mode.
 * @param options `order`; `sample`: how many inputs to check for an
 *   unmixed expansion with more than `sample` inputs (default 32).
 * @returns The reference, with what it holds and how long it took.
 * @throws {Error} `Cannot compute a reference for "<name>": …` for an
 *   all-mixed expansion of a convolutional net with other than 2 inputs.
 * @example
 * ```ts
 * import { demoNetworks } from "./_demo_networks.ts";
 * import { exactReference } from "./_exact_reference.ts";
 * const [demo] = await demoNetworks(["discovery"]);
 * const ref = exactReference(demo, { order: 2 });
 * if (ref.derivatives[2].length !== 16) throw new Error("4×4 Hessian");
 * demo.network.dispose();
 * ```
 */
export function exactReference(
  demo: DemoNetwork,
  options: { order: number; sample?: number },
): ExactReference {
  const { order, sample = 32 } = options;
  const start = performance.now();
  const seconds = () => (performance.now() - start) / 1000;
  const convolutional = demo.network.spec.layers.some((l) =>
    l.type === "Conv2d"
  );
  if (demo.mixed === "none") {
    const { derivatives, indices } = sampledUnmixed(demo, order, sample);
    return {
      derivatives,
      indices: indices.length < demo.point.length ? indices : undefined,
      seconds: seconds(),
      how: indices.length < demo.point.length
        ? `float64 series along e_i (tests/taylor/_jet64.ts) at ${indices.length} of ${demo.point.length} inputs, a seeded sample`
        : "float64 series along each e_i (tests/taylor/_jet64.ts)",
    };
  }
  if (demo.point.length === 1) {
    const [series] = networkSeries(demo.network, demo.point, [1], order);
    return {
      derivatives: series.map((c, k) => Float64Array.of(c * factorial(k))),
      seconds: seconds(),
      how: "float64 series (tests/taylor/_jet64.ts)",
    };
  }
  if (!convolutional) {
    const derivatives = referenceDerivatives(demo.network, demo.point, {
      order,
      mixed: "all",
    });
    return {
      derivatives,
      seconds: seconds(),
      how: "float64 multivariate jets (tests/taylor/_f64_jet.ts)",
    };
  }
  if (demo.point.length !== 2) {
    throw new Error(
      `Cannot compute a reference for "${demo.name}": all mixed partials of a convolutional net are polarised from directional series only for 2 inputs, it has ${demo.point.length}`,
    );
  }
  const derivatives = polarized(demo, order);
  return {
    derivatives,
    seconds: seconds(),
    how: `float64 series (tests/taylor/_jet64.ts) along ${
      order + 1
    } directions, mixed partials by polarisation (least squares)`,
  };
}
