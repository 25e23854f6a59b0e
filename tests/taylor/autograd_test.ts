import { useBackend } from "../../lib/backend.ts";
import { tf } from "../../lib/deps.ts";
import { autogradDerivatives } from "../../lib/taylor/autograd.ts";
import { hopeDerivatives } from "../../lib/taylor/hope.ts";
import { assert, assertThrows, relativeError } from "../_assert.ts";
import type { ExpansionProgress } from "../../lib/taylor/types.ts";
import { referenceDerivatives } from "./_f64_jet.ts";
import { assertAllBelow, errors, fixture, FIXTURES, net } from "./_setup.ts";

await useBackend("wasm");

Deno.test(
  "autogradDerivatives() agrees with a float64 reference through tanh, sigmoid and sine to order 6",
  () => {
    // Two hidden layers, so every mixed partial is non-trivial. float32
    // rounding grows with the nesting depth: measured ≤ 2e-6 per order up to
    // order 6; tolerance 1e-4 relative in max norm.
    const points = [[0.3, -0.4], [0.1, 0.2]];
    for (const act of ["Tanh", "Sigmoid", "Sine"]) {
      const network = net([2], [
        "Linear_2_8",
        act,
        "Linear_8_8",
        act,
        "Linear_8_1",
      ], 5);
      const none = autogradDerivatives(network, points, {
        order: 6,
        mixed: "none",
      });
      const all = autogradDerivatives(network, points, {
        order: 4,
        mixed: "all",
      });
      points.forEach((x0, p) => {
        assertAllBelow(
          errors(
            none[p].derivatives,
            referenceDerivatives(network, x0, { order: 6, mixed: "none" }),
          ),
          1e-4,
          `${act} none`,
        );
        assertAllBelow(
          errors(
            all[p].derivatives,
            referenceDerivatives(network, x0, { order: 4, mixed: "all" }),
          ),
          1e-4,
          `${act} all`,
        );
      });
    }
  },
);

Deno.test("autogradDerivatives() nests tf.grad to order 8 through tanh", () => {
  // The case of tfjs issue 3252 (tf.grad of tf.grad of tanh fails), eight
  // levels deep. Measured ≤ 3e-6 per order; tolerance 1e-4.
  const network = net([1], [
    "Linear_1_8",
    "Tanh",
    "Linear_8_8",
    "Tanh",
    "Linear_8_1",
  ], 7);
  const [set] = autogradDerivatives(network, [[0.3]], {
    order: 8,
    mixed: "none",
  });
  const ref = referenceDerivatives(network, [0.3], { order: 8, mixed: "none" });
  assertAllBelow(errors(set.derivatives, ref), 1e-4, "tanh order 8");
});

Deno.test("autogradDerivatives() 'none' equals the diagonal of 'all'", () => {
  // Both nest the same partials; tolerance 1e-6 relative per order.
  const network = net([3], [
    "Linear_3_6",
    "Sigmoid",
    "Linear_6_6",
    "Tanh",
    "Linear_6_1",
  ], 8);
  const x0 = [0.2, -0.1, 0.5];
  const [all] = autogradDerivatives(network, [x0], { order: 3, mixed: "all" });
  const [none] = autogradDerivatives(network, [x0], {
    order: 3,
    mixed: "none",
  });
  for (let k = 1; k <= 3; k++) {
    const step = (3 ** k - 1) / 2; // (i, …, i) sits at i·(1 + 3 + … + 3^{k−1})
    const diagonal = [0, 1, 2].map((i) => all.derivatives[k][i * step]);
    assert(
      relativeError(diagonal, none.derivatives[k]) <= 1e-6,
      `order ${k}: [${diagonal}] vs [${none.derivatives[k]}]`,
    );
    assert(
      all.shapes[k].length === k && none.shapes[k].join() === "3",
      `shapes of order ${k}`,
    );
  }
  // Ordered tuples are computed separately, so symmetry is a real check.
  const d2 = all.derivatives[2];
  assert(
    relativeError([d2[1], d2[2], d2[5]], [d2[3], d2[6], d2[7]]) <= 1e-6,
    "symmetric",
  );
});

