import { useBackend } from "../../lib/backend.ts";
import { readNpy } from "../../lib/io/npy.ts";
import { hopeDerivatives, hopeExactness } from "../../lib/taylor/hope.ts";
import { taylorDerivatives } from "../../lib/taylor/taylor_mode.ts";
import { bellTable, binomialRows } from "../../lib/taylor/_bell.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertThrows,
  relativeError,
} from "../_assert.ts";
import { referenceDerivatives } from "./_f64_jet.ts";
import { assertAllBelow, errors, fixture, FIXTURES, net } from "./_setup.ts";

await useBackend("wasm");

const hasReferenceHope = ["onehidden", "sine5", "tanh3"].every((name) => {
  try {
    Deno.statSync(`${FIXTURES}${name}/hope_d1.npy`);
    Deno.statSync(`${FIXTURES}${name}/hope64_d1.npy`);
    return true;
  } catch {
    return false;
  }
});

Deno.test("bellTable() gives the partial Bell polynomials", () => {
  // B_{4,2} = 4 x1 x3 + 3 x2², B_{5,3} = 10 x1² x3 + 15 x1 x2², B_{k,1} = x_k,
  // B_{k,k} = x1^k (Comtet, Advanced Combinatorics, table 3.3).
  const x = Float64Array.of(0, 0.7, -1.3, 2.1, 0.4, -0.9);
  const out = new Float64Array(36);
  bellTable(x, { n: 5, binom: binomialRows(5), out });
  const B = (k: number, s: number) => out[k * 6 + s];
  assertAlmostEquals(B(4, 2), 4 * 0.7 * 2.1 + 3 * 1.3 * 1.3, 1e-12);
  assertAlmostEquals(
    B(5, 3),
    10 * 0.49 * 2.1 + 15 * 0.7 * 1.69,
    1e-12,
  );
  assertAlmostEquals(B(5, 1), -0.9, 1e-15);
  assertAlmostEquals(B(5, 5), 0.7 ** 5, 1e-15);
});

Deno.test(
  "hopeDerivatives() agrees with a float64 reference on one-hidden-layer nets to float32 precision, orders 1..8",
  () => {
    // One hidden layer: the rule is exact, so only float32 rounding remains
    // (measured ≤ 6e-6 per order, most orders ≤ 5e-7: a few entries are sums
    // that cancel); tolerance 2e-5 relative in max norm.
    const points = [[0.3, -0.4], [-0.7, 0.5]];
    for (const act of ["Sine_2", "Tanh", "Sigmoid"]) {
      const network = net([2], ["Linear_2_16", act, "Linear_16_1"], 3);
      for (const mixed of ["all", "none"] as const) {
        const sets = hopeDerivatives(network, points, { order: 8, mixed });
        sets.forEach((set, p) => {
          const ref = referenceDerivatives(network, points[p], {
            order: 8,
            mixed,
          });
          assertAllBelow(
            errors(set.derivatives, ref),
            2e-5,
            `${act} ${mixed}`,
          );
          const size = (k: number) => (mixed === "all" || k === 0 ? 2 ** k : 2);
          set.shapes.forEach((shape, k) =>
            assert(
              shape.reduce((a, b) => a * b, 1) === size(k) &&
                set.derivatives[k].length === size(k),
              `shape of order ${k}`,
            )
          );
        });
      }
    }
  },
);

