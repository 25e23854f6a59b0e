/**
 * Analysis `expand`: the Taylor expansion of the network at listed points,
 * as the reference `hope.py` prints it for the discovery demo.
 *
 * ```yaml
 * - type: expand
 *   points: [[0, 0], [0.5, 0.5], [-0.5, -0.5]]
 *   order: 2          # default 2
 *   mixed: all        # all | none
 *   method: taylor    # taylor | hope | autograd
 *   output: 0         # which network output (flat index)
 *   digits: 2         # decimals in the printed polynomials
 *   prune: 0.05       # the summary leaves out terms with |c| below this
 * ```
 *
 * Writes, per point `i`, `analyses/<id>/point<i>/d0.npy … d<n>.npy` (float64,
 * the layout of DESIGN section 2) and `expansion.json`; a bar chart of the
 * coefficients; and a table of the polynomials. Results, for claims:
 * `/analyses/<id>/points/<i>/` with `point`, `value`, `coefficients`
 * (keyed `1`, `x1`, `x1^2`, `x1*x2`, … in powers of `x − x0`), `powers`
 * (the same polynomial in plain powers of `x`), `polynomial` and
 * `powersPolynomial` (text), `summary` (the polynomial in powers of `x`
 * without the terms below `prune`, e.g. `y ≈ 0.50 x_2 + 0.50 x_1^2`) and
 * `seconds`; and `exact` (false, with `inexactReason`, where method `hope`
 * only approximates the network). The run log prints, per point, the
 * polynomial, its form in powers of `x` and the summary.
 *
 * @module
 */

import { z } from "../../deps.ts";
import { barChart } from "../../plot/bar_chart.ts";
import { monomialLabel } from "../../plot/monomial_label.ts";
import { unicodeLabel } from "../../plot/unicode_label.ts";
import { expandMany } from "../../taylor/expand.ts";
import type { TaylorPolynomial } from "../../taylor/polynomial.ts";
import type { AnalysisDefinition, AnalysisStep } from "../analysis.ts";
import { strict } from "../_zod.ts";
import {
  exactness,
  pointProblems,
  pointSchema,
  sectionTitle,
  stepShape,
} from "./_step.ts";
import { coefficientMap } from "./_terms.ts";

const schema = strict({
  ...stepShape("expand"),
  points: z.array(pointSchema).min(1),
  order: z.int().min(1).max(30).default(2),
  mixed: z.enum(["all", "none"]).default("all"),
  method: z.enum(["taylor", "hope", "autograd"]).default("taylor"),
  output: z.int().min(0).default(0),
  digits: z.int().min(0).max(12).default(2),
  prune: z.number().min(0).default(0.05),
});

/**
 * The `expand` step.
 *
 * @example
 * ```ts
 * import { expandAnalysis } from "./expand.ts";
 * const r = expandAnalysis.schema.safeParse({ type: "expand", points: [[0, 0]] });
 * if (!r.success || r.data.order !== 2 || r.data.mixed !== "all") {
 *   throw new Error("defaults not applied");
 * }
 * ```
 */
export const expandAnalysis: AnalysisDefinition<
  z.output<typeof schema> & AnalysisStep
