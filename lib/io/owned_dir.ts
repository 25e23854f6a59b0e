/**
 * Writing a folder of hope-ts files without ever deleting or overwriting
 * anything hope-ts did not write (docs/output_folders.md).
 *
 * A folder that hope-ts writes (an expansion, a network) is marked by a
 * record file of ours (`expansion.json`, `network.json`) that lists the
 * files it owns. Writing to a folder:
 *
 * - that does not exist: the files are written into a temporary folder beside
 *   it, which is renamed into place when complete;
 * - that is empty or holds a record of ours: the new files replace the files
 *   the old record owns (old files the new write does not produce are
 *   removed); every other file stays;
 * - that holds anything else: refused, unless `overwrite` is set, and even
 *   then only the new files are added: a file of the same name that the
 *   folder's record does not own is never replaced;
 * - that is a regular file: always refused.
 *
 * Each file is written completely under a temporary name first and renamed
 * into place, the record last, so an interrupted write never loses a file
 * that is not ours and never leaves a record describing missing files.
 *
 * @module
 */

import { basename, dirname, resolve } from "node:path";

/** Options of {@linkcode writeOwnedDir}. */
export interface OwnedDirOptions {
  /** What is written, for messages: `expansion`, `network`. */
  what: string;
  /** The record file that marks the folder as ours, e.g. `expansion.json`. */
  record: string;
  /**
   * Reads the text of an existing record file and returns the files that
   * record owns (the record itself included), or `null` when the record is
   * not one of ours.
   */
  owns: (recordText: string) => string[] | null;
  /**
   * Write into a non-empty folder that holds no record of ours (only the new
   * files are added; files of the same name are still refused).
   * @default false
   */
  overwrite?: boolean;
}

/**
 * Writes a folder of files built by `fill`, replacing only files that
 * hope-ts itself wrote there before.
 *
 * @param dir The folder to write (created when absent).
 * @param fill Writes the files (plain files, no sub-folders) into the
 *   temporary folder it is given; the record file among them.
 * @param options What is written, its record file and how to recognise it;
 *   `overwrite`.
 * @returns The absolute path of the folder written.
 * @throws {Error} `Cannot write <what> "<dir>": <why>` when `dir` is a file,
 *   holds files that are not ours (without `overwrite`), would have one of
 *   them replaced, or a write fails; nothing at `dir` is lost then.
 * @example
 * ```ts
 * import { writeOwnedDir } from "./owned_dir.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${root}/notes.txt`, "mine");
 * const options = {
 *   what: "demo",
 *   record: "demo.json",
 *   owns: (text: string) => JSON.parse(text).files,
 * };
 * const fill = (tmp: string) =>
 *   Deno.writeTextFile(`${tmp}/demo.json`, '{"files": ["demo.json"]}');
 * let refused = false;
 * await writeOwnedDir(root, fill, options).catch(() => refused = true);
 * if (!refused) throw new Error("a folder of other files must be refused");
 * await writeOwnedDir(root, fill, { ...options, overwrite: true });
 * if (Deno.readTextFileSync(`${root}/notes.txt`) !== "mine") throw new Error();
 * ```
 */
export async function writeOwnedDir(
  dir: string,
  fill: (tmp: string) => Promise<void>,
  options: OwnedDirOptions,
): Promise<string> {
  const target = resolve(dir);
  const fail = (why: string) =>
    new Error(`Cannot write ${options.what} "${target}": ${why}`);
  let info: Deno.FileInfo | null = null;
  try {
    info = await Deno.stat(target);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw fail((error as Error).message);
    }
  }
  if (info && !info.isDirectory) {
    throw fail("it is a file, not a folder; choose a folder name");
  }
  const tag = crypto.randomUUID().slice(0, 8);
  if (!info) {
    const temp = `${dirname(target)}/.${basename(target)}.tmp-${tag}`;
    await build(temp, fill, fail);
    try {
      await Deno.rename(temp, target);
    } catch (error) {
      await Deno.remove(temp, { recursive: true }).catch(() => {});
      throw fail((error as Error).message);
    }
    return target;
  }
  const entries = await names(target);
  const previous = await ownedFiles(target, entries, options);
  const foreign = entries.filter((name) => !previous.has(name));
  if (previous.size === 0 && foreign.length > 0 && !options.overwrite) {
    throw fail(
      `the folder holds files that hope-ts did not write (${
        list(foreign)
      }); choose a new or empty folder, or pass { overwrite: true } ` +
        `(--force on the command line) to add the ${options.what} beside them`,
    );
  }
  const temp = `${target}/.${options.record}.tmp-${tag}`;
  await build(temp, fill, fail);
  try {
    const written = await names(temp);
    const clash = written.filter((n) => foreign.includes(n));
    if (clash.length > 0) {
      throw fail(
        `it would replace ${
          list(clash)
        }, which hope-ts did not write; choose another folder`,
      );
    }
    const record = options.record;
    for (const name of written.filter((n) => n !== record)) {
      await Deno.rename(`${temp}/${name}`, `${target}/${name}`);
    }
    for (const name of previous) {
      if (!written.includes(name) && name !== record) {
        await Deno.remove(`${target}/${name}`).catch(() => {});
      }
    }
    if (written.includes(record)) {
      await Deno.rename(`${temp}/${record}`, `${target}/${record}`);
    }
  } catch (error) {
    throw (error instanceof Error && error.message.startsWith("Cannot write"))
      ? error
      : fail((error as Error).message);
  } finally {
    await Deno.remove(temp, { recursive: true }).catch(() => {});
  }
  return target;
}

/** Creates `temp` and fills it; on failure removes it and names the target. */
async function build(
  temp: string,
  fill: (tmp: string) => Promise<void>,
  fail: (why: string) => Error,
): Promise<void> {
  try {
    await Deno.mkdir(temp, { recursive: true });
    await fill(temp);
  } catch (error) {
    await Deno.remove(temp, { recursive: true }).catch(() => {});
    throw fail((error as Error).message);
  }
}

/** The names in a folder, sorted. */
async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) out.push(entry.name);
  return out.sort();
}

/**
 * The files of `dir` that its record owns: only plain names present in the
 * folder (a record naming `../x` or a hidden file owns nothing there).
 */
async function ownedFiles(
  dir: string,
  entries: string[],
  options: OwnedDirOptions,
): Promise<Set<string>> {
  if (!entries.includes(options.record)) return new Set();
  let owned: string[] | null = null;
  try {
    owned = options.owns(await Deno.readTextFile(`${dir}/${options.record}`));
  } catch {
    owned = null;
  }
  if (!owned) return new Set();
  const safe = owned.filter((name) =>
    typeof name === "string" && /^[^/\\.][^/\\]*$/.test(name) &&
    entries.includes(name)
  );
  return new Set([...safe, options.record]);
}

/** At most five names, quoted. */
function list(names: string[]): string {
  const shown = names.slice(0, 5).map((n) => `"${n}"`).join(", ");
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}
