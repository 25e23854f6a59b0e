import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { Network } from "../../lib/nn/network.ts";
import {
  referenceDerivatives,
  referenceOutputs,
} from "../../lib/taylor/reference64.ts";
import {
  assert,
  assertArrayClose,
  assertThrows,
  relativeError,
} from "../_assert.ts";
import { networkSeries } from "./_jet64.ts";
import { factorial } from "./_setup.ts";

await useBackend("wasm");

/** `series[k] · k!`: derivatives along the direction from Taylor coefficients. */
function scaled(series: number[]): number[] {
  return series.map((c, k) => c * factorial(k));
}

function sineNet(): Network {
  return Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_1", { type: "Sine", w0: 3 }],
  }, {
    parameters: new Map<string, tf.Tensor>([
      ["0.weight.npy", tf.tensor2d([[2, -1]])],
      ["0.bias.npy", tf.tensor1d([0.5])],
    ]),
  });
}

Deno.test("referenceDerivatives() gives every mixed partial of sin(w0 (a·x + b)) in closed form", () => {
  const net = sineNet();
  const x0 = [0.3, -0.2];
  const u = 3 * (2 * 0.3 + 0.2 + 0.5);
  const d = referenceDerivatives(net, x0, { order: 5 });
  for (let k = 0; k <= 5; k++) {
    assert(d[k].length === 2 ** k, `order ${k} has ${d[k].length} entries`);
    for (let flat = 0; flat < d[k].length; flat++) {
      // ∂_{i1…ik} = Π (3 a_ij) · sin^{(k)}(u), a = (2, −1)
      let coefficient = 1;
      for (let r = flat, j = 0; j < k; j++, r >>= 1) {
        coefficient *= 3 * ((r & 1) === 0 ? 2 : -1);
      }
      const exact = coefficient * Math.sin(u + (k * Math.PI) / 2);
      // float64 arithmetic on exactly representable weights: 1e-13 relative
      assert(
        Math.abs(d[k][flat] - exact) <= 1e-13 * Math.max(1, Math.abs(exact)),
        `order ${k} entry ${flat}: ${d[k][flat]} vs ${exact}`,
      );
    }
  }
  net.dispose();
});

Deno.test("referenceDerivatives() matches the tests' own float64 series for every activation", () => {
  const activations = [
    { type: "Sine", w0: 2 },
    "Tanh",
    "Sigmoid",
    { type: "Softplus", beta: 2 },
    { type: "GELU", approximate: "none" },
    { type: "GELU", approximate: "tanh" },
    { type: "ELU", alpha: 0.7 },
    { type: "LeakyReLU", slope: 0.1 },
    "ReLU",
  ];
  for (const act of activations) {
    const net = Network.create({
      format: "hope-network/1",
      input: [3],
      layers: ["Linear_3_6", act, "Linear_6_5", act, "Linear_5_2"] as never,
    }, { seed: 3 });
    const x0 = [0.4, -0.7, 0.2];
    const v = [0.3, 1, -0.5];
    const ours = referenceDerivatives(net, x0, {
      order: 6,
      mixed: "directions",
      directions: [v],
      output: 1,
    });
    const theirs = scaled(networkSeries(net, x0, v, 6)[1]);
    // two float64 implementations: 1e-11 relative per order
    ours.forEach((dk, k) =>
      assert(
        relativeError(dk, [theirs[k]]) <= 1e-11,
        `${JSON.stringify(act)} order ${k}: ${dk[0]} vs ${theirs[k]}`,
      )
    );
    net.dispose();
  }
});

Deno.test("referenceDerivatives() matches the tests' float64 series through Conv2d, AvgPool2d, MaxPool2d", () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [2, 6, 6],
    layers: [
      "Conv2d_2_3_3_1_1",
      "Tanh",
      "AvgPool2d_2_2",
      {
        type: "Conv2d",
        in: 3,
        out: 4,
        kernel: [2, 2],
        stride: [1, 1],
        padding: [0, 0],
      },
      "Sine",
      "MaxPool2d_2_2",
      "Flatten",
      "Linear_4_1",
    ] as never,
  }, { seed: 5 });
  const x0 = Array.from({ length: 72 }, (_, i) => Math.sin(i));
  const v = Array.from({ length: 72 }, (_, i) => Math.cos(3 * i));
  const ours = referenceDerivatives(net, x0, {
    order: 5,
    mixed: "directions",
    directions: [v],
  });
  const theirs = scaled(networkSeries(net, x0, v, 5)[0]);
  // two float64 implementations: 1e-11 relative per order
  ours.forEach((dk, k) =>
    assert(
      relativeError(dk, [theirs[k]]) <= 1e-11,
      `order ${k}: ${dk[0]} vs ${theirs[k]}`,
    )
  );
  net.dispose();
});

