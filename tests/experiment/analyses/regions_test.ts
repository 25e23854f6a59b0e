import { type Tensor, tf } from "../../../lib/deps.ts";
import { useBackend } from "../../../lib/backend.ts";
import { Network } from "../../../lib/nn/network.ts";
import { regionsAnalysis } from "../../../lib/experiment/analyses/regions.ts";
import { loadData } from "../../../lib/experiment/data.ts";
import { RunFiles } from "../../../lib/experiment/run_files.ts";
import { assert, assertEquals } from "../../_assert.ts";

await useBackend("wasm");

type Step = Parameters<typeof regionsAnalysis.run>[0];

function parse(entry: Record<string, unknown>): Step {
  const r = regionsAnalysis.schema.safeParse({ type: "regions", ...entry });
  if (!r.success) throw new Error(JSON.stringify(r.error.issues));
  return { ...r.data, id: "regions" } as Step;
}

Deno.test("regions analysis: counts the notebook's XOR network and a trained family", async () => {
  // the notebook's hand-made solution: 3 regions on [−1, 1]²
  const network = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: [
      { type: "Linear", in: 2, out: 2, weight: "w1", bias: "b1" },
      { type: "ReLU" },
      { type: "Linear", in: 2, out: 1, weight: "w2", bias: "b2" },
    ],
  }, {
    parameters: new Map<string, Tensor>([
      ["w1", tf.tensor2d([[1, 1], [1, 1]])],
      ["b1", tf.tensor1d([1, 0])],
      ["w2", tf.tensor2d([[2, -4]])],
      ["b2", tf.tensor1d([-1])],
    ]),
  });
  const data = await loadData({
    target: "-x1 * x2",
    box: [[-1, 1], [-1, 1]],
    sampling: "grid",
    n: 2,
  }, { seed: 0 });
  const dir = await Deno.makeTempDir({ prefix: "hope-regions-" });
  const files = new RunFiles(dir);
  try {
    const r = await regionsAnalysis.run(
      parse({
        resolution: 41,
        networks: { hidden: [3], count: 2, attempts: 20 },
      }),
      {
        network,
        dim: 2,
        seed: 0,
        data,
        files,
        dir: "analyses/regions",
        log: () => {},
      },
    ) as Record<string, unknown>;
    assertEquals(r.network, { gridCount: 3, exactCount: 3 });
    const w3 = (r.widths as Record<string, Record<string, number[]>>)["3"];
    assertEquals(w3.accuracies, [1, 1]);
    assertEquals(w3.gridCounts.length, 2);
    // a 2 → 3 → 1 network has at most 7 regions in the plane
    assert(w3.exactCounts.every((c) => c >= 2 && c <= 7), `${w3.exactCounts}`);
    assert((r.maxGridExcess as number) <= 0, `${r.maxGridExcess}`);
    assertEquals(r.minGrowth, null, "one width: no growth to measure");
    const written = files.written.map((f) => f.path);
    for (
      const f of [
        "network_regions.svg",
        "network_regions.npy",
        "w3_net2_parameters.npy",
        "w3_surfaces.svg",
        "w3_parameters.svg",
      ]
    ) assert(written.includes(`analyses/regions/${f}`), f);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("regions analysis: check() needs a 2-D input and an ordered box", () => {
  const problems = regionsAnalysis.check!(
    parse({ box: [[1, -1], [0, 1]] }),
    { dim: 3 },
  );
  assertEquals(problems.map((p) => p.path.join(".")), ["", "box"]);
});
