/**
 * Analysis `convergence`: how the Taylor polynomial of a sine network
 * converges as its order grows, for several frequencies `w0` (the HOPE
 * paper's convergence study, its Table 2).
 *
 * ```yaml
 * - type: convergence
 *   point: [0]                       # the expansion point x0
 *   w0: [1, 5, 10, 30]               # every Sine layer gets each w0 in turn
 *   order: 16                        # highest order N, default 16
 *   radii: [0.01, 0.03, 0.1, 0.3, 1] # bands reported and plotted
 *   range: 3                         # largest distance sampled, default 3
 *   samples: 241                     # distances per side, default 241
 *   decades: 3                       # they span [range·10^−decades, range]
 *   threshold: 0.01                  # relative error of the region, default 0.01
 *   direction: [1]                   # the line sampled (default: the first axis)
 *   output: 0                        # which network output (flat index)
 * ```
 *
 * The networks share the run's weights and differ only in `w0`:
 * `sin(w0 (W x + b))` scales every weight and bias feeding a Sine by `w0`,
 * the paper's way of widening the weight distribution. For each, the
 * derivatives along `direction` at `x0` come from the `taylor` method, and
 * the order-`n` polynomial `p_n(s) = Σ_{k ≤ n} ∂^k_v y(x0) s^k / k!` is
 * compared with the network's output along the line `x0 + s·v` computed in
 * float64 (`taylor/reference64.ts`), at `samples` log-spaced distances per
 * side. The error on a band `|s| ≤ r` is `max |p_n(s) − y(s)|` divided by
 * the network's variation `max |y(s) − y(0)|` over the whole sampled line;
 * the convergence region at order `n` is the largest sampled `r` whose
 * band error is at most `threshold`.
 *
 * Writes `distances.npy` (the signed `s`), per `w0` a folder `w0_<w0>` with
 * `network.npy`, `derivatives.npy` and `reference.npy` (order 0 … N along
 * `v`), and `error_vs_order.npy` `[w0, radii, N]`, `region.npy` `[w0, N]`,
 * `score.npy` `[w0, N]`; figures `error_vs_order_r<r>.svg` (one per
 * radius, one line per `w0`), `error_vs_radius.svg` (order N) and
 * `region.svg`; tables. Results, for claims, keyed by `w0` then radius:
 * `error` (relative error for orders 1 … N), `improvement`
 * (`error(1) / error(N)`), `improvementInRegion` (per `w0`, the same on
 * the largest band inside the region, null when none is), `region` (per
 * `w0`, at order N),
 * `regionRatio` (region of each `w0` over that of the next smaller one),
 * `score` (`|∂^n y / ∂^1 y|`, n = 1 … N, the paper's Table 2),
 * `maxDerivativeError` (of the `taylor` derivatives against the float64
 * ones, the largest over the orders of `|c_k − ref_k|` over the local scale
 * of the reference coefficients `max(|ref_k|, √|ref_{k−1} ref_{k+1}|)`, with
 * `c_k = ∂^k y / k!`; see {@linkcode derivativeErrors}) and `seconds`.
 *
 * @module
 */

import { z } from "../../deps.ts";
import { Network } from "../../nn/network.ts";
import type { LayerSpec } from "../../nn/spec.ts";
import { linePlot } from "../../plot/line_plot.ts";
import {
  referenceDerivatives,
  referenceOutputs,
} from "../../taylor/reference64.ts";
import { taylorDerivatives } from "../../taylor/taylor_mode.ts";
import type { AnalysisDefinition, AnalysisStep } from "../analysis.ts";
import { strict } from "../_zod.ts";
import { factorial } from "../../taylor/_multi_index.ts";
import { bandErrors, formatError, radiusKey } from "./_bands.ts";
import {
  pointProblems,
  pointSchema,
  sectionTitle,
  stepShape,
} from "./_step.ts";

