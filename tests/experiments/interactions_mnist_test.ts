import { loadExperiment } from "../../lib/experiment/load.ts";
import { runExperiment } from "../../lib/experiment/runner.ts";
import { assertEquals } from "../_assert.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("experiments/interactions_mnist.yaml ci profile: faithful and sparse AND-OR interactions of 12 image patches", async () => {
  const out = await Deno.makeTempDir({ prefix: "hope-interactions_mnist-ci-" });
  try {
    const exp = await loadExperiment(
      `${ROOT}/experiments/interactions_mnist.yaml`,
      {
        root: ROOT,
        profile: "ci",
      },
    );
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