Deno.test("referenceDerivatives() is consistent across all, none and directions", () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [3],
    layers: ["Linear_3_8", "Tanh", "Linear_8_8", "Sine", "Linear_8_1"],
  }, { seed: 2 });
  const x0 = [0.1, 0.5, -0.3];
  const all = referenceDerivatives(net, x0, { order: 4 });
  const none = referenceDerivatives(net, x0, { order: 4, mixed: "none" });
  const v = [0.5, -1, 2];
  const along = referenceDerivatives(net, x0, {
    order: 4,
    mixed: "directions",
    directions: [v],
  });
  for (let k = 1; k <= 4; k++) {
    // the diagonal of the order-k tensor is ∂^k/∂x_i^k
    const diagonal = [0, 1, 2].map((i) => all[k][i * (3 ** k - 1) / 2]);
    assertArrayClose(none[k], diagonal, { rtol: 1e-12, atol: 0 });
    // D_v^k f = Σ_{i1…ik} v_i1 ⋯ v_ik ∂_{i1…ik} f
    let contracted = 0;
    for (let flat = 0; flat < 3 ** k; flat++) {
      let weight = 1;
      for (let r = flat, j = 0; j < k; j++, r = Math.floor(r / 3)) {
        weight *= v[r % 3];
      }
      contracted += weight * all[k][flat];
    }
    assertArrayClose(along[k], [contracted], { rtol: 1e-12, atol: 1e-14 });
  }
  net.dispose();
});

Deno.test("referenceOutputs() agrees with the float32 forward pass and with order 0", () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_16", "Sine", "Linear_16_16", "Tanh", "Linear_16_2"],
  }, { seed: 4 });
  const points = [[0, 0], [0.5, -1], [2, 3]];
  const y = referenceOutputs(net, points, { output: 1 });
  const flat = referenceOutputs(net, Float64Array.from(points.flat()), {
    output: 1,
  });
  assertArrayClose(flat, y, { rtol: 0, atol: 0 });
  const y32 = tf.tidy(() =>
    Array.from(net.forward(tf.tensor2d(points)).dataSync())
  );
  // float32 forward vs float64: 1e-5 relative
  assertArrayClose(y, [y32[1], y32[3], y32[5]], { rtol: 1e-5, atol: 1e-6 });
  const d0 = referenceDerivatives(net, points[1], { order: 0, output: 1 });
  assertArrayClose(d0[0], [y[1]], { rtol: 1e-15, atol: 0 });
  net.dispose();
});

Deno.test("referenceDerivatives() and referenceOutputs() reject bad arguments", () => {
  const net = sineNet();
  assertThrows(
    () => referenceDerivatives(net, [0, 0], { order: 1.5 }),
    Error,
    'Cannot compute a float64 reference of order "1.5": expected an integer ≥ 0',
  );
  assertThrows(
    () => referenceDerivatives(net, [0], { order: 2 }),
    Error,
    'Cannot compute a float64 reference at point "[0]": expected 2 finite numbers',
  );
  assertThrows(
    () => referenceDerivatives(net, [0, 0], { order: 2, mixed: "directions" }),
    Error,
    'Cannot compute a float64 reference with mixed "directions": no directions given',
  );
  assertThrows(
    () =>
      referenceDerivatives(net, [0, 0], {
        order: 2,
        mixed: "directions",
        directions: [[1, 0, 0]],
      }),
    Error,
    'Cannot compute a float64 reference along direction 0 "[1,0,0]": expected 2 numbers',
  );
  assertThrows(
    () => referenceDerivatives(net, [0, 0], { order: 2, output: 1 }),
    Error,
    'Cannot compute a float64 reference of output "1": the network has 1 outputs',
  );
  assertThrows(
    () => referenceOutputs(net, new Float64Array(3)),
    Error,
    'Cannot compute a float64 reference at points "Float64Array(3)": length is not a multiple of 2',
  );
  net.dispose();
});
