/**
 * Analysis `accuracy`: how exact each method's derivatives are, and how well
 * each method's Taylor polynomial approximates the network on bands of
 * radii around the expansion point (the HOPE paper's accuracy figure).
 *
 * ```yaml
 * - type: accuracy
 *   point: [0]            # the expansion point x0
 *   order: 10             # default 10
 *   methods: [taylor, hope, autograd]   # default all three
 *   autogradOrder: 6      # cap on autograd's order (default: order)
 *   radii: [0.5, 1, 2, 5] # bands |x − x0|∞ ≤ r
 *   n: 201                # grid points per axis on [x0 − R, x0 + R], R = max radius
 *   regionTolerance: 0.01 # see below, default 0.01
 *   output: 0             # which network output (flat index)
 * ```
 *
 * The truth is the float64 reference (`taylor/reference64.ts`): its
 * derivatives, and the network's output at every grid point computed in
 * float64 from the float32 weights (so float32 rounding of the forward
 * pass does not count as approximation error). Each method's derivatives
 * are compared order by order (max-norm relative error
 * `max|ours − ref| / max|ref|` over the entries of `dk`), and each
 * polynomial by its largest absolute error `max |p(x) − y(x)|` over the
 * grid points of each band `|x − x0|∞ ≤ r`. The row `exact` is the
 * polynomial of the reference derivatives: its error is the truncation
 * error of the order-`n` Taylor series itself.
 *
 * A band is inside the convergence region when the exact polynomial's
 * error there is at most `regionTolerance` times the network's output
 * range over the grid; beyond it the truncated series diverges, and a
 * polynomial with wrong (smaller) high-order terms can be closer to the
 * network than the true Taylor polynomial.
 *
 * Writes `grid.npy` `[P, d]`, `network.npy` (float64) and
 * `network_float32.npy` `[P]`, `polynomial_<method>.npy` `[P]` (and
 * `polynomial_exact.npy`), `<method>/d<k>.npy` and `reference/d<k>.npy`
 * (the layout of DESIGN section 2), `derivative_error.npy`
 * `[methods, order + 1]` (NaN past a method's order) and
 * `approximation_error.npy` `[exact + methods, radii]`; figures
 * `derivative_error.svg`, `approximation_error.svg`, and for one input
 * `curves.svg` and `curves_error.svg`, for two inputs `surfaces.svg` and
 * `errors.svg`;
 * tables of both errors. Results, for claims: `orders`, `range`,
 * `float32ForwardError`, `derivativeError` (per method, per order),
 * `maxDerivativeError`, `approximationError` (per row, keyed by radius as
 * `r<radius>`, e.g. `r0.5`),
 * `regionRadii`, `taylorExcess` (largest `(error_taylor − error_exact) /
 * range` over the bands), `taylorOverHope` and `taylorOverHopeInRegion`
 * (error ratios keyed by radius), `exact` (per method: false where the
 * method only approximates this network's derivatives, as the backward HOPE
 * rule does past one hidden non-linear layer), `inexactReason` (per such
 * method) and `seconds`.
 *
 * @module
 */

import { tf, z } from "../../deps.ts";
import type { Network } from "../../nn/network.ts";
import { heatmapGrid, type HeatmapPanel } from "../../plot/heatmap_grid.ts";
import { linePlot, type LineSeries } from "../../plot/line_plot.ts";
import { expand, formatProgress } from "../../taylor/expand.ts";
import { TaylorPolynomial } from "../../taylor/polynomial.ts";
import {
  referenceDerivatives,
  referenceOutputs,
} from "../../taylor/reference64.ts";
import type { AnalysisDefinition, AnalysisStep } from "../analysis.ts";
import type { RunFiles } from "../run_files.ts";
import { strict } from "../_zod.ts";
import { relativeError } from "../../relative_error.ts";
import { bandErrors, formatError, radiusKey } from "./_bands.ts";
import {
  exactnessByMethod,
  gridProblems,
  pointProblems,
  pointSchema,
  sectionTitle,
  stepShape,
} from "./_step.ts";

const METHODS = ["taylor", "hope", "autograd"] as const;
type MethodName = typeof METHODS[number];