const schema = strict({
  ...stepShape("convergence"),
  point: pointSchema,
  w0: z.array(z.number().positive()).min(1),
  order: z.int().min(1).max(30).default(16),
  radii: z.array(z.number().positive()).min(1),
  range: z.number().positive().default(3),
  samples: z.int().min(2).max(100_000).default(241),
  decades: z.number().positive().default(3),
  threshold: z.number().positive().default(0.01),
  direction: pointSchema.optional(),
  output: z.int().min(0).default(0),
});

/** Floor of plotted errors on log axes (float64 rounding of the values). */
const FLOOR = 1e-16;

/**
 * Ceiling of the error axes: past it the polynomial has long diverged, and
 * the lines (which reach 1e30 and more) would flatten everything below.
 */
const CEILING = 1e4;

/** What one `w0` gave. */
interface Member {
  w0: number;
  scale: number;
  derivatives: number[];
  reference: number[];
  truth: Float64Array;
  /** `cumulative[n − 1][j]`: relative error of order n on `|s| ≤ r_j`. */
  cumulative: number[][];
  /** `errors[n − 1][i]`: relative error of order n on band `radii[i]`. */
  errors: number[][];
  /** `regions[n − 1]`: the convergence region of order n. */
  regions: number[];
  seconds: number;
}

/**
 * The `convergence` step.
 *
 * @example
 * ```ts
 * import { convergenceAnalysis } from "./convergence.ts";
 * const r = convergenceAnalysis.schema.safeParse({
 *   type: "convergence",
 *   point: [0],
 *   w0: [1, 10],
 *   radii: [0.1, 1],
 * });
 * if (!r.success || r.data.order !== 16 || r.data.threshold !== 0.01) {
 *   throw new Error("defaults not applied");
 * }
 * const problems = convergenceAnalysis.check!({ ...r.data, id: "c" }, { dim: 2 });
 * if (problems[0]?.path[0] !== "point") throw new Error("dimension not checked");
 * ```
 */
export const convergenceAnalysis: AnalysisDefinition<
  z.output<typeof schema> & AnalysisStep
