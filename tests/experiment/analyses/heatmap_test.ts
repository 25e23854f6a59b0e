import { heatmapAnalysis } from "../../../lib/experiment/analyses/heatmap.ts";
import type { AnalysisContext } from "../../../lib/experiment/analysis.ts";
import { parseExperiment } from "../../../lib/experiment/load.ts";
import { RunFiles } from "../../../lib/experiment/run_files.ts";
import { runExperiment } from "../../../lib/experiment/runner.ts";
import { loadMnist } from "../../../lib/data/mnist.ts";
import { tf } from "../../../lib/deps.ts";
import { readNpy } from "../../../lib/io/npy.ts";
import { loadNetwork } from "../../../lib/nn/io.ts";
import { Network } from "../../../lib/nn/network.ts";
import {
  assert,
  assertAlmostEquals,
  assertArrayClose,
  assertEquals,
  assertRejects,
  assertThrows,
} from "../../_assert.ts";

const ROOT = new URL("../../../", import.meta.url).pathname.replace(/\/$/, "");
const PIXELS = 784;

/** The MNIST network of the paper, untrained (its seed fixes the weights). */
const LAYERS = `
network:
  layers:
    - { type: Conv2d, in: 1, out: 10, kernel: [5, 5] }
    - { type: AvgPool2d, kernel: [2, 2], stride: [2, 2] }
    - Tanh
    - { type: Conv2d, in: 10, out: 20, kernel: [5, 5] }
    - { type: AvgPool2d, kernel: [2, 2], stride: [2, 2] }
    - Tanh
    - Flatten
    - Linear_320_50
    - Tanh
    - Linear_50_10`;

function experiment(
  analysis: string,
  data = "{ dataset: mnist, train: 10, test: 300 }",
) {
  return parseExperiment(
    `name: hm\nseed: 4\ndata: ${data}\n${LAYERS}\nanalyses:\n  - ${analysis}\n`,
    { file: "hm.yaml", root: ROOT },
  );
}

async function run(analysis: string) {
  const out = await Deno.makeTempDir({ prefix: "hope-heatmap-" });
  const result = await runExperiment(experiment(analysis), {
    out,
    root: ROOT,
    log: () => {},
    progress: "none",
  });
  return { out, result };
}

interface Outputs {
  correlation: number[];
  correlationMin: number;
  correlationMean: number;
  relativeError: number[];
  lastTerm: number[];
  seconds: { series: number; perturbation: number };
  exact: Record<string, boolean>;
  inexactReason: Record<string, string>;
  compare: Record<string, { correlation: number[] }>;
  sweep: Record<string, { min: number; mean: number }>;
  items: {
    label: number;
    network: number;
    testIndex: number;
    prediction: number;
    value: number;
  }[];
}

function outputsOf(manifest: { outputs: Record<string, unknown> }): Outputs {
  return (manifest.outputs.analyses as Record<string, Outputs>).h;
}