Deno.test("autogradDerivatives() gives derivatives along directions", () => {
  // ∂^k y/∂v^k; tolerance 1e-4 relative per order.
  const network = net([2], [
    "Linear_2_8",
    "Sine",
    "Linear_8_8",
    "Tanh",
    "Linear_8_1",
  ], 9);
  const directions = [[1, 0], [0.6, -0.8]];
  const [set] = autogradDerivatives(network, [[0.1, 0.3]], {
    order: 4,
    mixed: "directions",
    directions,
  });
  const ref = referenceDerivatives(network, [0.1, 0.3], {
    order: 4,
    mixed: "directions",
    directions,
  });
  assertAllBelow(errors(set.derivatives, ref), 1e-4, "directions");
  assert(set.shapes[4].join() === "2", "shape [m]");
});

Deno.test("autogradDerivatives() is exact through convolution, max and average pooling", () => {
  // Conv2d with padding and stride, MaxPool2d, AvgPool2d between two
  // non-linear layers; tolerance 1e-4 relative per order.
  const network = net([1, 5, 5], [
    {
      type: "Conv2d",
      in: 1,
      out: 2,
      kernel: [3, 3],
      stride: [2, 2],
      padding: [1, 1],
    },
    "Tanh",
    { type: "MaxPool2d", kernel: [2, 2], stride: [1, 1] },
    { type: "AvgPool2d", kernel: [2, 2], stride: [1, 1] },
    "Sine",
    "Flatten",
    "Linear_2_1",
  ], 4);
  const x0 = Array.from({ length: 25 }, (_, i) => Math.sin(1.7 * i));
  const [set] = autogradDerivatives(network, [x0], { order: 4, mixed: "none" });
  const ref = referenceDerivatives(network, x0, { order: 4, mixed: "none" });
  assertAllBelow(errors(set.derivatives, ref), 1e-4, "conv net");
  assert(set.piecewiseLinear, "MaxPool2d is piecewise linear");
});

Deno.test(
  "autogradDerivatives() agrees with hope on one-hidden-layer nets for Softplus, GELU, ELU, LeakyReLU",
  () => {
    // With one hidden layer the HOPE rule is exact and uses float64
    // activation derivatives: two independent implementations of each
    // activation's derivatives. Tolerance 1e-4 relative per order, order 5.
    for (
      const act of [
        "Softplus_2",
        "GELU",
        "GELU_tanh",
        "ELU_0.7",
        "LeakyReLU_0.1",
        "Sine_3",
      ]
    ) {
      const network = net([2], ["Linear_2_12", act, "Linear_12_1"], 10);
      const points = [[0.4, -0.3], [-0.5, 0.2]];
      const auto = autogradDerivatives(network, points, {
        order: 5,
        mixed: "none",
      });
      const hope = hopeDerivatives(network, points, {
        order: 5,
        mixed: "none",
      });
      auto.forEach((set, p) =>
        assertAllBelow(errors(set.derivatives, hope[p].derivatives), 1e-4, act)
      );
    }
  },
);

Deno.test({
  name:
    "autogradDerivatives() matches the committed float64 derivatives of the deep fixtures",
  ignore: !["sine5", "tanh3", "conv2d"].every((n) => {
    try {
      Deno.statSync(`${FIXTURES}${n}/d4.npy`);
      return true;
    } catch {
      return false;
    }
  }),
  fn: async () => {
    // Every mixed partial to order 4 of the 5-layer sine MLP, the 3-layer
    // tanh MLP and the 2-D conv net (Linear, Sine, Unflatten, Conv2d, Sine,
    // AvgPool2d, Sine, Flatten, Linear); measured ≤ 2.8e-6 per order up to
    // order 5; tolerance 1e-5.
    for (const name of ["sine5", "tanh3", "conv2d"]) {
      const { network, x0, exact } = await fixture(name);
      const [set] = autogradDerivatives(network, [x0], { order: 4 });
      assertAllBelow(errors(set.derivatives, exact.slice(0, 5)), 1e-5, name);
    }
  },
});

