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

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

/** Runs `fn` as if `deno task` had been typed in `dir`. */
async function withInitCwd(dir: string, fn: () => Promise<void>) {
  const saved = Deno.env.get("INIT_CWD");
  Deno.env.set("INIT_CWD", dir);
  try {
    await fn();
  } finally {
    if (saved === undefined) Deno.env.delete("INIT_CWD");
    else Deno.env.set("INIT_CWD", saved);
  }
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

Deno.test("main() names the absolute paths it tried for a missing experiment", async () => {
  const root = await project();
  const missing = await cli(["discovery"], root);
  assertEquals(missing.code, 2);
  assertEquals(
    missing.err,
    `Cannot run experiment "discovery": no file ${root}/experiments/discovery.yaml or ${root}/experiments/discovery.yml; available experiments in ${root}/experiments: alpha, beta`,
  );
  const empty = await Deno.makeTempDir();
  const none = await cli(["discovery"], empty);
  assert(
    none.err.endsWith(
      "available experiments in " + empty + "/experiments: (none)",
    ),
    none.err,
  );
  // paths are taken as typed, from the caller's folder, never re-suffixed
  await withInitCwd(root, async () => {
    const abs = await cli(["/nonexistent/passwd.yaml"], root);
    assertEquals(abs.code, 2);
    assert(
      abs.err.startsWith(
        'Cannot run experiment "/nonexistent/passwd.yaml": no file /nonexistent/passwd.yaml; available',
      ),
      abs.err,
    );
    const rel = await cli(["experiments/x.yml"], root);
    assert(
      rel.err.startsWith(
        `Cannot run experiment "experiments/x.yml": no file ${root}/experiments/x.yml; available`,
      ),
      rel.err,
    );
    const noExt = await cli(["experiments/alpha"], root);
    assertEquals(noExt.code, 2);
    assertEquals(
      noExt.err,
      `Cannot run experiment "experiments/alpha": expected a name from ${root}/experiments or a path to a .yaml or .yml file`,
    );
    const dots = await cli([".."], root);
    assertEquals(dots.code, 2);
    assert(
      dots.err.startsWith(
        'Cannot run experiment "..": an experiment name is letters, digits',
      ),
      dots.err,
    );
  });
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

Deno.test("main() --verify checks every file and the manifest, and leaves no run behind", async () => {
  const root = await project();
  assertEquals((await cli(["alpha"], root)).code, 0);
  const run = await Deno.realPath(`${root}/results/alpha/latest`);
  const before = await names(`${root}/results/alpha`);
  const ok = await cli(["alpha", "--verify", run], root);
  assertEquals(ok.code, 0, ok.out + ok.err);
  assert(
    new RegExp(
      `^Verified ${run}: every file matches its sha-256 in manifest.json, and the re-run reproduces \\d+ files bit for bit and \\d+ JSON files`,
      "m",
    ).test(ok.out),
    ok.out,
  );
  assertEquals(await names(`${root}/results/alpha`), before, "no new run");
  assertEquals(
    await Deno.realPath(`${root}/results/alpha/latest`),
    run,
    "latest unchanged",
  );

  const verifyAfter = async (edit: (text: string) => string, file: string) => {
    const path = `${run}/${file}`;
    const original = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, edit(original));
    try {
      return await cli(["alpha", "--verify", run], root);
    } finally {
      await Deno.writeTextFile(path, original);
    }
  };
  const edits: {
    file: string;
    edit: (text: string) => string;
    lines: string[];
  }[] = [
    // a claim value edited in the manifest: the re-run gives another value
    {
      file: "manifest.json",
      edit: (t) => t.replace('"value": 6', '"value": 7'),
      lines: [
        "  differs: manifest.json /claims/1/value: recorded 7, re-run 6",
        `Not verified ${run}: 1 difference`,
      ],
    },
    // a result edited in the manifest
    {
      file: "manifest.json",
      edit: (t) => t.replace('"train": 16', '"train": 17'),
      lines: [
        "  differs: manifest.json /outputs/data/train: recorded 17, re-run 16",
      ],
    },
    // the page edited
    {
      file: "index.html",
      edit: (t) => t.replace("</h1>", " (all good)</h1>"),
      lines: ["  changed since the run: index.html (sha-256 "],
    },
  ];
  for (const { file, edit, lines } of edits) {
    const edited = await verifyAfter(edit, file);
    assertEquals(edited.code, 1);
    for (const line of lines) assert(edited.out.includes(line), edited.out);
  }
  // an array edited: it no longer matches its hash, nor the re-run
  const npy = `${run}/network/0.weight.npy`;
  const bytes = await Deno.readFile(npy);
  bytes[bytes.length - 1] ^= 1;
  await Deno.writeFile(npy, bytes);
  const changed = await cli(["alpha", "--verify", run], root);
  assertEquals(changed.code, 1);
  assert(changed.out.includes("  differs: network/0.weight.npy"), changed.out);
  assert(
    changed.out.includes("  changed since the run: network/0.weight.npy"),
    changed.out,
  );
  bytes[bytes.length - 1] ^= 1;
  await Deno.writeFile(npy, bytes);
  assertEquals(await names(`${root}/results/alpha`), before, "no new run");

  const kept = await cli(["alpha", "--verify", run, "--keep"], root);
  assertEquals(kept.code, 0, kept.out);
  const latest = await Deno.realPath(`${root}/results/alpha/latest`);
  assert(latest !== run, "--keep keeps the re-run as the latest run");
  assert(kept.out.includes(`The re-run is kept: ${latest}`), kept.out);
  const all = await cli(["all", "--verify", run], root);
  assertEquals(all.code, 2);
  assertEquals(
    all.err,
    'Cannot use "--verify" with "all": it checks one run (deno task experiment <name> --verify RUN)',
  );
  const keepAlone = await cli(["alpha", "--keep"], root);
  assertEquals(keepAlone.code, 2);
  assertEquals(
    keepAlone.err,
    'Cannot use "--keep": it applies only with --verify RUN',
  );
});

Deno.test("main() resolves typed paths against the caller's folder (INIT_CWD)", async () => {
  const root = await project();
  await Deno.mkdir(`${root}/sub`);
  await withInitCwd(`${root}/sub`, async () => {
    const run = await cli(["../experiments/alpha.yaml", "--out", "out"], root);
    assertEquals(run.code, 0, run.err);
    const latest = await Deno.realPath(`${root}/sub/out/alpha/latest`);
    assert(run.out.includes(`Passed: ${latest}`), run.out);
    let results = true;
    await Deno.stat(`${root}/results`).catch(() => results = false);
    assertEquals(results, false, "nothing in the project's results/");
    const verified = await cli(
      ["alpha", "--verify", "out/alpha/latest", "--out", "out"],
      root,
    );
    assertEquals(verified.code, 0, verified.out + verified.err);
    assert(verified.out.includes(`Verified ${latest}:`), verified.out);
  });
});

Deno.test("main() runs a YAML file outside experiments/ as --help says, and refuses an unsafe name", async () => {
  const root = await project();
  const elsewhere = await Deno.makeTempDir();
  const text = await Deno.readTextFile(`${root}/experiments/alpha.yaml`);
  await Deno.writeTextFile(`${elsewhere}/outside.yaml`, text);
  const help = (await cli(["--help"])).out;
  assert(
    help.includes(
      "A file outside experiments/, even outside the\nproject, runs the same way",
    ),
    help,
  );
  const run = await cli([`${elsewhere}/outside.yaml`], root);
  assertEquals(run.code, 0, run.err);
  assert(
    (await names(`${root}/results/outside`)).includes("latest"),
    "results go to <out>/<name>/",
  );
  // a file called ...yaml has no safe default name: refused, nothing written
  await Deno.writeTextFile(`${elsewhere}/...yaml`, text);
  const before = await names(root);
  const dots = await cli([`${elsewhere}/...yaml`], root);
  assertEquals(dots.code, 2);
  assert(
    dots.err.includes(
      'name: no "name" field, and the file name ".." cannot name the results folder',
    ),
    dots.err,
  );
  assertEquals(await names(root), before, "nothing new in the project");
  assertEquals(
    (await names(`${root}/results`)).sort(),
    ["outside"],
    "no run and no latest link outside results/<name>",
  );
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
