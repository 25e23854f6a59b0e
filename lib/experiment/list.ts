/**
 * What `deno task experiment list` shows: every experiment file with its
 * description and its last run.
 *
 * @module
 */

import { loadExperiment } from "./load.ts";
import type { RunStatus } from "./manifest.ts";
import { RUN_ID_PATTERN } from "./run_id.ts";

/** The last run of an experiment. */
export interface LastRun {
  /** The run folder's name. */
  run: string;
  /** Its status; `incomplete` for a run that crashed or is still going. */
  status: RunStatus | "incomplete";
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
  const runs: LastRun[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isDirectory) continue;
      const m = /^\.(tmp|failed)-(.*)-[0-9a-f]{8}$/.exec(e.name);
      const id = m ? m[2] : e.name;
      if (!RUN_ID_PATTERN.test(id)) continue;
      let status: LastRun["status"] = "incomplete";
      if (m?.[1] !== "tmp") {
        try {
          const manifest = JSON.parse(
            await Deno.readTextFile(`${dir}/${e.name}/manifest.json`),
          );
          status = manifest.status;
        } catch {
          status = "incomplete";
        }
      }
      runs.push({ run: id, status, dir: `${dir}/${e.name}` });
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  runs.sort((a, b) => a.run < b.run ? -1 : a.run > b.run ? 1 : 0);
  return runs.at(-1) ?? null;
}
