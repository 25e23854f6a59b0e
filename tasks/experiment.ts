/**
 * `deno task experiment`: runs declarative experiments.
 *
 *     deno task experiment <name | path.yaml> [--profile ci|full] [--seed N]
 *                          [--backend wasm|cpu|tensorflow] [--out results/]
 *                          [--verify <run-folder> [--keep]]
 *                          [--resume [RUN] [--force]]
 *     deno task experiment all [options]
 *     deno task experiment list [--out results/]
 *
 * Exit status: 0 when every run passed, 1 when a run failed or its claims
 * failed (or `--verify` found a difference), 2 for bad usage or an invalid
 * experiment file.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { ANALYSES } from "../lib/experiment/analyses.ts";
import { resolveUserPath } from "../lib/cli_path.ts";
import { experimentFiles, listExperiments } from "../lib/experiment/list.ts";
import { type Experiment, loadExperiment } from "../lib/experiment/load.ts";
import { type Manifest, MANIFEST_FILE } from "../lib/experiment/manifest.ts";
import {
  EXPERIMENT_NAME_PATTERN,
  EXPERIMENT_NAME_RULE,
} from "../lib/experiment/run_folder.ts";
import { runExperiment, type RunResult } from "../lib/experiment/runner.ts";
import { checkFiles, compareRuns } from "../lib/experiment/verify.ts";

/** Where the CLI writes; tests capture it. */
export interface Console {
  /**
   * Prints a line to standard output.
   *
   * @param line The text.
   */
  out(line: string): void;
  /**
   * Prints a line to standard error.
   *
   * @param line The text.
   */
  err(line: string): void;
}

const RUN_HELP = `Usage: deno task experiment <name | path.yaml> [options]
       deno task experiment all [options]
       deno task experiment list [--out DIR]

Runs a declarative experiment and writes
<out>/<name>/<UTC-stamp>-<config-hash>/ with manifest.json (the sha-256 of
every other file included), .npy arrays, SVG figures and index.html;
<out>/<name>/latest points to the newest complete run.

The experiment is a name (experiments/<name>.yaml or .yml in the project) or
a path to a .yaml or .yml file. A file outside experiments/, even outside the
project, runs the same way: its pretrained: paths are relative to the project
folder and must stay inside it, its results go to <out>/<name>/ (name: field,
else the file name), and "all" and "list" do not see it.

Paths you type (the YAML file, --out, --verify) are relative to the folder
you type the command in; messages print absolute paths.

Commands:
  <name | path.yaml>  run one experiment
  all                 run every experiments/*.yaml in name order
  list                list the experiments with their last run and its status

Options:
  --profile NAME      apply a profile of the file (ci, full)
  --seed N            replace the file's seed
  --backend NAME      wasm (default), cpu or tensorflow; also HOPE_BACKEND
  --out DIR           results folder (default: results in the project)
  --verify RUN        check RUN (a run folder): its files against the sha-256
                      list of its manifest.json, then re-run its configuration
                      in a temporary folder and compare every file, claims and
                      results with it; only the run name, start and end,
                      measured times and speeds, the git commit, versions
                      and backend may differ
  --keep              with --verify: keep the re-run as a new run in --out
                      (latest moves to it); without, nothing is left behind
  --resume [RUN]      continue an interrupted run (its id, default the newest
                      with checkpoints) from its training checkpoints in
                      <out>/<name>/.checkpoints/; it ends bit-identical to an
                      uninterrupted run. Refused when the configuration, the
                      hope-ts version or the backend differ
  --force             with --resume: continue on another backend (recorded in
                      the manifest's segments)
  -h, --help          show this help (also after a command)

Analysis types: ${
  Object.values(ANALYSES).map((a) => `${a.type} (${a.summary})`).join("; ")
}.

Exit status: 0 passed; 1 a run failed, its claims failed, or --verify found a
difference; 2 bad usage or an invalid experiment file.`;

