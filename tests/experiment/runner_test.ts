import { loadExperiment } from "../../lib/experiment/load.ts";
import type { Manifest } from "../../lib/experiment/manifest.ts";
import { readNpy } from "../../lib/io/npy.ts";
import { RUN_ID_PATTERN, runId } from "../../lib/experiment/run_id.ts";
import { runExperiment } from "../../lib/experiment/runner.ts";
import { compareRuns } from "../../lib/experiment/verify.ts";
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { parseSvg, readTicks } from "../plot/_figure.ts";
import { byName, textOf } from "../plot/_xml.ts";
import { entries, snapshot } from "./_tree.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const UNTRAINED = `${ROOT}/tests/experiment/fixtures/untrained.yaml`;
const TINY = `${ROOT}/tests/experiment/fixtures/tiny.yaml`;
const quiet = () => {};

Deno.test("runExperiment() writes manifest, arrays, figures and report of an untrained run", async () => {
  const out = await Deno.makeTempDir();
  const exp = await loadExperiment(UNTRAINED, { root: ROOT });
  const run = await runExperiment(exp, { out, root: ROOT, log: quiet });
  assertEquals(run.status, "passed", run.manifest.error);
  assert(RUN_ID_PATTERN.test(run.dir.split("/").pop()!), run.dir);
  assertEquals(
    await Deno.readLink(`${out}/untrained/latest`),
    run.manifest.run,
  );
  const manifest: Manifest = JSON.parse(
    await Deno.readTextFile(`${run.dir}/manifest.json`),
  );
  assertEquals(manifest.status, "passed");
  assertEquals(manifest.seed, 2);
  assertEquals(manifest.file, "tests/experiment/fixtures/untrained.yaml");
  assert(
    /^[0-9a-f]{40}$|^unknown$/.test(manifest.gitCommit),
    manifest.gitCommit,
  );
  assertEquals(manifest.backend?.name, "wasm");
  assertEquals(manifest.versions.tfjs, "4.22.0");
  assertEquals(manifest.stages.map((s) => s.name), [
    "data",
    "network",
    "save-network",
    "analysis:expand",
    "analysis:global",
    "figures",
    "claims",
  ]);
  assertEquals(manifest.claims.map((c) => c.verdict), ["pass", "pass"]);
  assertEquals(manifest.config.analyses.map((a) => a.id), ["expand", "global"]);
  const files = manifest.files.map((f) => f.path);
  for (
    const f of [
      "network/network.json",
      "network/0.weight.npy",
      "data/train_x.npy",
      "analyses/expand/point1/d3.npy",
      "analyses/expand/point1/expansion.json",
      "analyses/global/coefficients.npy",
      "analyses/global/global_top.svg",
      "figures/fit.svg",
      "index.html",
    ]
  ) assert(files.includes(f), `${f} missing from ${files}`);
  const d3 = await readNpy(`${run.dir}/analyses/expand/point1/d3.npy`);
  assertEquals(d3.shape, [2, 2, 2]);
  const coefficients = await readNpy(
    `${run.dir}/analyses/global/coefficients.npy`,
  );
  assertEquals(coefficients.shape, [10, 6], "3×3 grid + the point, 6 terms");
  const svg = await Deno.readTextFile(`${run.dir}/analyses/global/global.svg`);
  assert(
    svg.startsWith("<svg") &&
      svg.includes('xmlns="http://www.w3.org/2000/svg"'),
  );
});

