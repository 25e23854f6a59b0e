import { expandAnalysis } from "../../../lib/experiment/analyses/expand.ts";
import { globalAnalysis } from "../../../lib/experiment/analyses/global.ts";
import { tf } from "../../../lib/deps.ts";
import { stepContext } from "./_context.ts";
import { useBackend } from "../../../lib/backend.ts";
import { Network } from "../../../lib/nn/network.ts";
import { assert, assertAlmostEquals, assertEquals } from "../../_assert.ts";
import { parseSvg, readTicks } from "../../plot/_figure.ts";
import { byName, textOf } from "../../plot/_xml.ts";

await useBackend("wasm");

interface Point {
  coefficients: Record<string, number>;
  powers: Record<string, number>;
  summary: string;
}

/** Runs the step on `net` with a captured log. */
async function runStep(net: Network, entry: Record<string, unknown>) {
  const parsed = expandAnalysis.schema.safeParse({ type: "expand", ...entry });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  const { ctx, dir, lines } = await stepContext(net, "e");
  const outputs = await expandAnalysis.run({ ...parsed.data, id: "e" }, ctx);
  await Deno.remove(dir, { recursive: true });
  return { lines, points: (outputs as { points: Point[] }).points };
}

/** y = sin(a·x + b): every Taylor coefficient is known in closed form. */
function sineNetwork(a: [number, number], b: number): Network {
  return Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_1", "Sine"],
  }, {
    parameters: new Map<string, tf.Tensor>([
      ["0.weight.npy", tf.tensor2d([a])],
      ["0.bias.npy", tf.tensor1d([b])],
    ]),
  });
}

Deno.test("expandAnalysis.run() summary keeps the terms in powers of x at or above prune, and the log prints it", async () => {
  // y = sin(u), u = 0.5 x1 − 0.2 x2, at the origin: 0.5 x1 − 0.2 x2 and no
  // quadratic terms (sin'' = 0 at u = 0)
  const { lines, points } = await runStep(sineNetwork([0.5, -0.2], 0), {
    points: [[0, 0], [0.4, 0.2]],
    prune: 0.25,
  });
  assertEquals(points[0].summary, "y ≈ 0.50 x_1");
  assert(lines.includes("    terms ≥ 0.25: y ≈ 0.50 x_1"), lines.join("\n"));
  // at (0.4, 0.2), u0 = 0.16: the summary is the polynomial in powers of x
  // without the terms below 0.25, whatever the centre
  const kept = Object.entries(points[1].powers).filter(([, c]) =>
    Math.abs(c) >= 0.25
  );
  assertEquals(kept.map(([k]) => k), ["x1"]);
  // local: a1 = 0.5 cos u0, a11 = −0.25 sin(u0)/2, a12 = 0.1 sin u0, so
  // c_x1 = a1 − 2 a11 · 0.4 − a12 · 0.2 = 0.5 cos u0 + 0.08 sin u0
  // (float32 network: 1e-6)
  const u0 = 0.16;
  const c1 = 0.5 * Math.cos(u0) + 0.08 * Math.sin(u0);
  assertAlmostEquals(points[1].powers.x1, c1, 1e-6);
  assertEquals(points[1].summary, `y ≈ ${c1.toFixed(2)} x_1`);
  assert(lines.some((l) => l.startsWith("    in powers of x: y = ")));
});

Deno.test("expandAnalysis.run() summary reads y ≈ 0 when every term is below prune", async () => {
  const { points } = await runStep(sineNetwork([0.01, 0.02], 0), {
    points: [[0, 0]],
  });
  assertEquals(points[0].summary, "y ≈ 0");
});

Deno.test("expandAnalysis.schema prune defaults to 0.05 and must not be negative", () => {
  const ok = expandAnalysis.schema.safeParse({
    type: "expand",
    points: [[0]],
  });
  assert(ok.success && ok.data.prune === 0.05, JSON.stringify(ok));
  const bad = expandAnalysis.schema.safeParse({
    type: "expand",
    points: [[0]],
    prune: -1,
  });
  assert(!bad.success, "a negative prune was accepted");
});

Deno.test("expandAnalysis.run() and globalAnalysis.run() record whether method hope is exact", async () => {
  const deep = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_4", "Tanh", "Linear_4_4", "Tanh", "Linear_4_1"],
  }, { seed: 3 });
  const shallow = sineNetwork([0.5, -0.2], 0);
  for (const [net, exact] of [[deep, false], [shallow, true]] as const) {
    const parsed = expandAnalysis.schema.safeParse({
      type: "expand",
      points: [[0, 0]],
      order: 2,
      method: "hope",
    });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    const { ctx, dir } = await stepContext(net, "e");
    try {
      const out = await expandAnalysis.run({ ...parsed.data, id: "e" }, ctx);
      const record = JSON.parse(
        await Deno.readTextFile(`${dir}/analyses/e/point0/expansion.json`),
      );
      for (const r of [out as Record<string, unknown>, record]) {
        assertEquals(r.exact, exact);
        assertEquals(typeof r.inexactReason, exact ? "undefined" : "string");
      }
      const global = globalAnalysis.schema.safeParse({
        type: "global",
        point: [0, 0],
        order: 2,
        n: 2,
        method: "hope",
      });
      if (!global.success) throw new Error("global schema");
      const g = await globalAnalysis.run({ ...global.data, id: "g" }, ctx);
      assertEquals((g as { exact: boolean }).exact, exact);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
  deep.dispose();
  shallow.dispose();
});

Deno.test("expandAnalysis.run() coefficient charts name the basis x − x0 and share one scale", async () => {
  const parsed = expandAnalysis.schema.safeParse({
    type: "expand",
    points: [[0, 0], [0.5, 0.5], [-0.5, -0.25]],
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  const { ctx, dir } = await stepContext(sineNetwork([0.5, -0.2], 0.3), "e");
  try {
    await expandAnalysis.run({ ...parsed.data, id: "e" }, ctx);
    const charts = await Promise.all([0, 1, 2].map(async (i) =>
      parseSvg(
        await Deno.readTextFile(`${dir}/analyses/e/point${i}/coefficients.svg`),
      )
    ));
    const bars = charts.map((root) =>
      byName(byName(root, "g", "categories")[0], "text").map(textOf).sort()
    );
    // tspans drop the markup: x_1 reads "x1", (x_1 − 0.5)^2 "(x1 − 0.5)2"
    assert(bars[0].includes("x12"), bars[0].join(" | "));
    assert(bars[1].includes("(x1 − 0.5)2"), bars[1].join(" | "));
    assert(bars[1].includes("(x1 − 0.5) (x2 − 0.5)"), bars[1].join(" | "));
    assert(!bars[1].includes("x1"), "a bare x1 at (0.5, 0.5)");
    assert(bars[2].includes("(x1 + 0.5) (x2 + 0.25)"), bars[2].join(" | "));
    const axis = (root: ReturnType<typeof parseSvg>) =>
      readTicks(root, "bottom").map((t) => t.label).join(" ");
    assertEquals(axis(charts[1]), axis(charts[0]), "one scale");
    assertEquals(axis(charts[2]), axis(charts[0]), "one scale");
    const title = (root: ReturnType<typeof parseSvg>) =>
      textOf(byName(root, "text", "axis-title")[0]);
    assertEquals(title(charts[1]), "coefficient of (x − x0)α");
    assertEquals(title(charts[0]), "coefficient of xα");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