> = {
  type: "expand",
  summary: "Taylor polynomials of the network at listed points",
  schema,
  check(step, { dim }) {
    return step.points.flatMap((p, i) =>
      pointProblems(p, { dim, path: ["points", i] })
    );
  },
  async run(step, ctx) {
    const points = [];
    const bars = [];
    const rows: (string | number)[][] = [];
    const sets = await expandMany(ctx.network, step.points, {
      order: step.order,
      mixed: step.mixed,
      method: step.method,
      output: step.output,
    });
    for (const [i, point] of step.points.entries()) {
      const e = sets[i];
      const folder = `${ctx.dir}/point${i}`;
      for (const [k, values] of e.derivatives.entries()) {
        await ctx.files.npy(`${folder}/d${k}.npy`, {
          dtype: "float64",
          shape: e.shapes[k],
          data: Float64Array.from(values),
        });
      }
      const poly = e.polynomial;
      const seconds = e.seconds;
      const powers = poly.toPowersOfX();
      const plain = (q: TaylorPolynomial) =>
        q.toString({ digits: step.digits });
      const text = plain(poly);
      const powersText = plain(powers);
      await ctx.files.json(`${folder}/expansion.json`, {
        method: step.method,
        mode: step.mixed,
        order: step.order,
        point,
        output: step.output,
        network: "../../../network",
        seconds,
        backend: e.backend,
        piecewiseLinear: e.piecewiseLinear,
        ...exactness(e),
        polynomial: poly.toJSON(),
        text,
      });
      const summary = summarize(powers, { prune: step.prune, render: plain });
      ctx.log(`  ${formatPoint(point)}: ${text}`);
      if (poly.center.some((c) => c !== 0)) {
        ctx.log(`    in powers of x: ${powersText}`);
      }
      ctx.log(`    terms ≥ ${step.prune}: ${summary}`);
      points.push({
        point,
        value: e.derivatives[0][0],
        coefficients: coefficientMap(poly),
        powers: coefficientMap(powers),
        polynomial: text,
        powersPolynomial: powersText,
        summary,
        piecewiseLinear: e.piecewiseLinear,
        seconds,
      });
      // the table writes terms as the figures do, x₁², not x_1^2
      const shown = (q: TaylorPolynomial) =>
        unicodeLabel(q.toLatex({ digits: step.digits }));
      rows.push([
        formatPoint(point),
        shown(poly),
        shown(powers),
        summarize(powers, { prune: step.prune, render: shown }),
      ]);
      bars.push({ point, poly });
    }
    // One value range over every chart's bars gives the points' charts one
    // scale; an all-zero polynomial still gets a chart, of its first term.
    const shown = bars.map(({ poly }) => {
      const top = poly.topK(COEFFICIENT_BARS);
      return top.length > 0 ? top : poly.terms.slice(0, 1);
    });
    const values = shown.flat().map((t) => t.coefficient);
    const valueDomain = [Math.min(...values), Math.max(...values)] as const;
    for (const [i, { point, poly }] of bars.entries()) {
      const shifted = poly.center.some((c) => c !== 0);
      const svg = barChart(
        shown[i].map((t) => ({
          label: monomialLabel(t.exponents, { center: poly.center }),
          value: t.coefficient,
        })),
        {
          title: `Taylor coefficients at x_0 = ${formatPoint(point)}`,
          valueLabel: shifted
            ? "coefficient of (x − x_0)^α"
            : "coefficient of x^α",
          valueDomain,
        },
      );
      await ctx.files.figure(`${ctx.dir}/point${i}/coefficients.svg`, svg, {
        title: `Coefficients at ${formatPoint(point)}, order ${step.order}${
          shifted ? ", in powers of x − x0" : ""
        } (largest first; one scale for all points)`,
        section: sectionTitle(step),
      });
    }
    ctx.files.table({
      title: "Taylor polynomials",
      section: sectionTitle(step),
      columns: [
        "point",
        "polynomial in x − x0",
        "in powers of x",
        `terms ≥ ${step.prune}`,
      ],
      rows,
    });
    return {
      order: step.order,
      method: step.method,
      ...exactness(sets[0]),
      points,
    };
  },
};

/**
 * `y ≈ …` with the terms of magnitude below `prune` left out, or `y ≈ 0`
 * when none is left; `render` writes a polynomial as `y = …`.
 */
function summarize(
  powers: TaylorPolynomial,
  options: { prune: number; render: (p: TaylorPolynomial) => string },
): string {
  const kept = powers.prune({ threshold: options.prune });
  return kept.terms.length === 0
    ? "y ≈ 0"
    : options.render(kept).replace(/^y = /, "y ≈ ");
}

/** Bars per coefficient chart: the largest |coefficient| first. */
const COEFFICIENT_BARS = 12;

function formatPoint(p: readonly number[]): string {
  return `(${p.join(", ")})`;
}