Deno.test("runExperiment() trains the tiny experiment end to end, bit-identically twice", async () => {
  const out = await Deno.makeTempDir();
  const exp = await loadExperiment(TINY, { root: ROOT, profile: "ci" });
  assertEquals(exp.config.train?.epochs, 50, "the ci profile applies");
  const lines: string[] = [];
  const a = await runExperiment(exp, {
    out,
    root: ROOT,
    log: (l) => lines.push(l),
    progress: "none",
  });
  assertEquals(a.status, "passed", a.manifest.error);
  const m = a.manifest;
  assertEquals(m.profile, "ci");
  assertEquals(m.stages.map((s) => s.name), [
    "data",
    "network",
    "train",
    "save-network",
    "analysis:expand",
    "figures",
    "claims",
  ]);
  const train = m.outputs.train as Record<string, number>;
  assertEquals(train.steps, 200, "256 grid points in batches of 64, 50 epochs");
  // the target has variance ≈ 0.1 on the box; a fit worth expanding is far below
  assert(train.testLoss < 5e-3, `test loss ${train.testLoss}`);
  assertEquals(m.claims.length, 1);
  assertEquals(m.claims[0].verdict, "pass");
  assert(
    Math.abs((m.claims[0].value as number) - 0.5) <= 0.1,
    `x2 coefficient ${m.claims[0].value}`,
  );
  const history = await readNpy(`${a.dir}/train/history.npy`);
  assertEquals(history.shape, [50, 3]);
  for (const f of ["figures/loss.svg", "figures/fit.svg"]) {
    const svg = await Deno.readTextFile(`${a.dir}/${f}`);
    assert(svg.startsWith("<svg"), f);
  }
  const html = await Deno.readTextFile(`${a.dir}/index.html`);
  assert(html.includes('<tr class="pass">'), "claims table");
  assert(html.includes('<img src="figures/loss.svg"'), "loss figure");
  assert(lines.some((l) => l.startsWith("[train] done in ")), lines.join("\n"));
  assert(
    lines.some((l) => l.startsWith("  (0, 0): y = ")),
    "polynomial printed",
  );

  const b = await runExperiment(exp, {
    out,
    root: ROOT,
    log: quiet,
    progress: "none",
  });
  const same = await compareRuns(a.dir, b.dir);
  assertEquals(same.different, [], same.different.join("\n"));
  assertEquals(same.missing, []);
  assert(same.identical.includes("network/4.weight.npy"), `${same.identical}`);
  assert(same.identical.includes("analyses/expand/point0/d2.npy"));
  // the comparison can fail: another seed trains other weights
  const other = await loadExperiment(TINY, {
    root: ROOT,
    profile: "ci",
    seed: 5,
  });
  const c = await runExperiment(other, {
    out,
    root: ROOT,
    log: quiet,
    progress: "none",
  });
  const differs = await compareRuns(a.dir, c.dir);
  assert(
    differs.different.includes("network/4.weight.npy"),
    `${differs.different}`,
  );
});

Deno.test("runExperiment() loses nothing when a write fails (disk full)", async () => {
  const out = await Deno.makeTempDir();
  const exp = await loadExperiment(UNTRAINED, { root: ROOT });
  const first = await runExperiment(exp, { out, root: ROOT, log: quiet });
  const before = await snapshot(`${out}/untrained`);
  const lines: string[] = [];
  const run = await runExperiment(exp, {
    out,
    root: ROOT,
    log: (l) => lines.push(l),
    writeFile: (path, data) =>
      path.endsWith("global/coefficients.npy")
        ? Promise.reject(new Error("No space left on device (os error 28)"))
        : Deno.writeFile(path, data),
  });
  assertEquals(run.status, "failed");
  assert(
    run.manifest.error?.startsWith('Cannot run stage "analysis:global" (') &&
      run.manifest.error.includes(
        ': Cannot write "analyses/global/coefficients.npy" in run folder "',
      ) &&
      run.manifest.error.endsWith(": No space left on device (os error 28)"),
    run.manifest.error,
  );
  assert(run.dir.includes("/untrained/.failed-"), run.dir);
  assertEquals(
    await Deno.readLink(`${out}/untrained/latest`),
    first.manifest.run,
  );
  const after = await snapshot(`${out}/untrained`);
  for (const [path, bytes] of before) {
    assertEquals(after.get(path), bytes, `${path} changed`);
  }
  const runs = (await entries(`${out}/untrained`)).filter((n) =>
    RUN_ID_PATTERN.test(n)
  );
  assertEquals(runs, [first.manifest.run], "no new folder looks complete");
  const failed: Manifest = JSON.parse(
    await Deno.readTextFile(`${run.dir}/manifest.json`),
  );
  assertEquals(failed.status, "failed");
});

