/**
 * Analysis `regions`: the linear regions of ReLU networks on a 2-D box (the
 * XOR notebook of seed `003_*`). For the run's network, and optionally for
 * a family of `2 → h → 1` ReLU networks trained here on the run's data
 * (`count` per width, each retrained with the next seed until it fits the
 * training signs), it counts the regions on a grid (by activation pattern)
 * and exactly (polygons), and fits the notebook's least-squares maps between
 * the region parameters of networks 1 and 2 of each width.
 *
 * ```yaml
 * - type: regions
 *   box: [[-1, 1], [-1, 1]]   # default: the data box
 *   resolution: 101           # grid points per axis
 *   exact: true               # also enumerate the regions exactly
 *   maxRegions: 100000        # skip the exact count above this
 *   networks:                 # optional family, trained on the run's data
 *     hidden: [2, 20, 100]    # widths h of 2 → h → 1 ReLU networks
 *     count: 2                # networks per width
 *     train: { optimizer: sgd, lr: 0.1, epochs: 100, batchSize: 4 }
 *     accuracy: 1             # sign accuracy on the training data to reach
 *     attempts: 50            # seeds to try per network
 * ```
 *
 * Writes per network `<name>_regions.npy` (region id per grid point, row
 * `i` is `y = ys[i]`) and `<name>_parameters.npy` (`[count, 3]`: ∂y/∂x1,
 * ∂y/∂x2, bias per region), the figures `<name>_regions.svg` and, per
 * width, `w<h>_surfaces.svg` (outputs and signs of networks 1 and 2 and of
 * the mapped parameters) and `w<h>_parameters.svg` (the notebook's scatter
 * of region parameters). Results: `network` (`gridCount`, `exactCount` of
 * the run's network), `widths` (per width: `gridCounts`, `exactCounts`,
 * `accuracies`, `seeds`, `forwardScore`, `backwardScore`,
 * `forwardSignAgreement`, `backwardSignAgreement`), `maxGridExcess`
 * (largest grid − exact count, ≤ 0 when the grid never sees more regions
 * than exist) and `minGrowth` (smallest increase of the mean exact count
 * from one width to the next).
 *
 * @module
 */

import { z } from "../../deps.ts";
import { Network } from "../../nn/network.ts";
import { heatmapGrid } from "../../plot/heatmap_grid.ts";
import { linePlot } from "../../plot/line_plot.ts";
import { regionMap } from "../../plot/region_map.ts";
import { enumerateRegions } from "../../regions/enumerate_regions.ts";
import { type RegionGrid, regionGrid } from "../../regions/region_grid.ts";
import {
  type RegionParameterMaps,
  regionParameterMaps,
} from "../../regions/region_parameter_maps.ts";
import {
  type PiecewiseLinearNetwork,
  toPiecewiseLinear,
} from "../../regions/piecewise_linear.ts";
import { activationPatterns } from "../../regions/activation_patterns.ts";
import { affineMapOfPattern } from "../../regions/affine_map.ts";
import { train } from "../../train/trainer.ts";
import type {
  AnalysisContext,
  AnalysisDefinition,
  AnalysisStep,
} from "../analysis.ts";
import { strict } from "../_zod.ts";
import { sectionTitle, stepShape } from "./_step.ts";

const schema = strict({
  ...stepShape("regions"),
  box: z.tuple([
    z.tuple([z.number(), z.number()]),
    z.tuple([z.number(), z.number()]),
  ]).optional(),
  resolution: z.int().min(2).max(2001).default(101),
  exact: z.boolean().default(true),
  maxRegions: z.int().min(1).default(100000),
  networks: strict({
    hidden: z.array(z.int().min(1)).min(1),
    count: z.int().min(1).max(10).default(2),
    train: strict({
      optimizer: z.enum(["sgd", "adam"]).default("sgd"),
      lr: z.number().positive().default(0.1),
      momentum: z.number().min(0).default(0),
      epochs: z.int().min(1).default(100),
      batchSize: z.int().min(1).default(4),
    }).default({
      optimizer: "sgd",
      lr: 0.1,
      momentum: 0,
      epochs: 100,
      batchSize: 4,
    }),
    accuracy: z.number().min(0).max(1).default(1),
    attempts: z.int().min(1).default(50),
  }).optional(),
});