const schema = strict({
  ...stepShape("accuracy"),
  point: pointSchema,
  order: z.int().min(1).max(30).default(10),
  methods: z.array(z.enum(METHODS)).min(1).default([...METHODS]),
  autogradOrder: z.int().min(1).max(30).optional(),
  radii: z.array(z.number().positive()).min(1),
  n: z.int().min(2).default(101),
  regionTolerance: z.number().positive().default(0.01),
  output: z.int().min(0).default(0),
});

/** Grids larger than this are refused (the float64 forward pass is slow). */
const MAX_POINTS = 20_000;

/** One method's results. */
interface MethodResult {
  method: MethodName;
  order: number;
  derivatives: Float64Array[];
  errors: number[];
  values: Float64Array;
  seconds: number;
  exact: boolean;
  inexactReason?: string;
}

/**
 * The `accuracy` step.
 *
 * @example
 * ```ts
 * import { accuracyAnalysis } from "./accuracy.ts";
 * const r = accuracyAnalysis.schema.safeParse({
 *   type: "accuracy",
 *   point: [0],
 *   radii: [0.5, 1],
 * });
 * if (!r.success || r.data.order !== 10 || r.data.methods.length !== 3) {
 *   throw new Error("defaults not applied");
 * }
 * const problems = accuracyAnalysis.check!({ ...r.data, id: "a" }, { dim: 2 });
 * if (problems[0]?.path[0] !== "point") throw new Error("dimension not checked");
 * ```
 */
export const accuracyAnalysis: AnalysisDefinition<
  z.output<typeof schema> & AnalysisStep
