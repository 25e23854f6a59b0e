/**
 * Analysis `interactions`: AND (Harsanyi) and sparse AND-OR interactions of
 * the run's network (seed `004_*`, Li & Zhang, ICML 2023), with an optional
 * cross-check against the Taylor coefficients of the multilinear monomials
 * at the baseline.
 *
 * ```yaml
 * - type: interactions
 *   input: [1, 1, 1, 1, 1]   # target data: the explained input
 *   sample: 0                # data sets: index of the explained test image
 *   baseline: 0              # a number, or one per input
 *   patches: [3, 4]          # image patches as players (default: one per input)
 *   output: 0                # network output (data sets: the sample's label)
 *   score: output            # output | log-odds (classifiers)
 *   andOr: { noise: 0, iterations: 20000, tolerance: 1e-4 }   # or false
 *   top: 10                  # interactions in the tables and bar charts
 *   includeEmpty: false      # rank I(∅) (the output at the baseline) too
 *   fraction: 0.9            # sparsity: interactions carrying this share
 *   taylor: 5                # order of the Taylor cross-check (no patches)
 *   batchSize: 1024          # masked inputs per network call
 * ```
 *
 * Players are named `x1 … xd` (inputs) or `p1 … pk` (patches, row by row);
 * an interaction is named by its players joined with `*` (`x2*x3`), the
 * empty set by `1`, as the Taylor terms of the other analyses. Writes
 * `outputs.npy` (`v` on the `2^n` subsets; bit `i` of the index = player `i`
 * present), `and.npy`, `and_or_and.npy`, `and_or_or.npy`, `noise.npy`, and
 * the figures `strength_by_order.svg`, `top_and.svg`, `top_and_or.svg` and,
 * for patches, `patches.svg`. Results: `players`, `names`, `v` (`empty`,
 * `full`), `faithfulness` (`and`, `andOr`: largest error over max |v|),
 * `sparsity` (`and`, `andOr`: how many interactions carry `fraction` of the
 * strength; `total`), `andTop` (names, strongest first), `and` (their
 * values), `andOrTop` (`and:<name>` / `or:<name>`), `andOr` (their values),
 * `decomposition` (`loss`, `lowerBound`, `initialLoss`, `iterations`,
 * `noiseBound`), `strengthByOrder`, and with `taylor` (an order `k`), for
 * each of `andTop`: `taylor` (the Taylor coefficient of `∏_{i∈S} x_i` at
 * the baseline), `taylorSupport` (the sum of the coefficients of every
 * monomial `x^α` of degree ≤ k whose support is exactly `S`),
 * `taylorDifference` (`|I(S) − taylorSupport|`) and `monomialDifference`
 * (`|I(S) − taylor|`). With baseline 0 and input 1, `I(S)` equals the
 * support sum of the full series, and the monomial coefficient alone when
 * the network is multilinear.
 *
 * @module
 */

import { z } from "../../deps.ts";
import { andOrDecomposition } from "../../interactions/and_or_decomposition.ts";
import { faithfulness } from "../../interactions/faithfulness.ts";
import { interactionSparsity } from "../../interactions/interaction_sparsity.ts";
import { maskedOutputs } from "../../interactions/masked_outputs.ts";
import { mobiusTransform } from "../../interactions/mobius.ts";
import { networkEvaluator } from "../../interactions/network_evaluator.ts";
import { patchPlayers } from "../../interactions/patch_players.ts";
import { playerMap } from "../../interactions/player_map.ts";
import { strengthByOrder } from "../../interactions/strength_by_order.ts";
import { playersOf } from "../../interactions/subsets.ts";
import {
  type RankedInteraction,
  topInteractions,
} from "../../interactions/top_interactions.ts";
import { barChart } from "../../plot/bar_chart.ts";
import { heatmapGrid } from "../../plot/heatmap_grid.ts";
import { linePlot } from "../../plot/line_plot.ts";
import { unicodeLabel } from "../../plot/unicode_label.ts";
import { expand } from "../../taylor/expand.ts";
import type {
  AnalysisContext,
  AnalysisDefinition,
  AnalysisStep,
} from "../analysis.ts";
import { strict } from "../_zod.ts";
import { pointSchema, sectionTitle, stepShape } from "./_step.ts";

const MAX_PLAYERS = 16;

