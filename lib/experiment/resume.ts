/**
 * The checkpoints of a run, so that a long run outlives its process
 * (docs/checkpoints.md): `<out>/<name>/.checkpoints/<run-id>/` holds
 * `run.json` (the resolved configuration, backend, version, the segments run
 * so far) and `train/` (the trainer's `step-<N>/` checkpoints). A complete
 * run removes the folder; an interrupted or failed one keeps it, and
 * `deno task experiment NAME --resume [RUN]` continues it under its own run
 * id.
 *
 * @module
 */

import { hostname } from "node:os";
import { dirname } from "node:path";
import { sha256Hex } from "../io/sha256.ts";
import { canonicalJson } from "./run_id.ts";
import type { RunId } from "./run_id.ts";

/** One process's share of a run. */
export interface Segment {
  /** When the process started the run, ISO 8601. */
  started: string;
  /**
   * When it last wrote a checkpoint or finished, ISO 8601 (a process killed
   * without warning ends at its last checkpoint).
   */
  ended: string;
  /** The machine's host name. */
  host: string;
  /** The backend it trained on. */
  backend: string;
  /** Seconds from start to end. */
  seconds: number;
}

/** `run.json`: what a continuation must share, and what happened so far. */
interface RunRecord {
  format: "hope-run-checkpoints/1";
  /** The run id and the start of its first segment. */
  id: string;
  started: string;
  configHash: string;
  config: unknown;
  version: string;
  backend: string;
  segments: Segment[];
}

/** Options of {@linkcode RunCheckpoints.open}. */
export interface RunCheckpointsOptions {
  /** The id of a new run (ignored when resuming). */
  id: RunId;
  /** The resolved configuration. */
  config: unknown;
  /** The backend this process runs on. */
  backend: string;
  /** The hope-ts version. */
  version: string;
  /**
   * Continue a run: its id, or `"latest"` for the newest run of the
   * experiment that has checkpoints.
   * @default undefined (a new run)
   */
  resume?: string;
  /**
   * Continue on another backend than the checkpoints were made on.
   * @default false
   */
  force?: boolean;
}

/** The checkpoint folder of one run, and the segments of its life. */
export class RunCheckpoints {
  /** Whether this process continues an earlier one. */
  readonly resumed: boolean;
  /** The backends a continuation may change from (with `force`). */
  readonly allowChanged: string[];
  private readonly record: RunRecord;
  private readonly segment: Segment;
  private readonly root: string;
  /** Whether the folder `<root>/<id>` belongs to this run yet. */
  private reserved: boolean;

  private constructor(
    root: string,
    record: RunRecord,
    options: { resumed: boolean; backend: string; allowChanged: string[] },
  ) {
    this.root = root;
    this.reserved = options.resumed;
    this.record = record;
    this.resumed = options.resumed;
    this.allowChanged = options.allowChanged;
    const now = new Date().toISOString();
    this.segment = {
      started: now,
      ended: now,
      host: hostname(),
      backend: options.backend,
      seconds: 0,
    };
  }

  /**
   * The run's id (the first segment's, when resuming); a new run started in
   * the same second as another with the same configuration gets a `-2`
   * suffix when it reserves its folder.
   *
   * @returns The id.
   */
  get id(): string {
    return this.record.id;
  }

  /**
   * The folder of this run's checkpoints.
   *
   * @returns `<out>/<name>/.checkpoints/<id>`.
   */
  get dir(): string {
    return `${this.root}/${this.record.id}`;
  }

  /**
   * The trainer's checkpoint folder.
   *
   * @returns `<dir>/train`.
   */
  get trainDir(): string {
    return `${this.dir}/train`;
  }

  /**
   * Makes the run's checkpoint folder under a name no other run holds (two
   * runs of one configuration started in the same second share their id).
   * Called before training starts; a no-op once done or when resuming.
   *
   * @returns When the folder is this run's.
   */
  async reserve(): Promise<void> {
    if (this.reserved) return;
    await Deno.mkdir(this.root, { recursive: true });
    const id = this.record.id;
    for (let k = 2;; k++) {
      try {
        await Deno.mkdir(this.dir);
        break;
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
        this.record.id = `${id}-${k}`;
      }
    }
    this.reserved = true;
  }

