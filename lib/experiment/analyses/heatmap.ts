/**
 * Analysis `heatmap`: Taylor-series heat maps (the HOPE paper's heat maps)
 * of an MNIST classifier against perturbation heat maps (the reference
 * `demo/heatmap`).
 *
 * The ten-class network is split into ten single-output networks `y_c`
 * (the reference `single_net.py` keeps row `c` of the last Linear layer,
 * which is expanding output `c`). For a test image `x` and a network `c`,
 * with the unmixed derivatives `∂^k y_c/∂x_i^k` at `x` for every pixel `i`:
 *
 * - the series heat map `H_i = Σ_{k=1..n} ∂^k y_c/∂x_i^k · Δ^k / k!`, the
 *   Taylor polynomial of `t ↦ y_c(x + t e_i)` at `t = Δ` minus `y_c(x)`;
 * - the perturbation heat map `P_i = y_c(x + Δ e_i) − y_c(x)`, one batched
 *   forward pass over the 784 perturbed images.
 *
 * `H` converges to `P` as `n` grows when `Δ` is inside the radius of
 * convergence of every pixel's series, so their Pearson correlation
 * measures how much of the perturbation the polynomial captures. Where
 * `Δ` is beyond a pixel's radius of convergence (the complex singularities
 * of tanh come closer as the weights grow), more orders make `H_i` worse,
 * not better; `lastTerm`, the largest order-`n` term over the largest
 * `|P_i|`, shows it.
 *
 * ```yaml
 * - type: heatmap
 *   perDigit: 1        # test images per digit: the first ones in file order
 *   labels: [0, …, 9]  # which digits (default all ten)
 *   networks: label    # label: network c for images of digit c; all: all ten
 *   order: 10          # default 10
 *   delta: 1           # Δ on the [0, 1] pixel scale, default 1
 *   sweep: [0.25, 0.5, 1, 2]  # further Δ for the correlation sweep (default none)
 *   ratio: 0.1         # share of pixels in the top masks, default 0.1
 *   method: taylor     # taylor (exact) | hope (the paper's backward rule)
 *   compare: [hope]    # further methods whose maps are correlated too
 * ```
 *
 * Which method computed the derivatives is part of every name: files and
 * results say "series", tables and figures "Taylor series (<method>, …)", never
 * "HOPE" for a map computed by another method. The backward HOPE rule is
 * exact only for some networks (`hopeExactness`); the results record, per
 * method used, `exact` and, where false, `inexactReason`.
 *
 * Writes `images.npy` `[N, 28, 28]` (float32 in [0, 1]); float64
 * `derivatives.npy` `[N, n, 784]` (row `k − 1` holds order `k`),
 * `series_map.npy`, `perturbation_map.npy`, `series_positive.npy`,
 * `series_negative.npy`, `perturbation_positive.npy`,
 * `perturbation_negative.npy` (all `[N, 28, 28]`),
 * `correlation_by_order.npy` `[N, n]` (the correlation of the truncated
 * sums `k ≤ 1 … n`), `compare/<method>_map.npy`, and `items.json`; the
 * figures `heatmaps_<g>.svg` (ten rows each: image, both maps, their masks)
 * and `correlation_by_order.svg`. With a `sweep`, the same order-`n`
 * derivatives give the series map at each listed `Δ`, correlated with the
 * perturbation map at that `Δ`: `correlation_by_delta.npy` `[N, D]`, the
 * figure `correlation_by_delta.svg`, and the result `sweep` (`{ "<Δ>":
 * { min, mean } }`); where the correlation collapses as `Δ` grows, `Δ` has
 * left some pixel's radius of convergence. Results: `correlation` (per map,
 * in item order), `correlationMin`, `correlationMean`, `relativeError` and
 * `lastTerm` (per map), `seconds`
 * (`{ series, perturbation }`, mean per map), `exact` and `inexactReason`
 * (per method, of `method` and `compare`), `compare` (per method:
 * `correlation`, `correlationMin`, `correlationMean`, `seconds`) and
 * `items` (per map: `label`, `network`, `testIndex`, `prediction`,
 * `value`, `correlation`, `relativeError`, `lastTerm`, `positiveOverlap`,
 * `negativeOverlap`, `seriesSeconds`, `perturbationSeconds`).
 *
 * The top masks follow the reference `heatmap.py`: the positive (negative)
 * part of a map, scaled by its largest magnitude, keeping the `ratio · 784`
 * largest pixels (here exactly that many, ties by pixel order); negative
 * masks hold negative values so both read on one diverging scale.
 *
 * @module
 */

