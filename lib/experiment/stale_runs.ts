/**
 * Who owns a run's temporary folder `.tmp-<id>-<random>` (see
 * `run_folder.ts`), so that a later run can remove the folders of processes
 * that died (SIGKILL, a power cut) and never the folder of a run still
 * going. The owner is recorded in `<temp>/.owner`: host, process id, the
 * process's start time (`/proc/<pid>/stat`, so that a reused process id is
 * not mistaken for the owner) and the kernel's boot id (a reboot kills
 * every owner).
 *
 * @module
 */

import { RUN_ID_PATTERN } from "./run_id.ts";

/** The name of the owner file inside a temporary folder. */
const OWNER_FILE = ".owner";

/**
 * A temporary folder without an owner file is treated as live for this long
 * after its last change: the owner file is written right after the folder is
 * created and removed right before it is renamed into place.
 */
const GRACE_MS = 60_000;

/** Temporary run folders (and `latest` links being swapped) of hope-ts. */
const TEMP_NAME = /^\.tmp-(.*)-[0-9a-f]{8}$/;
const LINK_NAME = /^\.latest-[0-9a-f]{8}$/;

/** The process that fills a temporary folder. */
export interface Owner {
  /** `Deno.hostname()`. */
  host: string;
  /** Process id. */
  pid: number;
  /** Field 22 of `/proc/<pid>/stat` (start time since boot), if known. */
  start: string | null;
  /** `/proc/sys/kernel/random/boot_id`, if known. */
  boot: string | null;
}

/**
 * Records this process as the owner of a temporary folder.
 *
 * @param temp The temporary folder (it exists).
 * @returns Once written.
 * @throws {Error} What `Deno.writeTextFile` throws.
 * @example
 * ```ts
 * import { claimTempFolder, tempFolderIsLive } from "./stale_runs.ts";
 * const temp = await Deno.makeTempDir();
 * await claimTempFolder(temp);
 * if (!(await tempFolderIsLive(temp))) throw new Error("this process lives");
 * ```
 */
export async function claimTempFolder(temp: string): Promise<void> {
  await Deno.writeTextFile(
    `${temp}/${OWNER_FILE}`,
    JSON.stringify(await owner(Deno.pid)) + "\n",
  );
}

/**
 * Removes the owner file before the folder becomes a run (complete or
 * failed), so that no run carries it.
 *
 * @param temp The temporary folder.
 * @returns Once removed (a missing file is fine).
 * @example
 * ```ts
 * import { claimTempFolder, releaseTempFolder } from "./stale_runs.ts";
 * const temp = await Deno.makeTempDir();
 * await claimTempFolder(temp);
 * await releaseTempFolder(temp);
 * for await (const e of Deno.readDir(temp)) throw new Error(e.name);
 * ```
 */
export async function releaseTempFolder(temp: string): Promise<void> {
  await Deno.remove(`${temp}/${OWNER_FILE}`).catch(() => {});
}

/**
 * Whether the process that owns a temporary folder may still be running.
 * Folders of another host are taken as live (their processes cannot be
 * probed from here); so is an owner-less folder changed in the last minute.
 *
 * @param temp The temporary folder.
 * @returns False only when its owner is known to be gone.
 * @example
 * ```ts
 * import { tempFolderIsLive } from "./stale_runs.ts";
 * const temp = await Deno.makeTempDir();
 * await Deno.writeTextFile(
 *   `${temp}/.owner`,
 *   JSON.stringify({ host: Deno.hostname(), pid: 2 ** 22 + 1, start: null, boot: null }),
 * );
 * if (await tempFolderIsLive(temp)) throw new Error("no such process");
 * ```
 */
export async function tempFolderIsLive(temp: string): Promise<boolean> {
  return await ownerIsLive(temp, await readOwner(temp));
}

/** {@linkcode tempFolderIsLive} for an owner file already read. */
async function ownerIsLive(
  temp: string,
  recorded: Owner | undefined,
): Promise<boolean> {
  if (recorded === undefined) return await changedWithin(temp, GRACE_MS);
  if (recorded.host !== hostname()) return true;
  if (typeof recorded.pid !== "number") return false;
  const boot = await bootId();
  if (recorded.boot !== null && boot !== null && recorded.boot !== boot) {
    return false;
  }
  if (!(await hasProc())) return await killZero(recorded.pid);
  const now = await procStat(recorded.pid);
  if (now === null || now.state === "Z") return false;
  return recorded.start === null || recorded.start === now.start;
}

