import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { Network } from "../../lib/nn/network.ts";
import { affineMapOfPattern } from "../../lib/regions/affine_map.ts";
import { activationPatterns } from "../../lib/regions/activation_patterns.ts";
import { toPiecewiseLinear } from "../../lib/regions/piecewise_linear.ts";
import { createRng } from "../../lib/random.ts";
import { assertArrayClose, assertEquals, assertThrows } from "../_assert.ts";
import { randomNetwork } from "./_nets.ts";

await useBackend("wasm");

Deno.test("toPiecewiseLinear() reproduces the network's outputs (PyTorch weight layout)", () => {
  for (const activation of ["ReLU", "LeakyReLU_0.1"]) {
    const net = randomNetwork([5, 3], { seed: 4, activation });
    const pl = toPiecewiseLinear(net);
    assertEquals(pl.neuronCount, 8);
    assertEquals(
      pl.layers.map((l) => l.negativeSlope),
      activation === "ReLU" ? [0, 0, null] : [0.1, 0.1, null],
    );
    const rng = createRng(9);
    const xs = Array.from({ length: 40 }, () => rng.uniform(-2, 2));
    const points = Float64Array.from(xs);
    const bits = activationPatterns(pl, points);
    const mine = new Float64Array(20);
    for (let p = 0; p < 20; p++) {
      const { gradient, bias } = affineMapOfPattern(pl, bits, {
        offset: p * pl.neuronCount,
      });
      mine[p] = gradient[0] * xs[2 * p] + gradient[1] * xs[2 * p + 1] +
        bias[0];
    }
    const ref = net.forward(tf.tensor2d(xs, [20, 2]));
    // tfjs computes in float32: agree to float32 rounding
    assertArrayClose(mine, ref.dataSync(), { rtol: 1e-5, atol: 1e-6 });
    ref.dispose();
  }
});

Deno.test("toPiecewiseLinear() names layers that are not piecewise linear", () => {
  const spec = (layers: string[], input = [2]) =>
    Network.create({ format: "hope-network/1", input, layers });
  assertThrows(
    () => toPiecewiseLinear(spec(["Linear_2_3", "Tanh", "Linear_3_1"])),
    Error,
    'Cannot analyse linear regions of layer 1 "Tanh": only Linear, ReLU, LeakyReLU, Identity, Dropout and Flatten layers are piecewise linear',
  );
  assertThrows(
    () => toPiecewiseLinear(spec(["Linear_2_3", "ReLU", "ReLU"])),
    Error,
    'Cannot analyse linear regions of layer 2 "ReLU": two activations in a row are not supported',
  );
  assertThrows(
    () => toPiecewiseLinear(spec(["ReLU", "Linear_2_1"])),
    Error,
    'layer 0 "ReLU": an activation needs a Linear layer before it',
  );
  assertThrows(
    () =>
      toPiecewiseLinear(
        spec(["Flatten", "Linear_4_1"], [1, 2, 2]),
      ),
    Error,
    'Cannot analyse linear regions of input "[1,2,2]": only vector inputs are supported',
  );
});
