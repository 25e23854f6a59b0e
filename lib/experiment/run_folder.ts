/**
 * The life of a run folder (DESIGN section 3): files are written into
 * `<out>/<name>/.tmp-<id>-<random>/`; a complete run is renamed to
 * `<out>/<name>/<id>/` and `<out>/<name>/latest` is pointed at it by
 * renaming a new symbolic link over the old one (both renames are atomic on
 * one file system). A run that fails is renamed to `.failed-<id>` and never
 * touches `latest` or earlier runs; a process killed mid-run leaves only a
 * `.tmp-…` folder. Neither hidden name looks like a run.
 *
 * @module
 */

import { RunFiles, type WriteFile } from "./run_files.ts";
import type { RunId } from "./run_id.ts";

/**
 * The names an experiment may have, since each names a folder under the
 * results folder: letters, digits, `_`, `.` and `-`, not starting with `.`
 * or `-` (so never `.`, `..`, a hidden folder or an option).
 */
export const EXPERIMENT_NAME_PATTERN: RegExp = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** What {@linkcode EXPERIMENT_NAME_PATTERN} asks for, in words. */
export const EXPERIMENT_NAME_RULE: string =
  "letters, digits, _ . - (not starting with . or -), since it names the results folder";

/** Options of {@linkcode RunFolder.open}. */
export interface OpenOptions {
  /** The experiment name (a folder under `out`). */
  name: string;
  /** The run id. */
  id: RunId;
  /**
   * How files reach the disk (tests inject failures).
   * @default Deno.writeFile
   */
  writeFile?: WriteFile;
}

/** A run being written. */
export class RunFolder {
  /** `<out>/<name>`. */
  readonly base: string;
  /** The temporary folder being filled. */
  readonly temp: string;
  /** The run id. */
  readonly id: RunId;
  /** Writes into {@linkcode RunFolder.temp}. */
  readonly files: RunFiles;

  private constructor(base: string, temp: string, options: OpenOptions) {
    this.base = base;
    this.temp = temp;
    this.id = options.id;
    this.files = new RunFiles(temp, { writeFile: options.writeFile });
  }

  /**
   * Creates the temporary folder (and `<out>/<name>` if needed).
   *
   * @param out The results folder, e.g. `results`.
   * @param options Name, id, writer.
   * @returns The open run.
   * @throws {Error} `Cannot create run folder in "<out>": <why>` when the
   *   results folder cannot be written or the name is not a safe folder
   *   name ({@linkcode EXPERIMENT_NAME_PATTERN}).
   * @example
   * ```ts
   * import { RunFolder } from "./run_folder.ts";
   * import { runId } from "./run_id.ts";
   * const out = await Deno.makeTempDir();
   * const run = await RunFolder.open(out, { name: "demo", id: await runId({}) });
   * await run.files.text("manifest.json", "{}");
   * const done = await run.complete();
   * const latest = await Deno.realPath(`${out}/demo/latest`);
   * if (latest !== await Deno.realPath(done)) throw new Error(latest);
   * ```
   */
  static async open(out: string, options: OpenOptions): Promise<RunFolder> {
    if (!EXPERIMENT_NAME_PATTERN.test(options.name)) {
      throw new Error(
        `Cannot create run folder in "${out}": the experiment name "${options.name}" must be ${EXPERIMENT_NAME_RULE}`,
      );
    }
    const base = `${out.replace(/\/+$/, "")}/${options.name}`;
    const temp = `${base}/.tmp-${options.id.id}-${randomSuffix()}`;
    try {
      await Deno.mkdir(temp, { recursive: true });
    } catch (err) {
      throw new Error(
        `Cannot create run folder in "${out}": ${(err as Error).message}`,
      );
    }
    return new RunFolder(base, temp, options);
  }

  /**
   * Renames the finished run into place and points `latest` at it. The
   * folder is named `<id>`, or `<id>-2`, `<id>-3`, … when a run with the
   * same id (same configuration, same second) is already there; `prepare`
   * is called with that name before the rename, so that the files recording
   * it (the manifest) agree with the folder. If another process takes the
   * name in between, the next name is chosen and `prepare` runs again.
   *
   * @param options `prepare`: writes the files that record the final name
   *   into {@linkcode RunFolder.temp} (default: nothing).
   * @returns The final folder `<out>/<name>/<run name>`.
   * @throws {Error} `Cannot complete run "<temp>": <why>`; the temporary
   *   folder is then left as it is and `latest` is unchanged.
   */
  async complete(
    options: { prepare?: (name: string) => Promise<void> } = {},
  ): Promise<string> {
    try {
      for (let k = 1;; k++) {
        const name = k === 1 ? this.id.id : `${this.id.id}-${k}`;
        const final = `${this.base}/${name}`;
        if (await exists(final)) continue;
        await options.prepare?.(name);
        try {
          await Deno.rename(this.temp, final);
        } catch (err) {
          // a concurrent run took the name after the check: try the next one
          if (await exists(final)) continue;
          throw err;
        }
        await this.#pointLatest(name);
        return final;
      }
    } catch (err) {
      throw new Error(
        `Cannot complete run "${this.temp}": ${(err as Error).message}`,
      );
    }
  }

  async #pointLatest(name: string): Promise<void> {
    const link = `${this.base}/.latest-${randomSuffix()}`;
    await Deno.symlink(name, link);
    try {
      await Deno.rename(link, `${this.base}/latest`);
    } catch (err) {
      await Deno.remove(link).catch(() => {});
      throw err;
    }
  }

  /**
   * Moves a failed run aside as `<out>/<name>/.failed-<id>` (kept for
   * inspection); `latest` is not touched.
   *
   * @returns The folder it now lives in (the temporary one if renaming
   *   failed too).
   */
  async abandon(): Promise<string> {
    const failed = `${this.base}/.failed-${this.id.id}-${randomSuffix()}`;
    try {
      await Deno.rename(this.temp, failed);
      return failed;
    } catch {
      return this.temp;
    }
  }
}

function randomSuffix(): string {
  return crypto.randomUUID().slice(0, 8);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
