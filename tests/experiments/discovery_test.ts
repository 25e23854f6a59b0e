import { withCiRun } from "./_ci_run.ts";
import type { GlobalResults } from "../../lib/experiment/analyses/global.ts";
import { readNpy } from "../../lib/io/npy.ts";
import { assert, assertAlmostEquals, assertEquals } from "../_assert.ts";

interface ExpandPoint {
  point: number[];
  value: number;
  coefficients: Record<string, number>;
  powers: Record<string, number>;
  summary: string;
}

/**
 * The order-2 polynomial `Σ a_α (x − p)^α` multiplied out into powers of
 * `x` by hand, independently of `TaylorPolynomial.toPowersOfX`.
 */
function powersOfX(
  a: Record<string, number>,
  [p1, p2]: number[],
): Record<string, number> {
  const c = (k: string) => a[k] ?? 0;
  return {
    "1": c("1") - c("x1") * p1 - c("x2") * p2 + c("x1^2") * p1 * p1 +
      c("x1*x2") * p1 * p2 + c("x2^2") * p2 * p2,
    x1: c("x1") - 2 * c("x1^2") * p1 - c("x1*x2") * p2,
    x2: c("x2") - c("x1*x2") * p1 - 2 * c("x2^2") * p2,
    "x1^2": c("x1^2"),
    "x1*x2": c("x1*x2"),
    "x2^2": c("x2^2"),
  };
}

Deno.test("experiments/discovery.yaml ci profile: every point reads back y ≈ 0.50 x2 + 0.50 x1² in powers of x", async () => {
  await withCiRun("discovery", async (run, _exp, lines) => {
    const outputs = run.manifest.outputs.analyses as Record<string, unknown>;
    const points = (outputs.expand as { points: ExpandPoint[] }).points;
    assertEquals(points.map((p) => p.point), [[0, 0], [0.5, 0.5], [
      -0.5,
      -0.5,
    ]]);
    for (const p of points) {
      const where = `at (${p.point})`;
      // the network's value against the formula: the fit is within 0.01
      const [x1, x2] = p.point;
      assertAlmostEquals(p.value, (x1 * x1 + x2) / 2, 0.01, where);
      // the claims' numbers, multiplied out again by hand (float64 sums of
      // six terms: 1e-12)
      const byHand = powersOfX(p.coefficients, p.point);
      for (const [k, v] of Object.entries(byHand)) {
        assertAlmostEquals(p.powers[k], v, 1e-12, `${where}, ${k}`);
      }
      // the same claims, stated directly: 0.5 ± 0.05 and |c| < 0.05
      assertAlmostEquals(p.powers.x2, 0.5, 0.05, `${where}, x2`);
      assertAlmostEquals(p.powers["x1^2"], 0.5, 0.05, `${where}, x1^2`);
      for (const k of ["1", "x1", "x1*x2", "x2^2"]) {
        assert(Math.abs(p.powers[k]) < 0.05, `${where}, ${k}: ${p.powers[k]}`);
      }
      // only x2 and x1² survive the summary's pruning at 0.05
      assert(
        /^y ≈ 0\.\d\d x_2 \+ 0\.\d\d x_1\^2$/.test(p.summary),
        `${where}: ${p.summary}`,
      );
      assert(
        lines.some((l) => l.includes(`terms ≥ 0.05: ${p.summary}`)),
        `the log does not print ${p.summary}`,
      );
    }
    // global explanation: 30 × 30 grid plus the origin, order 4 (15 terms)
    const g = outputs.global as GlobalResults;
    assertEquals(g.points, 901);
    assertEquals(g.terms.length, 15);
    assertEquals(g.top.slice(0, 2).sort(), ["x1^2", "x2"]);
    assertAlmostEquals(g.local.x2, points[0].coefficients.x2, 1e-9);
    const dir = `${run.dir}/analyses/global`;
    const coefficients = await readNpy(`${dir}/coefficients.npy`);
    assertEquals(coefficients.shape, [901, 15]);
    for (const f of ["global.svg", "global_top.svg"]) {
      const svg = await Deno.readTextFile(`${dir}/${f}`);
      assert(svg.startsWith("<svg"), `${f} is not an SVG`);
    }
    const history = await readNpy(`${run.dir}/train/history.npy`);
    assertEquals(history.shape, [188, 3]);
  }, { claims: 9 });
});