type RegionsStep = z.output<typeof schema> & AnalysisStep;

/**
 * The `regions` step.
 *
 * @example
 * ```ts
 * import { regionsAnalysis } from "./regions.ts";
 * const r = regionsAnalysis.schema.safeParse({
 *   type: "regions",
 *   networks: { hidden: [2, 20] },
 * });
 * if (!r.success || r.data.resolution !== 101) throw new Error("rejected");
 * const problems = regionsAnalysis.check!({ ...r.data, id: "r" }, { dim: 3 });
 * if (problems.length !== 1) throw new Error("dimension not checked");
 * ```
 */
export const regionsAnalysis: AnalysisDefinition<RegionsStep> = {
  type: "regions",
  summary:
    "linear regions of ReLU networks on a 2-D box: grid and exact counts, maps between networks",
  schema,
  check(step, { dim }) {
    const problems = [];
    if (dim !== 2) {
      problems.push({
        path: [],
        message:
          `linear regions need a 2-D input; this experiment's input has ${dim} numbers`,
      });
    }
    const box = step.box;
    if (box && !box.every(([lo, hi]) => lo < hi)) {
      problems.push({
        path: ["box"],
        message: "expected [[x_min, x_max], [y_min, y_max]] with min < max",
      });
    }
    return problems;
  },
  async run(step, ctx) {
    const box = step.box ??
      (ctx.data.kind === "target"
        ? ctx.data.box as [[number, number], [number, number]]
        : [[-1, 1], [-1, 1]] as [[number, number], [number, number]]);
    const section = sectionTitle(step);
    const count = async (network: Network, name: string) => {
      const pl = toPiecewiseLinear(network);
      const grid = regionGrid(pl, { box, resolution: step.resolution });
      let exactCount: number | null = null;
      if (step.exact) {
        try {
          exactCount = enumerateRegions(pl, {
            box,
            maxRegions: step.maxRegions,
          }).count;
        } catch (err) {
          ctx.log(`  ${name}: ${(err as Error).message}`);
        }
      }
      await writeRegions(ctx, { name, grid, section });
      return { grid, gridCount: grid.count, exactCount };
    };
    const own = await count(ctx.network, "network");
    ctx.log(
      `  run's network: ${own.gridCount} regions on the grid, ${
        own.exactCount ?? "?"
      } exactly`,
    );
    const results: Record<string, unknown> = {
      box,
      resolution: step.resolution,
      network: { gridCount: own.gridCount, exactCount: own.exactCount },
    };
    const excess = [own.gridCount - (own.exactCount ?? own.gridCount)];
    if (step.networks) {
      const family = step.networks;
      const widths: Record<string, unknown> = {};
      const meanExact: number[] = [];
      const rows: (string | number)[][] = [];
      for (const h of family.hidden) {
        const nets: { network: Network; accuracy: number; seed: number }[] = [];
        for (let k = 0; k < family.count; k++) {
          nets.push(await trainFitting(ctx, family, { hidden: h, index: k }));
        }
        const counted = [];
        for (const [k, n] of nets.entries()) {
          counted.push(await count(n.network, `w${h}_net${k + 1}`));
        }
        counted.forEach((c) =>
          excess.push(c.gridCount - (c.exactCount ?? c.gridCount))
        );
        const exactCounts = counted.map((c) => c.exactCount);
        const known = exactCounts.filter((c): c is number => c !== null);
        meanExact.push(
          known.length ? known.reduce((a, b) => a + b, 0) / known.length : NaN,
        );
        const entry: Record<string, unknown> = {
          gridCounts: counted.map((c) => c.gridCount),
          exactCounts,
          accuracies: nets.map((n) => n.accuracy),
          seeds: nets.map((n) => n.seed),
        };
        if (counted.length >= 2) {
          const maps = regionParameterMaps(counted[0].grid, counted[1].grid);
          Object.assign(entry, {
            forwardScore: maps.forward.map.score,
            backwardScore: maps.backward.map.score,
            forwardSignAgreement: maps.forward.signAgreement,
            backwardSignAgreement: maps.backward.signAgreement,
          });
          await writeComparison(ctx, {
            width: h,
            grids: [counted[0].grid, counted[1].grid],
            maps,
            section,
          });
        }
        counted.forEach((c, k) =>
          rows.push([
            h,
            k + 1,
            nets[k].accuracy,
            c.gridCount,
            c.exactCount ?? "—",
          ])
        );
        ctx.log(
          `  width ${h}: grid ${entry.gridCounts}, exact ${exactCounts}`,
        );
        nets.forEach((n) => n.network.dispose());
        widths[String(h)] = entry;
      }
      ctx.files.table({
        title: "Linear regions per network",
        section,
        columns: ["width", "network", "accuracy", "grid count", "exact count"],
        rows,
      });
      let minGrowth = Infinity;
      for (let i = 1; i < meanExact.length; i++) {
        minGrowth = Math.min(minGrowth, meanExact[i] - meanExact[i - 1]);
      }
      Object.assign(results, {
        widths,
        minGrowth: Number.isFinite(minGrowth) ? minGrowth : null,
      });
    }
    results.maxGridExcess = Math.max(...excess);
    return results;
  },
};

