import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { Network } from "../../lib/nn/network.ts";
import { taylorDerivatives } from "../../lib/taylor/taylor_mode.ts";
import {
  assert,
  assertArrayClose,
  assertEquals,
  assertThrows,
  relativeError,
} from "../_assert.ts";
import { loadNetwork } from "../../lib/nn/io.ts";
import { networkSeries, pytorchParameters } from "./_jet64.ts";
import { numbers } from "./_jets.ts";
import { assertAllBelow, factorial, fixture, FIXTURES } from "./_setup.ts";

/** PyTorch-made networks (`tests/fixtures/nets/`). */
const NETS = new URL("../fixtures/nets/", import.meta.url).pathname;

await useBackend("wasm");

function unit(d: number, i: number): number[] {
  return Array.from({ length: d }, (_, j) => (j === i ? 1 : 0));
}

/** The float64 reference of `∂^k y/∂v^k` for k = 0 … order. */
function directional(
  net: Network,
  x0: number[],
  v: number[],
  options: { order: number; output: number },
): number[] {
  const s = networkSeries(net, x0, v, options.order)[options.output];
  return s.map((c, k) => c * factorial(k));
}

/**
 * Compares `mixed: "none"` with the float64 reference for every input and
 * returns the per-order max-norm relative errors.
 */
function unmixedErrors(
  net: Network,
  x0: number[],
  options: { order: number; output: number },
): number[] {
  const [set] = taylorDerivatives(net, [x0], { ...options, mixed: "none" });
  const d = x0.length;
  const ref = Array.from(
    { length: d },
    (_, i) => directional(net, x0, unit(d, i), options),
  );
  const errors = [relativeError(set.derivatives[0], [ref[0][0]])];
  for (let k = 1; k <= options.order; k++) {
    errors.push(relativeError(set.derivatives[k], ref.map((r) => r[k])));
  }
  return errors;
}

const ACTIVATIONS = [
  "Sine",
  "Sine_30",
  "Tanh",
  "Sigmoid",
  "Softplus",
  "Softplus_2",
  "GELU",
  "GELU_tanh",
  "ELU",
  "ELU_0.5",
  "ReLU",
  "LeakyReLU_0.1",
  "Identity",
  "Dropout",
];

Deno.test("taylorDerivatives() matches a float64 reference on MLPs with every activation", () => {
  for (const act of ACTIVATIONS) {
    const net = Network.create({
      format: "hope-network/1",
      input: [3],
      layers: ["Linear_3_12", act, "Linear_12_7", act, "Linear_7_2"],
    }, { seed: 5, init: act.startsWith("Sine_30") ? "siren" : "default" });
    const errors = unmixedErrors(net, [0.3, -0.2, 0.45], {
      order: 8,
      output: 1,
    });
    // float32 against float64: 1e-4 relative per order
    assert(
      errors.every((e) => e <= 1e-4),
      `${act}: per-order relative errors ${
        errors.map((e) => e.toExponential(1))
      }`,
    );
    net.dispose();
  }
});

Deno.test("taylorDerivatives() matches a float64 reference through conv, pools, flatten and unflatten", () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [2, 6, 6],
    layers: [
      "Conv2d_2_3_3_1_1",
      "Sine",
      "MaxPool2d_2_2",
      "Tanh",
      "Flatten",
      "Dropout",
      "Linear_27_18",
      "GELU",
      "Unflatten_2_3_3",
      "Conv2d_2_2_2_1_0",
      "AvgPool2d_2_1",
      "Sigmoid",
      "Identity",
    ],
  }, { seed: 9 });
  const next = numbers(10);
  const x0 = Array.from({ length: 72 }, () => next());
  for (const output of [0, 1]) {
    const errors = unmixedErrors(net, x0, { order: 5, output });
    // float32 against float64: 1e-4 relative per order
    assert(
      errors.every((e) => e <= 1e-4),
      `output ${output}: per-order relative errors ${
        errors.map((e) => e.toExponential(1))
      }`,
    );
  }
  const [set] = taylorDerivatives(net, [x0], { order: 3, mixed: "none" });
  assert(set.piecewiseLinear, "MaxPool2d marks the result piecewise linear");
  net.dispose();
});