const LIST_HELP = `Usage: deno task experiment list [--out DIR]

Lists experiments/*.yaml: name, description, the last run and its status
(passed, claims-failed, failed, running, or never). The temporary folder of
a run that was killed is not a run; the next run of the experiment removes it.

Options:
  --out DIR    results folder (default: results)
  -h, --help   show this help`;

const ALL_HELP =
  `Usage: deno task experiment all [--profile NAME] [--seed N] [--backend NAME] [--out DIR]

Runs every experiments/*.yaml in name order, then prints one line per
experiment. Exit status 1 if any run did not pass.

Options: as for a single experiment (see deno task experiment --help).`;

/**
 * Runs the command line.
 *
 * @param args The arguments after `deno task experiment`.
 * @param options `root`: the project folder (default the working
 *   directory); `console`: where to print (default stdout/stderr).
 * @returns The exit status.
 * @example
 * ```ts
 * import { main } from "./experiment.ts";
 * const lines: string[] = [];
 * const code = await main(["--help"], {
 *   console: { out: (l) => lines.push(l), err: (l) => lines.push(l) },
 * });
 * if (code !== 0 || !lines.join("\n").includes("Usage:")) throw new Error();
 * ```
 */
export async function main(
  args: string[],
  options: { root?: string; console?: Console } = {},
): Promise<number> {
  const io = options.console ?? {
    out: (l: string) => console.log(l),
    err: (l: string) => console.error(l),
  };
  const root = resolve(options.root ?? Deno.cwd());
  let parsed;
  try {
    parsed = parseArgs({
      args: optionalResumeValue(args),
      allowPositionals: true,
      strict: true,
      options: {
        profile: { type: "string" },
        seed: { type: "string" },
        backend: { type: "string" },
        out: { type: "string" },
        verify: { type: "string" },
        keep: { type: "boolean" },
        resume: { type: "string" },
        force: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    io.err(
      `Cannot parse arguments "${args.join(" ")}": ${(err as Error).message}`,
    );
    io.err("Run `deno task experiment --help` for usage.");
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || command === undefined) {
    io.out(
      command === "list" ? LIST_HELP : command === "all" ? ALL_HELP : RUN_HELP,
    );
    return command === undefined && !values.help ? 2 : 0;
  }
  if (positionals.length > 1) {
    io.err(
      `Cannot run "${
        positionals.join(" ")
      }": expected one experiment name or path, got ${positionals.length}`,
    );
    return 2;
  }
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!/^\d+$/.test(values.seed) || !Number.isSafeInteger(seed)) {
      io.err(
        `Cannot use seed "${values.seed}": expected a non-negative integer`,
      );
      return 2;
    }
  }
  const out = values.out === undefined
    ? `${root}/results`
    : resolveUserPath(values.out);
  if (
    (command === "list" || command === "all") && values.verify !== undefined
  ) {
    io.err(
      `Cannot use "--verify" with "${command}": it checks one run (deno task experiment <name> --verify RUN)`,
    );
    return 2;
  }
  if (values.keep && values.verify === undefined) {
    io.err('Cannot use "--keep": it applies only with --verify RUN');
    return 2;
  }
  if (values.resume !== undefined && values.verify !== undefined) {
    io.err(
      'Cannot use "--resume" with "--verify": verify re-runs from the start',
    );
    return 2;
  }
  if (
    values.resume !== undefined && (command === "list" || command === "all")
  ) {
    io.err(`Cannot use "--resume" with "${command}": it continues one run`);
    return 2;
  }
  if (values.force && values.resume === undefined) {
    io.err('Cannot use "--force": it applies only with --resume');
    return 2;
  }
  if (command === "list") return await list({ root, out, io });
  const runOptions = {
    root,
    out,
    backend: values.backend,
    log: io.out,
  };
  if (command === "all") {
    const files = await experimentFiles(root);
    if (files.length === 0) {
      io.err(
        `Cannot run all experiments: ${root}/experiments has no .yaml files`,
      );
      return 2;
    }
    const summary: string[] = [];
    let worst = 0;
    for (const file of files) {
      const code = await runOne(file, {
        ...runOptions,
        profile: values.profile,
        seed,
        io,
        summary,
      });
      worst = Math.max(worst, code);
    }
    io.out("");
    for (const line of summary) io.out(line);
    return worst;
  }
  const found = await findExperiment(command, root);
  if ("error" in found) {
    io.err(found.error);
    return 2;
  }
  if (values.verify !== undefined) {
    return await verify(found.file, {
      ...runOptions,
      run: resolveUserPath(values.verify),
      keep: values.keep ?? false,
      io,
    });
  }
  return await runOne(found.file, {
    ...runOptions,
    profile: values.profile,
    seed,
    io,
    resume: values.resume,
    force: values.force,
  });
}

/** A run id, as `--resume` takes it. */
const RESUME_VALUE = /^(latest|\d{8}T\d{6}Z-[0-9a-f]{8}(-\d+)?)$/;

/**
 * `--resume` takes an optional run id: a bare `--resume` (followed by
 * nothing, an option or an experiment name) means `--resume=latest`.
 */
function optionalResumeValue(args: string[]): string[] {
  return args.map((arg, i) =>
    arg === "--resume" && !RESUME_VALUE.test(args[i + 1] ?? "")
      ? "--resume=latest"
      : arg
  );
}

/**
 * The file a command names: a bare name is looked up in
 * `<root>/experiments/`, anything with a slash or a YAML extension is a path
 * from the caller's folder.
 */
async function findExperiment(
  command: string,
  root: string,
): Promise<{ file: string } | { error: string }> {
  const cannot = `Cannot run experiment "${command}"`;
  const yaml = /\.ya?ml$/.test(command);
  if (!yaml && command.includes("/")) {
    return {
      error:
        `${cannot}: expected a name from ${root}/experiments or a path to a .yaml or .yml file`,
    };
  }
  if (!yaml && !EXPERIMENT_NAME_PATTERN.test(command)) {
    return {
      error: `${cannot}: an experiment name is ${EXPERIMENT_NAME_RULE}`,
    };
  }
  const tried = yaml ? [resolveUserPath(command)] : [
    `${root}/experiments/${command}.yaml`,
    `${root}/experiments/${command}.yml`,
  ];
  for (const file of tried) {
    try {
      if ((await Deno.stat(file)).isFile) return { file };
    } catch {
      // try the next candidate
    }
  }
  const names = (await experimentFiles(root)).map((f) =>
    f.replace(/^.*\//, "").replace(/\.ya?ml$/, "")
  );
  return {
    error: `${cannot}: no file ${
      tried.join(" or ")
    }; available experiments in ${root}/experiments: ${
      names.length ? names.join(", ") : "(none)"
    }`,
  };
}

interface RunOneOptions {
  root: string;
  out: string;
  backend?: string;
  log: (line: string) => void;
  profile?: string;
  seed?: number;
  io: Console;
  summary?: string[];
  resume?: string;
  force?: boolean;
}

async function runOne(file: string, o: RunOneOptions): Promise<number> {
  let experiment: Experiment;
  try {
    experiment = await loadExperiment(file, {
      root: o.root,
      profile: o.profile,
      seed: o.seed,
    });
  } catch (err) {
    o.io.err((err as Error).message);
    o.summary?.push(`${file}: invalid`);
    return 2;
  }
  let result: RunResult;
  try {
    result = await runExperiment(experiment, o);
  } catch (err) {
    o.io.err((err as Error).message);
    o.summary?.push(`${experiment.name}: not run`);
    return 2;
  }
  o.summary?.push(`${experiment.name}: ${result.status} (${result.dir})`);
  if (result.status === "failed") {
    o.io.err(
      `Cannot complete experiment "${experiment.name}": ${
        result.manifest.error ?? "unknown error"
      }`,
    );
  }
  return result.status === "passed" ? 0 : 1;
}

async function verify(
  file: string,
  o: RunOneOptions & { run: string; keep: boolean },
): Promise<number> {
  const cannot = `Cannot verify run "${o.run}"`;
  let manifest: Manifest;
  let dir: string;
  try {
    // the real folder: with --keep, a RUN given as .../latest moves
    dir = await Deno.realPath(o.run);
    manifest = JSON.parse(await Deno.readTextFile(`${dir}/${MANIFEST_FILE}`));
  } catch (err) {
    o.io.err(
      `${cannot}: no readable ${MANIFEST_FILE} (${(err as Error).message})`,
    );
    return 2;
  }
  const experiment = await loadExperiment(file, { root: o.root }).catch(
    (err: Error) => err,
  );
  if (experiment instanceof Error) {
    o.io.err(experiment.message);
    return 2;
  }
  if (experiment.name !== manifest.name) {
    o.io.err(
      `${cannot}: it is a run of "${manifest.name}", not "${experiment.name}"`,
    );
    return 2;
  }
  const problems = await checkFiles(dir, manifest);
  const replay: Experiment = {
    ...experiment,
    profile: manifest.profile,
    config: manifest.config,
  };
  // unless kept, the re-run goes to a temporary results folder, so that
  // verifying neither moves latest nor leaves a run behind
  const out = o.keep
    ? o.out
    : await Deno.makeTempDir({ prefix: "hope-verify-" });
  o.io.out(
    `Re-running ${manifest.run} (seed ${manifest.seed}) to verify ${dir}`,
  );
  try {
    let result: RunResult;
    try {
      result = await runExperiment(replay, {
        ...o,
        out,
        backend: o.backend ?? manifest.backend?.name,
      });
    } catch (err) {
      o.io.err((err as Error).message);
      return 2;
    }
    if (result.status === "failed") {
      o.io.err(
        `${cannot}: the re-run failed: ${
          result.manifest.error ?? "unknown error"
        }`,
      );
      return 1;
    }
    const cmp = await compareRuns(dir, result.dir);
    for (const p of problems) o.io.out(`  changed since the run: ${p}`);
    for (const p of cmp.different) o.io.out(`  differs: ${p}`);
    for (const p of cmp.missing) o.io.out(`  missing from the re-run: ${p}`);
    for (const p of cmp.extra) o.io.out(`  only in the re-run: ${p}`);
    for (const n of cmp.notes) o.io.out(`  note: ${n}`);
    const count = problems.length + cmp.different.length +
      cmp.missing.length + cmp.extra.length;
    o.io.out(
      count === 0
        ? `Verified ${dir}: every file matches its sha-256 in ${MANIFEST_FILE}, and the re-run reproduces ${cmp.identical.length} files bit for bit and ${cmp.equivalent.length} JSON files (${MANIFEST_FILE} included) but for run name, times, speeds and environment${
          cmp.skipped.length
            ? `; ${cmp.skipped.join(", ")} is checked by its sha-256 only`
            : ""
        }`
        : `Not verified ${dir}: ${count} difference${
          count === 1 ? "" : "s"
        } (listed above)`,
    );
    if (o.keep) o.io.out(`The re-run is kept: ${result.dir}`);
    return count === 0 ? 0 : 1;
  } finally {
    if (!o.keep) await Deno.remove(out, { recursive: true }).catch(() => {});
  }
}

async function list(
  o: { root: string; out: string; io: Console },
): Promise<number> {
  const entries = await listExperiments({ root: o.root, out: o.out });
  if (entries.length === 0) {
    o.io.out(`No experiments in ${o.root}/experiments yet.`);
    return 0;
  }
  const rows = entries.map((e) => [
    e.name,
    e.lastRun?.run ?? "never",
    e.lastRun?.status ?? "-",
    e.description.length > 70
      ? e.description.slice(0, 69) + "…"
      : e.description,
  ]);
  const head = ["NAME", "LAST RUN", "STATUS", "DESCRIPTION"];
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => r[i].length))
  );
  const line = (r: string[]) =>
    r.map((c, i) => i === r.length - 1 ? c : c.padEnd(widths[i])).join("  ");
  o.io.out(line(head));
  for (const r of rows) o.io.out(line(r));
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
