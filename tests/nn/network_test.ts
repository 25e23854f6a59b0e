import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { Network, parseLayer } from "../../lib/nn/network.ts";
import {
  assert,
  assertArrayClose,
  assertEquals,
  assertThrows,
} from "../_assert.ts";

await useBackend("wasm");

Deno.test("parseLayer() reads the compact strings of the reference configs", () => {
  assertEquals(parseLayer("Linear_2_64"), { type: "Linear", in: 2, out: 64 });
  assertEquals(parseLayer("Conv2d_1_10_5_1_0"), {
    type: "Conv2d",
    in: 1,
    out: 10,
    kernel: [5, 5],
    stride: [1, 1],
    padding: [0, 0],
  });
  assertEquals(parseLayer("AvgPool2d_2_2"), {
    type: "AvgPool2d",
    kernel: [2, 2],
    stride: [2, 2],
  });
  assertEquals(parseLayer("Sine"), { type: "Sine", w0: 1 });
  assertEquals(parseLayer("Sine_30"), { type: "Sine", w0: 30 });
  assertEquals(parseLayer("Flatten"), { type: "Flatten" });
  assertEquals(parseLayer("GELU_tanh"), { type: "GELU", approximate: "tanh" });
});

Deno.test("parseLayer() names the bad string and the expected form", () => {
  assertThrows(
    () => parseLayer("Linear_2"),
    Error,
    'Cannot parse layer "Linear_2": expected Linear_<in>_<out>',
  );
  assertThrows(() => parseLayer("Conv3d_1"), Error, "unknown layer type");
});

Deno.test("Network.create() rejects a layer whose in does not match", () => {
  assertThrows(
    () =>
      Network.create({
        format: "hope-network/1",
        input: [2],
        layers: ["Linear_2_4", "Tanh", "Linear_5_1"],
      }, { source: "demo.json" }),
    Error,
    'Cannot build layer 2 "Linear" of demo.json: in = 5 but the previous layer gives [4]',
  );
  assertThrows(
    () =>
      Network.create({
        format: "hope-network/1",
        input: [1, 8, 8],
        layers: ["Conv2d_2_4_3_1_0"],
      }),
    Error,
    "in = 2 channels but the previous layer gives [1,8,8]",
  );
});

Deno.test("Network.create() rejects a parameter of the wrong shape", () => {
  const parameters = new Map([["0.weight.npy", tf.zeros([3, 2])]]);
  assertThrows(
    () =>
      Network.create({
        format: "hope-network/1",
        input: [2],
        layers: [{ type: "Linear", in: 2, out: 4, weight: "0.weight.npy" }],
      }, { parameters }),
    Error,
    'weight "0.weight.npy" has shape [3,2], expected [4,2]',
  );
});

Deno.test("Network.create() is deterministic per seed and follows the init bounds", () => {
  const spec = {
    format: "hope-network/1" as const,
    input: [3],
    layers: ["Linear_3_50", "Sine_30", "Linear_50_50", "Sine_30"],
  };
  const a = Network.create(spec, { seed: 4, init: "siren" });
  const b = Network.create(spec, { seed: 4, init: "siren" });
  const c = Network.create(spec, { seed: 5, init: "siren" });
  const wa = a.parameters().map((p) => Array.from(p.dataSync()));
  assertEquals(wa, b.parameters().map((p) => Array.from(p.dataSync())));
  assert(
    wa[0].some((v, i) => v !== c.parameters()[0].dataSync()[i]),
    "another seed gives other weights",
  );
  // SIREN: first layer U(±1/fan_in), later U(±√(6/fan_in)/w0).
  const max = (xs: number[]) => Math.max(...xs.map(Math.abs));
  assert(max(wa[0]) <= 1 / 3 && max(wa[0]) > 0.3, `first ${max(wa[0])}`);
  const bound = Math.sqrt(6 / 50) / 30;
  assert(
    max(wa[2]) <= bound && max(wa[2]) > 0.9 * bound,
    `hidden ${max(wa[2])}`,
  );
});

Deno.test("Network.forward() computes conv, pools and flatten in NCHW order", () => {
  // A hand-checkable net: 1×1 conv that swaps two channels, 2×2 max pool,
  // flatten. The flattened order must be C, H, W as in PyTorch.
  const weight = tf.tensor4d([0, 1, 1, 0], [2, 2, 1, 1]);
  const net = Network.create({
    format: "hope-network/1",
    input: [2, 2, 2],
    layers: [
      {
        type: "Conv2d",
        in: 2,
        out: 2,
        kernel: [1, 1],
        stride: [1, 1],
        padding: [0, 0],
        weight: "w.npy",
      },
      { type: "MaxPool2d", kernel: [2, 1], stride: [2, 1] },
      { type: "Flatten" },
    ],
  }, { parameters: new Map([["w.npy", weight]]) });
  // x[c][h][w] = 10c + 2h + w
  const x = tf.tensor4d([0, 1, 2, 3, 10, 11, 12, 13], [1, 2, 2, 2]);
  const y = net.forward(x);
  assertEquals(y.shape, [1, 4]);
  // channel 0 ← input channel 1, max over h: [12, 13]; channel 1: [2, 3]
  assertArrayClose(y.dataSync(), [12, 13, 2, 3], { atol: 0 });
});

Deno.test("Network.forward() activations match their formulas", () => {
  const x = tf.tensor2d([[-1.5, -0.2, 0.3, 2]]);
  const xs = [-1.5, -0.2, 0.3, 2];
  const erf = (v: number) => {
    // Abramowitz–Stegun 7.1.26 is only 1e-7 accurate: enough at 1e-6.
    const t = 1 / (1 + 0.3275911 * Math.abs(v));
    const y = 1 -
      (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t -
              0.284496736) * t + 0.254829592) * t * Math.exp(-v * v);
    return Math.sign(v) * y;
  };
  const cases: [string, (v: number) => number][] = [
    ["Sine_3", (v) => Math.sin(3 * v)],
    ["ELU_0.5", (v) => v > 0 ? v : 0.5 * (Math.exp(v) - 1)],
    ["LeakyReLU_0.1", (v) => v > 0 ? v : 0.1 * v],
    ["Softplus_2", (v) => Math.log1p(Math.exp(2 * v)) / 2],
    ["GELU", (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))],
    ["GELU_tanh", (v) =>
      0.5 * v *
      (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))],
    ["Sigmoid", (v) => 1 / (1 + Math.exp(-v))],
  ];
  for (const [layer, f] of cases) {
    const net = Network.create({
      format: "hope-network/1",
      input: [4],
      layers: [layer],
    });
    // float32 evaluation against float64 formulas: 1e-6 absolute.
    assertArrayClose(net.forward(x).dataSync(), xs.map(f), {
      atol: 1e-6,
      rtol: 1e-6,
      msg: layer,
    });
  }
});