Deno.test(
  "hopeDerivatives() is exact through convolution, average and max pooling around one non-linearity",
  () => {
    // Conv2d (the first affine layer: mixed partials from its matrix) →
    // MaxPool2d (a selection, so (M C)^∘k = M C^∘k) → Tanh → AvgPool2d →
    // Flatten → Linear: one hidden non-linearity, so the rule is exact.
    // Tolerance 5e-6 relative per order (float32 rounding).
    const network = net([1, 5, 5], [
      {
        type: "Conv2d",
        in: 1,
        out: 2,
        kernel: [3, 3],
        stride: [2, 2],
        padding: [1, 1],
      },
      { type: "MaxPool2d", kernel: [2, 2], stride: [1, 1] },
      "Tanh",
      { type: "AvgPool2d", kernel: [2, 2], stride: [1, 1] },
      "Flatten",
      "Linear_2_1",
    ], 4);
    const x0 = Array.from({ length: 25 }, (_, i) => Math.sin(1.7 * i));
    const none = hopeDerivatives(network, [x0], { order: 6, mixed: "none" })[0];
    const refNone = referenceDerivatives(network, x0, {
      order: 6,
      mixed: "none",
    });
    assertAllBelow(errors(none.derivatives, refNone), 5e-6, "none");
    assert(
      none.piecewiseLinear,
      "MaxPool2d makes the network piecewise linear",
    );

    const small = net([1, 3, 3], [
      {
        type: "Conv2d",
        in: 1,
        out: 3,
        kernel: [2, 2],
        stride: [1, 1],
        padding: [0, 0],
      },
      "Sine",
      { type: "AvgPool2d", kernel: [2, 2], stride: [1, 1] },
      "Flatten",
      "Linear_3_1",
    ], 5);
    const x1 = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9];
    const all = hopeDerivatives(small, [x1], { order: 4 })[0];
    const refAll = referenceDerivatives(small, x1, { order: 4, mixed: "all" });
    assertAllBelow(errors(all.derivatives, refAll), 5e-6, "all");
    assert(hopeExactness(network, { mixed: "none" }).exact, "flagged exact");
    assert(hopeExactness(small).exact, "small flagged exact");
  },
);

Deno.test(
  "hopeDerivatives() expands the requested output, after a leading Flatten",
  () => {
    // Flatten → Linear is still one affine first layer (its matrix is read
    // through the Flatten); output 1 of 2. Tolerance 2e-6 relative per order.
    const network = net([1, 2, 2], [
      "Flatten",
      "Linear_4_5",
      "Sigmoid",
      "Linear_5_2",
    ], 11);
    const x0 = [0.5, -0.25, 0.75, 0.1];
    const [set] = hopeDerivatives(network, [x0], { order: 4, output: 1 });
    const ref = referenceDerivatives(network, x0, {
      order: 4,
      mixed: "all",
      output: 1,
    });
    assertAllBelow(errors(set.derivatives, ref), 2e-6, "output 1");
    const other = referenceDerivatives(network, x0, { order: 1, mixed: "all" });
    assert(
      relativeError(set.derivatives[1], other[1]) > 1e-3,
      "output 0 differs from output 1",
    );
  },
);

Deno.test(
  "hopeDerivatives() matches the committed float64 derivatives of the one-hidden-layer fixture",
  async () => {
    // Tolerance 2e-6 relative per order (measured ≤ 3.6e-7).
    const { network, x0, exact, order } = await fixture("onehidden");
    const [set] = hopeDerivatives(network, [x0], { order });
    assertAllBelow(errors(set.derivatives, exact), 2e-6, "onehidden");
    assert(hopeExactness(network).exact, "onehidden is flagged exact");
  },
);

Deno.test(
  "hopeDerivatives() deviates from the exact derivatives on the deep fixtures",
  async () => {
    // The rule drops the mixed partials with respect to hidden tensors. Its
    // value and gradient stay exact (v_1 is the true back-propagated
    // gradient; tolerance 5e-6), but from order 2 on the relative error is
    // of order one. Measured for orders 2 … n: sine5 (5 sine layers)
    // 0.74 … 2.9; tanh3 (3 tanh layers) 0.47 … 1.18; conv2d (the paper's
    // 2-D conv net shape) 0.20 … 1.73; the MNIST conv net (unmixed, 784
    // pixels) 0.47 … 0.99. We assert > 0.1 at every order ≥ 2.
    for (const name of ["sine5", "tanh3", "conv2d", "mnist_unmixed"]) {
      const { network, x0, exact, order, mixed } = await fixture(name);
      const [set] = hopeDerivatives(network, [x0], { order, mixed });
      const errs = errors(set.derivatives, exact);
      assertAllBelow(errs.slice(0, 2), 5e-6, `${name} orders 0, 1`);
      assert(!hopeExactness(network, { mixed }).exact, `${name} flagged`);
      for (let k = 2; k <= order; k++) {
        assert(
          errs[k] > 0.1,
          `${name}: order ${k} error ${
            errs[k]
          } should show the rule's approximation`,
        );
      }
    }
  },
);