Deno.test("heatmap analysis: maps match an independent forward pass and the series of the saved derivatives", async () => {
  const delta = 0.05;
  const { out, result } = await run(
    `{ type: heatmap, id: h, labels: [3, 7], order: 4, delta: ${delta}, compare: [hope], sweep: [${delta}, 0.2] }`,
  );
  try {
    assertEquals(result.status, "passed", result.manifest.error);
    const o = outputsOf(result.manifest);
    assertEquals(o.items.map((i) => [i.label, i.network]), [[3, 3], [7, 7]]);
    const dir = `${result.dir}/analyses/h`;
    const images = await readNpy(`${dir}/images.npy`);
    const d = await readNpy(`${dir}/derivatives.npy`);
    const H = await readNpy(`${dir}/series_map.npy`);
    const P = await readNpy(`${dir}/perturbation_map.npy`);
    assertEquals(images.shape, [2, 28, 28]);
    assertEquals(d.shape, [2, 4, PIXELS]);
    assertEquals(H.shape, [2, 28, 28]);
    assertEquals(
      (await readNpy(`${dir}/correlation_by_order.npy`)).shape,
      [2, 4],
    );
    assertEquals((await readNpy(`${dir}/compare/hope_map.npy`)).shape, [
      2,
      28,
      28,
    ]);
    // The images are the first test images of digits 3 and 7 in the kept
    // test subset (seed + 1 draws it, as the runner does).
    const test = await loadMnist({ split: "test", subset: 300, seed: 5 });
    for (const [j, label] of [3, 7].entries()) {
      const position = test.labels.indexOf(label);
      assertEquals(o.items[j].testIndex, test.fileIndices[position]);
      assertArrayClose(
        (images.data as Float32Array).subarray(j * PIXELS, (j + 1) * PIXELS),
        Float32Array.from(
          test.images.subarray(position * PIXELS, (position + 1) * PIXELS),
          (v) => v / 255,
        ),
        { atol: 0, rtol: 0, msg: "the image is the test image on [0, 1]" },
      );
    }
    // H is Σ_k d_k Δ^k / k! of the saved derivatives (float64 sums, 1e-12).
    const dk = d.data as Float64Array;
    for (let j = 0; j < 2; j++) {
      const series = new Float64Array(PIXELS);
      for (let k = 1, f = 1; k <= 4; k++) {
        f *= k;
        for (let i = 0; i < PIXELS; i++) {
          series[i] += dk[(j * 4 + k - 1) * PIXELS + i] * delta ** k / f;
        }
      }
      assertArrayClose(
        (H.data as Float64Array).subarray(j * PIXELS, (j + 1) * PIXELS),
        series,
        { rtol: 1e-12, atol: 1e-15 },
      );
    }
    // lastTerm: max_i |d_4,i| Δ^4/4! over max_i |P_i|, from the saved arrays.
    for (let j = 0; j < 2; j++) {
      const last = dk.subarray((j * 4 + 3) * PIXELS, (j * 4 + 4) * PIXELS);
      const p = (P.data as Float64Array).subarray(j * PIXELS, (j + 1) * PIXELS);
      const want = Math.max(...last.map(Math.abs)) * delta ** 4 / 24 /
        Math.max(...p.map(Math.abs));
      assertAlmostEquals(o.lastTerm[j], want, 1e-12 * want, "lastTerm");
    }
    // P, pixel by pixel, from the saved network one image at a time: the
    // largest entries and two corners, to 1e-3 of the largest |P| (float32
    // outputs of size ~0.1 carry ~1e-8 of rounding; P reaches ~1e-5 here).
    const net = await loadNetwork(`${result.dir}/network`);
    const x = Array.from((images.data as Float32Array).subarray(0, PIXELS));
    const y = (v: number[]) =>
      tf.tidy(() => net.forward(tf.tensor4d(v, [1, 1, 28, 28])).dataSync()[3]);
    const y0 = y(x);
    assertEquals(Math.fround(o.items[0].value), Math.fround(y0));
    const p0 = (P.data as Float64Array).subarray(0, PIXELS);
    const byMagnitude = [...p0.keys()].sort((a, b) =>
      Math.abs(p0[b]) - Math.abs(p0[a])
    );
    const scale = Math.abs(p0[byMagnitude[0]]);
    assert(scale > 1e-6, `the perturbation map is flat: ${scale}`);
    for (const i of [...byMagnitude.slice(0, 3), 0, 783]) {
      const moved = [...x];
      moved[i] += delta;
      const want = y(moved) - y0;
      assert(
        Math.abs(p0[i] - want) <= 1e-3 * scale,
        `pixel ${i}: ${p0[i]} vs ${want}`,
      );
    }
    // The sweep at the run's own Δ repeats its correlation; at Δ = 0.2 it is
    // Pearson's r of the saved derivatives' series at 0.2 and a perturbation
    // map made here one image at a time (to 1e-6: float32 outputs).
    assertEquals(o.sweep[String(delta)].min, o.correlationMin);
    const byDelta = await readNpy(`${dir}/correlation_by_delta.npy`);
    assertEquals(byDelta.shape, [2, 2]);
    const wide = 0.2;
    const series = new Float64Array(PIXELS);
    const p02 = new Float64Array(PIXELS);
    for (let i = 0; i < PIXELS; i++) {
      for (let k = 1, f = 1; k <= 4; k++) {
        f *= k;
        series[i] += dk[(k - 1) * PIXELS + i] * wide ** k / f;
      }
      const moved = [...x];
      moved[i] += wide;
      p02[i] = y(moved) - y0;
    }
    const r02 = pearson(series, p02);
    assertAlmostEquals(byDelta.data[1] as number, r02, 1e-6, "r at Δ = 0.2");
    assertAlmostEquals(
      o.sweep["0.2"].min,
      Math.min(byDelta.data[1] as number, byDelta.data[3] as number),
      0,
      "sweep min",
    );
    net.dispose();
    // For a small Δ the order-4 series and the perturbation agree up to the
    // Δ^5 remainder and float32 noise of P (1e-5 / ‖P‖).
    for (const e of o.relativeError) assert(e < 2e-3, `relative error ${e}`);
    for (const r of o.correlation) assert(r > 0.9999, `r = ${r}`);
    assertEquals(o.compare.hope.correlation.length, 2);
    assert(o.seconds.series > 0 && o.seconds.perturbation > 0);
    // The MNIST-shaped net of this test has two hidden tanh layers after
    // convolutions: the backward rule is an approximation there.
    assertEquals(o.exact, { taylor: true, hope: false });
    assertEquals(Object.keys(o.inexactReason), ["hope"]);
    assert(
      o.inexactReason.hope.includes("mixing layers"),
      o.inexactReason.hope,
    );
    // No map computed by taylor is called hope.
    await assertRejects(() => Deno.stat(`${dir}/hope_map.npy`), "No such file");
    for (
      const f of [
        "heatmaps_0.svg",
        "correlation_by_order.svg",
        "correlation_by_delta.svg",
      ]
    ) {
      const svg = await Deno.readTextFile(`${dir}/${f}`);
      assert(svg.startsWith("<svg"), f);
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("heatmap analysis: the headline correlation, the by-order and by-Δ correlations and the relative error are recomputed from the written maps and perturbation maps made here", async () => {
  // Δ = 8 with order 2 leaves the series visibly short of the perturbation,
  // so Pearson's r, the cosine similarity and a map against itself (r = 1)
  // give different numbers, as do the orders and the two Δ; the test checks
  // that it can tell them apart.
  const delta = 8;
  const wide = 2;
  const labels = [2, 9];
  const started = performance.now();
  const { out, result } = await run(
    `{ type: heatmap, id: h, labels: [${labels}], order: 2, delta: ${delta}, sweep: [${delta}, ${wide}] }`,
  );
  const seconds = (performance.now() - started) / 1000;
  try {
    assertEquals(result.status, "passed", result.manifest.error);
    const o = outputsOf(result.manifest);
    const dir = `${result.dir}/analyses/h`;
    const read = async (f: string) =>
      (await readNpy(`${dir}/${f}.npy`)).data as Float64Array;
    const images = (await readNpy(`${dir}/images.npy`)).data as Float32Array;
    const H = await read("series_map");
    const d = await read("derivatives");
    const byOrder = await read("correlation_by_order");
    const byDelta = await read("correlation_by_delta");
    const net = await loadNetwork(`${result.dir}/network`);
    // P_i = y_c(x + Δ e_i) − y_c(x), here by one batch of the image and its
    // 784 perturbed copies built in the test.
    const perturbation = (x: Float32Array, c: number, step: number) => {
      const batch = new Float32Array((PIXELS + 1) * PIXELS);
      for (let i = 0; i <= PIXELS; i++) {
        batch.set(x, i * PIXELS);
        if (i > 0) batch[i * PIXELS + i - 1] += step;
      }
      const y = tf.tidy(() =>
        net.forward(tf.tensor4d(batch, [PIXELS + 1, 1, 28, 28])).dataSync()
      );
      return Float64Array.from(
        { length: PIXELS },
        (_, i) => y[(i + 1) * 10 + c] - y[c],
      );
    };
    // The same float32 images through the same network, so P matches the
    // run's to the last bit (measured: r equal to 0); 1e-9 leaves room for
    // float64 summation order.
    const tol = 1e-9;
    const apart = (what: string, a: number, b: number) =>
      assert(
        Math.abs(a - b) > 100 * tol,
        `${what}: ${a} and ${b} are too close to tell apart`,
      );
    for (const [j, c] of labels.entries()) {
      const x = images.subarray(j * PIXELS, (j + 1) * PIXELS);
      const P = perturbation(x, c, delta);
      const h = H.subarray(j * PIXELS, (j + 1) * PIXELS);
      const r = pearson(h, P);
      assertAlmostEquals(o.correlation[j], r, tol, `r of map ${j}`);
      apart(`map ${j}: cosine and r`, cosine(h, P), r);
      apart(`map ${j}: r(H, H) and r`, 1, r);
      // By order: the first-order term alone (its scale does not matter to
      // r), then the whole order-2 map.
      const d1 = d.subarray(j * 2 * PIXELS, (j * 2 + 1) * PIXELS);
      const r1 = pearson(d1, P);
      assertAlmostEquals(byOrder[j * 2], r1, tol, `order-1 r of map ${j}`);
      assertAlmostEquals(byOrder[j * 2 + 1], r, tol, `order-2 r of map ${j}`);
      apart(`map ${j}: r of orders 1 and 2`, r1, r);
      // By Δ: the run's Δ repeats r; at Δ = 2 the series of the written
      // derivatives against a perturbation map at 2.
      const d2 = d.subarray((j * 2 + 1) * PIXELS, (j * 2 + 2) * PIXELS);
      const rWide = pearson(
        d1.map((v, i) => v * wide + d2[i] * wide ** 2 / 2),
        perturbation(x, c, wide),
      );
      assertAlmostEquals(byDelta[j * 2], r, tol, `r at Δ = ${delta}, ${j}`);
      assertAlmostEquals(byDelta[j * 2 + 1], rWide, tol, `r at Δ = 2, ${j}`);
      apart(`map ${j}: r at Δ = ${delta} and ${wide}`, r, rWide);
      // ‖H − P‖₂ / ‖P‖₂
      const norm = (v: ArrayLike<number>) =>
        Math.sqrt(Array.from(v).reduce((a, e) => a + e * e, 0));
      const error = norm(h.map((v, i) => v - P[i])) / norm(P);
      assertAlmostEquals(o.relativeError[j], error, 1e-9 * error, "‖H − P‖");
    }
    assertEquals(o.correlationMin, Math.min(...o.correlation));
    assertAlmostEquals(
      o.correlationMean,
      (o.correlation[0] + o.correlation[1]) / 2,
      1e-15,
    );
    assertEquals(o.sweep[String(wide)].min, Math.min(byDelta[1], byDelta[3]));
    // Each map's timings are parts of the run's own wall-clock time.
    for (const t of [o.seconds.series, o.seconds.perturbation]) {
      assert(t > 0 && t < seconds, `${t} s of a ${seconds} s run`);
    }
    net.dispose();
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("heatmap analysis: top masks keep the 10 % largest pixels of each sign, scaled to 1", async () => {
  const { out, result } = await run(
    "{ type: heatmap, id: h, labels: [0], order: 2, delta: 1, ratio: 0.1 }",
  );
  try {
    assertEquals(result.status, "passed", result.manifest.error);
    const dir = `${result.dir}/analyses/h`;
    const H = (await readNpy(`${dir}/series_map.npy`)).data as Float64Array;
    for (const sign of [1, -1]) {
      const mask = (await readNpy(
        `${dir}/series_${sign > 0 ? "positive" : "negative"}.npy`,
      )).data as Float64Array;
      const signed = [...H].filter((v) => sign * v > 0).length;
      const kept = [...mask.keys()].filter((i) => mask[i] !== 0);
      assertEquals(kept.length, Math.min(78, signed), "round(0.1 · 784)");
      const largest = Math.max(...[...H].map((v) => sign * v));
      const smallestKept = Math.min(...kept.map((i) => sign * H[i]));
      for (let i = 0; i < PIXELS; i++) {
        if (mask[i] !== 0) {
          assertEquals(mask[i], H[i] / largest, `pixel ${i} scaled`);
        } else {
          assert(sign * H[i] <= smallestKept, `pixel ${i} should be kept`);
        }
      }
      assertEquals(Math.max(...mask.map((v) => sign * v)), 1);
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("heatmap analysis: networks all explains one image through each of the ten outputs", async () => {
  const { out, result } = await run(
    "{ type: heatmap, id: h, labels: [5], networks: all, order: 1 }",
  );
  try {
    assertEquals(result.status, "passed", result.manifest.error);
    const o = outputsOf(result.manifest);
    assertEquals(o.items.map((i) => i.network), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert(o.items.every((i) => i.label === 5));
    assertEquals(new Set(o.items.map((i) => i.testIndex)).size, 1);
    const P = (await readNpy(`${result.dir}/analyses/h/perturbation_map.npy`))
      .data as Float64Array;
    // Different outputs give different maps.
    assert(P[300] !== P[PIXELS + 300], "maps of networks 0 and 1 are equal");
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("heatmap analysis: a failed pick names the digit and the count", async () => {
  const { out, result } = await run(
    "{ type: heatmap, id: h, labels: [3], perDigit: 1000 }",
  );
  try {
    assertEquals(result.status, "failed");
    assert(
      /Cannot run heatmap "h": the test set has \d+ images of digit 3, perDigit asks for 1000/
        .test(result.manifest.error ?? ""),
      result.manifest.error,
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("heatmap analysis: check() and the schema reject inputs that are not MNIST-sized, Δ = 0 (also in the sweep) and repeated labels", () => {
  const error = assertThrows(() =>
    experiment(
      "{ type: heatmap }",
      "{ target: x1, box: [[0, 1]], n: 4 }",
    )
  );
  assert(
    error.message.includes(
      "expected 28×28 images (input size 784), the input size is 1",
    ),
    error.message,
  );
  assert(
    !heatmapAnalysis.schema.safeParse({ type: "heatmap", delta: 0 }).success,
  );
  assert(
    !heatmapAnalysis.schema.safeParse({ type: "heatmap", labels: [1, 1] })
      .success,
  );
  const sweep = experiment.bind(null, "{ type: heatmap, sweep: [0.5, 0] }");
  const bad = assertThrows(sweep);
  assert(
    bad.message.includes("hm.yaml") &&
      bad.message.includes("a sweep step must not be 0"),
    bad.message,
  );
});

Deno.test("heatmap analysis: run() needs MNIST data and ten outputs", async () => {
  const step = heatmapAnalysis.schema.safeParse({ type: "heatmap" });
  assert(step.success);
  const full = {
    ...(step as { data: Parameters<typeof heatmapAnalysis.run>[0] }).data,
    id: "h",
  };
  const dir = await Deno.makeTempDir();
  try {
    const test = await loadMnist({ split: "test", subset: 50 });
    const two = Network.create({
      format: "hope-network/1",
      input: [1, 28, 28],
      layers: ["Flatten", "Linear_784_2"],
    }, { seed: 1 });
    const ctx = (network: Network, data: unknown): AnalysisContext => ({
      network,
      dim: PIXELS,
      seed: 0,
      data: data as AnalysisContext["data"],
      files: new RunFiles(dir),
      dir: "analyses/h",
      log: () => {},
    });
    await assertRejects(
      () => heatmapAnalysis.run(full, ctx(two, { kind: "target" })),
      'Cannot run heatmap "h": it needs the MNIST data set (data: { dataset: mnist })',
    );
    await assertRejects(
      () =>
        heatmapAnalysis.run(
          full,
          ctx(two, { kind: "mnist", train: test, test }),
        ),
      'Cannot run heatmap "h": it needs a network with 10 outputs, this one has 2',
    );
    two.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Pearson's r, written out for the test. */
function pearson(a: Float64Array, b: Float64Array): number {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let ab = 0, aa = 0, bb = 0;
  a.forEach((v, i) => {
    ab += (v - ma) * (b[i] - mb);
    aa += (v - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  });
  return ab / Math.sqrt(aa * bb);
}

/** The cosine similarity, which Pearson's r is not (no centring). */
function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0, aa = 0, bb = 0;
  a.forEach((v, i) => {
    ab += v * b[i];
    aa += v * v;
    bb += b[i] * b[i];
  });
  return ab / Math.sqrt(aa * bb);
}