> = {
  type: "convergence",
  summary:
    "Taylor polynomial error against the order for several sine frequencies w0",
  schema,
  check(step, { dim }) {
    const problems = pointProblems(step.point, { dim, path: ["point"] });
    if (step.direction && step.direction.length !== dim) {
      problems.push({
        path: ["direction"],
        message:
          `expected a direction of ${dim} numbers (the input size), got ${step.direction.length}`,
      });
    }
    if (step.direction?.every((v) => v === 0)) {
      problems.push({
        path: ["direction"],
        message: "expected a non-zero direction",
      });
    }
    if (new Set(step.w0).size !== step.w0.length) {
      problems.push({ path: ["w0"], message: "expected distinct values" });
    }
    return problems;
  },
  async run(step, ctx) {
    const { point, order, output } = step;
    const d = point.length;
    const w0s = [...step.w0].sort((a, b) => a - b);
    const radii = [...step.radii].sort((a, b) => a - b);
    const keys = radii.map(radiusKey);
    const v = step.direction ?? [1, ...new Array(d - 1).fill(0)];
    const distances = sampleDistances(step);
    const signed = [0, ...distances.flatMap((r) => [-r, r])];
    const absolute = signed.map(Math.abs);
    const line = new Float64Array(signed.length * d);
    signed.forEach((s, i) => {
      for (let j = 0; j < d; j++) line[i * d + j] = point[j] + s * v[j];
    });

    const members: Member[] = [];
    const parameters = ctx.network.exportParameters();
    try {
      for (const w0 of w0s) {
        const network = withFrequency(ctx.network, w0, parameters);
        try {
          members.push(
            member(network, {
              w0,
              point,
              v,
              order,
              output,
              line,
              signed,
              absolute,
              distances,
              radii,
              threshold: step.threshold,
            }),
          );
        } finally {
          network.dispose();
        }
        const m = members[members.length - 1];
        ctx.log(
          `  w0 = ${w0}: region at order ${order} ${
            m.regions[order - 1].toPrecision(3)
          }, ${m.seconds.toFixed(2)} s`,
        );
      }
    } finally {
      for (const t of parameters.values()) t.dispose();
    }

    const dir = ctx.dir;
    const section = sectionTitle(step);
    await ctx.files.npy(`${dir}/distances.npy`, {
      dtype: "float64",
      shape: [signed.length],
      data: Float64Array.from(signed),
    });
    for (const m of members) {
      const folder = `${dir}/w0_${m.w0}`;
      await ctx.files.npy(`${folder}/network.npy`, {
        dtype: "float64",
        shape: [m.truth.length],
        data: m.truth,
      });
      for (
        const [name, data] of [["derivatives", m.derivatives], [
          "reference",
          m.reference,
        ]] as const
      ) {
        await ctx.files.npy(`${folder}/${name}.npy`, {
          dtype: "float64",
          shape: [order + 1],
          data: Float64Array.from(data),
        });
      }
    }
    const W = members.length;
    await ctx.files.npy(`${dir}/error_vs_order.npy`, {
      dtype: "float64",
      shape: [W, radii.length, order],
      data: Float64Array.from(
        members.flatMap((m) =>
          radii.flatMap((_, i) => m.errors.map((row) => row[i]))
        ),
      ),
    });
    await ctx.files.npy(`${dir}/region.npy`, {
      dtype: "float64",
      shape: [W, order],
      data: Float64Array.from(members.flatMap((m) => m.regions)),
    });
    const scores = members.map((m) => score(m.derivatives));
    await ctx.files.npy(`${dir}/score.npy`, {
      dtype: "float64",
      shape: [W, order],
      data: Float64Array.from(scores.flat()),
    });

    const orders = Array.from({ length: order }, (_, n) => n + 1);
    const clamp = (e: number) => Math.max(e, FLOOR);
    for (const [i, key] of keys.entries()) {
      await ctx.files.figure(
        `${dir}/error_vs_order_${key}.svg`,
        linePlot(
          members.map((m) => ({
            label: `w_0 = ${m.w0}`,
            x: orders,
            y: m.errors.map((row) => clamp(row[i])),
          })),
          {
            title: `Taylor polynomial error on |s| ≤ ${radii[i]}`,
            xLabel: "order n",
            yLabel: "max |p_n − y| / max |y − y(x_0)|",
            yScale: "log",
            yDomain: errorDomain(members.map((m) => m.errors.map((r) => r[i]))),
            markers: true,
          },
        ),
        {
          title: `Relative error of the order-n polynomial on the band |s| ≤ ${
            radii[i]
          }, one line per w0`,
          section,
        },
      );
    }
    await ctx.files.figure(
      `${dir}/error_vs_radius.svg`,
      linePlot(
        [
          ...members.map((m) => ({
            label: `w_0 = ${m.w0}`,
            x: distances,
            y: m.cumulative[order - 1].map(clamp),
          })),
          {
            label: "threshold",
            x: [distances[0], distances[distances.length - 1]],
            y: [step.threshold, step.threshold],
            dash: true,
            color: "#888888",
          },
        ],
        {
          title: `Order-${order} polynomial error against the band radius`,
          xLabel: "band radius r",
          yLabel: "max_{|s| ≤ r} |p − y| / max |y − y(x_0)|",
          xScale: "log",
          yScale: "log",
          yDomain: errorDomain(members.map((m) => m.cumulative[order - 1])),
        },
      ),
      {
        title:
          `Relative error of the order-${order} polynomial on |s| ≤ r, one line per w0 (axis cut at ${CEILING}); the region ends where a line crosses the threshold`,
        section,
      },
    );
    await ctx.files.figure(
      `${dir}/region.svg`,
      linePlot(
        members.map((m) => ({
          label: `w_0 = ${m.w0}`,
          x: orders,
          y: m.regions.map((r) => (r > 0 ? r : NaN)),
        })),
        {
          title: `Convergence region (relative error ≤ ${step.threshold})`,
          xLabel: "order n",
          yLabel: "largest r with error ≤ threshold",
          yScale: "log",
          markers: true,
        },
      ),
      {
        title:
          "The largest band radius where the order-n polynomial is within the threshold (missing points: below the smallest distance sampled)",
        section,
      },
    );
    ctx.files.table({
      title: `Relative error of the order-${order} polynomial per band`,
      section,
      columns: ["w0", "region", ...radii.map((r) => `r = ${r}`)],
      rows: members.map((m) => [
        m.w0,
        formatError(m.regions[order - 1]),
        ...m.errors[order - 1].map(formatError),
      ]),
      source: `${dir}/error_vs_order.npy`,
    });
    ctx.files.table({
      title: "|∂ⁿy / ∂¹y| at x0 (the paper's Table 2)",
      section,
      columns: ["n", ...members.map((m) => `w0 = ${m.w0}`)],
      rows: orders.map((n) => [n, ...scores.map((s) => formatError(s[n - 1]))]),
      source: `${dir}/score.npy`,
    });

    const perW0 = <T>(f: (m: Member, i: number) => T) =>
      Object.fromEntries(members.map((m, i) => [`w${m.w0}`, f(m, i)]));
    const byRadius = <T>(f: (i: number) => T) =>
      Object.fromEntries(keys.map((k, i) => [k, f(i)]));
    return {
      point,
      order,
      w0: w0s,
      direction: v,
      scale: perW0((m) => m.scale),
      error: perW0((m) => byRadius((i) => m.errors.map((row) => row[i]))),
      improvement: perW0((m) =>
        byRadius((i) => m.errors[0][i] / m.errors[order - 1][i])
      ),
      improvementInRegion: perW0((m) => {
        const inside = radii.findLastIndex((r) => r <= m.regions[order - 1]);
        return inside < 0
          ? null
          : m.errors[0][inside] / m.errors[order - 1][inside];
      }),
      region: perW0((m) => m.regions[order - 1]),
      regionRatio: members.slice(1).map((m, i) =>
        m.regions[order - 1] / members[i].regions[order - 1]
      ),
      score: perW0((_, i) => scores[i]),
      maxDerivativeError: perW0((m) =>
        Math.max(...derivativeErrors(m.derivatives, m.reference))
      ),
      seconds: perW0((m) => m.seconds),
    };
  },
};