Deno.test("taylorDerivatives() is unchanged by fusing a strided, padded Conv2d with the AvgPool2d after it", () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [2, 9, 9],
    layers: [
      "Conv2d_2_3_3_2_1",
      "AvgPool2d_2_2",
      "Tanh",
      "Flatten",
      "Linear_12_1",
    ],
  }, { seed: 12 });
  const next = numbers(13);
  const x0 = Array.from({ length: 162 }, () => next());
  const errors = unmixedErrors(net, x0, { order: 4, output: 0 });
  // float32 against float64: 1e-4 relative per order
  assert(
    errors.every((e) => e <= 1e-4),
    `per-order relative errors ${errors.map((e) => e.toExponential(1))}`,
  );
  net.dispose();
});

Deno.test("taylorDerivatives() indexes image outputs in NCHW order and frees its tensors", () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [1, 4, 5],
    layers: ["Conv2d_1_2_3_1_0", "Tanh"],
  }, { seed: 6 });
  const next = numbers(7);
  const x0 = Array.from({ length: 20 }, () => next());
  const before = tf.memory().numTensors;
  // output shape [2, 2, 3]: index 7 is channel 1, row 0, column 1
  for (const output of [0, 4, 7, 11]) {
    const errors = unmixedErrors(net, x0, { order: 3, output });
    // float32 against float64: 1e-4 relative per order
    assert(errors.every((e) => e <= 1e-4), `output ${output}: ${errors}`);
  }
  assertEquals(tf.memory().numTensors, before, "no tensor left behind");
  net.dispose();
});

Deno.test("taylorDerivatives() with directions gives ∂^k y/∂v^k", () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [3],
    layers: ["Linear_3_10", "Tanh", "Linear_10_10", "Sine", "Linear_10_1"],
  }, { seed: 2 });
  const x0 = [0.1, 0.7, -0.4];
  const directions = [[1, 2, -1], [0.5, 0, 0.25]];
  const [set] = taylorDerivatives(net, [x0], {
    order: 7,
    mixed: "directions",
    directions,
  });
  assertEquals(set.shapes, [[], ...Array(7).fill([2])]);
  const ref = directions.map((v) =>
    directional(net, x0, v, { order: 7, output: 0 })
  );
  for (let k = 1; k <= 7; k++) {
    // float32 against float64: 1e-4 relative per order
    const error = relativeError(set.derivatives[k], ref.map((r) => r[k]));
    assert(error <= 1e-4, `order ${k}: ${error}`);
  }
  net.dispose();
});

Deno.test("taylorDerivatives() with mixed all gives symmetric tensors that contract to directional derivatives", () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [3],
    layers: ["Linear_3_16", "Tanh", "Linear_16_16", "Softplus", "Linear_16_1"],
  }, { seed: 4 });
  const x0 = [0.2, -0.3, 0.6];
  const order = 6;
  const [set] = taylorDerivatives(net, [x0], { order, mixed: "all" });
  const d = 3;
  for (let k = 0; k <= order; k++) {
    assertEquals(set.shapes[k], Array(k).fill(d));
    assertEquals(set.derivatives[k].length, d ** k);
  }
  // symmetry: every permutation of an index tuple holds the same value
  const t3 = set.derivatives[3];
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      for (let c = 0; c < d; c++) {
        const v = t3[(a * d + b) * d + c];
        for (const [p, q, r] of [[b, a, c], [c, b, a], [a, c, b]]) {
          assertEquals(t3[(p * d + q) * d + r], v);
        }
      }
    }
  }
  const next = numbers(3);
  for (let trial = 0; trial < 3; trial++) {
    const v = [next(), next(), next()];
    const ref = directional(net, x0, v, { order, output: 0 });
    for (let k = 1; k <= order; k++) {
      let contracted = 0;
      set.derivatives[k].forEach((value, flat) => {
        let w = value;
        for (let r = flat, q = 0; q < k; q++, r = Math.floor(r / d)) {
          w *= v[r % d];
        }
        contracted += w;
      });
      // float32 against float64: 1e-4 relative, scaled by the order's size
      const scale = Math.max(...set.derivatives[k].map(Math.abs)) *
        Math.max(...v.map(Math.abs)) ** k * d ** k;
      assert(
        Math.abs(contracted - ref[k]) <= 1e-4 * scale,
        `order ${k}: ${contracted} vs ${ref[k]}`,
      );
    }
  }
  net.dispose();
});

