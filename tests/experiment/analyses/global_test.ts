import { globalAnalysis } from "../../../lib/experiment/analyses/global.ts";
import type { GlobalResults } from "../../../lib/experiment/analyses/global.ts";
import { tf } from "../../../lib/deps.ts";
import { stepContext } from "./_context.ts";
import { useBackend } from "../../../lib/backend.ts";
import { Network } from "../../../lib/nn/network.ts";
import { assert, assertAlmostEquals, assertEquals } from "../../_assert.ts";

await useBackend("wasm");

Deno.test("globalAnalysis.run() ranks every term by |local| and logs the top terms' local, mean and combined values", async () => {
  // y = 0.3 + 0.5 x1 − 0.7 x2 is its own Taylor polynomial everywhere, so
  // every grid point re-centres to the same coefficients (float32: 1e-6)
  const net = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_1"],
  }, {
    parameters: new Map<string, tf.Tensor>([
      ["0.weight.npy", tf.tensor2d([[0.5, -0.7]])],
      ["0.bias.npy", tf.tensor1d([0.3])],
    ]),
  });
  const parsed = globalAnalysis.schema.safeParse({
    type: "global",
    point: [0.1, -0.2],
    order: 2,
    n: 3,
    top: 3,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  const { ctx, dir, lines } = await stepContext(net, "g");
  try {
    const out = await globalAnalysis.run(
      { ...parsed.data, id: "g" },
      ctx,
    ) as unknown as GlobalResults;
    // at (0.1, −0.2) the constant is 0.3 + 0.05 + 0.14 = 0.49
    assertAlmostEquals(out.local["1"], 0.49, 1e-6);
    assertAlmostEquals(out.mean.x2, -0.7, 1e-6);
    assertEquals(out.top, ["x2", "x1", "1"]);
    // the zero terms follow in graded order (ties keep the term order)
    assertEquals(out.rank, {
      x2: 1,
      x1: 2,
      "1": 3,
      "x1^2": 4,
      "x1*x2": 5,
      "x2^2": 6,
    });
    const row = lines.find((l) => l.trimStart().startsWith("x2 "));
    if (row === undefined) throw new Error(lines.join("\n"));
    assertEquals(row.trim().split(/\s+/), ["x2", "-0.70", "-0.70", "-0.70"]);
    assert(lines.some((l) => /term\s+local\s+mean\s+combined/.test(l)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