/** A log axis from the decade below the smallest error up to the ceiling. */
function errorDomain(errors: number[][]): [number, number] {
  let low = CEILING;
  for (const row of errors) {
    for (const e of row) if (e > 0) low = Math.min(low, e);
  }
  const bottom = 10 ** Math.floor(Math.log10(Math.max(low, FLOOR)));
  return [Math.min(bottom, CEILING / 10), CEILING];
}

/** `samples` distances log-spaced on `[range·10^−decades, range]`. */
function sampleDistances(
  step: { range: number; samples: number; decades: number },
): number[] {
  const { range, samples, decades } = step;
  return Array.from(
    { length: samples },
    (_, j) => range * 10 ** (-decades * (1 - j / (samples - 1))),
  );
}

/**
 * The network with every Sine's `w0` set to `w0`, sharing `parameters`.
 *
 * @throws {Error} `Cannot set w0 of network "<layers>": it has no Sine layer`.
 */
function withFrequency(
  network: Network,
  w0: number,
  parameters: ReturnType<Network["exportParameters"]>,
): Network {
  const layers = network.spec.layers.map((l): LayerSpec =>
    l.type === "Sine" ? { ...l, w0 } : l
  );
  if (!layers.some((l) => l.type === "Sine")) {
    throw new Error(
      `Cannot set w0 of network "${
        network.spec.layers.map((l) => l.type).join(", ")
      }": it has no Sine layer`,
    );
  }
  return Network.create({ ...network.spec, layers }, { parameters });
}

