import { withCiRun } from "./_ci_run.ts";

Deno.test("experiments/regions.yaml ci profile: width-2 networks have at most 4 regions, counts grow with width, grid ≤ exact", async () => {
  await withCiRun("regions", () => {});
});