/**
 * Trains a `2 → h → 1` ReLU network on the run's data, trying seeds until
 * the signs of its outputs match the training targets' in the required
 * fraction (the notebook retrains until 100 % accuracy).
 */
async function trainFitting(
  ctx: AnalysisContext,
  family: NonNullable<RegionsStep["networks"]>,
  which: { hidden: number; index: number },
): Promise<{ network: Network; accuracy: number; seed: number }> {
  const data = ctx.data;
  if (data.kind !== "target") {
    throw new Error(
      `Cannot train region networks on data "${data.kind}": they need target samples`,
    );
  }
  const h = which.hidden;
  let best: { network: Network; accuracy: number; seed: number } | null = null;
  for (let attempt = 0; attempt < family.attempts; attempt++) {
    const seed = ctx.seed + 100_000 * (which.index + 1) + 1000 * h + attempt;
    const network = Network.create({
      format: "hope-network/1",
      input: [2],
      layers: [`Linear_2_${h}`, "ReLU", `Linear_${h}_1`],
    }, { seed });
    const t = family.train;
    await train(network, data.train.source, {
      loss: "mse",
      optimizer: t.optimizer === "sgd"
        ? { type: "sgd", lr: t.lr, momentum: t.momentum }
        : { type: "adam", lr: t.lr },
      epochs: t.epochs,
      batchSize: t.batchSize,
      seed,
      progress: "none",
    });
    const accuracy = signAccuracy(
      toPiecewiseLinear(network),
      data.train.x,
      data.train.y,
    );
    if (!best || accuracy > best.accuracy) {
      best?.network.dispose();
      best = { network, accuracy, seed };
    } else network.dispose();
    if (accuracy >= family.accuracy) break;
  }
  return best!;
}

/**
 * Fraction of samples where the output (exact, from the sample's affine
 * map) and the target have the same sign.
 */
function signAccuracy(
  pl: PiecewiseLinearNetwork,
  x: Float32Array,
  y: Float32Array,
): number {
  const points = Float64Array.from(x);
  const bits = activationPatterns(pl, points);
  let hits = 0;
  for (let i = 0; i < y.length; i++) {
    const { gradient, bias } = affineMapOfPattern(pl, bits, {
      offset: i * pl.neuronCount,
    });
    const out = gradient[0] * points[2 * i] + gradient[1] * points[2 * i + 1] +
      bias[0];
    if ((out > 0) === (y[i] > 0)) hits++;
  }
  return hits / y.length;
}

