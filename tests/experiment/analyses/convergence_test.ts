import { convergenceAnalysis } from "../../../lib/experiment/analyses/convergence.ts";
import { tf } from "../../../lib/deps.ts";
import { stepContext } from "./_context.ts";
import { useBackend } from "../../../lib/backend.ts";
import { readNpy } from "../../../lib/io/npy.ts";
import { Network } from "../../../lib/nn/network.ts";
import { factorial } from "../../../lib/taylor/_multi_index.ts";
import {
  assert,
  assertArrayClose,
  assertEquals,
  assertRejects,
} from "../../_assert.ts";

await useBackend("wasm");

interface Outputs {
  w0: number[];
  scale: Record<string, number>;
  error: Record<string, Record<string, number[]>>;
  improvement: Record<string, Record<string, number>>;
  improvementInRegion: Record<string, number | null>;
  region: Record<string, number>;
  regionRatio: number[];
  score: Record<string, number[]>;
  maxDerivativeError: Record<string, number>;
}

/** `y = sin(w0 · x)`: one Linear with weight 1 and bias 0, then Sine. */
function sine(): Network {
  return Network.create({
    format: "hope-network/1",
    input: [1],
    layers: ["Linear_1_1", "Sine"],
  }, {
    parameters: new Map<string, tf.Tensor>([
      ["0.weight.npy", tf.tensor2d([[1]])],
      ["0.bias.npy", tf.tensor1d([0])],
    ]),
  });
}

async function runStep(net: Network, entry: Record<string, unknown>) {
  const parsed = convergenceAnalysis.schema.safeParse({
    type: "convergence",
    ...entry,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  const { ctx, dir } = await stepContext(net, "c");
  const run = () =>
    convergenceAnalysis.run({ ...parsed.data, id: "c" }, ctx) as Promise<
      unknown
    > as Promise<Outputs>;
  return { dir, run };
}

Deno.test("convergence analysis: sin(w0 x) has the errors of its own Taylor series and a region exactly ∝ 1/w0", async () => {
  const net = sine();
  const order = 9;
  const { dir, run } = await runStep(net, {
    point: [0],
    w0: [2, 1],
    order,
    radii: [0.5, 1, 2],
    range: 3,
    samples: 121,
    decades: 3,
  });
  try {
    const c = await run();
    assertEquals(c.w0, [1, 2]);
    const signed = Array.from(
      (await readNpy(`${dir}/analyses/c/distances.npy`)).data as Float64Array,
    );
    assertEquals(signed.length, 1 + 2 * 121);
    // the scale: max |sin(w0 s)| over the samples (close to 1 for both)
    assertArrayClose(
      [c.scale.w1, c.scale.w2],
      [1, 2].map((w0) =>
        Math.max(...signed.map((s) => Math.abs(Math.sin(w0 * s))))
      ),
      { rtol: 1e-12 },
    );
    // independent: the Taylor remainder of sin(w0 s) on the same samples
    for (const w0 of [1, 2]) {
      for (const r of [0.5, 1, 2]) {
        const expected = Array.from({ length: order }, (_, i) => {
          const n = i + 1;
          let worst = 0;
          for (const s of signed) {
            if (Math.abs(s) > r * (1 + 1e-12)) continue;
            let p = 0;
            for (let k = 1; k <= n; k += 2) {
              p += (k % 4 === 1 ? 1 : -1) * (w0 * s) ** k / factorial(k);
            }
            worst = Math.max(worst, Math.abs(p - Math.sin(w0 * s)));
          }
          return worst / c.scale[`w${w0}`];
        });
        // float32 derivatives: 1e-6 of the scale
        assertArrayClose(c.error[`w${w0}`][`r${r}`], expected, {
          rtol: 1e-5,
          atol: 1e-6,
          msg: `w0 = ${w0}, r = ${r}`,
        });
        const e = c.error[`w${w0}`][`r${r}`];
        assertArrayClose(
          [c.improvement[`w${w0}`][`r${r}`]],
          [e[0] / e[order - 1]],
          { rtol: 1e-12, msg: `improvement w0 = ${w0}, r = ${r}` },
        );
      }
    }
    // the error depends on w0 s only: doubling w0 halves the region, up to
    // one step of the log-spaced samples (10^(3/120), 6 %) and the two
    // scales' slight difference: within 7 %
    const ratio = c.region.w2 / c.region.w1;
    assert(ratio >= 0.5 / 1.07 && ratio <= 0.5 * 1.07, `ratio ${ratio}`);
    assertArrayClose(c.regionRatio, [ratio], { rtol: 1e-15 });
    // |f^(n) / f'| = w0^(n−1) for odd n, 0 for even n (sin(0) = 0)
    assertArrayClose(
      c.score.w2,
      Array.from({ length: order }, (_, i) => (i % 2 === 0 ? 2 ** i : 0)),
      { rtol: 1e-5, atol: 1e-6 },
    );
    assert(c.maxDerivativeError.w2 <= 1e-5, `${c.maxDerivativeError.w2}`);
    for (const f of ["error_vs_order_r1.svg", "error_vs_radius.svg"]) {
      const svg = await Deno.readTextFile(`${dir}/analyses/c/${f}`);
      assert(svg.startsWith("<svg") && svg.includes("w"), f);
    }
    const regions = await readNpy(`${dir}/analyses/c/region.npy`);
    assertEquals(regions.shape, [2, order]);
  } finally {
    net.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("convergence analysis: improvementInRegion is null when the region is below every listed band", async () => {
  const net = sine();
  const { dir, run } = await runStep(net, {
    point: [0],
    w0: [50],
    order: 2,
    radii: [1],
    range: 1,
    samples: 11,
  });
  try {
    const c = await run();
    assert(c.region.w50 < 1, `region ${c.region.w50}`);
    assertEquals(c.improvementInRegion.w50, null);
    assertEquals(c.regionRatio, []);
  } finally {
    net.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("convergence analysis: rejects a network without Sine", async () => {
  const net = Network.create({
    format: "hope-network/1",
    input: [1],
    layers: ["Linear_1_2", "Tanh", "Linear_2_1"],
  }, { seed: 1 });
  const { dir, run } = await runStep(net, {
    point: [0],
    w0: [1],
    radii: [1],
  });
  try {
    await assertRejects(
      run,
      'Cannot set w0 of network "Linear, Tanh, Linear": it has no Sine layer',
    );
  } finally {
    net.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("convergence analysis: schema defaults and check() problems", () => {
  const ok = convergenceAnalysis.schema.safeParse({
    type: "convergence",
    point: [0, 0],
    w0: [1, 1],
    radii: [1],
    direction: [0, 0],
  });
  assert(ok.success, "a minimal entry is valid");
  if (!ok.success) return;
  assertEquals(
    [ok.data.order, ok.data.range, ok.data.samples, ok.data.decades],
    [16, 3, 241, 3],
  );
  const problems = convergenceAnalysis.check!(
    { ...ok.data, id: "c" },
    { dim: 2 },
  );
  assertEquals(problems.map((p) => p.path[0]), ["direction", "w0"]);
  assertEquals(problems[0].message, "expected a non-zero direction");
  assertEquals(
    convergenceAnalysis.check!({ ...ok.data, id: "c", w0: [1] }, { dim: 3 })
      .map((p) => p.path[0]),
    ["point", "direction", "direction"],
  );
  assert(
    !convergenceAnalysis.schema.safeParse({
      type: "convergence",
      point: [0],
      w0: [0],
      radii: [1],
    }).success,
    "w0 must be positive",
  );
});
