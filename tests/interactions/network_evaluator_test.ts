import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { Network } from "../../lib/nn/network.ts";
import { networkEvaluator } from "../../lib/interactions/network_evaluator.ts";
import { maskedOutputs } from "../../lib/interactions/masked_outputs.ts";
import { assertArrayClose, assertThrows } from "../_assert.ts";

await useBackend("wasm");

const classifier = () =>
  Network.create({
    format: "hope-network/1",
    input: [1, 4, 4],
    layers: ["Flatten", "Linear_16_8", "ReLU", "Linear_8_3"],
  }, { seed: 2 });

Deno.test("networkEvaluator() returns the chosen output and its log-odds", async () => {
  const net = classifier();
  const x = Float32Array.from({ length: 3 * 16 }, (_, i) => Math.sin(i));
  const logits = net.forward(tf.tensor(x, [3, 1, 4, 4]));
  const z = await logits.data();
  logits.dispose();
  const raw = await networkEvaluator(net, { output: 1 })(x, {
    rows: 3,
    cols: 16,
  });
  assertArrayClose(raw, [z[1], z[4], z[7]], { rtol: 0, atol: 0 });
  const odds = await networkEvaluator(net, { output: 1, score: "log-odds" })(
    x,
    { rows: 3, cols: 16 },
  );
  // float64 softmax from the float32 logits: p / (1 − p)
  const expected = [0, 1, 2].map((r) => {
    const e = [0, 1, 2].map((j) => Math.exp(z[3 * r + j]));
    const p = e[1] / (e[0] + e[1] + e[2]);
    return Math.log(p / (1 - p));
  });
  assertArrayClose(odds, expected, { rtol: 1e-12, atol: 1e-12 });
});

Deno.test("networkEvaluator() plugs into maskedOutputs() with image patches", async () => {
  const net = classifier();
  const image = Array.from({ length: 16 }, (_, i) => i / 16);
  const v = await maskedOutputs(networkEvaluator(net), image, {
    players: [[0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15]],
    batchSize: 5,
  });
  const full = net.forward(tf.tensor(image, [1, 1, 4, 4]));
  const zero = net.forward(tf.zeros([1, 1, 4, 4]));
  assertArrayClose(
    [v[0], v[15]],
    [(await zero.data())[0], (await full.data())[0]],
    { rtol: 0, atol: 0 },
  );
  tf.dispose([full, zero]);
});

Deno.test("networkEvaluator() rejects outputs the network does not have", () => {
  assertThrows(
    () => networkEvaluator(classifier(), { output: 3 }),
    Error,
    'Cannot evaluate output "3": the network has 3 outputs',
  );
  const scalar = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_1"],
  });
  assertThrows(
    () => networkEvaluator(scalar, { score: "log-odds" }),
    Error,
    'Cannot evaluate the log-odds of output "0": the network has 1 output',
  );
});
