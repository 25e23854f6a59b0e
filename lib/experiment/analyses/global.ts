/**
 * Analysis `global`: HOPE's global explanation (the reference `global.py`).
 * The network is expanded at every point of a grid of `n` points per axis
 * on `[p − range, p + range]` and at the reference point `p` itself; each
 * local polynomial is re-centred to `p` (exact, by the binomial theorem), so
 * every grid point gives one estimate of each coefficient at `p`. The
 * distribution of these estimates shows whether the local explanations
 * agree; the figure marks the coefficient of `p`'s own expansion (local,
 * red), the mean over the grid (blue) and their average (combined, black;
 * for the constant term the local value, as the reference does).
 *
 * ```yaml
 * - type: global
 *   point: [0, 0]     # the reference point p
 *   order: 4          # default 4
 *   range: 1          # half-width of the grid, default 1
 *   n: 30             # grid points per axis, default 30
 *   top: 10           # terms in the top-k figure, default 10
 *   method: taylor    # taylor | hope | autograd
 *   output: 0         # which network output (flat index)
 * ```
 *
 * Writes `points.npy` `[P, d]`, `coefficients.npy` `[P, T]` (float64, row
 * `P − 1` is `p` itself), `local.npy`, `mean.npy`, `combined.npy` `[T]`,
 * `terms.json`, and the figures `global.svg` and `global_top.svg`. Results:
 * `terms`, `local`, `mean`, `combined` (mappings keyed like `x1^2`), `top`
 * (the top-k term keys by |combined|, the global explanation's own
 * coefficients, largest first), `rank` (every term's
 * place in that order, 1 for the largest, so a claim can say "x1 is among
 * the six largest") and `polynomial` (the combined top-k polynomial as
 * text), `exact` and, where false (method `hope` past one hidden
 * non-linear layer), `inexactReason`. The run log prints the top-k terms
 * with their three values.
 *
 * @module
 */

import { z } from "../../deps.ts";
import { boxPlot } from "../../plot/box_plot.ts";
import { monomialLabel } from "../../plot/monomial_label.ts";
import { expandMany } from "../../taylor/expand.ts";
import { TaylorPolynomial } from "../../taylor/polynomial.ts";
import type { AnalysisDefinition, AnalysisStep } from "../analysis.ts";
import { strict } from "../_zod.ts";
import {
  exactness,
  gridProblems,
  pointProblems,
  pointSchema,
  sectionTitle,
  stepShape,
} from "./_step.ts";
import { termKey } from "./_terms.ts";

const schema = strict({
  ...stepShape("global"),
  point: pointSchema,
  order: z.int().min(1).max(30).default(4),
  range: z.number().positive().default(1),
  n: z.int().min(1).default(30),
  top: z.int().min(1).default(10),
  method: z.enum(["taylor", "hope", "autograd"]).default("taylor"),
  output: z.int().min(0).default(0),
  digits: z.int().min(0).max(12).default(2),
});

/** Grids larger than this are refused (they would take hours). */
const MAX_POINTS = 200_000;

/** What the `global` step returns; claims point into it as `/analyses/<id>/…`. */
export type GlobalResults = {
  /** The reference point `p`. */
  point: number[];
  /** The order of every local expansion. */
  order: number;
  /** Expansion points: the grid and `p`. */
  points: number;
  /** Every monomial up to the order, in graded order. */
  terms: string[];
  /** Coefficients of the expansion at `p`, by term. */
  local: Record<string, number>;
  /** Grid means of the re-centred coefficients, by term. */
  mean: Record<string, number>;
  /** The combined value of each term. */
  combined: Record<string, number>;
  /** The top-k terms by |combined|, largest first. */
  top: string[];
  /** Every term's place in that order, 1 for the largest. */
  rank: Record<string, number>;
  /** The combined top-k polynomial, as text. */
  polynomial: string;
  /** False when the method only approximates the derivatives. */
  exact: boolean;
  /** Why, when `exact` is false. */
  inexactReason?: string;
};

/**
 * The `global` step.
 *
 * @example
 * ```ts
 * import { globalAnalysis } from "./global.ts";
 * const r = globalAnalysis.schema.safeParse({ type: "global", point: [0, 0] });
 * if (!r.success) throw new Error("rejected");
 * const problems = globalAnalysis.check!({ ...r.data, id: "g" }, { dim: 3 });
 * if (problems[0]?.path[0] !== "point") throw new Error("dimension not checked");
 * ```
 */
export const globalAnalysis: AnalysisDefinition<
  z.output<typeof schema> & AnalysisStep
