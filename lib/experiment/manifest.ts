/**
 * The `manifest.json` of a run: what ran, where, how long each stage took,
 * what the claims gave, and the final status.
 *
 * @module
 */

import type { BackendInfo } from "../backend.ts";
import type { ClaimOutcome } from "./claims.ts";
import type { ExperimentConfig } from "./schema.ts";
import type { Segment } from "./resume.ts";
import { sha256Hex } from "../io/sha256.ts";

/** How a run ended. */
export type RunStatus = "passed" | "claims-failed" | "failed";

/** One timed stage. */
export interface StageTiming {
  /** `data`, `network`, `train`, `analysis:<id>`, `figures`, `claims`, … */
  name: string;
  /** Wall-clock seconds (until it failed, for a failed stage). */
  seconds: number;
  /** Present on the stage that failed (the last one of a failed run). */
  failed?: true;
}

/** The content of `manifest.json`. */
export interface Manifest {
  /** Always `"hope-run/1"`. */
  format: "hope-run/1";
  /** Experiment name. */
  name: string;
  /** Experiment description. */
  description: string;
  /** The YAML file, relative to the project when inside it. */
  file: string;
  /** The profile applied, or null. */
  profile: string | null;
  /** The run's seed. */
  seed: number;
  /** The run folder's name, `<stamp>-<hash>`. */
  run: string;
  /** The configuration hash. */
  configHash: string;
  /** The resolved configuration. */
  config: ExperimentConfig;
  /** The git commit of the project, or `"unknown"` outside git. */
  gitCommit: string;
  /** Whether the work tree had uncommitted changes (null outside git). */
  gitDirty: boolean | null;
  /** Versions of the pieces that computed the numbers. */
  versions: { hope: string; deno: string; v8: string; tfjs: string };
  /** The backend and its thread count. */
  backend: BackendInfo | null;
  /** ISO start time. */
  started: string;
  /** ISO end time. */
  finished: string;
  /** Stage timings, in order. */
  stages: StageTiming[];
  /** Every claim's outcome. */
  claims: ClaimOutcome[];
  /** The outputs claims point into. */
  outputs: Record<string, unknown>;
  /**
   * Every file of the run but `manifest.json` itself (which cannot hold its
   * own hash), sorted by path: what `--verify` checks the folder against.
   */
  files: FileHash[];
  /** How the run ended. */
  status: RunStatus;
  /**
   * The processes a run that trains took, in order (one unless it was
   * interrupted and resumed).
   */
  segments?: Segment[];
  /** The error of a failed run. */
  error?: string;
}

/** One file of a run and its SHA-256. */
export interface FileHash {
  /** Path relative to the run folder, `/`-separated. */
  path: string;
  /** Size in bytes. */
  bytes: number;
  /** SHA-256 of the content, 64 lowercase hex digits. */
  sha256: string;
}

/** The manifest's own file name, the one file {@linkcode hashFiles} leaves out. */
export const MANIFEST_FILE = "manifest.json";

/**
 * Hashes every file of a run folder except `manifest.json`, reading what is
 * on disk (not what was meant to be written).
 *
 * @param dir The run folder.
 * @returns One entry per file, sorted by path.
 * @throws {Error} `Cannot hash run folder "<dir>": <why>` when it cannot be
 *   read.
 * @example
 * ```ts
 * import { hashFiles } from "./manifest.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/a`);
 * await Deno.writeTextFile(`${dir}/a/x.txt`, "abc");
 * await Deno.writeTextFile(`${dir}/manifest.json`, "{}");
 * const [entry, ...rest] = await hashFiles(dir);
 * if (rest.length || entry.path !== "a/x.txt" || entry.bytes !== 3) throw new Error();
 * // sha256("abc"), as printed by `sha256sum`
 * if (!entry.sha256.startsWith("ba7816bf8f01cfea")) throw new Error(entry.sha256);
 * ```
 */
export async function hashFiles(dir: string): Promise<FileHash[]> {
  const out: FileHash[] = [];
  const walk = async (rel: string) => {
    for await (const e of Deno.readDir(rel ? `${dir}/${rel}` : dir)) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await walk(path);
      else if (path !== MANIFEST_FILE) {
        const data = await Deno.readFile(`${dir}/${path}`);
        out.push({ path, bytes: data.length, sha256: await sha256Hex(data) });
      }
    }
  };
  try {
    await walk("");
  } catch (err) {
    throw new Error(
      `Cannot hash run folder "${dir}": ${(err as Error).message}`,
    );
  }
  return out.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/**
 * The git commit of a folder, and whether its work tree is dirty.
 *
 * @param root A folder inside a git work tree (or not).
 * @returns The commit hash and dirty flag, or `"unknown"` and null.
 * @example
 * ```ts
 * import { gitState } from "./manifest.ts";
 * const dir = await Deno.makeTempDir();
 * const s = await gitState(dir);
 * if (s.commit !== "unknown" || s.dirty !== null) throw new Error(s.commit);
 * ```
 */
export async function gitState(
  root: string,
): Promise<{ commit: string; dirty: boolean | null }> {
  const git = async (...args: string[]) => {
    try {
      const out = await new Deno.Command("git", {
        args: ["-C", root, ...args],
        stdout: "piped",
        stderr: "null",
      }).output();
      return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
    } catch {
      return null;
    }
  };
  const commit = await git("rev-parse", "HEAD");
  if (commit === null || !/^[0-9a-f]{40}$/.test(commit)) {
    return { commit: "unknown", dirty: null };
  }
  const status = await git("status", "--porcelain", "--untracked-files=no");
  return { commit, dirty: status === null ? null : status.length > 0 };
}
