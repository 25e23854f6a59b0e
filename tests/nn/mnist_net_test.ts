import { useBackend } from "../../lib/backend.ts";
import { MNIST_NET_LAYERS } from "../../lib/nn/mnist_net.ts";
import { Network } from "../../lib/nn/network.ts";
import { assertEquals } from "../_assert.ts";

await useBackend("wasm");

Deno.test("MNIST_NET_LAYERS builds a 10-class net with 21 840 parameters", () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [1, 28, 28],
    layers: [...MNIST_NET_LAYERS],
  }, { seed: 0 });
  // Conv 1→10 k5: 250 + 10; conv 10→20 k5: 5000 + 20; 320→50: 16000 + 50;
  // 50→10: 500 + 10; 21 840 in all.
  assertEquals(net.parameters().map((p) => p.size), [
    250,
    10,
    5000,
    20,
    16000,
    50,
    500,
    10,
  ]);
  assertEquals(net.outputShape, [10]);
  net.dispose();
});