> = {
  type: "global",
  summary: "global explanation: expansions on a grid re-centred to a point",
  schema,
  check(step, { dim }) {
    const problems = [
      ...pointProblems(step.point, { dim, path: ["point"] }),
      ...gridProblems(step.n, { dim, max: MAX_POINTS }),
    ];
    return problems;
  },
  async run(step, ctx) {
    const p = step.point;
    const d = p.length;
    const grid = gridAround(p, { range: step.range, n: step.n });
    grid.push([...p]);
    const expansions = await expandMany(ctx.network, grid, {
      order: step.order,
      mixed: "all",
      method: step.method,
      output: step.output,
    });
    const polys = expansions.map((e) => e.polynomial.recenter(p));
    const local = polys[polys.length - 1];
    const exponents = local.terms.map((t) => t.exponents);
    const keys = exponents.map(termKey);
    const P = polys.length;
    const T = keys.length;
    const coefficients = new Float64Array(P * T);
    polys.forEach((poly, i) =>
      exponents.forEach((a, j) => {
        coefficients[i * T + j] = poly.coefficientOf(a);
      })
    );
    const localValues = Float64Array.from(
      exponents,
      (_, j) => coefficients[(P - 1) * T + j],
    );
    const mean = Float64Array.from(exponents, (_, j) => {
      let s = 0;
      for (let i = 0; i < P; i++) s += coefficients[i * T + j];
      return s / P;
    });
    const combined = Float64Array.from(
      exponents,
      (a, j) =>
        a.every((e) => e === 0)
          ? localValues[j]
          : (localValues[j] + mean[j]) / 2,
    );
    // Ranked by the coefficients the explanation reports; the captions say so.
    const rankedBy = "|combined|";
    const order = [...keys.keys()].sort((a, b) =>
      Math.abs(combined[b]) - Math.abs(combined[a]) || a - b
    );
    const top = order.slice(0, step.top);
    const dir = ctx.dir;
    await ctx.files.npy(`${dir}/points.npy`, {
      dtype: "float64",
      shape: [P, d],
      data: Float64Array.from(grid.flat()),
    });
    await ctx.files.npy(`${dir}/coefficients.npy`, {
      dtype: "float64",
      shape: [P, T],
      data: coefficients,
    });
    for (
      const [name, data] of [
        ["local", localValues],
        ["mean", mean],
        ["combined", combined],
      ] as const
    ) {
      await ctx.files.npy(`${dir}/${name}.npy`, {
        dtype: "float64",
        shape: [T],
        data,
      });
    }
    await ctx.files.json(`${dir}/terms.json`, { terms: keys, exponents });
    const groups = (indices: number[]) =>
      indices.map((j) => ({
        label: monomialLabel(exponents[j], { center: p }),
        values: Float64Array.from(
          { length: P },
          (_, i) => coefficients[i * T + j],
        ),
        markers: {
          local: localValues[j],
          mean: mean[j],
          combined: combined[j],
        },
      }));
    const section = sectionTitle(step);
    const where = `(${p.join(", ")})`;
    const yLabel = p.some((c) => c !== 0)
      ? "coefficient of (x − x_0)^α"
      : "coefficient of x^α";
    const legend = [
      `boxes: the estimates of the ${P} expansion points`,
      `local: the expansion at ${where}`,
      "mean: over the grid",
      "combined (in bold): their average (the local value for the constant)",
    ].join("; ");
    await ctx.files.figure(
      `${dir}/global.svg`,
      boxPlot(groups([...keys.keys()]), {
        title: `Coefficients at x_0 = ${where}`,
        yLabel,
      }),
      {
        title: `All ${T} coefficients re-centred to ${where} (${legend})`,
        section,
      },
    );
    await ctx.files.figure(
      `${dir}/global_top.svg`,
      boxPlot(groups(top), {
        title:
          `Top ${top.length} coefficients at x_0 = ${where}, by ${rankedBy}`,
        yLabel,
      }),
      {
        title: `The ${top.length} of ${T} coefficients with the largest ` +
          `${rankedBy} at ${where}, largest first (${legend})`,
        section,
      },
    );
    ctx.files.table({
      title:
        `Top ${top.length} coefficients by ${rankedBy} (${P} expansion points)`,
      section,
      columns: ["term", "local", "mean", "combined"],
      rows: top.map((j) => [
        monomialLabel(exponents[j], { center: p, style: "unicode" }),
        localValues[j],
        mean[j],
        combined[j],
      ]),
      source: `${dir}/combined.npy`,
    });
    const polynomial = new TaylorPolynomial(
      top.map((j) => ({ exponents: exponents[j], coefficient: combined[j] })),
      { center: p, order: step.order },
    ).toString({ digits: step.digits });
    ctx.log(`  global at ${where} from ${P} points: ${polynomial}`);
    ctx.log(`    ${"term".padEnd(12)}   local    mean  combined`);
    for (const j of top) {
      const cells = [localValues[j], mean[j], combined[j]].map((v) =>
        v.toFixed(step.digits).padStart(8)
      );
      ctx.log(`    ${keys[j].padEnd(12)}${cells.join("")}`);
    }
    const asMap = (v: Float64Array) =>
      Object.fromEntries(keys.map((k, j) => [k, v[j]]));
    const results: GlobalResults = {
      point: p,
      order: step.order,
      points: P,
      terms: keys,
      local: asMap(localValues),
      mean: asMap(mean),
      combined: asMap(combined),
      top: top.map((j) => keys[j]),
      rank: Object.fromEntries(order.map((j, r) => [keys[j], r + 1])),
      polynomial,
      ...exactness(expansions[0]),
    };
    return results;
  },
};

/**
 * The points of a regular grid with `n` points per axis on
 * `[p_i − range, p_i + range]` (the first axis varies slowest); `n = 1`
 * gives `p` itself.
 */
function gridAround(
  p: readonly number[],
  options: { range: number; n: number },
): number[][] {
  const { range, n } = options;
  const axis = (c: number) =>
    n === 1
      ? [c]
      : Array.from({ length: n }, (_, k) =>
        c - range + (2 * range * k) / (n - 1));
  let out: number[][] = [[]];
  for (const c of p) {
    const values = axis(c);
    out = out.flatMap((prefix) => values.map((v) => [...prefix, v]));
  }
  return out;
}
