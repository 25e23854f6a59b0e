/**
 * Experiment runs under faults: killed in every stage (SIGKILL, SIGINT,
 * SIGTERM), two runs of one experiment at once, and a full disk. Each case
 * checks that earlier runs, `latest` and the user's own files are
 * untouched and that no partial run looks like a run.
 */

import { listExperiments } from "../../lib/experiment/list.ts";
import { loadExperiment } from "../../lib/experiment/load.ts";
import type { Manifest } from "../../lib/experiment/manifest.ts";
import { RUN_ID_PATTERN } from "../../lib/experiment/run_id.ts";
import { runExperiment } from "../../lib/experiment/runner.ts";
import type { WriteFile } from "../../lib/experiment/run_files.ts";
import {
  claimTempFolder,
  removeStaleRuns,
  tempFolderIsLive,
} from "../../lib/experiment/stale_runs.ts";
import { assert, assertEquals } from "../_assert.ts";
import { ExperimentProcess as Run } from "./_process.ts";
import { entries, snapshot } from "./_tree.ts";

const quiet = () => {};

/** Every stage of {@linkcode EXPERIMENT}, in order; `report` writes the page and manifest. */
const STAGES = [
  "data",
  "network",
  "train",
  "save-network",
  "analysis:expand",
  "figures",
  "claims",
  "report",
];

/** A run of about a second that passes through every kind of stage. */
const EXPERIMENT = `name: f
description: fault suite
seed: 3
data: { target: x1 * x2, box: [[-1, 1], [-1, 1]], sampling: grid, n: 4 }
network: { layers: [Linear_2_4, Tanh, Linear_4_1] }
train: { epochs: 2, batchSize: 8 }
analyses: [{ type: expand, points: [[0, 0]], order: 2 }]
figures: [{ kind: loss }]
claims: [{ name: finite, value: /analyses/expand/points/0/value, above: -100 }]
`;

/** A project with `experiments/f.yaml`, one earlier run and a user's file. */
async function project(): Promise<
  { root: string; yaml: string; out: string; base: string; first: string }
