import { loadExperiment } from "../../lib/experiment/load.ts";
import { runExperiment } from "../../lib/experiment/runner.ts";
import { assertEquals } from "../_assert.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("experiments/regions.yaml ci profile: width-2 networks have at most 4 regions, counts grow with width, grid ≤ exact", async () => {
  const out = await Deno.makeTempDir({ prefix: "hope-regions-ci-" });
  try {
    const exp = await loadExperiment(`${ROOT}/experiments/regions.yaml`, {
      root: ROOT,
      profile: "ci",
    });
    const run = await runExperiment(exp, {
      out,
      root: ROOT,
      log: () => {},
      progress: "none",
    });
    const failed = run.manifest.claims.filter((c) => c.verdict !== "pass");
    assertEquals(
      run.status,
      "passed",
      run.manifest.error ?? JSON.stringify(failed),
    );
    assertEquals(
      run.manifest.claims.map((c) => c.verdict),
      exp.config.claims.map(() => "pass"),
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
