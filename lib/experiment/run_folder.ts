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
   *   results folder cannot be written.
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
   * Renames the finished run into place and points `latest` at it.
   *
   * @returns The final folder `<out>/<name>/<id>`.
   * @throws {Error} `Cannot complete run "<temp>": <why>`; the temporary
   *   folder is then left as it is and `latest` is unchanged.
   */
  async complete(): Promise<string> {
    try {
      let name = this.id.id;
      for (let k = 2; await exists(`${this.base}/${name}`); k++) {
        name = `${this.id.id}-${k}`;
      }
      const final = `${this.base}/${name}`;
      await Deno.rename(this.temp, final);
      const link = `${this.base}/.latest-${randomSuffix()}`;
      await Deno.symlink(name, link);
      try {
        await Deno.rename(link, `${this.base}/latest`);
      } catch (err) {
        await Deno.remove(link).catch(() => {});
        throw err;
      }
      return final;
    } catch (err) {
      throw new Error(
        `Cannot complete run "${this.temp}": ${(err as Error).message}`,
      );
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