const schema = strict({
  ...stepShape("interactions"),
  input: pointSchema.optional(),
  sample: z.int().min(0).optional(),
  baseline: z.union([z.number(), pointSchema]).default(0),
  patches: z.tuple([z.int().min(1), z.int().min(1)]).optional(),
  output: z.int().min(0).optional(),
  score: z.enum(["output", "log-odds"]).default("output"),
  andOr: z.union([
    z.literal(false),
    strict({
      noise: z.number().min(0).default(0),
      iterations: z.int().min(0).default(20000),
      tolerance: z.number().min(0).default(1e-4),
    }),
  ]).default({ noise: 0, iterations: 20000, tolerance: 1e-4 }),
  top: z.int().min(1).default(10),
  includeEmpty: z.boolean().default(false),
  fraction: z.number().gt(0).max(1).default(0.9),
  taylor: z.int().min(1).max(30).optional(),
  batchSize: z.int().min(1).default(1024),
});

type InteractionsStep = z.output<typeof schema> & AnalysisStep;

/**
 * The `interactions` step.
 *
 * @example
 * ```ts
 * import { interactionsAnalysis } from "./interactions.ts";
 * const r = interactionsAnalysis.schema.safeParse({
 *   type: "interactions",
 *   input: [1, 1, 1],
 * });
 * if (!r.success || r.data.top !== 10) throw new Error("rejected");
 * const ok = interactionsAnalysis.check!({ ...r.data, id: "i" }, { dim: 3 });
 * const bad = interactionsAnalysis.check!({ ...r.data, id: "i" }, { dim: 20 });
 * if (ok.length !== 0 || bad.length !== 2) throw new Error("not checked");
 * ```
 */
