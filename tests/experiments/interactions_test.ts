import { withCiRun } from "./_ci_run.ts";

Deno.test("experiments/interactions.yaml ci profile: the top six AND interactions of discovery5 are its monomials and match its Taylor coefficients", async () => {
  await withCiRun("interactions", () => {});
});