Deno.test({
  name:
    "hopeDerivatives() reproduces the reference HOPE code's own numbers on the fixtures",
  ignore: !hasReferenceHope,
  fn: async () => {
    // hope_dk.npy / hope64_dk.npy: the reference hopegrad(mixed=1) run in
    // float32 / float64 on the same weights. We agree with both to float32
    // rounding, on the deep nets too, where both are far from the exact
    // values: measured ≤ 1.6e-6 (float32 run) and ≤ 7.4e-7 (float64 run)
    // per order; tolerance 1e-5.
    for (const name of ["onehidden", "sine5", "tanh3"]) {
      const { network, x0, order } = await fixture(name);
      const [set] = hopeDerivatives(network, [x0], { order });
      for (const prefix of ["hope_d", "hope64_d"]) {
        const ref: Float64Array[] = [];
        for (let k = 0; k <= order; k++) {
          const file = `${FIXTURES}${name}/${prefix}${k}.npy`;
          ref.push(Float64Array.from((await readNpy(file)).data));
        }
        assertAllBelow(errors(set.derivatives, ref), 1e-5, `${name} ${prefix}`);
      }
    }
  },
});

Deno.test("hopeDerivatives() gives a diagonal tensor when the first layer is element-wise", () => {
  // y = Σ_j c_j tanh(x_j) + … has no mixed partials at all, and the rule's
  // own assumption puts the unmixed ones on the diagonal.
  const network = net([2], ["Tanh", "Linear_2_1"], 6);
  const [set] = hopeDerivatives(network, [[0.2, -0.6]], { order: 3 });
  const ref = referenceDerivatives(network, [0.2, -0.6], {
    order: 3,
    mixed: "all",
  });
  assertAllBelow(errors(set.derivatives, ref), 2e-6, "element-wise first");
  assert(set.derivatives[3][1] === 0, "an off-diagonal entry is zero");
});

Deno.test("hopeDerivatives() reports ReLU networks as piecewise linear", () => {
  const network = net([2], ["Linear_2_8", "ReLU", "Linear_8_1"], 7);
  const [set] = hopeDerivatives(network, [[0.3, 0.1]], { order: 3 });
  assert(set.piecewiseLinear, "piecewiseLinear");
  assert(set.derivatives[2].every((v) => v === 0), "second order is zero");
  assert(set.derivatives[3].every((v) => v === 0), "third order is zero");
  assert(set.derivatives[1].some((v) => v !== 0), "the gradient is not");
});

Deno.test("hopeDerivatives() refuses what the rule cannot do, with clear errors", () => {
  const network = net([2], ["Linear_2_4", "Tanh", "Linear_4_1"]);
  assertThrows(
    () =>
      hopeDerivatives(network, [[0, 0]], {
        order: 3,
        mixed: "directions",
        directions: [[1, 0]],
      }),
    Error,
    'Cannot expand with method "hope" in mode "directions": ',
  );
  assertThrows(
    () => hopeDerivatives(network, [[0, 0]], { order: 0 }),
    Error,
    'Cannot expand with method "hope" to order "0": expected an integer from 1 to 30',
  );
  assertThrows(
    () => hopeDerivatives(network, [[0, 0, 0]], { order: 2 }),
    Error,
    'Cannot expand with method "hope" at point "0,0,0": expected 2 finite numbers',
  );
  assertThrows(
    () => hopeDerivatives(network, [[0, 0]], { order: 2, output: 1 }),
    Error,
    'Cannot expand with method "hope" at output "1": the network has 1 outputs',
  );
  const wide = net([8], ["Linear_8_512", "Sine", "Linear_512_1"]);
  assertThrows(
    () => hopeDerivatives(wide, [new Array(8).fill(0)], { order: 10 }),
    Error,
    'use mixed "none"',
  );
});

