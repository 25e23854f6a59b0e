import { withCiRun } from "./_ci_run.ts";

Deno.test("experiments/interactions_mnist.yaml ci profile: faithful and sparse AND-OR interactions of 12 image patches", async () => {
  await withCiRun("interactions_mnist", () => {});
});