Deno.test("runExperiment() names an output folder it cannot write, before running", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/taken`, "a file where the folder should be");
  const exp = await loadExperiment(UNTRAINED, { root: ROOT });
  await assertRejects(
    () => runExperiment(exp, { out: `${dir}/taken`, root: ROOT, log: quiet }),
    `Cannot create run folder in "${dir}/taken": `,
  );
});

Deno.test("runExperiment() reports a network that cannot load, keeping earlier runs", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/net`);
  await Deno.writeTextFile(
    `${root}/net/network.json`,
    JSON.stringify({
      format: "hope-network/1",
      input: [2],
      layers: [{ type: "Linear", in: 2, out: 1, weight: "w.npy" }],
    }),
  );
  await Deno.writeTextFile(
    `${root}/e.yaml`,
    "data: { target: x1, box: [[0, 1], [0, 1]], n: 2 }\nnetwork: { pretrained: net }\n",
  );
  const exp = await loadExperiment(`${root}/e.yaml`, { root });
  const run = await runExperiment(exp, {
    out: `${root}/results`,
    root,
    log: quiet,
  });
  assertEquals(run.status, "failed");
  assert(
    run.manifest.error?.includes('Cannot load network "'),
    run.manifest.error,
  );
  assert(run.manifest.error?.includes("w.npy"), run.manifest.error);
  assertEquals(
    (await entries(`${root}/results/e`)).filter((n) => !n.startsWith(".")),
    [],
  );
});

