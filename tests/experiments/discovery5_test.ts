import { withCiRun } from "./_ci_run.ts";
import type { GlobalResults } from "../../lib/experiment/analyses/global.ts";
import { readNpy } from "../../lib/io/npy.ts";
import { assert, assertAlmostEquals, assertEquals } from "../_assert.ts";

/** y = 0.5 + x1 + 0.6 x2 x3 − 0.8 x2 x4 + x1 x2 x3 − x3 x5, by monomial. */
const FORMULA: Record<string, number> = {
  "1": 0.5,
  x1: 1,
  "x2*x3": 0.6,
  "x2*x4": -0.8,
  "x1*x2*x3": 1,
  "x3*x5": -1,
};

Deno.test("experiments/discovery5.yaml ci profile: the global explanation ranks the formula's six monomials first, each within 0.1", async () => {
  await withCiRun("discovery5", async (run) => {
    const outputs = run.manifest.outputs.analyses as Record<string, unknown>;
    const g = outputs.global as GlobalResults;
    // 5^5 grid plus the origin; order 3 in 5 variables: C(8, 3) = 56 terms
    assertEquals(g.points, 3126);
    assertEquals(g.terms.length, 56);
    assertEquals(g.top.length, 14);
    assertEquals(g.top.slice(0, 6).sort(), Object.keys(FORMULA).sort());
    for (const [k, v] of Object.entries(FORMULA)) {
      assertAlmostEquals(g.combined[k], v, 0.1, `combined ${k}`);
      assertAlmostEquals(g.local[k], v, 0.1, `local ${k}`);
      assert(g.rank[k] <= 6, `${k} ranks ${g.rank[k]}`);
    }
    // every other term of the local polynomial is small
    for (const k of g.terms.filter((t) => !(t in FORMULA))) {
      assert(Math.abs(g.local[k]) < 0.1, `${k}: ${g.local[k]}`);
    }
    // the expand step and the grid's last row are the same expansion at the
    // origin (the same float64 numbers)
    const origin = (outputs.origin as {
      points: { coefficients: Record<string, number>; summary: string }[];
    }).points[0];
    for (const k of g.terms) {
      assertAlmostEquals(origin.coefficients[k], g.local[k], 1e-12, k);
    }
    // the summary keeps the six monomials and nothing else
    assertEquals(origin.summary.split(/ [+-] /).length, 6, origin.summary);
    const dir = `${run.dir}/analyses/global`;
    const points = await readNpy(`${dir}/points.npy`);
    assertEquals(points.shape, [3126, 5]);
    assertEquals(Array.from(points.data.subarray(0, 5)), [
      -0.5,
      -0.5,
      -0.5,
      -0.5,
      -0.5,
    ]);
    assertEquals(Array.from(points.data.subarray(3125 * 5)), [0, 0, 0, 0, 0]);
    const coefficients = await readNpy(`${dir}/coefficients.npy`);
    assertEquals(coefficients.shape, [3126, 56]);
    const svg = await Deno.readTextFile(`${dir}/global_top.svg`);
    assert(svg.startsWith("<svg"), "global_top.svg is not an SVG");
  }, { claims: 12 });
});
