import { globalAnalysis } from "../../../lib/experiment/analyses/global.ts";
import type { GlobalResults } from "../../../lib/experiment/analyses/global.ts";
import { tf } from "../../../lib/deps.ts";
import { stepContext } from "./_context.ts";
import { useBackend } from "../../../lib/backend.ts";
import { Network } from "../../../lib/nn/network.ts";
import { assert, assertAlmostEquals, assertEquals } from "../../_assert.ts";

await useBackend("wasm");

Deno.test("globalAnalysis.run() ranks every term by |combined| and logs the top terms' local, mean and combined values", async () => {
  // y = 0.3 + 0.5 x1 − 0.7 x2 is its own Taylor polynomial everywhere, so
  // every grid point re-centres to the same coefficients (float32: 1e-6)
  const net = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_1"],
  }, {
    parameters: new Map<string, tf.Tensor>([
      ["0.weight.npy", tf.tensor2d([[0.5, -0.7]])],
      ["0.bias.npy", tf.tensor1d([0.3])],
    ]),
  });
  const parsed = globalAnalysis.schema.safeParse({
    type: "global",
    point: [0.1, -0.2],
    order: 2,
    n: 3,
    top: 3,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  const { ctx, dir, lines } = await stepContext(net, "g");
  try {
    const out = await globalAnalysis.run(
      { ...parsed.data, id: "g" },
      ctx,
    ) as unknown as GlobalResults;
    // at (0.1, −0.2) the constant is 0.3 + 0.05 + 0.14 = 0.49
    assertAlmostEquals(out.local["1"], 0.49, 1e-6);
    assertAlmostEquals(out.mean.x2, -0.7, 1e-6);
    assertEquals(out.top, ["x2", "x1", "1"]);
    // the zero terms follow in graded order (ties keep the term order)
    assertEquals(out.rank, {
      x2: 1,
      x1: 2,
      "1": 3,
      "x1^2": 4,
      "x1*x2": 5,
      "x2^2": 6,
    });
    const row = lines.find((l) => l.trimStart().startsWith("x2 "));
    if (row === undefined) throw new Error(lines.join("\n"));
    assertEquals(row.trim().split(/\s+/), ["x2", "-0.70", "-0.70", "-0.70"]);
    assert(lines.some((l) => /term\s+local\s+mean\s+combined/.test(l)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("globalAnalysis.run() on a tanh network: local, mean and combined match the closed-form derivatives re-centred in float64, and terms rank by |combined|", async () => {
  // f(x) = b2 + Σ_j w2_j tanh(W1_j · x + b1_j): every derivative is
  // ∂^α f = Σ_j w2_j tanh^(|α|)(z_j) Π_a W1_ja^α_a, with
  // tanh' = 1 − t², tanh'' = −2t(1 − t²), tanh''' = (1 − t²)(6t² − 2).
  // The weights are exact in float32.
  const W1 = [[1.5, -0.75], [0.5, 1.25], [-1, 0.5]];
  const b1 = [0.25, -0.5, 0.125];
  const w2 = [0.75, -1.25, 1];
  const b2 = 0.5;
  const net = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_3", "Tanh", "Linear_3_1"],
  }, {
    parameters: new Map<string, tf.Tensor>([
      ["0.weight.npy", tf.tensor2d(W1)],
      ["0.bias.npy", tf.tensor1d(b1)],
      ["2.weight.npy", tf.tensor2d([w2])],
      ["2.bias.npy", tf.tensor1d([b2])],
    ]),
  });
  const p = [0.1, -0.2];
  const order = 3;
  const range = 0.5;
  const tanhDerivative = (k: number, z: number) => {
    const t = Math.tanh(z);
    return [t, 1 - t * t, -2 * t * (1 - t * t), (1 - t * t) * (6 * t * t - 2)][
      k
    ];
  };
  const fact = (k: number): number => k <= 1 ? 1 : k * fact(k - 1);
  const choose = (a: number, b: number) => fact(a) / (fact(b) * fact(a - b));
  // Multi-indices (a1, a2) with a1 + a2 ≤ 3, and their keys.
  const alphas: [number, number][] = [];
  for (let k = 0; k <= order; k++) {
    for (let a = k; a >= 0; a--) alphas.push([a, k - a]);
  }
  const key = ([a, b]: [number, number]) =>
    [a && `x1${a > 1 ? `^${a}` : ""}`, b && `x2${b > 1 ? `^${b}` : ""}`]
      .filter(Boolean).join("*") || "1";
  /** Taylor coefficients at q, re-centred to p, by multi-index. */
  const recentred = (q: number[]) => {
    const c = alphas.map(([a, b]) => {
      const k = a + b;
      let d = k === 0 ? b2 : 0;
      W1.forEach((w, j) => {
        const z = w[0] * q[0] + w[1] * q[1] + b1[j];
        d += w2[j] * tanhDerivative(k, z) * w[0] ** a * w[1] ** b;
      });
      return d / (fact(a) * fact(b));
    });
    // c_α (x − q)^α = c_α Σ_{β ≤ α} C(α, β) (p − q)^(α − β) (x − p)^β
    return alphas.map(([b1_, b2_]) => {
      let s = 0;
      alphas.forEach(([a1, a2], i) => {
        if (a1 < b1_ || a2 < b2_) return;
        s += c[i] * choose(a1, b1_) * choose(a2, b2_) *
          (p[0] - q[0]) ** (a1 - b1_) * (p[1] - q[1]) ** (a2 - b2_);
      });
      return s;
    });
  };
  const axis = (c: number) => [c - range, c, c + range];
  const points = axis(p[0]).flatMap((u) => axis(p[1]).map((v) => [u, v]));
  points.push(p);
  const all = points.map(recentred);
  const local = all[all.length - 1];
  const mean = alphas.map((_, i) =>
    all.reduce((s, c) => s + c[i], 0) / all.length
  );
  const combined = alphas.map((a, i) =>
    a[0] + a[1] === 0 ? local[i] : (local[i] + mean[i]) / 2
  );
  const parsed = globalAnalysis.schema.safeParse({
    type: "global",
    point: p,
    order,
    range,
    n: 3,
    top: 4,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  const { ctx, dir } = await stepContext(net, "g");
  try {
    const out = await globalAnalysis.run(
      { ...parsed.data, id: "g" },
      ctx,
    ) as unknown as GlobalResults;
    assertEquals(out.points, 10);
    assertEquals(out.terms, alphas.map(key));
    // float32 network arithmetic on coefficients of size ≤ 1.3: 1e-5.
    const tol = 1e-5;
    alphas.forEach((a, i) => {
      const k = key(a);
      assertAlmostEquals(out.local[k], local[i], tol, `local ${k}`);
      assertAlmostEquals(out.mean[k], mean[i], tol, `mean ${k}`);
      assertAlmostEquals(out.combined[k], combined[i], tol, `combined ${k}`);
    });
    // The network is curved enough that the grid mean moves the combined
    // value away from the local one, and the two rankings differ.
    const gap = Math.max(...combined.map((v, i) => Math.abs(v - local[i])));
    assert(gap > 100 * tol, `combined is within ${gap} of local`);
    const byAbs = (v: number[]) =>
      [...v.keys()].sort((i, j) => Math.abs(v[j]) - Math.abs(v[i]) || i - j)
        .map((i) => key(alphas[i]));
    const ranked = byAbs(combined);
    assert(
      ranked.join() !== byAbs(local).join(),
      "ranking by |local| gives the same order",
    );
    assertEquals(out.top, ranked.slice(0, 4));
    assertEquals(
      out.rank,
      Object.fromEntries(ranked.map((k, r) => [k, r + 1])),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