Deno.test("taylorDerivatives() expands many points at once, in chunks that fit the budget", () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_8", "Sine", "Linear_8_8", "Tanh", "Linear_8_1"],
  }, { seed: 8 });
  const next = numbers(4);
  const points = Array.from({ length: 5 }, () => [next(), next()]);
  for (const mixed of ["all", "none"] as const) {
    const together = taylorDerivatives(net, points, { order: 5, mixed });
    // 8 values × 21 coefficients per point: a budget of 400 forces chunks of 2
    const chunked = taylorDerivatives(net, points, {
      order: 5,
      mixed,
      budget: 400,
    });
    points.forEach((p, i) => {
      const [alone] = taylorDerivatives(net, [p], { order: 5, mixed });
      assertEquals(together[i].point, p);
      for (let k = 0; k <= 5; k++) {
        // batching may change float32 rounding only
        assertArrayClose(together[i].derivatives[k], alone.derivatives[k], {
          rtol: 1e-5,
          atol: 1e-6,
        });
        assertArrayClose(chunked[i].derivatives[k], alone.derivatives[k], {
          rtol: 1e-5,
          atol: 1e-6,
        });
      }
    });
  }
  net.dispose();
});

Deno.test("taylorDerivatives() expands the unmixed jets of one point in groups when they do not fit together", () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [1, 4, 4],
    layers: [
      "Conv2d_1_3_2_1_0",
      "Tanh",
      "Flatten",
      "Linear_27_4",
      "Sine",
      "Linear_4_1",
    ],
  }, { seed: 6 });
  const next = numbers(7);
  const point = Array.from({ length: 16 }, () => next());
  const directions = Array.from(
    { length: 5 },
    () => Array.from({ length: 16 }, () => next()),
  );
  // 27 values × 7 coefficients = 189 per jet: a budget of 600 holds 3 of
  // the 16 coordinates' jets (6 groups) and 3 of the 5 directions' (2).
  for (
    const options of [
      { order: 6, mixed: "none" as const },
      { order: 6, mixed: "directions" as const, directions },
    ]
  ) {
    const [whole] = taylorDerivatives(net, [point], options);
    const [grouped] = taylorDerivatives(net, [point], {
      ...options,
      budget: 600,
    });
    assertEquals(grouped.mixed, options.mixed);
    assertEquals(grouped.shapes, whole.shapes);
    for (let k = 0; k <= 6; k++) {
      // another batch size may change float32 rounding only
      assertArrayClose(grouped.derivatives[k], whole.derivatives[k], {
        rtol: 1e-5,
        atol: 1e-6,
        msg: `${options.mixed} order ${k}`,
      });
    }
  }
  assertThrows(
    () =>
      taylorDerivatives(net, [point], { order: 6, mixed: "none", budget: 100 }),
    Error,
    'Cannot expand mixed "none": 7 coefficients of one input coordinate × 27 values in the widest layer = 189 numbers per jet exceed the memory budget of 100; use a lower order or a larger budget',
  );
  net.dispose();
});

Deno.test("taylorDerivatives() marks piecewise-linear networks and zeroes their higher orders", () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_8", "ReLU", "Linear_8_1"],
  }, { seed: 1 });
  const [set] = taylorDerivatives(net, [[0.3, 0.1]], { order: 3 });
  assert(set.piecewiseLinear, "ReLU network is piecewise linear");
  assert(set.derivatives[2].every((x) => x === 0), "second order is zero");
  const smooth = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_8", "Tanh", "Linear_8_1"],
  }, { seed: 1 });
  assert(
    !taylorDerivatives(smooth, [[0.3, 0.1]], { order: 3 })[0].piecewiseLinear,
  );
  net.dispose();
  smooth.dispose();
});