  /**
   * Opens the checkpoints of a new run, or of the run to continue.
   *
   * @param base `<out>/<name>`, the experiment's results folder.
   * @param options The run's id, configuration, backend and version; which
   *   run to resume.
   * @returns The run's checkpoints.
   * @throws {Error} `Cannot resume run "<id>" …: <why>` when there is no
   *   such run, or its configuration, version or backend (without `force`)
   *   differ, naming each difference.
   * @example
   * ```ts
   * import { RunCheckpoints } from "./resume.ts";
   * const base = await Deno.makeTempDir();
   * const id = { stamp: "20260101T000000Z", hash: "0badf00d", id: "20260101T000000Z-0badf00d" };
   * const options = { id, config: { seed: 1 }, backend: "wasm", version: "0.1.0" };
   * const first = await RunCheckpoints.open(base, options);
   * await first.touch();
   * const again = await RunCheckpoints.open(base, { ...options, resume: "latest" });
   * if (again.id !== id.id || again.segments().length !== 2) throw new Error();
   * const refused = await RunCheckpoints.open(base, { ...options, config: { seed: 2 }, resume: "latest" })
   *   .then(() => false, () => true);
   * if (!refused) throw new Error("another config must be refused");
   * ```
   */
  static async open(
    base: string,
    options: RunCheckpointsOptions,
  ): Promise<RunCheckpoints> {
    const root = `${base}/.checkpoints`;
    const configHash = await sha256Hex(canonicalJson(options.config));
    if (options.resume === undefined) {
      const record: RunRecord = {
        format: "hope-run-checkpoints/1",
        id: options.id.id,
        started: new Date().toISOString(),
        configHash,
        config: options.config,
        version: options.version,
        backend: options.backend,
        segments: [],
      };
      return new RunCheckpoints(root, record, {
        resumed: false,
        backend: options.backend,
        allowChanged: [],
      });
    }
    const id = options.resume === "latest"
      ? (await runsWithCheckpoints(root))[0]
      : options.resume;
    const dir = `${root}/${id}`;
    const fail = (why: string): never => {
      throw new Error(`Cannot resume run "${id ?? options.resume}": ${why}`);
    };
    if (id === undefined) {
      fail(`no run of this experiment has checkpoints in "${root}"`);
    }
    let record: RunRecord;
    try {
      record = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
    } catch (error) {
      return fail(
        error instanceof Deno.errors.NotFound
          ? `no checkpoints at "${dir}" (runs with checkpoints: ${
            (await runsWithCheckpoints(root)).join(", ") || "none"
          })`
          : `"${dir}/run.json": ${(error as Error).message}`,
      );
    }
    const differences: string[] = [];
    if (record.configHash !== configHash) {
      differences.push(
        `the configuration differs (${
          changedPaths(record.config, options.config).join(", ")
        })`,
      );
    }
    if (record.version !== options.version) {
      differences.push(
        `the hope-ts version differs (checkpoints ${record.version}, now ${options.version})`,
      );
    }
    if (record.backend !== options.backend && !options.force) {
      differences.push(
        `the backend differs (checkpoints ${record.backend}, now ${options.backend}; --force continues on ${options.backend}, recorded in the manifest)`,
      );
    }
    if (differences.length > 0) fail(differences.join("; "));
    return new RunCheckpoints(root, record, {
      resumed: true,
      backend: options.backend,
      allowChanged: options.force ? ["backend"] : [],
    });
  }

  /**
   * The identity the trainer checks its checkpoints against.
   *
   * @returns Configuration hash, version and the first segment's backend.
   */
  identity(): Record<string, string> {
    return {
      configHash: this.record.configHash,
      version: this.record.version,
      backend: this.record.backend,
    };
  }

  /**
   * Records that this segment is alive now (called at each checkpoint and
   * at the end), writing `run.json`.
   *
   * @returns When written.
   */
  async touch(): Promise<void> {
    const now = new Date();
    this.segment.ended = now.toISOString();
    this.segment.seconds = (now.getTime() - Date.parse(this.segment.started)) /
      1000;
    await this.reserve();
    const temp = `${this.dir}/.run.json.tmp`;
    await Deno.writeTextFile(
      temp,
      JSON.stringify(
        { ...this.record, segments: this.segments() },
        null,
        1,
      ) + "\n",
    );
    await Deno.rename(temp, `${this.dir}/run.json`);
  }

  /**
   * Whether the run has checkpoints on disk (one was written, or it resumed).
   *
   * @returns True when `--resume` can continue it.
   */
  written(): boolean {
    try {
      return Deno.statSync(this.trainDir).isDirectory;
    } catch {
      return false;
    }
  }

  /**
   * The segments so far, this one last.
   *
   * @returns Earlier processes' segments and this one's.
   */
  segments(): Segment[] {
    return [...this.record.segments, { ...this.segment }];
  }

  /**
   * Removes the run's checkpoints (when the run is complete).
   *
   * @returns When removed.
   */
  async remove(): Promise<void> {
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
    // The experiment's checkpoint folder goes too once no run uses it.
    await Deno.remove(dirname(this.dir)).catch(() => {});
  }
}

/** The ids of the runs with checkpoints, newest first. */
async function runsWithCheckpoints(root: string): Promise<string[]> {
  const ids: string[] = [];
  try {
    for await (const entry of Deno.readDir(root)) {
      if (entry.isDirectory && await exists(`${root}/${entry.name}/run.json`)) {
        ids.push(entry.name);
      }
    }
  } catch {
    return [];
  }
  return ids.sort().reverse();
}

/** The JSON paths where two values differ (at most six, then a count). */
function changedPaths(a: unknown, b: unknown, path = ""): string[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  const objects = a !== null && b !== null && typeof a === "object" &&
    typeof b === "object" && Array.isArray(a) === Array.isArray(b);
  if (!objects) return [path || "/"];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out = [...keys].flatMap((k) =>
    changedPaths(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      `${path}/${k}`,
    )
  );
  return out.length > 6 ? [...out.slice(0, 6), `${out.length - 6} more`] : out;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