export const interactionsAnalysis: AnalysisDefinition<InteractionsStep> = {
  type: "interactions",
  summary:
    "AND (Harsanyi) and sparse AND-OR interactions of input or patch players",
  schema,
  check(step, { dim }) {
    const problems: { path: (string | number)[]; message: string }[] = [];
    const players = step.patches ? step.patches[0] * step.patches[1] : dim;
    if (players > MAX_PLAYERS) {
      problems.push({
        path: step.patches ? ["patches"] : [],
        message:
          `${players} players need 2^${players} network calls; at most ${MAX_PLAYERS} players (set patches for large inputs)`,
      });
    }
    if (step.input && step.input.length !== dim) {
      problems.push({
        path: ["input"],
        message:
          `expected ${dim} numbers (the input size), got ${step.input.length}`,
      });
    }
    if (typeof step.baseline !== "number" && step.baseline.length !== dim) {
      problems.push({
        path: ["baseline"],
        message:
          `expected a number or ${dim} numbers (the input size), got ${step.baseline.length}`,
      });
    }
    if (step.taylor !== undefined && step.patches) {
      problems.push({
        path: ["taylor"],
        message: "the Taylor cross-check needs one player per input",
      });
    }
    if (step.taylor !== undefined && step.score !== "output") {
      problems.push({
        path: ["taylor"],
        message: 'the Taylor cross-check needs score "output"',
      });
    }
    return problems;
  },
  async run(step, ctx) {
    const { input, output, shape } = explained(step, ctx);
    const players = step.patches
      ? patchPlayers(shape, step.patches)
      : Array.from({ length: input.length }, (_, i) => [i]);
    const prefix = step.patches ? "p" : "x";
    const name = (subset: number) =>
      playersOf(subset).map((i) => `${prefix}${i + 1}`).join("*") || "1";
    const n = players.length;
    const baseline = typeof step.baseline === "number"
      ? new Array(input.length).fill(step.baseline)
      : step.baseline;
    const v = await maskedOutputs(
      networkEvaluator(ctx.network, { output, score: step.score }),
      input,
      { players, baseline, batchSize: step.batchSize },
    );
    const and = mobiusTransform(v);
    const dir = ctx.dir;
    const section = sectionTitle(step);
    const save = (file: string, data: Float64Array) =>
      ctx.files.npy(`${dir}/${file}`, {
        dtype: "float64",
        shape: [data.length],
        data,
      });
    await save("outputs.npy", v);
    await save("and.npy", and);
    const rank = { count: step.top, includeEmpty: step.includeEmpty };
    const andTop = topInteractions({ and }, rank);
    const results: Record<string, unknown> = {
      players: n,
      names: players.map((_, i) => `${prefix}${i + 1}`),
      output,
      v: { empty: v[0], full: v[v.length - 1] },
      andTop: andTop.map((t) => name(t.subset)),
      and: Object.fromEntries(andTop.map((t) => [name(t.subset), t.value])),
    };
    const faith: Record<string, number> = {
      and: faithfulness(v, { and }).maxRelativeError,
    };
    const sparsity: Record<string, number> = {
      and: interactionSparsity([and], step).count,
      total: 2 ** n - (step.includeEmpty ? 0 : 1),
    };
    const byOrder: Record<string, number[]> = {
      and: Array.from(strengthByOrder(and).strength),
    };
    let andOrTop: RankedInteraction[] = [];
    if (step.andOr !== false) {
      const d = andOrDecomposition(v, step.andOr);
      await save("and_or_and.npy", d.and);
      await save("and_or_or.npy", d.or);
      await save("noise.npy", d.noise);
      faith.andOr = faithfulness(v, d).maxRelativeError;
      sparsity.andOr = interactionSparsity([d.and, d.or], step).count;
      byOrder.andOrAnd = Array.from(strengthByOrder(d.and).strength);
      byOrder.andOrOr = Array.from(strengthByOrder(d.or).strength);
      andOrTop = topInteractions({ and: d.and, or: d.or }, rank);
      Object.assign(results, {
        andOrTop: andOrTop.map((t) => `${t.kind}:${name(t.subset)}`),
        andOr: Object.fromEntries(
          andOrTop.map((t) => [`${t.kind}:${name(t.subset)}`, t.value]),
        ),
        decomposition: {
          loss: d.loss,
          lowerBound: d.lowerBound,
          initialLoss: d.initialLoss,
          iterations: d.iterations,
          noiseBound: d.noiseBound,
        },
      });
      ctx.log(
        `  AND-OR: L1 ${d.loss.toPrecision(4)} (≥ ${
          d.lowerBound.toPrecision(4)
        }, start ${
          d.initialLoss.toPrecision(4)
        }) after ${d.iterations} iterations`,
      );
    }
    Object.assign(results, {
      faithfulness: faith,
      sparsity,
      strengthByOrder: byOrder,
    });
    let taylor:
      | { monomial: Record<string, number>; support: Record<string, number> }
      | undefined;
    if (step.taylor !== undefined) {
      // With baseline 0 and input 1, v(T) = Σ_{supp α ⊆ T} c_α for an
      // analytic f, so I(S) = Σ_{supp α = S} c_α: the monomial ∏_{i∈S} x_i
      // alone for a multilinear f, and all its powers x^α with that support
      // for a network (summed here up to the expansion's order).
      const e = await expand(ctx.network, baseline, {
        order: step.taylor,
        mixed: "all",
        output,
      });
      const support = new Map<number, number>();
      for (const term of e.polynomial.terms) {
        let s = 0;
        term.exponents.forEach((a, i) => {
          if (a > 0) s |= 1 << i;
        });
        support.set(s, (support.get(s) ?? 0) + term.coefficient);
      }
      const byTop = (f: (t: RankedInteraction) => number) =>
        Object.fromEntries(andTop.map((t) => [name(t.subset), f(t)]));
      const monomial = (t: RankedInteraction) =>
        playersOf(t.subset).length <= step.taylor!
          ? e.polynomial.coefficientOf(
            Array.from({ length: n }, (_, i) => (t.subset >> i) & 1),
          )
          : NaN;
      taylor = {
        monomial: byTop(monomial),
        support: byTop((t) => support.get(t.subset) ?? 0),
      };
      Object.assign(results, {
        taylor: taylor.monomial,
        taylorSupport: taylor.support,
        taylorDifference: byTop((t) =>
          Math.abs(t.value - (support.get(t.subset) ?? 0))
        ),
        monomialDifference: byTop((t) => Math.abs(t.value - monomial(t))),
      });
    }
    ctx.log(
      `  ${n} players: top AND ${
        andTop.slice(0, 6).map((t) => `${name(t.subset)} ${t.value.toFixed(3)}`)
          .join(", ")
      }; ${sparsity.and} AND interactions carry ${step.fraction * 100} %`,
    );
    await writeFigures(ctx, {
      step,
      section,
      andTop,
      andOrTop,
      byOrder,
      name,
      label: (subset) =>
        playersOf(subset).map((i) => `${prefix}_{${i + 1}}`).join(" ") ||
        "1",
      taylor,
      players,
      input,
      shape,
    });
    return results;
  },
};

