import { type Tensor, tf } from "../../../lib/deps.ts";
import { useBackend } from "../../../lib/backend.ts";
import { Network } from "../../../lib/nn/network.ts";
import { interactionsAnalysis } from "../../../lib/experiment/analyses/interactions.ts";
import type { ExperimentData } from "../../../lib/experiment/data.ts";
import { stepContext } from "./_context.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertRejects,
} from "../../_assert.ts";

await useBackend("wasm");

type Step = Parameters<typeof interactionsAnalysis.run>[0];

function parse(entry: Record<string, unknown>): Step {
  const r = interactionsAnalysis.schema.safeParse({
    type: "interactions",
    ...entry,
  });
  if (!r.success) throw new Error(JSON.stringify(r.error.issues));
  return { ...r.data, id: "interactions" } as Step;
}

Deno.test("interactions analysis: an affine network's AND interactions are its weights and Taylor coefficients", async () => {
  // y = 0.5 + x1 − 2 x2 + 0.25 x3 (float32-exact numbers)
  const network = Network.create({
    format: "hope-network/1",
    input: [3],
    layers: [{ type: "Linear", in: 3, out: 1, weight: "w", bias: "b" }],
  }, {
    parameters: new Map<string, Tensor>([
      ["w", tf.tensor2d([[1, -2, 0.25]])],
      ["b", tf.tensor1d([0.5])],
    ]),
  });
  const data = { kind: "target", dim: 3, inputShape: [3] } as ExperimentData;
  const { ctx, files, dir } = await stepContext(network, "interactions", data);
  try {
    const step = parse({
      input: [1, 1, 1],
      top: 4,
      includeEmpty: true,
      taylor: 3,
      andOr: { iterations: 500 },
    });
    const r = await interactionsAnalysis.run(step, ctx) as Record<
      string,
      unknown
    >;
    assertEquals(r.andTop, ["x2", "x1", "1", "x3"]);
    assertEquals(r.and, { x2: -2, "1": 0.5, x1: 1, x3: 0.25 });
    assertEquals(r.taylor, { x2: -2, "1": 0.5, x1: 1, x3: 0.25 });
    const diff = r.taylorDifference as Record<string, number>;
    assert(Object.values(diff).every((d) => d === 0), JSON.stringify(diff));
    const faith = r.faithfulness as Record<string, number>;
    assert(faith.and === 0 && faith.andOr < 1e-12, JSON.stringify(faith));
    // an affine function: 3 AND interactions of order 1 carry everything
    assertEquals((r.sparsity as Record<string, number>).and, 3);
    const written = files.written.map((f) => f.path).sort();
    for (
      const f of [
        "and.npy",
        "outputs.npy",
        "strength_by_order.svg",
        "top_and.svg",
        "top_and_or.svg",
      ]
    ) {
      assert(written.includes(`analyses/interactions/${f}`), f);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("interactions analysis: patches of a test image, explained by the log-odds of its label", async () => {
  const network = Network.create({
    format: "hope-network/1",
    input: [1, 28, 28],
    layers: ["Flatten", "Linear_784_10"],
  }, { seed: 4 });
  const images = new Uint8Array(2 * 784).map((_, i) => (i * 37) % 256);
  const data = {
    kind: "mnist",
    dim: 784,
    inputShape: [1, 28, 28],
    test: { size: 2, images, labels: new Uint8Array([3, 7]) },
  } as unknown as ExperimentData;
  const { ctx, files, dir } = await stepContext(network, "interactions", data);
  try {
    const r = await interactionsAnalysis.run(
      parse({ sample: 1, patches: [2, 2], score: "log-odds" }),
      ctx,
    ) as Record<string, unknown>;
    assertEquals(r.players, 4);
    assertEquals(r.output, 7);
    assertEquals(r.names, ["p1", "p2", "p3", "p4"]);
    const faith = r.faithfulness as Record<string, number>;
    // a float64 transform of float64 log-odds: exact to rounding
    assert(faith.and < 1e-12 && faith.andOr < 1e-12, JSON.stringify(faith));
    const v = r.v as { empty: number; full: number };
    const x = Float32Array.from(images.subarray(784), (b) => b / 255);
    const z = await network.forward(tf.tensor(x, [1, 1, 28, 28])).data();
    const others = Array.from(z).filter((_, j) => j !== 7);
    const max = Math.max(...others);
    const lse = max +
      Math.log(others.reduce((s, o) => s + Math.exp(o - max), 0));
    // float32 logits, float64 log-odds
    assertAlmostEquals(v.full, z[7] - lse, 1e-9);
    assert(
      files.written.some((f) => f.path === "analyses/interactions/patches.svg"),
      "patch figure",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("interactions analysis: target data needs an input, and check() reports its problems", async () => {
  const network = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_1"],
  });
  const data = { kind: "target", dim: 2, inputShape: [2] } as ExperimentData;
  const { ctx, dir } = await stepContext(network, "interactions", data);
  try {
    await assertRejects(
      () => interactionsAnalysis.run(parse({}), ctx),
      'Cannot compute interactions of step "interactions": set "input", the explained point of the 2-D box',
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const problems = interactionsAnalysis.check!(
    parse({ patches: [5, 4], taylor: 3, baseline: [0, 0, 0] }),
    { dim: 784 },
  );
  assertEquals(problems.map((p) => p.path.join(".")), [
    "patches",
    "baseline",
    "taylor",
  ]);
});