Deno.test("runExperiment() killed mid-run leaves the previous latest and no complete-looking folder", async () => {
  const out = await Deno.makeTempDir();
  const exp = await loadExperiment(UNTRAINED, { root: ROOT });
  const first = await runExperiment(exp, { out, root: ROOT, log: quiet });
  const before = await snapshot(`${out}/untrained`);
  const child = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tasks/experiment.ts", UNTRAINED, "--out", out],
    cwd: ROOT,
    env: { HOPE_TEST_CRASH_AFTER: "analysis:expand" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(child.stdout);
  assertEquals(child.signal, "SIGKILL", text);
  assert(text.includes("[analysis:expand] done"), text);
  assert(!text.includes("[analysis:global]"), "it died right after the stage");
  assertEquals(
    await Deno.readLink(`${out}/untrained/latest`),
    first.manifest.run,
  );
  const names = await entries(`${out}/untrained`);
  assertEquals(names.filter((n) => RUN_ID_PATTERN.test(n)), [
    first.manifest.run,
  ]);
  const left = names.filter((n) => n.startsWith(".tmp-"));
  assertEquals(left.length, 1, `${names}`);
  const leftFiles = await entries(`${out}/untrained/${left[0]}`);
  assert(
    !leftFiles.includes("manifest.json"),
    "the crashed folder has no manifest",
  );
  const after = await snapshot(`${out}/untrained`);
  for (const [path, bytes] of before) {
    assertEquals(after.get(path), bytes, path);
  }
});

Deno.test("runExperiment() trains on an MNIST subset and records its accuracy", async () => {
  const root = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${root}/m.yaml`,
    [
      "data: { dataset: mnist, train: 600, test: 200 }",
      "network: { layers: [Flatten, Linear_784_16, Tanh, Linear_16_10] }",
      "train: { epochs: 2, lr: 0.005, batchSize: 50 }",
      "claims: [{ name: learns, value: /train/testAccuracy, above: 0.5 }]",
    ].join("\n"),
  );
  const exp = await loadExperiment(`${root}/m.yaml`, { root });
  const run = await runExperiment(exp, {
    out: `${root}/results`,
    root,
    log: quiet,
    progress: "none",
  });
  assertEquals(run.status, "passed", run.manifest.error);
  assertEquals(run.manifest.outputs.data, {
    kind: "mnist",
    dim: 784,
    train: 600,
    test: 200,
  });
  const train = run.manifest.outputs.train as Record<string, number>;
  assertEquals(train.steps, 24, "600 / 50 × 2 epochs");
  // ten classes: chance is 0.1; two epochs on 600 images reach well above
  assert(train.testAccuracy > 0.5, `accuracy ${train.testAccuracy}`);
  const indices = await readNpy(`${run.dir}/data/test_indices.npy`);
  assertEquals(indices.shape, [200]);
});

Deno.test("runExperiment() loads the network a run saved, with identical expansions", async () => {
  const root = await Deno.makeTempDir();
  const text = await Deno.readTextFile(UNTRAINED);
  await Deno.writeTextFile(
    `${root}/a.yaml`,
    text.replace("name: untrained\n", ""),
  );
  const a = await runExperiment(
    await loadExperiment(`${root}/a.yaml`, { root }),
    {
      out: `${root}/results`,
      root,
      log: quiet,
    },
  );
  assertEquals(a.status, "passed", a.manifest.error);
  await Deno.writeTextFile(
    `${root}/b.yaml`,
    text.replace("name: untrained\n", "").replace(
      /network:\n( {2}.*\n)+/,
      "network:\n  pretrained: results/a/latest/network\n",
    ),
  );
  const b = await runExperiment(
    await loadExperiment(`${root}/b.yaml`, { root }),
    {
      out: `${root}/results`,
      root,
      log: quiet,
    },
  );
  assertEquals(b.status, "passed", b.manifest.error);
  const same = await compareRuns(`${a.dir}/analyses`, `${b.dir}/analyses`);
  assertEquals(same.different, []);
  assert(same.identical.includes("expand/point1/d3.npy"), `${same.identical}`);
});

Deno.test("runExperiment() lists the sha-256 of every file but the manifest in the manifest", async () => {
  const out = await Deno.makeTempDir();
  const exp = await loadExperiment(UNTRAINED, { root: ROOT });
  const run = await runExperiment(exp, { out, root: ROOT, log: quiet });
  const manifest: Manifest = JSON.parse(
    await Deno.readTextFile(`${run.dir}/manifest.json`),
  );
  const files = await snapshot(run.dir);
  files.delete("manifest.json");
  assertEquals(manifest.files.map((f) => f.path), [...files.keys()].sort());
  for (const f of manifest.files) {
    const data = await Deno.readFile(`${run.dir}/${f.path}`);
    const digest = new Uint8Array(
      await crypto.subtle.digest("SHA-256", data),
    );
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0"))
      .join("");
    assertEquals(f.sha256, hex, f.path);
    assertEquals(f.bytes, data.length, f.path);
  }
  assert(manifest.files.some((f) => f.path === "index.html"));
});

Deno.test("runExperiment() records the suffixed folder name in the manifest when a run of the same id exists", async () => {
  const out = await Deno.makeTempDir();
  const exp = await loadExperiment(UNTRAINED, { root: ROOT });
  // an id is the start second and the configuration hash: taking the ids of
  // the next 60 seconds makes the run collide whenever it starts
  const now = Date.now();
  for (let s = 0; s < 60; s++) {
    const { id } = await runId(exp.config, { date: new Date(now + s * 1000) });
    await Deno.mkdir(`${out}/untrained/${id}`, { recursive: true });
    await Deno.writeTextFile(`${out}/untrained/${id}/manifest.json`, "{}");
  }
  const run = await runExperiment(exp, { out, root: ROOT, log: quiet });
  assertEquals(run.status, "passed", run.manifest.error);
  const name = run.dir.split("/").pop()!;
  assert(name.endsWith("-2") && RUN_ID_PATTERN.test(name), name);
  assertEquals(run.manifest.run, name);
  const manifest: Manifest = JSON.parse(
    await Deno.readTextFile(`${run.dir}/manifest.json`),
  );
  assertEquals(manifest.run, name);
  const html = await Deno.readTextFile(`${run.dir}/index.html`);
  assert(html.includes(`<title>untrained · ${name}</title>`), "page title");
  assertEquals(await Deno.readLink(`${out}/untrained/latest`), name);
});

Deno.test("runExperiment() loss figure shows the training and the test-set loss per epoch, at integer epochs", async () => {
  const dir = await Deno.makeTempDir();
  const yaml = `${dir}/loss.yaml`;
  await Deno.writeTextFile(
    yaml,
    (await Deno.readTextFile(TINY)).replace("epochs: 100", "epochs: 3"),
  );
  const exp = await loadExperiment(yaml, { root: ROOT });
  const run = await runExperiment(exp, {
    out: dir,
    root: ROOT,
    log: quiet,
    progress: "none",
  });
  // three epochs do not fit the claim; the figure is what is checked
  assertEquals(run.status, "claims-failed", run.manifest.error);
  const svg = await Deno.readTextFile(`${run.dir}/figures/loss.svg`);
  const root = parseSvg(svg);
  assertEquals(byName(root, "path", "series").length, 2, "two loss curves");
  const legend = byName(byName(root, "g", "legend")[0], "text").map(textOf);
  assertEquals(legend, ["training", "validation (test set)"]);
  const epochs = readTicks(root, "bottom").map((t) => t.label);
  assertEquals(epochs, ["1", "2", "3"], "integer epoch ticks");
  const train = run.manifest.outputs.train as Record<string, number[]>;
  assertEquals(train.testHistory.length, 3, "one test loss per epoch");
  await Deno.remove(dir, { recursive: true });
});