/** The region ids and parameters of one network, and its region map. */
async function writeRegions(
  ctx: AnalysisContext,
  what: {
    name: string;
    grid: RegionGrid;
    section: string;
  },
): Promise<void> {
  const { name, grid, section } = what;
  await ctx.files.npy(`${ctx.dir}/${name}_regions.npy`, {
    dtype: "int32",
    shape: [grid.rows, grid.cols],
    data: grid.regionIds,
  });
  const params = new Float64Array(grid.count * 3);
  grid.regions.forEach((r, i) =>
    params.set(r.parameters.subarray(0, 3), 3 * i)
  );
  await ctx.files.npy(`${ctx.dir}/${name}_parameters.npy`, {
    dtype: "float64",
    shape: [grid.count, 3],
    data: params,
  });
  await ctx.files.figure(
    `${ctx.dir}/${name}_regions.svg`,
    regionMap({ data: grid.regionIds, shape: [grid.rows, grid.cols] }, {
      title: `Linear regions of ${name.replaceAll("_", " ")}`,
      xLabel: "x_1",
      yLabel: "x_2",
      xExtent: extent(grid.xs),
      yExtent: extent(grid.ys),
      boundaries: grid.count <= 400,
    }),
    { title: `Linear regions of ${name}`, section },
  );
}

/** Outputs and signs of two networks and their mapped versions; parameters. */
async function writeComparison(
  ctx: AnalysisContext,
  what: {
    width: number;
    grids: [RegionGrid, RegionGrid];
    maps: RegionParameterMaps;
    section: string;
  },
): Promise<void> {
  const { width, grids: [g1, g2], maps, section } = what;
  // heatmapGrid draws row 0 at the top; grid row 0 is the lowest y.
  const image = (values: ArrayLike<number>) => {
    const rows: number[][] = [];
    for (let i = g1.rows - 1; i >= 0; i--) {
      rows.push(
        Array.from({ length: g1.cols }, (_, j) => values[i * g1.cols + j]),
      );
    }
    return rows;
  };
  const sign = (values: ArrayLike<number>) =>
    Array.from(values, (v) => v > 0 ? 1 : v < 0 ? -1 : 0);
  const surfaces = [
    g1.outputs,
    maps.forward.mappedOutputs,
    maps.backward.mappedOutputs,
    g2.outputs,
  ];
  await ctx.files.figure(
    `${ctx.dir}/w${width}_surfaces.svg`,
    heatmapGrid(
      surfaces.map((s) => [{ data: image(s) }, {
        data: image(sign(s)),
        domain: [-1, 1] as const,
      }]),
      {
        title: `Width ${width}`,
        rowTitles: ["network 1", "1 → 2", "2 → 1", "network 2"],
        colTitles: ["output", "sign"],
        normalize: "column",
      },
    ),
    { title: `Width ${width}: network surfaces and mapped surfaces`, section },
  );
  const scatter = (params: ArrayLike<number>, stride: number) => {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i + 1 < params.length; i += stride) {
      x.push(params[i], NaN);
      y.push(params[i + 1], NaN);
    }
    return { x, y };
  };
  const distinct = (g: RegionGrid) =>
    g.regions.flatMap((r) => Array.from(r.parameters.subarray(0, 3)));
  const series = [
    { label: "network 1", ...scatter(distinct(g1), 3), color: "#1f77b4" },
    { label: "network 2", ...scatter(distinct(g2), 3), color: "#d62728" },
    {
      label: "1 → 2",
      ...scatter(maps.forward.mappedRegions.data, 3),
      color: "#e377c2",
    },
    {
      label: "2 → 1",
      ...scatter(maps.backward.mappedRegions.data, 3),
      color: "#17becf",
    },
  ].map((s, k) => ({
    ...s,
    marker: (["circle", "square", "diamond", "triangle"] as const)[k],
  }));
  await ctx.files.figure(
    `${ctx.dir}/w${width}_parameters.svg`,
    linePlot(series, {
      title: `Width ${width}: region parameters`,
      xLabel: "∂y/∂x_1",
      yLabel: "∂y/∂x_2",
      maxMarkers: 100000,
      legend: "right",
    }),
    { title: `Width ${width}: region parameters and their maps`, section },
  );
}

function extent(values: Float64Array): [number, number] {
  const step = values.length > 1 ? (values[1] - values[0]) / 2 : 0.5;
  return [values[0] - step, values[values.length - 1] + step];
}
