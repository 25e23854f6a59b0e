/**
 * What `deno task experiment list` shows: every experiment file with its
 * description and its last run.
 *
 * @module
 */

import { loadExperiment } from "./load.ts";
import { MANIFEST_FILE, type RunStatus } from "./manifest.ts";
import { RUN_ID_PATTERN } from "./run_id.ts";
import { tempFolderIsLive } from "./stale_runs.ts";

/** The last run of an experiment. */
export interface LastRun {
  /** The run folder's name. */
  run: string;
  /**
   * Its status; `running` for a run still being written. The temporary
   * folder of a process that died is no run: it is skipped (and the next
   * run of the experiment removes it).
   */
  status: RunStatus | "running";
  /** Its folder. */
  dir: string;
}

/** One row of the listing. */
export interface ExperimentEntry {
  /** Experiment name. */
  name: string;
  /** The YAML file. */
  file: string;
  /** Its description, or the load error when the file does not validate. */
  description: string;
  /** Whether the file validates. */
  valid: boolean;
  /** The newest run, or null when it never ran. */
  lastRun: LastRun | null;
}

/** Options of {@linkcode listExperiments}. */
export interface ListOptions {
  /**
   * The project folder (holds `experiments/`).
   * @default Deno.cwd()
   */
  root?: string;
  /**
   * The results folder.
   * @default `${root}/results`
   */
  out?: string;
}

/**
 * Lists `experiments/*.yaml` in name order with their last runs.
 *
 * @param options Project and results folders.
 * @returns One entry per file.
 * @example
 * ```ts
 * import { listExperiments } from "./list.ts";
 * const root = await Deno.makeTempDir();
 * if ((await listExperiments({ root })).length !== 0) throw new Error();
 * ```
 */
export async function listExperiments(
  options: ListOptions = {},
): Promise<ExperimentEntry[]> {
  const root = options.root ?? Deno.cwd();
  const out = options.out ?? `${root}/results`;
  const files = await experimentFiles(root);
  const entries: ExperimentEntry[] = [];
  for (const file of files) {
    let name = file.replace(/^.*\//, "").replace(/\.ya?ml$/, "");
    let description = "";
    let valid = true;
    try {
      const exp = await loadExperiment(file, { root });
      name = exp.name;
      description = exp.config.description;
    } catch (err) {
      valid = false;
      description = (err as Error).message.split("\n").slice(0, 2).join(" ");
    }
    entries.push({
      name,
      file,
      description,
      valid,
      lastRun: await lastRun(`${out}/${name}`),
    });
  }
  return entries;
}

/**
 * The experiment files of a project, sorted by name.
 *
 * @param root The project folder.
 * @returns Paths `root/experiments/<name>.yaml`.
 * @throws {Error} What `Deno.readDir` throws, except for a missing folder.
 * @example
 * ```ts
 * import { experimentFiles } from "./list.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/experiments`);
 * await Deno.writeTextFile(`${root}/experiments/b.yaml`, "");
 * await Deno.writeTextFile(`${root}/experiments/a.yaml`, "");
 * const names = (await experimentFiles(root)).map((f) => f.split("/").pop());
 * if (names.join() !== "a.yaml,b.yaml") throw new Error(names.join());
 * ```
 */
export async function experimentFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const e of Deno.readDir(`${root}/experiments`)) {
      if (e.isFile && /\.ya?ml$/.test(e.name)) {
        files.push(`${root}/experiments/${e.name}`);
      }
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return files.sort();
}

async function lastRun(dir: string): Promise<LastRun | null> {
  const runs: { run: LastRun; changed: number }[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isDirectory) continue;
      const m = /^\.(tmp|failed)-(.*)-[0-9a-f]{8}$/.exec(e.name);
      const id = m ? m[2] : e.name;
      if (!RUN_ID_PATTERN.test(id)) continue;
      const path = `${dir}/${e.name}`;
      let status: LastRun["status"] = "running";
      if (m?.[1] === "tmp") {
        if (!(await tempFolderIsLive(path))) continue;
      } else {
        status = await manifestStatus(path);
      }
      const changed = (await Deno.lstat(path)).mtime?.getTime() ?? 0;
      runs.push({ run: { run: id, status, dir: path }, changed });
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  // run ids stamp the second a run started; within one second, the folder
  // changed last is the newer run
  runs.sort((a, b) =>
    a.run.run < b.run.run
      ? -1
      : a.run.run > b.run.run
      ? 1
      : a.changed - b.changed
  );
  return runs.at(-1)?.run ?? null;
}

/** A run's recorded status; a failed run may have had no room for its manifest. */
async function manifestStatus(dir: string): Promise<RunStatus> {
  try {
    return JSON.parse(await Deno.readTextFile(`${dir}/${MANIFEST_FILE}`))
      .status;
  } catch {
    return "failed";
  }
}