> = {
  type: "accuracy",
  summary:
    "derivative and polynomial errors of taylor, hope and autograd against a float64 reference",
  schema,
  check(step, { dim }) {
    const problems = [
      ...pointProblems(step.point, { dim, path: ["point"] }),
      ...gridProblems(step.n, { dim, max: MAX_POINTS }),
    ];
    if (new Set(step.methods).size !== step.methods.length) {
      problems.push({
        path: ["methods"],
        message: "expected each method at most once",
      });
    }
    return problems;
  },
  async run(step, ctx) {
    const { point, order, output } = step;
    const d = point.length;
    const radii = [...step.radii].sort((a, b) => a - b);
    const keys = radii.map(radiusKey);
    const big = radii[radii.length - 1];
    const axis = Array.from(
      { length: step.n },
      (_, k) => -big + (2 * big * k) / (step.n - 1),
    );
    const grid = gridPoints(point, axis);
    const count = grid.length / d;
    const distances = Float64Array.from({ length: count }, (_, i) => {
      let m = 0;
      for (let j = 0; j < d; j++) {
        m = Math.max(m, Math.abs(grid[i * d + j] - point[j]));
      }
      return m;
    });

    let t0 = performance.now();
    const reference = referenceDerivatives(ctx.network, point, {
      order,
      output,
    });
    const truth = referenceOutputs(ctx.network, grid, { output });
    const referenceSeconds = (performance.now() - t0) / 1000;
    const forward32 = forwardFloat32(ctx.network, grid, output);
    let low = Infinity;
    let high = -Infinity;
    for (const v of truth) {
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
    const range = high - low;
    const exactValues = TaylorPolynomial.fromDerivatives(reference, {
      center: point,
      mixed: "all",
    }).evaluate(grid);
    const exactErrors = bandErrors(distances, exactValues, truth, radii);
    ctx.log(
      `  float64 reference: ${
        referenceSeconds.toFixed(2)
      } s (derivatives and ${count} outputs)`,
    );

    const results: MethodResult[] = [];
    for (const method of step.methods) {
      const m = method === "autograd"
        ? Math.min(order, step.autogradOrder ?? order)
        : order;
      t0 = performance.now();
      const e = await expand(ctx.network, point, {
        order: m,
        mixed: "all",
        method,
        output,
        onProgress: (p) => ctx.log(`  ${method} ${formatProgress(p)}`),
      });
      const seconds = (performance.now() - t0) / 1000;
      const errors = e.derivatives.map((dk, k) =>
        relativeError(dk, reference[k])
      );
      results.push({
        method,
        order: m,
        derivatives: e.derivatives,
        errors,
        values: e.polynomial.evaluate(grid),
        seconds: e.seconds,
        exact: e.exact,
        inexactReason: e.inexactReason,
      });
      ctx.log(
        `  ${method} (order ${m}): ${
          seconds.toFixed(2)
        } s, largest derivative error ${Math.max(...errors).toExponential(1)}${
          e.exact ? "" : ` (not exact: ${e.inexactReason})`
        }`,
      );
    }
    const approximation = new Map<string, number[]>([["exact", exactErrors]]);
    for (const r of results) {
      approximation.set(
        r.method,
        bandErrors(distances, r.values, truth, radii),
      );
    }
    const regionRadii = radii.filter((_, i) =>
      exactErrors[i] <= step.regionTolerance * range
    );

    await writeArrays(ctx.files, ctx.dir, {
      grid,
      d,
      truth,
      forward32,
      exactValues,
      reference,
      results,
      approximation,
      order,
      radii,
    });
    const section = sectionTitle(step);
    await writeFigures(ctx.files, ctx.dir, {
      section,
      point,
      axis,
      truth,
      results,
      approximation,
      radii,
      range: [low, high],
    });
    const label = (r: MethodResult) =>
      r.order === order ? r.method : `${r.method} (order ${r.order})`;
    ctx.files.table({
      title: `Approximation error max |p(x) − y(x)| on the bands |x − x0|∞ ≤ r`,
      section,
      columns: ["polynomial", ...radii.map((r) => `r = ${r}`)],
      rows: [
        [`exact (float64, order ${order})`, ...exactErrors.map(formatError)],
        ...results.map((r) => [
          label(r),
          ...approximation.get(r.method)!.map(formatError),
        ]),
      ],
      source: `${ctx.dir}/approximation_error.npy`,
    });
    ctx.files.table({
      title:
        "Derivative error max|ours − ref| / max|ref| per order against the float64 reference",
      section,
      columns: [
        "method",
        "seconds",
        ...Array.from({ length: order + 1 }, (_, k) => `k = ${k}`),
      ],
      rows: results.map((r) => [
        label(r),
        r.seconds.toFixed(3),
        ...Array.from(
          { length: order + 1 },
          (_, k) => k <= r.order ? formatError(r.errors[k]) : "—",
        ),
      ]),
      source: `${ctx.dir}/derivative_error.npy`,
    });

    const byRadius = (values: number[]) =>
      Object.fromEntries(keys.map((k, i) => [k, values[i]]));
    const outputs: Record<string, unknown> = {
      point,
      order,
      orders: Object.fromEntries(results.map((r) => [r.method, r.order])),
      range,
      float32ForwardError: maxAbsDiff(forward32, truth),
      derivativeError: Object.fromEntries(
        results.map((r) => [r.method, r.errors]),
      ),
      maxDerivativeError: Object.fromEntries(
        results.map((r) => [r.method, Math.max(...r.errors)]),
      ),
      approximationError: Object.fromEntries(
        [...approximation].map(([name, v]) => [name, byRadius(v)]),
      ),
      regionRadii,
      ...exactnessByMethod(results.map((r) => [r.method, r])),
      seconds: {
        reference: referenceSeconds,
        ...Object.fromEntries(results.map((r) => [r.method, r.seconds])),
      },
    };
    const taylor = approximation.get("taylor");
    if (taylor) {
      outputs.taylorExcess = Math.max(
        ...taylor.map((e, i) => (e - exactErrors[i]) / range),
      );
    }
    const hope = approximation.get("hope");
    if (taylor && hope) {
      const ratios = taylor.map((e, i) => e / hope[i]);
      outputs.taylorOverHope = byRadius(ratios);
      outputs.taylorOverHopeInRegion = Object.fromEntries(
        keys.flatMap((k, i) =>
          regionRadii.includes(radii[i]) ? [[k, ratios[i]]] : []
        ),
      );
    }
    return outputs;
  },
};

/** The grid `x0 + (a_1, …, a_d)` over `axis^d`, first input slowest, flat. */
function gridPoints(point: readonly number[], axis: number[]): Float64Array {
  const d = point.length;
  const n = axis.length;
  const count = n ** d;
  const out = new Float64Array(count * d);
  for (let i = 0; i < count; i++) {
    let rest = i;
    for (let j = d - 1; j >= 0; j--) {
      out[i * d + j] = point[j] + axis[rest % n];
      rest = Math.floor(rest / n);
    }
  }
  return out;
}

/** The network's own float32 forward pass at the grid, one output. */
function forwardFloat32(
  network: Network,
  grid: Float64Array,
  output: number,
): Float64Array {
  const d = network.inputShape.reduce((a, b) => a * b, 1);
  const count = grid.length / d;
  const size = network.outputShape.reduce((a, b) => a * b, 1);
  const all = tf.tidy(() =>
    network.forward(
      tf.tensor(Float32Array.from(grid), [count, ...network.inputShape]),
    ).dataSync()
  );
  return Float64Array.from({ length: count }, (_, i) => all[i * size + output]);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The shape `[d]*k` of `dk.npy`. */
function tensorShape(d: number, k: number): number[] {
  return new Array(k).fill(d);
}

async function writeArrays(
  files: RunFiles,
  dir: string,
  a: {
    grid: Float64Array;
    d: number;
    truth: Float64Array;
    forward32: Float64Array;
    exactValues: Float64Array;
    reference: Float64Array[];
    results: MethodResult[];
    approximation: Map<string, number[]>;
    order: number;
    radii: number[];
  },
): Promise<void> {
  const count = a.truth.length;
  const vector = (data: Float64Array) => ({
    dtype: "float64" as const,
    shape: [count],
    data,
  });
  await files.npy(`${dir}/grid.npy`, {
    dtype: "float64",
    shape: [count, a.d],
    data: a.grid,
  });
  await files.npy(`${dir}/network.npy`, vector(a.truth));
  await files.npy(`${dir}/network_float32.npy`, {
    dtype: "float32",
    shape: [count],
    data: Float32Array.from(a.forward32),
  });
  await files.npy(`${dir}/polynomial_exact.npy`, vector(a.exactValues));
  for (const [k, dk] of a.reference.entries()) {
    await files.npy(`${dir}/reference/d${k}.npy`, {
      dtype: "float64",
      shape: tensorShape(a.d, k),
      data: dk,
    });
  }
  for (const r of a.results) {
    await files.npy(`${dir}/polynomial_${r.method}.npy`, vector(r.values));
    for (const [k, dk] of r.derivatives.entries()) {
      await files.npy(`${dir}/${r.method}/d${k}.npy`, {
        dtype: "float64",
        shape: tensorShape(a.d, k),
        data: dk,
      });
    }
  }
  const width = a.order + 1;
  const derivative = new Float64Array(a.results.length * width).fill(NaN);
  a.results.forEach((r, i) =>
    r.errors.forEach((e, k) => (derivative[i * width + k] = e))
  );
  await files.npy(`${dir}/derivative_error.npy`, {
    dtype: "float64",
    shape: [a.results.length, width],
    data: derivative,
  });
  const rows = [...a.approximation.values()];
  await files.npy(`${dir}/approximation_error.npy`, {
    dtype: "float64",
    shape: [rows.length, a.radii.length],
    data: Float64Array.from(rows.flat()),
  });
}

async function writeFigures(
  files: RunFiles,
  dir: string,
  f: {
    section: string;
    point: number[];
    axis: number[];
    truth: Float64Array;
    results: MethodResult[];
    approximation: Map<string, number[]>;
    radii: number[];
    range: [number, number];
  },
): Promise<void> {
  const { section, results } = f;
  const where = `(${f.point.join(", ")})`;
  const label = (r: MethodResult) => `${r.method} (order ${r.order})`;
  // Log axes: exact zeros show at the float64 rounding floor.
  const positive = (v: number) => Math.max(v, 1e-16);
  await files.figure(
    `${dir}/derivative_error.svg`,
    linePlot(
      results.map((r) => ({
        label: label(r),
        x: r.errors.map((_, k) => k),
        y: r.errors.map(positive),
      })),
      {
        title: `Derivative error at ${where}`,
        xLabel: "order k",
        yLabel: "max |ours − ref| / max |ref|",
        yScale: "log",
        markers: true,
      },
    ),
    {
      title: `Relative error of each order's derivatives at ${where}`,
      section,
    },
  );
  await files.figure(
    `${dir}/approximation_error.svg`,
    linePlot(
      [...f.approximation].map(([name, errors]) => ({
        label: name === "exact"
          ? "exact (float64)"
          : label(results.find((r) => r.method === name)!),
        x: f.radii,
        y: errors.map(positive),
      })),
      {
        title: `Polynomial error around ${where}`,
        xLabel: "band radius r",
        yLabel: "max |p − y| on |x − x0| ≤ r",
        xScale: "log",
        yScale: "log",
        markers: true,
      },
    ),
    { title: `Approximation error of each polynomial per band`, section },
  );
  const d = f.point.length;
  const [low, high] = f.range;
  const pad = 0.5 * (high - low || 1);
  if (d === 1) {
    const x = f.axis.map((a) => f.point[0] + a);
    const curves: LineSeries[] = [
      { label: "network", x, y: f.truth },
      ...results.map((r) => ({
        label: label(r),
        x,
        y: r.values,
        dash: true,
      })),
    ];
    await files.figure(
      `${dir}/curves.svg`,
      linePlot(curves, {
        title: `Network and its Taylor polynomials at x0 = ${f.point[0]}`,
        xLabel: "x",
        yLabel: "y",
        yDomain: [low - pad, high + pad],
      }),
      { title: "The network and each method's polynomial", section },
    );
    await files.figure(
      `${dir}/curves_error.svg`,
      linePlot(
        results.map((r) => ({
          label: label(r),
          x,
          y: Array.from(r.values, (v, i) => positive(Math.abs(v - f.truth[i]))),
        })),
        {
          title: "Polynomial error along the input",
          xLabel: "x",
          yLabel: "|p(x) − y(x)|",
          yScale: "log",
        },
      ),
      { title: "|p − y| of each polynomial along the input", section },
    );
  } else if (d === 2) {
    const n = f.axis.length;
    // Image rows run from x2 = high (top) to low; columns along x1.
    const image = (values: ArrayLike<number>) => {
      const data = new Float64Array(n * n);
      for (let row = 0; row < n; row++) {
        for (let col = 0; col < n; col++) {
          data[row * n + col] = values[col * n + (n - 1 - row)];
        }
      }
      return { data, shape: [n, n] };
    };
    const surfaces: HeatmapPanel[] = [f.truth, ...results.map((r) => r.values)]
      .map((values) => ({
        data: image(values),
        colormap: "viridis",
        domain: [low, high],
      }));
    const half = f.axis[n - 1];
    const box = `|x − x0|∞ ≤ ${half}`;
    await files.figure(
      `${dir}/surfaces.svg`,
      heatmapGrid([surfaces], {
        title: `Network and polynomials, ${box}`,
        colTitles: ["network", ...results.map(label)],
        normalize: "grid",
      }),
      {
        title:
          `Network and each method's polynomial on [x0 − ${half}, x0 + ${half}]² around x0 = ${where} (x1 across, x2 up; colours clipped to the network's range)`,
        section,
      },
    );
    const errors: HeatmapPanel[] = results.map((r) => ({
      data: image(
        Float64Array.from(
          r.values,
          (v, i) => Math.log10(Math.max(Math.abs(v - f.truth[i]), 1e-16)),
        ),
      ),
      colormap: "magma",
    }));
    await files.figure(
      `${dir}/errors.svg`,
      heatmapGrid([errors], {
        title: `log10 |p − y|, ${box}`,
        colTitles: results.map(label),
        normalize: "grid",
      }),
      {
        title:
          `log10 of each polynomial's error |p − y| on [x0 − ${half}, x0 + ${half}]² around x0 = ${where} (x1 across, x2 up)`,
        section,
      },
    );
  }
}