import { tf } from "../../deps.ts";
import type { MnistData } from "../../data/mnist.ts";
import type { Network } from "../../nn/network.ts";
import { heatmapGrid, type HeatmapPanel } from "../../plot/heatmap_grid.ts";
import { linePlot, type LineSeries } from "../../plot/line_plot.ts";
import { hopeDerivatives, hopeExactness } from "../../taylor/hope.ts";
import { taylorDerivatives } from "../../taylor/taylor_mode.ts";
import type { DerivativeSet } from "../../taylor/types.ts";
import { z } from "../../deps.ts";
import type { AnalysisDefinition, AnalysisStep } from "../analysis.ts";
import { strict } from "../_zod.ts";
import { exactnessByMethod, sectionTitle, stepShape } from "./_step.ts";

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = 10;

const methodSchema = z.enum(["taylor", "hope"]);

const schema = strict({
  ...stepShape("heatmap"),
  perDigit: z.int().min(1).default(1),
  labels: z.array(z.int().min(0).max(CLASSES - 1)).min(1)
    .refine((l) => new Set(l).size === l.length, "labels must be distinct")
    .default([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
  networks: z.enum(["label", "all"]).default("label"),
  order: z.int().min(1).max(30).default(10),
  delta: z.number().refine((v) => v !== 0, "delta must not be 0").default(1),
  sweep: z.array(
    z.number().refine((v) => v !== 0, "a sweep step must not be 0"),
  ).default([]),
  ratio: z.number().gt(0).max(1).default(0.1),
  method: methodSchema.default("taylor"),
  compare: z.array(methodSchema).default([]),
});

type Step = z.output<typeof schema> & AnalysisStep;
type Method = z.output<typeof methodSchema>;

const DERIVATIVES: Record<
  Method,
  (net: Network, points: number[][], o: {
    order: number;
    mixed: "none";
    output: number;
  }) => DerivativeSet[]
> = { taylor: taylorDerivatives, hope: hopeDerivatives };

/** What the step reports about one map. */
interface MapRecord {
  label: number;
  network: number;
  testIndex: number;
  prediction: number;
  /** `y_c(x)`, the logit of the network's class. */
  value: number;
  correlation: number;
  relativeError: number;
  /**
   * The largest last term `|∂^n y/∂x_i^n| Δ^n/n!` over the pixels, over the
   * largest `|P_i|`: small when every pixel's series has converged, large
   * when `Δ` lies beyond some pixel's radius of convergence.
   */
  lastTerm: number;
  positiveOverlap: number;
  negativeOverlap: number;
  /** Seconds for the derivatives and the series map. */
  seriesSeconds: number;
  perturbationSeconds: number;
}

/** One heat map: an image explained by one single-output network. */
interface Item {
  /** Position of the image in the run's test set. */
  position: number;
  /** The image's index in the MNIST test file. */
  testIndex: number;
  label: number;
  network: number;
  /** Figure group (a round of digits, or one image for `networks: all`). */
  group: number;
}

/**
 * The `heatmap` step.
 *
 * @example
 * ```ts
 * import { heatmapAnalysis } from "./heatmap.ts";
 * const r = heatmapAnalysis.schema.safeParse({ type: "heatmap" });
 * if (!r.success || r.data.order !== 10 || r.data.delta !== 1) {
 *   throw new Error("defaults not applied");
 * }
 * const problems = heatmapAnalysis.check!({ ...r.data, id: "h" }, { dim: 2 });
 * if (problems.length !== 1) throw new Error("input size not checked");
 * ```
 */
export const heatmapAnalysis: AnalysisDefinition<Step> = {
  type: "heatmap",
  summary:
    "Taylor-series heat maps of an MNIST classifier against perturbation maps",
  schema,
  check(_step, { dim }) {
    return dim === PIXELS ? [] : [{
      path: ["type"],
      message:
        `expected 28×28 images (input size ${PIXELS}), the input size is ${dim}`,
    }];
  },
  async run(step, ctx) {
    const fail = (why: string): never => {
      throw new Error(`Cannot run heatmap "${step.id}": ${why}`);
    };
    if (ctx.data.kind !== "mnist") {
      fail("it needs the MNIST data set (data: { dataset: mnist })");
    }
    const outputs = ctx.network.outputShape.reduce((a, b) => a * b, 1);
    if (outputs !== CLASSES) {
      fail(
        `it needs a network with ${CLASSES} outputs, this one has ${outputs}`,
      );
    }
    const test = (ctx.data as { test: MnistData }).test;
    const items = pickItems(test, step, fail);
    const n = step.order;
    const N = items.length;
    const series = `Taylor series (${step.method}, order ${n})`;
    const images = new Float32Array(N * PIXELS);
    const derivatives = new Float64Array(N * n * PIXELS);
    const maps = new Float64Array(N * PIXELS);
    const perturbations = new Float64Array(N * PIXELS);
    const byOrder = new Float64Array(N * n);
    const S = step.sweep.length;
    const byDelta = new Float64Array(N * S);
    const compareMaps = new Map(
      step.compare.map((m) => [m, new Float64Array(N * PIXELS)]),
    );
    const compareSeconds = new Map(step.compare.map((m) => [m, 0]));
    const records: MapRecord[] = [];
    for (const [j, item] of items.entries()) {
      const x0 = Array.from(
        test.images.subarray(
          item.position * PIXELS,
          (item.position + 1) * PIXELS,
        ),
        (v) => v / 255,
      );
      images.set(x0, j * PIXELS);
      const expansion = {
        order: n,
        mixed: "none" as const,
        output: item.network,
      };
      let start = performance.now();
      const [set] = DERIVATIVES[step.method](ctx.network, [x0], expansion);
      const map = seriesMap(set, step.delta);
      const seriesSeconds = (performance.now() - start) / 1000;
      start = performance.now();
      const { values: P, outputs: y0 } = perturbationMap(
        ctx.network,
        x0,
        { delta: step.delta, output: item.network },
      );
      const perturbationSeconds = (performance.now() - start) / 1000;
      for (let k = 1; k <= n; k++) {
        derivatives.set(set.derivatives[k], (j * n + k - 1) * PIXELS);
      }
      maps.set(map, j * PIXELS);
      perturbations.set(P, j * PIXELS);
      const partial = new Float64Array(PIXELS);
      let power = 1;
      for (let k = 1; k <= n; k++) {
        power *= step.delta / k;
        const dk = set.derivatives[k];
        for (let i = 0; i < PIXELS; i++) partial[i] += dk[i] * power;
        byOrder[j * n + k - 1] = pearson(partial, P);
      }
      const lastTerm = maxAbs(set.derivatives[n]) * Math.abs(power) /
        maxAbs(P);
      const correlation = pearson(map, P);
      for (const [s, delta] of step.sweep.entries()) {
        // The run's own Δ reuses its maps (one forward pass of 785 images).
        byDelta[j * S + s] = delta === step.delta ? correlation : pearson(
          seriesMap(set, delta),
          perturbationMap(ctx.network, x0, { delta, output: item.network })
            .values,
        );
      }
      for (const m of step.compare) {
        const t = performance.now();
        const [other] = DERIVATIVES[m](ctx.network, [x0], expansion);
        compareMaps.get(m)!.set(seriesMap(other, step.delta), j * PIXELS);
        compareSeconds.set(
          m,
          compareSeconds.get(m)! + (performance.now() - t) / 1000,
        );
      }
      const count = Math.round(step.ratio * PIXELS);
      const overlap = (sign: 1 | -1) =>
        setOverlap(topPixels(map, count, sign), topPixels(P, count, sign));
      const record = {
        label: item.label,
        network: item.network,
        testIndex: item.testIndex,
        prediction: argmax(y0),
        value: y0[item.network],
        correlation,
        relativeError: relativeError(map, P),
        lastTerm,
        positiveOverlap: overlap(1),
        negativeOverlap: overlap(-1),
        seriesSeconds,
        perturbationSeconds,
      };
      records.push(record);
      ctx.log(
        `  digit ${item.label} (test #${item.testIndex}), network ${item.network}: 1 − r = ${
          (1 - record.correlation).toExponential(1)
        }, series ${seriesSeconds.toFixed(2)} s, perturbation ${
          perturbationSeconds.toFixed(2)
        } s`,
      );
    }
    const count = Math.round(step.ratio * PIXELS);
    const masks = {
      series_positive: maskAll(maps, count, 1),
      series_negative: maskAll(maps, count, -1),
      perturbation_positive: maskAll(perturbations, count, 1),
      perturbation_negative: maskAll(perturbations, count, -1),
    };
    const dir = ctx.dir;
    const square = [N, SIDE, SIDE];
    await ctx.files.npy(`${dir}/images.npy`, {
      dtype: "float32",
      shape: square,
      data: images,
    });
    await ctx.files.npy(`${dir}/derivatives.npy`, {
      dtype: "float64",
      shape: [N, n, PIXELS],
      data: derivatives,
    });
    await ctx.files.npy(`${dir}/series_map.npy`, {
      dtype: "float64",
      shape: square,
      data: maps,
    });
    await ctx.files.npy(`${dir}/perturbation_map.npy`, {
      dtype: "float64",
      shape: square,
      data: perturbations,
    });
    for (const [name, data] of Object.entries(masks)) {
      await ctx.files.npy(`${dir}/${name}.npy`, {
        dtype: "float64",
        shape: square,
        data,
      });
    }
    await ctx.files.npy(`${dir}/correlation_by_order.npy`, {
      dtype: "float64",
      shape: [N, n],
      data: byOrder,
    });
    if (S > 0) {
      await ctx.files.npy(`${dir}/correlation_by_delta.npy`, {
        dtype: "float64",
        shape: [N, S],
        data: byDelta,
      });
    }
    for (const [m, data] of compareMaps) {
      await ctx.files.npy(`${dir}/compare/${m}_map.npy`, {
        dtype: "float64",
        shape: square,
        data,
      });
    }
    await ctx.files.json(`${dir}/items.json`, {
      order: n,
      delta: step.delta,
      method: step.method,
      items: records,
    });
    const section = sectionTitle(step);
    const groups = [...new Set(items.map((it) => it.group))];
    for (const g of groups) {
      const rows = [...items.keys()].filter((j) => items[j].group === g);
      const slice = (a: Float64Array | Float32Array, j: number) =>
        a.subarray(j * PIXELS, (j + 1) * PIXELS);
      const panel = (
        data: ArrayLike<number>,
        extra: Partial<HeatmapPanel> = {},
      ): HeatmapPanel => ({ data: { data, shape: [SIDE, SIDE] }, ...extra });
      const unit = { domain: [-1, 1] as const };
      const panels = rows.map((j) => [
        panel(slice(images, j), { colormap: "greys", domain: [0, 1] }),
        panel(slice(maps, j)),
        panel(slice(perturbations, j)),
        panel(slice(masks.series_positive, j), unit),
        panel(slice(masks.series_negative, j), unit),
        panel(slice(masks.perturbation_positive, j), unit),
        panel(slice(masks.perturbation_negative, j), unit),
      ]);
      const pct = `${Math.round(step.ratio * 100)}%`;
      const first = items[rows[0]];
      const svg = heatmapGrid(panels, {
        title: step.networks === "all"
          ? `Digit ${first.label} (test ${first.testIndex}) through the ten single-output networks`
          : `${series} and perturbation heat maps, Δ = ${step.delta}`,
        rowTitles: rows.map((j) =>
          step.networks === "all"
            ? `network ${items[j].network}`
            : `${items[j].label} (test ${items[j].testIndex})`
        ),
        colTitles: [
          "image",
          "series",
          "perturbation",
          `series top ${pct} +`,
          `series top ${pct} −`,
          `pert. top ${pct} +`,
          `pert. top ${pct} −`,
        ],
        normalize: "panel",
      });
      await ctx.files.figure(`${dir}/heatmaps_${g}.svg`, svg, {
        title: step.networks === "all"
          ? `Heat maps of test image ${first.testIndex} (digit ${first.label}) for each network`
          : `Heat maps, one image per digit (group ${g})`,
        section,
      });
    }
    const orders = Array.from({ length: n }, (_, k) => k + 1);
    await ctx.files.figure(
      `${dir}/correlation_by_order.svg`,
      linePlot(
        spread(
          orders,
          orders.map((k) => items.map((_, j) => 1 - byOrder[j * n + k - 1])),
        ),
        {
          title: `${series} against perturbation maps, Δ = ${step.delta}`,
          xLabel: "highest order summed, n",
          yLabel: "1 − Pearson r",
          yScale: "log",
          markers: true,
        },
      ),
      {
        title: "How far the truncated series is from the perturbation map",
        section,
      },
    );
    const sweep = Object.fromEntries(step.sweep.map((delta, s) => {
      const r = items.map((_, j) => byDelta[j * S + s]);
      return [String(delta), { min: Math.min(...r), mean: mean(r) }];
    }));
    if (S > 0) {
      await ctx.files.figure(
        `${dir}/correlation_by_delta.svg`,
        linePlot(
          spread(
            step.sweep.map(Math.abs),
            step.sweep.map((_, s) =>
              items.map((_, j) => 1 - byDelta[j * S + s])
            ),
          ),
          {
            title: `${series} against perturbation maps as Δ grows`,
            xLabel: "|Δ| (pixel scale [0, 1])",
            yLabel: "1 − Pearson r",
            xScale: "log",
            yScale: "log",
            markers: true,
          },
        ),
        {
          title:
            "Where the order-n series stops matching the perturbation: Δ beyond some pixel's radius of convergence",
          section,
        },
      );
    }
    const correlation = records.map((r) => r.correlation);
    const seconds = {
      series: mean(records.map((r) => r.seriesSeconds)),
      perturbation: mean(records.map((r) => r.perturbationSeconds)),
    };
    const compare = Object.fromEntries(
      [...compareMaps].map(([m, data]) => {
        const r = items.map((_, j) =>
          pearson(
            data.subarray(j * PIXELS, (j + 1) * PIXELS),
            perturbations.subarray(j * PIXELS, (j + 1) * PIXELS),
          )
        );
        return [m, {
          correlation: r,
          correlationMin: Math.min(...r),
          correlationMean: mean(r),
          seconds: compareSeconds.get(m)! / N,
        }];
      }),
    );
    ctx.files.table({
      title: `${series} against perturbation, Δ = ${step.delta}`,
      section,
      columns: [
        "digit",
        "test image",
        "network",
        "prediction",
        "Pearson r",
        "relative L2 error",
        "last term / max |P|",
        `top ${Math.round(step.ratio * 100)}% + overlap`,
        `top ${Math.round(step.ratio * 100)}% − overlap`,
        "series s",
        "perturbation s",
      ],
      rows: records.map((r) => [
        r.label,
        r.testIndex,
        r.network,
        r.prediction,
        r.correlation,
        r.relativeError,
        r.lastTerm,
        r.positiveOverlap,
        r.negativeOverlap,
        r.seriesSeconds,
        r.perturbationSeconds,
      ]),
      source: `${dir}/items.json`,
    });
    ctx.files.table({
      title: `Summary over ${N} maps`,
      section,
      columns: ["method", "min r", "mean r", "seconds per map"],
      rows: [
        [
          `series (${step.method})`,
          Math.min(...correlation),
          mean(correlation),
          seconds.series,
        ],
        ...Object.entries(compare).map(([m, c]) => [
          `series (${m})`,
          c.correlationMin,
          c.correlationMean,
          c.seconds,
        ]),
        [
          "perturbation (784 + 1 images, one batch)",
          1,
          1,
          seconds.perturbation,
        ],
      ],
    });
    const verdicts = [step.method, ...step.compare].map((m) => {
      const v = m === "hope"
        ? hopeExactness(ctx.network, { mixed: "none" })
        : { exact: true };
      return [m, { exact: v.exact, inexactReason: v.reason }] as const;
    });
    return {
      order: n,
      delta: step.delta,
      method: step.method,
      maps: N,
      ...exactnessByMethod(verdicts),
      correlation,
      correlationMin: Math.min(...correlation),
      correlationMean: mean(correlation),
      relativeError: records.map((r) => r.relativeError),
      lastTerm: records.map((r) => r.lastTerm),
      seconds,
      compare,
      sweep,
      items: records,
    };
  },
};

/**
 * The images to explain, round by round: round `r` holds the `r`-th test
 * image of each listed digit (file order), each with the network of its own
 * digit, or with all ten networks (one group per image).
 */
function pickItems(
  test: MnistData,
  step: Step,
  fail: (why: string) => never,
): Item[] {
  const items: Item[] = [];
  const found = step.labels.map((label) => {
    const positions: number[] = [];
    for (let p = 0; p < test.labels.length; p++) {
      if (test.labels[p] === label) positions.push(p);
      if (positions.length === step.perDigit) break;
    }
    if (positions.length < step.perDigit) {
      fail(
        `the test set has ${positions.length} images of digit ${label}, perDigit asks for ${step.perDigit}`,
      );
    }
    return positions;
  });
  let group = 0;
  for (let r = 0; r < step.perDigit; r++) {
    for (const [l, label] of step.labels.entries()) {
      const position = found[l][r];
      const testIndex = test.fileIndices[position];
      const networks = step.networks === "all"
        ? Array.from({ length: CLASSES }, (_, c) => c)
        : [label];
      for (const network of networks) {
        items.push({ position, testIndex, label, network, group });
      }
      if (step.networks === "all") group++;
    }
    if (step.networks === "label") group++;
  }
  return items;
}

/** `H_i = Σ_{k=1..n} ∂^k y/∂x_i^k · Δ^k / k!` from unmixed derivatives. */
function seriesMap(set: DerivativeSet, delta: number): Float64Array {
  const out = new Float64Array(set.derivatives[1].length);
  let power = 1;
  for (let k = 1; k < set.derivatives.length; k++) {
    power *= delta / k;
    const dk = set.derivatives[k];
    for (let i = 0; i < out.length; i++) out[i] += dk[i] * power;
  }
  return out;
}

/**
 * `P_i = y_c(x + Δ e_i) − y_c(x)` for every pixel, the unperturbed image
 * and the 784 perturbed ones in one forward pass.
 *
 * @returns The map and the ten outputs at `x`.
 */
function perturbationMap(
  network: Network,
  x0: number[],
  options: { delta: number; output: number },
): { values: Float64Array; outputs: Float64Array } {
  const y = tf.tidy(() => {
    const base = tf.tensor2d(x0, [1, PIXELS]);
    const batch = tf.concat([
      base,
      tf.add(base, tf.mul(tf.eye(PIXELS), options.delta)),
    ]);
    return network.forward(tf.reshape(batch, [PIXELS + 1, 1, SIDE, SIDE]));
  });
  const all = y.dataSync();
  y.dispose();
  const c = options.output;
  const values = Float64Array.from(
    { length: PIXELS },
    (_, i) => all[(i + 1) * CLASSES + c] - all[c],
  );
  return { values, outputs: Float64Array.from(all.subarray(0, CLASSES)) };
}

/** Pearson's correlation coefficient of two equally long arrays. */
function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const u = a[i] - ma;
    const v = b[i] - mb;
    ab += u * v;
    aa += u * u;
    bb += v * v;
  }
  return ab / Math.sqrt(aa * bb);
}

