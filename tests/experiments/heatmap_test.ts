import { withCiRun } from "./_ci_run.ts";
import { readNpy } from "../../lib/io/npy.ts";
import { assert, assertEquals } from "../_assert.ts";

Deno.test("experiments/heatmap.yaml ci profile: ≥ 90 % test accuracy and Taylor-series maps with r ≥ 0.99 against perturbation maps at Δ = 1 and 0.5", async () => {
  await withCiRun("heatmap", async (run) => {
    const outputs = run.manifest.outputs as {
      train: { testAccuracy: number };
      analyses: {
        heatmap: {
          order: number;
          delta: number;
          correlation: number[];
          correlationMin: number;
          lastTerm: number[];
          sweep: Record<string, { min: number }>;
          seconds: { series: number; perturbation: number };
          items: { label: number; network: number; prediction: number }[];
        };
      };
    };
    assert(
      outputs.train.testAccuracy >= 0.9,
      `test accuracy ${outputs.train.testAccuracy}`,
    );
    const h = outputs.analyses.heatmap;
    assertEquals([h.order, h.delta], [10, 1], "the paper's order and Δ");
    assertEquals(h.items.map((i) => i.label), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert(
      h.items.every((i) => i.network === i.label),
      "network c for digit c",
    );
    assertEquals(h.correlation.length, 10);
    assert(h.correlationMin >= 0.99, `min r = ${h.correlationMin}`);
    // The series has converged for every pixel: the order-10 terms are
    // small against the maps (measured 2e-5 at most with seed 0).
    const lastTerm = Math.max(...h.lastTerm);
    assert(lastTerm < 1e-3, `largest order-10 term / max |P| = ${lastTerm}`);
    // The sweep covers Δ = 0.1 … 2 with the same derivatives; at the run's
    // own Δ it repeats the main correlation.
    assertEquals(Object.keys(h.sweep).map(Number).sort((a, b) => a - b), [
      0.1,
      0.25,
      0.5,
      1,
      2,
    ]);
    assertEquals(h.sweep["1"].min, h.correlationMin);
    assert(h.sweep["0.5"].min >= 0.99, `min r at 0.5 = ${h.sweep["0.5"].min}`);
    assert(h.seconds.series > 0 && h.seconds.perturbation > 0);
    const maps = await readNpy(`${run.dir}/analyses/heatmap/series_map.npy`);
    assertEquals(maps.shape, [10, 28, 28]);
    assert(
      run.manifest.files.some((f) =>
        f.path === "analyses/heatmap/heatmaps_0.svg"
      ),
      "the heat map figure is written",
    );
  }, { claims: 3 });
});
