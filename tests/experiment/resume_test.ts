import type { Manifest } from "../../lib/experiment/manifest.ts";
import { assert, assertEquals } from "../_assert.ts";
import { ExperimentProcess } from "./_process.ts";
import { snapshot } from "./_tree.ts";

/**
 * A sine INR trained for 150 epochs of 25 steps (a few seconds): long
 * enough to be interrupted mid-training, small enough for CI.
 */
const EXPERIMENT = `name: r
description: resume
seed: 3
data: { target: x1 * x2 + sin(3 * x1), box: [[-1, 1], [-1, 1]], sampling: grid, n: 40 }
network: { layers: [Linear_2_16, Sine, Linear_16_16, Sine, Linear_16_1], init: siren }
train: { epochs: 150, batchSize: 64, optimizer: adamax, lr: 0.01 }
analyses: [{ type: expand, points: [[0, 0]], order: 3 }]
`;

async function setup(): Promise<{ yaml: string; out: string }> {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/r.yaml`, EXPERIMENT);
  return { yaml: `${dir}/r.yaml`, out: `${dir}/results` };
}

/** Runs the command to its end. */
async function run(args: string[]): Promise<{ code: number; output: string }> {
  const p = new ExperimentProcess(args);
  const status = await p.status();
  return { code: status.code, output: p.output };
}

/** Every `.npy` file of a run folder with its bytes. */
function arrays(dir: string): Promise<Map<string, string>> {
  return snapshot(dir, { only: (path) => path.endsWith(".npy") });
}

function manifest(dir: string): Manifest {
  return JSON.parse(Deno.readTextFileSync(`${dir}/manifest.json`));
}

/** Starts a run, kills it (SIGKILL) mid-training; returns its run id. */
async function killedMidTraining(yaml: string, out: string): Promise<string> {
  const first = new ExperimentProcess([yaml, "--out", out]);
  await first.waitFor("epoch  32/150");
  first.child.kill("SIGKILL");
  await first.status();
  const ids = [...Deno.readDirSync(`${out}/r/.checkpoints`)].map((e) => e.name);
  assertEquals(ids.length, 1, ids.join());
  return ids[0];
}

/** The uninterrupted run every interrupted one must match, made once. */
let reference: Promise<Map<string, string>> | undefined;
function uninterrupted(): Promise<Map<string, string>> {
  reference ??= (async () => {
    const { yaml, out } = await setup();
    const r = await run([yaml, "--out", out]);
    assertEquals(r.code, 0, r.output);
    return arrays(`${out}/r/latest`);
  })();
  return reference;
}

for (const signal of ["SIGKILL", "SIGINT"] as const) {
  Deno.test(`experiment --resume after a ${signal} mid-training ends bit-identical to an uninterrupted run`, async () => {
    const want = await uninterrupted();
    const { yaml, out } = await setup();
    const first = new ExperimentProcess([yaml, "--out", out]);
    await first.waitFor("epoch  32/150");
    first.child.kill(signal);
    const status = await first.status();
    assertEquals(status.code, signal === "SIGINT" ? 130 : 137, first.output);
    const ids = [...Deno.readDirSync(`${out}/r/.checkpoints`)].map((e) =>
      e.name
    );
    assertEquals(ids.length, 1, ids.join());
    if (signal === "SIGINT") {
      assert(
        first.output.includes(
          `continue with deno task experiment ${yaml} --resume ${ids[0]}`,
        ),
        first.output,
      );
    }
    const resumed = await run([yaml, "--out", out, "--resume"]);
    assertEquals(resumed.code, 0, resumed.output);
    assert(resumed.output.includes(`Resuming run ${ids[0]}`), resumed.output);
    const dir = `${out}/r/${ids[0]}`;
    assertEquals(await arrays(dir), want);
    const segments = manifest(dir).segments!;
    assertEquals(segments.length, 2);
    assert(segments.every((s) => s.backend === "wasm" && s.seconds >= 0));
    assertEquals(manifest(dir).run, ids[0]);
    // A complete run needs its checkpoints no more.
    assert(
      ![...Deno.readDirSync(`${out}/r`)].some((e) => e.name === ".checkpoints"),
      "checkpoints removed",
    );
  });
}

Deno.test("experiment --resume refuses another configuration or backend by name, and --force continues on another backend", async () => {
  const { yaml, out } = await setup();
  const id = await killedMidTraining(yaml, out);
  const seed = await run([yaml, "--out", out, "--resume", id, "--seed", "4"]);
  assertEquals(seed.code, 2, seed.output);
  assert(
    seed.output.includes(
      `Cannot resume run "${id}": the configuration differs (/seed)`,
    ),
    seed.output,
  );
  const cpu = await run([yaml, "--out", out, "--resume", "--backend", "cpu"]);
  assertEquals(cpu.code, 2, cpu.output);
  assert(
    cpu.output.includes("the backend differs (checkpoints wasm, now cpu;"),
    cpu.output,
  );
  const none = await run([
    yaml,
    "--out",
    out,
    "--resume",
    "20200101T000000Z-00000000",
  ]);
  assertEquals(none.code, 2, none.output);
  assert(none.output.includes(`runs with checkpoints: ${id}`), none.output);
  const forced = await run([
    yaml,
    "--out",
    out,
    "--resume",
    "--backend",
    "cpu",
    "--force",
  ]);
  assertEquals(forced.code, 0, forced.output);
  assertEquals(
    manifest(`${out}/r/${id}`).segments!.map((s) => s.backend),
    ["wasm", "cpu"],
  );
});

Deno.test("experiment --resume names a damaged checkpoint and keeps the earlier one", async () => {
  const { yaml, out } = await setup();
  const id = await killedMidTraining(yaml, out);
  const train = `${out}/r/.checkpoints/${id}/train`;
  const steps = [...Deno.readDirSync(train)].map((e) => e.name)
    .filter((n) => n.startsWith("step-"))
    .sort((a, b) => Number(b.slice(5)) - Number(a.slice(5)));
  // Two kept, or three when the kill came between writing the newest and
  // removing the oldest.
  assert(steps.length === 2 || steps.length === 3, steps.join());
  await Deno.writeTextFile(`${train}/${steps[0]}/param-0.npy`, "truncated");
  const r = await run([yaml, "--out", out, "--resume"]);
  assertEquals(r.code, 1, r.output);
  assert(
    r.output.includes(
      `Cannot read checkpoint "${train}/${
        steps[0]
      }": param-0.npy: its SHA-256 differs from the one in state.json (truncated or altered); the earlier checkpoint "${train}/${
        steps[1]
      }" is kept`,
    ),
    r.output,
  );
  assert(Deno.statSync(`${train}/${steps[1]}/state.json`).isFile);
});