Deno.test("autogradDerivatives() frees every tensor it creates", () => {
  const network = net([2], ["Linear_2_4", "Tanh", "Linear_4_1"]);
  const before = tf.memory().numTensors;
  autogradDerivatives(network, [[0.1, 0.2]], { order: 3 });
  assert(
    tf.memory().numTensors === before,
    `${tf.memory().numTensors - before} leaked`,
  );
});

Deno.test("autogradDerivatives() refuses bad input with clear errors", () => {
  const network = net([2], ["Linear_2_4", "Tanh", "Linear_4_1"]);
  assertThrows(
    () => autogradDerivatives(network, [[0, 0]], { order: 31 }),
    Error,
    'Cannot expand with method "autograd" to order "31": expected an integer from 1 to 30',
  );
  assertThrows(
    () => autogradDerivatives(network, [[0, NaN]], { order: 2 }),
    Error,
    'Cannot expand with method "autograd" at point "0,NaN": expected 2 finite numbers',
  );
  assertThrows(
    () =>
      autogradDerivatives(network, [[0, 0]], { order: 2, mixed: "directions" }),
    Error,
    'Cannot expand with method "autograd" in mode "directions": no directions given',
  );
  assertThrows(
    () =>
      autogradDerivatives(network, [[0, 0]], {
        order: 2,
        mixed: "directions",
        directions: [[1, 0, 0]],
      }),
    Error,
    'Cannot expand with method "autograd" along direction "1,0,0": expected 2 finite numbers',
  );
});

Deno.test("autogradDerivatives() refuses a request estimated past its time budget, with the estimate", () => {
  // Order 30 on a 1-D net: Σ_k 3^{k−1} ≈ 10^14 first-order gradients, past
  // any budget; order 4 on a 784-input net with mixed "all":
  // 1 + 784 + 784² + 784³ evaluations.
  const small = net([1], ["Linear_1_4", "Tanh", "Linear_4_1"]);
  const estimate =
    /^Cannot expand with method "autograd" to order "30": an estimated [\d.]+e\+\d+ s of nested gradients \(30 evaluations up to 30 gradients deep, each level about 3× the one below, from [\d.e+-]+ s measured for one first-order gradient\) exceeds the time budget of 3600 s; use method "taylor"/;
  const error = assertThrows(() =>
    autogradDerivatives(small, [[0.1]], { order: 30 })
  );
  assert(estimate.test(error.message), error.message);
  const wide = net([784], ["Linear_784_2", "Tanh", "Linear_2_1"]);
  assertThrows(
    () => autogradDerivatives(wide, [new Array(784).fill(0)], { order: 4 }),
    Error,
    "482,505,745 evaluations up to 4 gradients deep",
  );
  // A tight budget refuses what the default allows.
  assertThrows(
    () => autogradDerivatives(small, [[0.1]], { order: 3, budget: 1e-9 }),
    Error,
    "exceeds the time budget of 1e-9 s",
  );
  // The refusal frees what the timing used; a small request still works.
  const before = tf.memory().numTensors;
  assertThrows(() => autogradDerivatives(small, [[0.1]], { order: 30 }));
  assert(tf.memory().numTensors === before, "tensors freed");
  const [set] = autogradDerivatives(small, [[0.1]], { order: 3 });
  assert(set.derivatives.length === 4, "orders 0 … 3");
  small.dispose();
  wide.dispose();
});

Deno.test("autogradDerivatives() reports progress with the share of the estimated work", () => {
  const network = net([2], ["Linear_2_8", "Tanh", "Linear_8_1"]);
  const reports: ExpansionProgress[] = [];
  autogradDerivatives(network, [[0.1, 0.2]], {
    order: 4,
    progressAfter: 0,
    onProgress: (p) => reports.push(p),
  });
  // The first report comes at once (progressAfter 0), later ones at most
  // once a second: at least one, in order, with shares in (0, 1].
  assert(reports.length >= 1, "at least one report");
  assert(reports[0].order === 1 && reports[0].orders === 4, "first order");
  for (const [i, r] of reports.entries()) {
    assert(r.fraction > 0 && r.fraction <= 1, `fraction ${r.fraction}`);
    assert(r.remaining >= 0 && r.seconds >= 0, "times");
    if (i > 0) assert(r.fraction > reports[i - 1].fraction, "increasing");
  }
  network.dispose();
});
