/**
 * Writing a folder all at once: it is built under a temporary name beside
 * the target and renamed into place only when complete, so an interrupted
 * write never leaves a half-written folder and never touches what was there.
 *
 * @module
 */

/**
 * Builds a folder under a temporary name, then moves it into place,
 * replacing an existing folder of that name.
 *
 * @param dir The folder to create or replace.
 * @param fill Writes the contents into the temporary folder it is given.
 * @returns When the folder is in place.
 * @throws {Error} Whatever `fill` throws; the temporary folder is removed
 *   and an existing `dir` is left as it was.
 * @example
 * ```ts
 * import { writeDirAtomically } from "./atomic_dir.ts";
 * const root = await Deno.makeTempDir();
 * await writeDirAtomically(`${root}/out`, (tmp) => Deno.writeTextFile(`${tmp}/a.txt`, "a"));
 * if (Deno.readTextFileSync(`${root}/out/a.txt`) !== "a") throw new Error();
 * ```
 */
export async function writeDirAtomically(
  dir: string,
  fill: (tmp: string) => Promise<void>,
): Promise<void> {
  const target = dir.replace(/\/+$/, "");
  const tag = crypto.randomUUID().slice(0, 8);
  const temp = `${target}.tmp-${tag}`;
  try {
    await Deno.mkdir(temp, { recursive: true });
    await fill(temp);
    const old = `${target}.old-${tag}`;
    let hadOld = false;
    try {
      await Deno.rename(target, old);
      hadOld = true;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    await Deno.rename(temp, target);
    if (hadOld) await Deno.remove(old, { recursive: true });
  } catch (error) {
    await Deno.remove(temp, { recursive: true }).catch(() => {});
    throw error;
  }
}