> {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/experiments`);
  const yaml = `${root}/experiments/f.yaml`;
  await Deno.writeTextFile(yaml, EXPERIMENT);
  const out = `${root}/results`;
  const run = await runExperiment(await loadExperiment(yaml, { root }), {
    root,
    out,
    log: quiet,
    progress: "none",
  });
  assertEquals(run.status, "passed", run.manifest.error);
  await Deno.writeTextFile(`${out}/f/notes.txt`, "the user's own file\n");
  return { root, yaml, out, base: `${out}/f`, first: run.manifest.run };
}

/**
 * The hidden entries a run left in its experiment's folder, but for
 * `.checkpoints`, which keeps an interrupted or failed run's training
 * checkpoints for `--resume` by design (docs/checkpoints.md).
 */
async function leftovers(dir: string): Promise<string[]> {
  return (await entries(dir)).filter((n) =>
    n.startsWith(".") && n !== ".checkpoints"
  );
}

/** Every file and link of an experiment's folder but its hidden entries. */
const BASE = { skipHidden: true, links: true };

/**
 * Runs the experiment held in `stage`, signals it there, and checks that
 * nothing but its own temporary folder changed.
 */
async function killIn(
  p: Awaited<ReturnType<typeof project>>,
  stage: string,
  signal: Deno.Signal,
): Promise<{ run: Run; code: Deno.CommandStatus }> {
  const before = await snapshot(p.base, BASE);
  const run = new Run([p.yaml, "--out", p.out], { HOPE_TEST_HOLD_IN: stage });
  await run.waitFor(`[${stage}] held`);
  run.child.kill(signal);
  const code = await run.status();
  assertEquals(await snapshot(p.base, BASE), before, `${signal} in ${stage}`);
  assertEquals(await Deno.readLink(`${p.base}/latest`), p.first);
  const visible = (await entries(p.base)).filter((n) => !n.startsWith("."));
  assertEquals(visible, [p.first, "latest", "notes.txt"], "no new run folder");
  const [entry] = await listExperiments({ root: p.root, out: p.out });
  assertEquals(
    entry.lastRun?.run,
    p.first,
    `list shows the earlier run after ${signal} in ${stage}`,
  );
  assertEquals(entry.lastRun?.status, "passed");
  return { run, code };
}

Deno.test("experiment run interrupted (SIGINT) in every stage says what it stopped and kept, and removes its folder", async () => {
  const p = await project();
  for (const stage of STAGES) {
    const { run, code } = await killIn(p, stage, "SIGINT");
    assertEquals(code.code, 130, run.output);
    assert(
      run.output.includes(
        `Interrupted (SIGINT) in stage "${stage}" of experiment "f": removed its unfinished folder ${p.base}/.tmp-`,
      ),
      run.output,
    );
    assert(
      run.output.includes(
        `Kept 1 earlier run in ${p.base}; latest still points to ${p.first}.`,
      ),
      run.output,
    );
    assertEquals(
      await leftovers(p.base),
      [],
      `nothing left after SIGINT in ${stage}`,
    );
    // Once training has written a checkpoint the run can be continued.
    assertEquals(
      run.output.includes("--resume"),
      STAGES.indexOf(stage) > STAGES.indexOf("train"),
      run.output,
    );
  }
});

Deno.test("experiment run interrupted by SIGTERM exits with 143 and removes its folder", async () => {
  const p = await project();
  const { run, code } = await killIn(p, "analysis:expand", "SIGTERM");
  assertEquals(code.code, 143, run.output);
  assert(run.output.includes(`Interrupted (SIGTERM)`), run.output);
  assertEquals(await leftovers(p.base), []);
});

Deno.test("experiment run killed (SIGKILL) in every stage leaves a folder the next run removes", async () => {
  const p = await project();
  let left: string | null = null;
  for (const stage of STAGES) {
    const { run, code } = await killIn(p, stage, "SIGKILL");
    assertEquals(code.signal, "SIGKILL");
    if (left !== null) {
      assert(
        run.output.includes(
          `Removed ${left}, left by an interrupted run (process `,
        ),
        `the run killed in ${stage} removed the one killed before:\n${run.output}`,
      );
    }
    const hidden = await leftovers(p.base);
    assertEquals(hidden.length, 1, `one folder left: ${hidden}`);
    left = `${p.base}/${hidden[0]}`;
    assert(!(await tempFolderIsLive(left)), "its owner is gone");
  }
  const next = new Run([p.yaml, "--out", p.out]);
  assertEquals((await next.status()).code, 0, next.output);
  assert(next.output.includes(`Removed ${left}, `), next.output);
  assertEquals(await leftovers(p.base), []);
});

Deno.test("experiment run never removes the temporary folder of a live run", async () => {
  const p = await project();
  const held = new Run([p.yaml, "--out", p.out], {
    HOPE_TEST_HOLD_IN: "analysis:expand",
  });
  try {
    await held.waitFor("[analysis:expand] held");
    const [temp] = (await entries(p.base)).filter((n) => n.startsWith(".tmp-"));
    const lines: string[] = [];
    const second = await runExperiment(
      await loadExperiment(p.yaml, { root: p.root }),
      { root: p.root, out: p.out, log: (l) => lines.push(l), progress: "none" },
    );
    assertEquals(second.status, "passed", second.manifest.error);
    assert(!lines.some((l) => l.startsWith("Removed")), lines.join("\n"));
    assert(await tempFolderIsLive(`${p.base}/${temp}`));
    assertEquals(await removeStaleRuns(p.base), []);
    const [entry] = await listExperiments({ root: p.root, out: p.out });
    assertEquals(entry.lastRun?.status, "passed", "the held run is older");
  } finally {
    held.child.kill("SIGINT");
    assertEquals((await held.status()).code, 130, held.output);
  }
});

Deno.test("tempFolderIsLive() tells a reused process id, another host and a missing owner apart", async () => {
  const temp = await Deno.makeTempDir();
  const owner = (o: object) =>
    Deno.writeTextFile(`${temp}/.owner`, JSON.stringify(o));
  await claimTempFolder(temp);
  const self = JSON.parse(await Deno.readTextFile(`${temp}/.owner`));
  assert(await tempFolderIsLive(temp), "this process");
  await owner({ ...self, start: "1" });
  assert(
    !(await tempFolderIsLive(temp)),
    "same id, another start time: the id was reused",
  );
  await owner({ ...self, pid: 2 ** 22 + 1 });
  assert(!(await tempFolderIsLive(temp)), "no such process");
  await owner({ ...self, pid: 2 ** 22 + 1, host: `not-${self.host}` });
  assert(await tempFolderIsLive(temp), "another host cannot be probed");
  await owner({ ...self, boot: "another-boot" });
  assert(!(await tempFolderIsLive(temp)), "a reboot ended every owner");
  await Deno.remove(`${temp}/.owner`);
  assert(await tempFolderIsLive(temp), "no owner yet, just created");
  await Deno.utime(temp, 0, 0);
  assert(!(await tempFolderIsLive(temp)), "no owner, untouched since 1970");
});

Deno.test("experiment runs of one experiment at once both complete in folders their manifests name", async () => {
  const p = await project();
  const runs = [0, 1].map(() => new Run([p.yaml, "--out", p.out]));
  for (const run of runs) {
    assertEquals((await run.status()).code, 0, run.output);
  }
  const folders = (await entries(p.base)).filter((n) =>
    RUN_ID_PATTERN.test(n) && n !== p.first
  );
  assertEquals(folders.length, 2, `${folders}`);
  for (const folder of folders) {
    const manifest: Manifest = JSON.parse(
      await Deno.readTextFile(`${p.base}/${folder}/manifest.json`),
    );
    assertEquals(manifest.run, folder, "the manifest names its folder");
    assertEquals(manifest.status, "passed");
  }
  assert(folders.includes(await Deno.readLink(`${p.base}/latest`)));
  assertEquals(await leftovers(p.base), []);
});

/** A writer that fails like a full disk once `path` is reached. */
function fullDiskAt(suffix: string): WriteFile {
  return async (path, data) => {
    if (path.endsWith(suffix)) {
      throw new Error("No space left on device (os error 28)");
    }
    await Deno.writeFile(path, data);
  };
}

for (
  const [file, stage] of [
    ["data/train_x.npy", "data"],
    ["analyses/expand/point0/coefficients.svg", "analysis:expand"],
    ["manifest.json", null],
  ] as const
) {
  Deno.test(`runExperiment() on a disk full at ${file} fails naming the file and loses nothing`, async () => {
    const p = await project();
    const before = await snapshot(p.base, BASE);
    const lines: string[] = [];
    const run = await runExperiment(
      await loadExperiment(p.yaml, { root: p.root }),
      {
        root: p.root,
        out: p.out,
        log: (l) => lines.push(l),
        progress: "none",
        writeFile: fullDiskAt(file),
      },
    );
    assertEquals(run.status, "failed");
    const error = run.manifest.error ?? "";
    assert(
      error.includes(
        `Cannot write "${file}" in run folder "${p.base}/.tmp-`,
      ) && error.includes("No space left on device"),
      error,
    );
    if (stage) {
      assert(error.startsWith(`Cannot run stage "${stage}"`), error);
      const names = run.manifest.stages.map((s) => s.name);
      assertEquals(names.at(-1), stage, "the failed stage is recorded last");
      assertEquals(run.manifest.stages.at(-1)?.failed, true);
      assertEquals(
        names.slice(0, -1),
        STAGES.slice(0, STAGES.indexOf(stage)),
        "the stages before it keep their timings",
      );
    }
    assert(lines.some((l) => l.includes(error)), "the console says it too");
    assertEquals(await snapshot(p.base, BASE), before);
    const hidden = await leftovers(p.base);
    assertEquals(hidden.length, 1, `${hidden}`);
    assert(hidden[0].startsWith(".failed-"), hidden[0]);
    assertEquals(`${p.base}/${hidden[0]}`, run.dir);
    const [entry] = await listExperiments({ root: p.root, out: p.out });
    assertEquals(entry.lastRun?.status, "failed", "not shown as complete");
  });
}