/** `‖a − b‖₂ / ‖b‖₂`. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

/**
 * The `count` pixels with the largest values of sign `sign` (strictly
 * non-zero), ties broken by pixel order.
 */
function topPixels(
  values: ArrayLike<number>,
  count: number,
  sign: 1 | -1,
): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (sign * values[i] > 0) candidates.push(i);
  }
  return candidates
    .sort((i, j) => sign * values[j] - sign * values[i] || i - j)
    .slice(0, count);
}

/** The share of pixels two top sets have in common (1 when both are empty). */
function setOverlap(a: number[], b: number[]): number {
  const size = Math.max(a.length, b.length);
  if (size === 0) return 1;
  const inA = new Set(a);
  return b.filter((i) => inA.has(i)).length / size;
}

/**
 * The top masks of every map in `maps` (`[N · 784]`): the kept pixels
 * scaled by the map's largest magnitude of that sign, keeping the sign.
 */
function maskAll(
  maps: Float64Array,
  count: number,
  sign: 1 | -1,
): Float64Array {
  const out = new Float64Array(maps.length);
  for (let j = 0; j < maps.length / PIXELS; j++) {
    const map = maps.subarray(j * PIXELS, (j + 1) * PIXELS);
    const top = topPixels(map, count, sign);
    if (top.length === 0) continue;
    const scale = Math.abs(map[top[0]]);
    for (const i of top) out[j * PIXELS + i] = map[i] / scale;
  }
  return out;
}

/**
 * Lines of the worst, mean and best map: `gaps[i]` holds every map's
 * `1 − r` at `x[i]`.
 */
function spread(x: number[], gaps: number[][]): LineSeries[] {
  return [
    { label: "worst map", x, y: gaps.map((v) => Math.max(...v)) },
    { label: "mean", x, y: gaps.map(mean), dash: true },
    { label: "best map", x, y: gaps.map((v) => Math.min(...v)), dash: true },
  ];
}

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    if (values[i] > values[best]) best = i;
  }
  return best;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
