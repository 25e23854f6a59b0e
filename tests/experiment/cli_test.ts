import { ANALYSES } from "../../lib/experiment/analyses.ts";
import { main } from "../../tasks/experiment.ts";
import { assert, assertEquals } from "../_assert.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const UNTRAINED = `${ROOT}/tests/experiment/fixtures/untrained.yaml`;

async function cli(
  args: string[],
  root = ROOT,
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    root,
    console: { out: (l) => out.push(l), err: (l) => err.push(l) },
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** A project folder with two experiments, one of them invalid. */
async function project(): Promise<string> {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/experiments`);
  const text = await Deno.readTextFile(UNTRAINED);
  await Deno.writeTextFile(
    `${root}/experiments/alpha.yaml`,
    text.replace("name: untrained\n", ""),
  );
  await Deno.writeTextFile(
    `${root}/experiments/beta.yaml`,
    "description: broken on purpose\nseed: x\n",
  );
  return root;
}

Deno.test("main() --help describes commands, options, analyses and exit codes", async () => {
  for (const args of [["--help"], ["-h"], ["discovery", "--help"]]) {
    const { code, out } = await cli(args);
    assertEquals(code, 0, args.join(" "));
    for (
      const part of [
        "Usage: deno task experiment <name | path.yaml> [options]",
        "deno task experiment all [options]",
        "deno task experiment list [--out DIR]",
        "--profile NAME",
        "--seed N",
        "--backend NAME      wasm (default), cpu or tensorflow",
        "--out DIR",
        "--verify RUN",
        "Analysis types: ",
        ...Object.keys(ANALYSES).map((type) => `${type} (`),
        "Exit status: 0 passed; 1",
      ]
    ) assert(out.includes(part), `${args}: missing ${part}`);
  }
  const list = await cli(["list", "--help"]);
  assertEquals(list.code, 0);
  assert(list.out.startsWith("Usage: deno task experiment list [--out DIR]"));
  const all = await cli(["all", "-h"]);
  assert(
    all.out.startsWith("Usage: deno task experiment all [--profile NAME]"),
  );
});

Deno.test("main() without arguments prints usage and fails", async () => {
  const { code, out } = await cli([]);
  assertEquals(code, 2);
  assert(out.startsWith("Usage:"));
});

Deno.test("main() says that a missing experiment does not exist yet", async () => {
  const root = await project();
  const { code, err } = await cli(["discovery"], root);
  assertEquals(code, 2);
  assertEquals(
    err,
    'Cannot run experiment "discovery": experiments/discovery.yaml does not exist yet; available experiments: alpha, beta',
  );
  const empty = await cli(["discovery"], await Deno.makeTempDir());
  assert(empty.err.endsWith("available experiments: (none)"), empty.err);
});

Deno.test("main() refuses unknown options and bad seeds", async () => {
  const bad = await cli(["alpha", "--sed", "3"]);
  assertEquals(bad.code, 2);
  assert(
    bad.err.startsWith(
      `Cannot parse arguments "alpha --sed 3": Unknown option '--sed'`,
    ),
    bad.err,
  );
  const seed = await cli(["alpha", "--seed", "1.5"]);
  assertEquals(seed.code, 2);
  assert(seed.err.includes('Cannot use seed "1.5"'), seed.err);
});

Deno.test("main() list shows each experiment's description, last run and status", async () => {
  const root = await project();
  const before = await cli(["list"], root);
  assertEquals(before.code, 0);
  const lines = before.out.split("\n");
  assert(/^NAME +LAST RUN +STATUS +DESCRIPTION$/.test(lines[0]), lines[0]);
  assert(
    /^alpha +never +- +A seeded, untrained sine network/.test(lines[1]),
    lines[1],
  );
  assert(/^beta +never +- +Cannot load experiment/.test(lines[2]), lines[2]);
  const run = await cli(["alpha"], root);
  assertEquals(run.code, 0, run.err);
  const after = (await cli(["list"], root)).out.split("\n");
  assert(
    /^alpha +\d{8}T\d{6}Z-[0-9a-f]{8} +passed +A seeded/.test(after[1]),
    after[1],
  );
});

Deno.test("main() exits 2 for an invalid file and 1 when claims fail", async () => {
  const root = await project();
  const invalid = await cli(["beta"], root);
  assertEquals(invalid.code, 2);
  assert(
    invalid.err.includes('beta.yaml:2:7 seed: expected number, got "x"'),
    invalid.err,
  );
  const text = (await Deno.readTextFile(`${root}/experiments/alpha.yaml`))
    .replace("expected: 6", "expected: 7");
  await Deno.writeTextFile(`${root}/experiments/gamma.yaml`, text);
  const failing = await cli(["gamma"], root);
  assertEquals(failing.code, 1);
  assert(failing.out.includes("Claims failed: "), failing.out);
  const manifest = JSON.parse(
    await Deno.readTextFile(`${root}/results/gamma/latest/manifest.json`),
  );
  assertEquals(manifest.status, "claims-failed", "the run is kept and marked");
});

Deno.test("main() --verify re-runs a run and compares its arrays", async () => {
  const root = await project();
  assertEquals((await cli(["alpha"], root)).code, 0);
  const run = await Deno.realPath(`${root}/results/alpha/latest`);
  const ok = await cli(["alpha", "--verify", run], root);
  assertEquals(ok.code, 0, ok.err);
  assert(
    /Verified: all \d+ \.npy files are bit-identical/.test(ok.out),
    ok.out,
  );
  const npy = `${run}/network/0.weight.npy`;
  const bytes = await Deno.readFile(npy);
  bytes[bytes.length - 1] ^= 1;
  await Deno.writeFile(npy, bytes);
  const changed = await cli(["alpha", "--verify", run], root);
  assertEquals(changed.code, 1);
  assert(changed.out.includes("  differs: network/0.weight.npy"), changed.out);
});

Deno.test("main() all runs every experiment and sums up, failing on an invalid one", async () => {
  const root = await project();
  const { code, out, err } = await cli(["all"], root);
  assertEquals(code, 2, "beta is invalid");
  const summary = out.split("\n").slice(-2);
  assert(
    /^alpha: passed \(.*\/results\/alpha\/\d{8}T\d{6}Z-[0-9a-f]{8}\)$/.test(
      summary[0],
    ),
    summary[0],
  );
  assertEquals(summary[1], `${root}/experiments/beta.yaml: invalid`);
  assert(err.includes("beta.yaml:2:7 seed: expected number"), err);
});

Deno.test("main() names an unknown backend and writes nothing", async () => {
  const root = await project();
  const { code, err } = await cli(["alpha", "--backend", "gpu"], root);
  assertEquals(code, 2);
  assert(err.startsWith('Cannot use backend "gpu"'), err);
  let exists = true;
  await Deno.stat(`${root}/results`).catch(() => exists = false);
  assertEquals(exists, false, "no results folder was created");
});