Deno.test("taylorDerivatives() rejects bad orders, points, outputs, directions and oversized jets", () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_4", "Tanh", "Linear_4_3"],
  }, { seed: 1 });
  const ok = [[0, 0]];
  for (const order of [0, 31, 2.5]) {
    assertThrows(
      () => taylorDerivatives(net, ok, { order }),
      Error,
      `Cannot expand to order "${order}": expected an integer from 1 to 30`,
    );
  }
  assertThrows(
    () => taylorDerivatives(net, [[1, 2, 3]], { order: 2 }),
    Error,
    'Cannot expand at point "1,2,3": expected 2 coordinates (input shape [2]), got 3',
  );
  assertThrows(
    () => taylorDerivatives(net, [[1, NaN]], { order: 2 }),
    Error,
    'Cannot expand at point "1,NaN": coordinate 1 is NaN, not a finite number',
  );
  assertThrows(
    () => taylorDerivatives(net, ok, { order: 2, output: 3 }),
    Error,
    'Cannot expand output "3": the network has 3 outputs (shape [3]), indexed from 0',
  );
  assertThrows(
    () => taylorDerivatives(net, ok, { order: 2, mixed: "some" as "all" }),
    Error,
    'Cannot expand mixed "some": expected "all", "none" or "directions"',
  );
  assertThrows(
    () => taylorDerivatives(net, ok, { order: 2, mixed: "directions" }),
    Error,
    'mixed "directions" needs at least one direction',
  );
  assertThrows(
    () =>
      taylorDerivatives(net, ok, {
        order: 2,
        mixed: "directions",
        directions: [[1]],
      }),
    Error,
    'Cannot expand along direction "1": expected 2 coordinates',
  );
  net.dispose();
  const image = Network.create({
    format: "hope-network/1",
    input: [1, 28, 28],
    layers: ["Conv2d_1_4_5_1_0", "Tanh", "Flatten", "Linear_2304_1"],
  }, { seed: 1 });
  const pixels = [new Array(784).fill(0.5)];
  const error = assertThrows(
    () => taylorDerivatives(image, pixels, { order: 10, mixed: "all" }),
    Error,
    'Cannot expand mixed "all": ',
  );
  assert(
    error.message.includes(
      "Taylor coefficients (all mixed partials of 784 inputs up to order 10)",
    ) &&
      error.message.includes('use mixed "none"'),
    error.message,
  );
  image.dispose();
});

for (
  const [name, mixed] of [
    ["sine5", "all"],
    ["tanh3", "all"],
    ["onehidden", "all"],
    ["conv2d", "all"],
    ["mnist_unmixed", "none"],
  ] as const
) {
  Deno.test(`taylorDerivatives() agrees with the float64 fixture ${name} at every order`, async () => {
    const { network: net, x0, exact: reference, shapes, order } = await fixture(
      name,
    );
    const [set] = taylorDerivatives(net, [x0], { order, mixed });
    const errors = reference.map((ref, k) => {
      assertEquals(set.shapes[k], shapes[k], `shape of order ${k}`);
      return relativeError(set.derivatives[k], ref);
    });
    // float32 against PyTorch's float64: measured ≤ 4.1e-6 per order (max
    // norm) over the five fixtures; 1e-5.
    assertAllBelow(errors, 1e-5, name);
    net.dispose();
  });
}

for (
  const [name, dir, output, order] of [
    ["the conv2d fixture", `${FIXTURES}conv2d`, 0, 6],
    ["the PyTorch MNIST net", `${NETS}mnist`, 3, 3],
  ] as const
) {
  Deno.test(`taylorDerivatives() agrees with a float64 reference that reads the PyTorch-layout weights from disk: ${name}`, async () => {
    // The reference convolves with the [out, in, kh, kw] arrays as saved,
    // so a kernel read with kh and kw swapped (all kernels here are square,
    // so the shapes still fit) shows up here.
    const net = await loadNetwork(dir);
    const parameters = await pytorchParameters(dir, net);
    const d = net.spec.input.reduce((a, b) => a * b, 1);
    const next = numbers(11);
    const x0 = Array.from({ length: d }, () => 0.5 + 0.5 * next());
    const directions = [0, 1].map(() =>
      Array.from({ length: d }, () => next())
    );
    const [set] = taylorDerivatives(net, [x0], {
      order,
      mixed: "directions",
      directions,
      output,
    });
    const ref = directions.map((v) =>
      networkSeries(net, x0, v, order, { parameters })[output].map((c, k) =>
        c * factorial(k)
      )
    );
    const errors = ref[0].map((_, k) =>
      relativeError(
        set.derivatives[k],
        k === 0 ? [ref[0][0]] : ref.map((r) => r[k]),
      )
    );
    // float32 against float64: measured ≤ 1.3e-6 per order; 1e-5.
    assertAllBelow(errors, 1e-5, name);
    net.dispose();
  });
}

Deno.test("taylorDerivatives() leaves no tensors behind (its basis's product plans included)", () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_8", "Tanh", "Linear_8_1"],
  }, { seed: 3 });
  const before = tf.memory().numTensors;
  for (const mixed of ["all", "none"] as const) {
    taylorDerivatives(net, [[0.3, 0.1], [-0.2, 0.5]], { order: 4, mixed });
  }
  assertEquals(tf.memory().numTensors, before);
  net.dispose();
});
