import { accuracyAnalysis } from "../../../lib/experiment/analyses/accuracy.ts";
import { tf } from "../../../lib/deps.ts";
import { stepContext } from "./_context.ts";
import { useBackend } from "../../../lib/backend.ts";
import { readNpy } from "../../../lib/io/npy.ts";
import { Network } from "../../../lib/nn/network.ts";
import { factorial } from "../../../lib/taylor/_multi_index.ts";
import {
  assert,
  assertAlmostEquals,
  assertArrayClose,
  assertEquals,
  relativeError,
} from "../../_assert.ts";

await useBackend("wasm");

interface Outputs {
  orders: Record<string, number>;
  range: number;
  derivativeError: Record<string, number[]>;
  maxDerivativeError: Record<string, number>;
  approximationError: Record<string, Record<string, number>>;
  regionRadii: number[];
  taylorExcess: number;
  taylorOverHope: Record<string, number>;
  exact: Record<string, boolean>;
  inexactReason: Record<string, string>;
}

/** A network with hand-set parameters. */
function network(
  input: number,
  layers: string[],
  parameters: [string, tf.Tensor][],
): Network {
  return Network.create({ format: "hope-network/1", input: [input], layers }, {
    parameters: new Map(parameters),
  });
}

async function runStep(net: Network, entry: Record<string, unknown>) {
  const parsed = accuracyAnalysis.schema.safeParse({
    type: "accuracy",
    ...entry,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  const { ctx, dir, files } = await stepContext(net, "a");
  const outputs = await accuracyAnalysis.run(
    { ...parsed.data, id: "a" },
    ctx,
  ) as unknown as Outputs;
  return { dir, files, outputs };
}

Deno.test("accuracy analysis: on sin(2x + 0.5) every method is exact and the exact row is sin's own Taylor remainder", async () => {
  const net = network(1, ["Linear_1_1", "Sine"], [
    ["0.weight.npy", tf.tensor2d([[2]])],
    ["0.bias.npy", tf.tensor1d([0.5])],
  ]);
  const x0 = 0.1;
  const order = 6;
  const radii = [0.1, 0.5, 1];
  const { dir, outputs } = await runStep(net, {
    point: [x0],
    order,
    radii,
    n: 21,
  });
  try {
    assertEquals(outputs.orders, { taylor: 6, hope: 6, autograd: 6 });
    assertEquals(outputs.exact, { taylor: true, hope: true, autograd: true });
    assertEquals(outputs.inexactReason, {});
    // one non-linear layer: HOPE's rule is exact too; float32 → 1e-5
    for (const m of ["taylor", "hope", "autograd"]) {
      assert(
        outputs.maxDerivativeError[m] <= 1e-5,
        `${m}: ${outputs.maxDerivativeError[m]}`,
      );
    }
    // independent: T_6 of sin(2x + 0.5) at 0.1 on the 21-point grid of ±1
    const u = 2 * x0 + 0.5;
    const grid = Array.from({ length: 21 }, (_, k) => -1 + k / 10);
    const expected = radii.map((r) => {
      let worst = 0;
      for (const a of grid) {
        if (Math.abs(a) > r + 1e-12) continue;
        let p = 0;
        for (let k = 0; k <= order; k++) {
          p += 2 ** k * Math.sin(u + (k * Math.PI) / 2) * a ** k /
            factorial(k);
        }
        worst = Math.max(worst, Math.abs(p - Math.sin(u + 2 * a)));
      }
      return worst;
    });
    assertArrayClose(
      radii.map((r) => outputs.approximationError.exact[`r${r}`]),
      expected,
      // float64 on both sides
      { rtol: 1e-9, atol: 1e-14 },
    );
    for (const m of ["taylor", "hope", "autograd"]) {
      // float32 derivatives: within 1e-6 of the exact remainder
      assertArrayClose(
        radii.map((r) => outputs.approximationError[m][`r${r}`]),
        expected,
        { rtol: 0, atol: 1e-6 },
      );
    }
    // range of sin(2x + 0.5) on the grid x ∈ {−0.9, −0.8, …, 1.1}: from
    // u = −1.3 up to u = 1.5, the grid's nearest to π/2
    assertArrayClose([outputs.range], [Math.sin(1.5) - Math.sin(-1.3)], {
      rtol: 1e-12,
    });
    assertEquals(
      outputs.regionRadii,
      radii.filter((_, i) => expected[i] <= 0.01 * outputs.range),
    );
    // The reported errors, recomputed here from the written derivatives: the
    // reference is sin's own, 2^k sin(u + kπ/2) (float64, 1e-12), and each
    // method's error is the tests' own max-norm relative error (the same
    // float64 numbers, so to 1e-12 of it).
    for (let k = 0; k <= order; k++) {
      const at = (m: string) => readNpy(`${dir}/analyses/a/${m}/d${k}.npy`);
      const reference = (await at("reference")).data as Float64Array;
      assertAlmostEquals(
        reference[0],
        2 ** k * Math.sin(u + (k * Math.PI) / 2),
        1e-12 * 2 ** k,
        `reference d${k}`,
      );
      for (const m of ["taylor", "hope", "autograd"]) {
        const want = relativeError(
          (await at(m)).data as Float64Array,
          reference,
        );
        assertAlmostEquals(
          outputs.derivativeError[m][k],
          want,
          1e-12 * want,
          `${m} d${k}`,
        );
      }
    }
    const errors = await readNpy(`${dir}/analyses/a/derivative_error.npy`);
    assertEquals(errors.shape, [3, 7]);
    for (
      const f of ["curves.svg", "curves_error.svg", "derivative_error.svg"]
    ) {
      const svg = await Deno.readTextFile(`${dir}/analyses/a/${f}`);
      assert(svg.startsWith("<svg"), f);
    }
  } finally {
    net.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("accuracy analysis: records hope as not exact on two hidden layers, where its error shows it", async () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [1],
    layers: ["Linear_1_8", "Tanh", "Linear_8_8", "Tanh", "Linear_8_1"],
  }, { seed: 2 });
  const { dir, outputs } = await runStep(net, {
    point: [0.1],
    order: 4,
    methods: ["taylor", "hope"],
    radii: [0.5],
    n: 5,
  });
  try {
    assertEquals(outputs.exact, { taylor: true, hope: false });
    assertEquals(Object.keys(outputs.inexactReason), ["hope"]);
    assert(
      outputs.inexactReason.hope.startsWith("layer 3 (Tanh) comes after 2"),
      outputs.inexactReason.hope,
    );
    // the flag agrees with the measured error (float32 exactness is ≤ 1e-5)
    assert(outputs.maxDerivativeError.hope > 1e-2, "hope is off");
    assert(outputs.maxDerivativeError.taylor <= 1e-5, "taylor is exact");
  } finally {
    await Deno.remove(dir, { recursive: true });
    net.dispose();
  }
});

Deno.test("accuracy analysis: a 2-D grid in x1-major order, float64 outputs, mixed partials and heat maps", async () => {
  const net = network(2, ["Linear_2_1", "Tanh"], [
    ["0.weight.npy", tf.tensor2d([[0.5, -1]])],
    ["0.bias.npy", tf.tensor1d([0.25])],
  ]);
  const { dir, outputs } = await runStep(net, {
    point: [0.2, -0.1],
    order: 3,
    methods: ["taylor", "autograd"],
    autogradOrder: 2,
    radii: [0.5],
    n: 5,
  });
  try {
    assertEquals(outputs.orders, { taylor: 3, autograd: 2 });
    assert(!("taylorOverHope" in outputs), "no hope, no ratio");
    const base = `${dir}/analyses/a`;
    const grid = await readNpy(`${base}/grid.npy`);
    assertEquals(grid.shape, [25, 2]);
    // row 6 is (axis[1], axis[1]) = x0 + (−0.25, −0.25)
    assertArrayClose(Array.from(grid.data).slice(12, 14), [-0.05, -0.35], {
      rtol: 0,
      atol: 1e-15,
    });
    const y = await readNpy(`${base}/network.npy`);
    const g = Array.from(grid.data as Float64Array);
    assertArrayClose(
      y.data as Float64Array,
      Array.from(
        { length: 25 },
        (_, i) => Math.tanh(0.5 * g[2 * i] - g[2 * i + 1] + 0.25),
      ),
      // float64 from float32 weights that are exact binary fractions
      { rtol: 1e-14, atol: 1e-15 },
    );
    const d3 = await readNpy(`${base}/taylor/d3.npy`);
    assertEquals(d3.shape, [2, 2, 2]);
    // autograd stopped at order 2: its order-3 error is NaN in the array
    const errors = await readNpy(`${base}/derivative_error.npy`);
    assertEquals(errors.shape, [2, 4]);
    assert(Number.isNaN(errors.data[7]), "autograd order 3 should be NaN");
    assert(!Number.isNaN(errors.data[6]), "autograd order 2 is measured");
    for (const f of ["surfaces.svg", "errors.svg"]) {
      const svg = await Deno.readTextFile(`${base}/${f}`);
      // one <rect> per cell: 25 per panel
      assert(svg.startsWith("<svg") && svg.includes("taylor (order 3)"), f);
    }
  } finally {
    net.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("accuracy analysis: schema defaults and check() problems", () => {
  const ok = accuracyAnalysis.schema.safeParse({
    type: "accuracy",
    point: [0, 0],
    radii: [1],
  });
  assert(ok.success, "a minimal entry is valid");
  if (!ok.success) return;
  assertEquals(
    [ok.data.order, ok.data.n, ok.data.regionTolerance, ok.data.methods],
    [10, 101, 0.01, ["taylor", "hope", "autograd"]],
  );
  assert(
    !accuracyAnalysis.schema.safeParse({
      type: "accuracy",
      point: [0],
      radii: [1],
      methods: ["jet"],
    }).success,
    "an unknown method is rejected",
  );
  assert(
    !accuracyAnalysis.schema.safeParse({
      type: "accuracy",
      point: [0],
      radii: [],
    }).success,
    "empty radii are rejected",
  );
  const problems = accuracyAnalysis.check!(
    { ...ok.data, id: "a", n: 200, methods: ["hope", "hope"] },
    { dim: 3 },
  );
  assertEquals(problems.map((p) => p.path[0]), ["point", "n", "methods"]);
  assertEquals(
    problems[1].message,
    "n^d = 200^3 grid points is more than 20000",
  );
});