Deno.test(
  "hopeExactness() is true exactly where hopeDerivatives() matches the exact derivatives",
  () => {
    // Each case is checked numerically, independently of the structural
    // rule, against the exact Taylor-mode derivatives (the float64 jet of
    // _f64_jet.ts has no ReLU; taylor_mode_test.ts checks taylor against
    // independent references): "exact" means every order within 2e-5
    // relative (float32 rounding), "inexact" some order ≥ 2 off by more than
    // 1e-2.
    const cases: [string[], "all" | "none", boolean][] = [
      [["Linear_2_8", "Tanh", "Linear_8_1"], "all", true],
      [["Linear_2_8", "Tanh", "Sine", "Linear_8_1"], "all", true],
      [["Linear_2_8", "Tanh", "Linear_8_8", "ReLU", "Linear_8_1"], "all", true],
      [["Tanh", "Linear_2_1"], "all", true],
      [["Sine", "Linear_2_8", "Tanh", "Linear_8_1"], "none", true],
      [["Sine", "Linear_2_8", "Tanh", "Linear_8_1"], "all", false],
      [
        ["Linear_2_8", "Tanh", "Linear_8_8", "Tanh", "Linear_8_1"],
        "all",
        false,
      ],
      [
        ["Linear_2_8", "Tanh", "Linear_8_8", "Tanh", "Linear_8_1"],
        "none",
        false,
      ],
      [["Linear_2_8", "Linear_8_8", "Tanh", "Linear_8_1"], "all", false],
      [
        ["Linear_2_8", "ReLU", "Linear_8_8", "Tanh", "Linear_8_1"],
        "all",
        false,
      ],
    ];
    const point = [0.3, -0.4];
    for (const [layers, mixed, exact] of cases) {
      const network = net([2], layers, 5);
      const label = `${layers.join(" ")} (${mixed})`;
      const [set] = hopeDerivatives(network, [point], { order: 4, mixed });
      const errs = errors(
        set.derivatives,
        taylorDerivatives(network, [point], { order: 4, mixed })[0]
          .derivatives,
      );
      const verdict = hopeExactness(network, { mixed });
      assertEquals(verdict.exact, exact, label);
      if (exact) {
        assertAllBelow(errs, 2e-5, label);
        assertEquals(verdict.reason, undefined, label);
      } else {
        assert(Math.max(...errs.slice(2)) > 1e-2, `${label}: ${errs}`);
        assert(
          verdict.reason?.includes('use method "taylor"'),
          `${label}: ${verdict.reason}`,
        );
      }
    }
  },
);

Deno.test("hopeExactness() names the layers that make the rule inexact", () => {
  const deep = net([2], [
    "Linear_2_8",
    "Tanh",
    "Linear_8_8",
    "Tanh",
    "Linear_8_1",
  ]);
  assertEquals(
    hopeExactness(deep).reason,
    'layer 3 (Tanh) comes after 2 mixing layers (0 (Linear), 2 (Linear)): the rule drops the mixed partials with respect to the output of layer 0, which are not zero; it is exact only with at most one mixing layer before each non-linear layer (one hidden non-linear layer). The derivatives of order ≥ 2 are an approximation; use method "taylor" for exact ones',
  );
  const first = net([2], ["Sine", "Linear_2_8", "Tanh", "Linear_8_1"]);
  assert(
    hopeExactness(first).reason?.startsWith(
      "the first layer is element-wise, so the rule returns a diagonal tensor of mixed partials, but layer 2 (Tanh) comes after the mixing layer 1 (Linear)",
    ),
  );
});