/** The explained input, the explained output index, and the input shape. */
function explained(
  step: InteractionsStep,
  ctx: AnalysisContext,
): { input: number[]; output: number; shape: number[] } {
  const data = ctx.data;
  if (data.kind === "target") {
    if (!step.input) {
      throw new Error(
        `Cannot compute interactions of step "${step.id}": set "input", the explained point of the ${data.dim}-D box`,
      );
    }
    return {
      input: step.input,
      output: step.output ?? 0,
      shape: data.inputShape,
    };
  }
  if (step.input) {
    return {
      input: step.input,
      output: step.output ?? 0,
      shape: data.inputShape,
    };
  }
  const k = step.sample ?? 0;
  if (k >= data.test.size) {
    throw new Error(
      `Cannot compute interactions of sample "${k}": the test set has ${data.test.size} images`,
    );
  }
  const d = data.dim;
  const input = Array.from(
    data.test.images.subarray(k * d, (k + 1) * d),
    (b) => b / 255,
  );
  return {
    input,
    output: step.output ?? data.test.labels[k],
    shape: data.inputShape,
  };
}

async function writeFigures(
  ctx: AnalysisContext,
  what: {
    step: InteractionsStep;
    section: string;
    andTop: RankedInteraction[];
    andOrTop: RankedInteraction[];
    byOrder: Record<string, number[]>;
    name: (subset: number) => string;
    label: (subset: number) => string;
    taylor?: {
      monomial: Record<string, number>;
      support: Record<string, number>;
    };
    players: number[][];
    input: number[];
    shape: number[];
  },
): Promise<void> {
  const { step, section, andTop, andOrTop, byOrder, label } = what;
  const dir = ctx.dir;
  const orders = byOrder.and.map((_, k) => k);
  const series = [
    { label: "AND (Harsanyi)", x: orders, y: byOrder.and },
    ...(byOrder.andOrAnd
      ? [
        { label: "AND-OR: AND", x: orders, y: byOrder.andOrAnd },
        { label: "AND-OR: OR", x: orders, y: byOrder.andOrOr },
      ]
      : []),
  ];
  await ctx.files.figure(
    `${dir}/strength_by_order.svg`,
    linePlot(series, {
      title: "Interaction strength by order",
      xLabel: "order |S|",
      yLabel: "Σ |I(S)|",
      markers: true,
    }),
    { title: "Interaction strength Σ|I(S)| by order |S|", section },
  );
  await ctx.files.figure(
    `${dir}/top_and.svg`,
    barChart(
      andTop.map((t) => ({ label: label(t.subset), value: t.value })),
      { title: `Top ${andTop.length} AND interactions`, valueLabel: "I(S)" },
    ),
    { title: `Top ${andTop.length} AND (Harsanyi) interactions`, section },
  );
  ctx.files.table({
    title: `Top ${andTop.length} AND interactions`,
    section,
    columns: what.taylor
      ? ["players", "I(S)", "Taylor coefficient of ∏xᵢ", "Taylor, support S"]
      : ["players", "I(S)"],
    rows: andTop.map((t) => [
      unicodeLabel(label(t.subset)),
      t.value,
      ...(what.taylor
        ? [
          what.taylor.monomial[what.name(t.subset)],
          what.taylor.support[what.name(t.subset)],
        ]
        : []),
    ]),
    source: `${dir}/and.npy`,
  });
  if (andOrTop.length) {
    await ctx.files.figure(
      `${dir}/top_and_or.svg`,
      barChart(
        andOrTop.map((t) => ({
          label: `${t.kind.toUpperCase()} ${label(t.subset)}`,
          value: t.value,
        })),
        {
          title: `Top ${andOrTop.length} AND-OR interactions`,
          valueLabel: "I(S)",
        },
      ),
      { title: `Top ${andOrTop.length} sparse AND-OR interactions`, section },
    );
  }
  if (step.patches) {
    const [, h, w] = what.shape.length === 3 ? what.shape : [1, ...what.shape];
    const image = (values: ArrayLike<number>) =>
      Array.from(
        { length: h },
        (_, y) => Array.from({ length: w }, (_, x) => values[y * w + x]),
      );
    const shown = (andOrTop.length ? andOrTop : andTop).slice(0, 8);
    const panels = shown.map((t) => {
      const values = what.players.map((_, i) =>
        (t.subset >> i) & 1 ? t.value : 0
      );
      return {
        data: image(playerMap(what.players, values, {
          size: what.input.length,
          fill: 0,
        })),
      };
    });
    await ctx.files.figure(
      `${dir}/patches.svg`,
      heatmapGrid([
        [{ data: image(what.input), colormap: "greys" as const }, ...panels],
      ], {
        title: "Patches of the strongest interactions",
        colTitles: [
          "input",
          ...shown.map((t) => `${t.kind.toUpperCase()} ${label(t.subset)}`),
        ],
        normalize: "grid",
      }),
      { title: "The input and the patches of the top interactions", section },
    );
  }
}