/** Expands one network along `v` and measures its polynomials. */
function member(
  network: Network,
  p: {
    w0: number;
    point: number[];
    v: number[];
    order: number;
    output: number;
    line: Float64Array;
    signed: number[];
    absolute: number[];
    distances: number[];
    radii: number[];
    threshold: number;
  },
): Member {
  const start = performance.now();
  // The derivatives alone (no polynomial object): at high orders and large
  // w0 they may overflow float32, which then shows as an infinite error.
  const [set] = taylorDerivatives(network, [p.point], {
    order: p.order,
    mixed: "directions",
    directions: [p.v],
    output: p.output,
  });
  const derivatives = set.derivatives.map((dk) => dk[0]);
  const reference = referenceDerivatives(network, p.point, {
    order: p.order,
    mixed: "directions",
    directions: [p.v],
    output: p.output,
  }).map((dk) => dk[0]);
  const truth = referenceOutputs(network, p.line, { output: p.output });
  let scale = 0;
  for (const y of truth) scale = Math.max(scale, Math.abs(y - truth[0]));
  const values = new Float64Array(p.signed.length).fill(derivatives[0]);
  const power = new Float64Array(p.signed.length).fill(1);
  const cumulative: number[][] = [];
  const errors: number[][] = [];
  const regions: number[] = [];
  for (let n = 1; n <= p.order; n++) {
    p.signed.forEach((s, i) => {
      power[i] *= s / n;
      values[i] += derivatives[n] * power[i];
    });
    const bands = bandErrors(p.absolute, values, truth, p.distances).map((e) =>
      e / scale
    );
    cumulative.push(bands);
    errors.push(
      bandErrors(p.absolute, values, truth, p.radii).map((e) => e / scale),
    );
    let region = 0;
    for (const [j, r] of p.distances.entries()) {
      if (!(bands[j] <= p.threshold)) break;
      region = r;
    }
    regions.push(region);
  }
  return {
    w0: p.w0,
    scale,
    derivatives,
    reference,
    truth,
    cumulative,
    errors,
    regions,
    seconds: (performance.now() - start) / 1000,
  };
}

/** `|∂^n y / ∂^1 y|`, n = 1 … N. */
/**
 * Per order `k`, `|d_k − r_k| / max(|r_k|, √|r_{k−1} r_{k+1}|)` for
 * derivatives `d` against a reference `r` (the square root is taken of the
 * neighbouring coefficients `r_j / j!` and turned back into a derivative
 * scale; absent neighbours count as 0). A plain relative error `|d_k −
 * r_k| / |r_k|` is ill-conditioned where the coefficients of a sine network
 * cancel to a value far below both neighbours (measured: order 14 of
 * w0 = 30 at seed 2 is 300× below the geometric mean of orders 13 and 15, its
 * plain error 2.9e-4 against ≤ 2e-5 elsewhere); float32 rounding is
 * relative to the size of the terms that cancel, which the neighbours bound.
 */
function derivativeErrors(d: number[], r: number[]): number[] {
  const coefficient = (k: number) =>
    k < 0 || k >= r.length ? 0 : Math.abs(r[k]) / factorial(k);
  return d.map((x, k) => {
    const local = Math.sqrt(coefficient(k - 1) * coefficient(k + 1)) *
      factorial(k);
    const scale = Math.max(Math.abs(r[k]), local);
    return scale === 0 ? Math.abs(x - r[k]) : Math.abs(x - r[k]) / scale;
  });
}

function score(derivatives: number[]): number[] {
  return derivatives.slice(1).map((dn) => Math.abs(dn / derivatives[1]));
}