/** A temporary folder or link removed by {@linkcode removeStaleRuns}. */
export interface StaleEntry {
  /** Its path. */
  path: string;
  /** The owner's process id, when recorded. */
  pid: number | null;
}

/**
 * Removes, inside one experiment's results folder, the temporary run
 * folders whose processes are gone, and `.latest-…` links left by a process
 * killed while it swapped `latest` (older than a minute). Live runs'
 * folders, runs, `latest` and anything hope-ts does not name this way are
 * never touched.
 *
 * @param base `<out>/<name>`.
 * @param options `keep`: a temporary folder never to remove (the caller's own).
 * @returns What was removed (nothing when `base` does not exist).
 * @throws {Error} What `Deno.readDir` throws, except for a missing folder.
 * @example
 * ```ts
 * import { removeStaleRuns } from "./stale_runs.ts";
 * const base = await Deno.makeTempDir();
 * const dead = `${base}/.tmp-20260101T000000Z-0123abcd-89abcdef`;
 * await Deno.mkdir(dead);
 * await Deno.writeTextFile(
 *   `${dead}/.owner`,
 *   JSON.stringify({ host: Deno.hostname(), pid: 2 ** 22 + 1, start: null, boot: null }),
 * );
 * const removed = await removeStaleRuns(base);
 * if (removed[0]?.path !== dead) throw new Error(JSON.stringify(removed));
 * ```
 */
export async function removeStaleRuns(
  base: string,
  options: { keep?: string } = {},
): Promise<StaleEntry[]> {
  const removed: StaleEntry[] = [];
  try {
    for await (const e of Deno.readDir(base)) {
      const path = `${base}/${e.name}`;
      if (path === options.keep) continue;
      const temp = TEMP_NAME.exec(e.name);
      if (e.isDirectory && temp && RUN_ID_PATTERN.test(temp[1])) {
        const recorded = await readOwner(path);
        if (await ownerIsLive(path, recorded)) continue;
        const pid = typeof recorded?.pid === "number" ? recorded.pid : null;
        if (await removeIfThere(path)) removed.push({ path, pid });
      } else if (
        e.isSymlink && LINK_NAME.test(e.name) &&
        !(await changedWithin(path, GRACE_MS))
      ) {
        if (await removeIfThere(path)) removed.push({ path, pid: null });
      }
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return removed;
}

async function owner(pid: number): Promise<Owner> {
  return {
    host: hostname(),
    pid,
    start: (await procStat(pid))?.start ?? null,
    boot: await bootId(),
  };
}

/** The state (field 3) and start time (field 22) of `/proc/<pid>/stat`. */
async function procStat(
  pid: number,
): Promise<{ state: string; start: string } | null> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    // the command name (field 2) may hold spaces and parentheses: count the
    // fields after its closing parenthesis
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0], start: fields[19] };
  } catch {
    return null;
  }
}

function bootId(): Promise<string | null> {
  return Deno.readTextFile("/proc/sys/kernel/random/boot_id").then(
    (s) => s.trim(),
    () => null,
  );
}

function hasProc(): Promise<boolean> {
  return Deno.stat("/proc/self/stat").then(() => true, () => false);
}

/** The owner file of a temporary folder, if it can be read. */
async function readOwner(temp: string): Promise<Owner | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(`${temp}/${OWNER_FILE}`));
  } catch {
    return undefined;
  }
}

/** Without /proc (macOS): `kill -0` tells whether the process exists. */
async function killZero(pid: number): Promise<boolean> {
  try {
    const out = await new Deno.Command("kill", {
      args: ["-0", String(pid)],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch {
    return true;
  }
}

/** A folder renamed away meanwhile (its run completed) counts as changed. */
async function changedWithin(path: string, ms: number): Promise<boolean> {
  try {
    const mtime = (await Deno.lstat(path)).mtime;
    return mtime === null || Date.now() - mtime.getTime() < ms;
  } catch {
    return true;
  }
}

/** Removes `path`; false when another process removed it first. */
async function removeIfThere(path: string): Promise<boolean> {
  try {
    await Deno.remove(path, { recursive: true });
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

function hostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "";
  }
}
