/**
 * Bit-for-bit comparison of the `.npy` files of two runs: the check behind
 * `deno task experiment <name> --verify <run-folder>`.
 *
 * @module
 */

/** The outcome of comparing two runs. */
export interface RunComparison {
  /** `.npy` paths (relative) with identical bytes in both runs. */
  identical: string[];
  /** Paths present in both whose bytes differ. */
  different: string[];
  /** Paths of the first run missing from the second. */
  missing: string[];
  /** Paths of the second run missing from the first. */
  extra: string[];
}

/**
 * Compares every `.npy` file of run `a` with run `b`, byte by byte.
 *
 * @param a The reference run folder.
 * @param b The new run folder.
 * @returns Which files are identical, different, missing or extra.
 * @throws {Error} `Cannot compare runs "<a>": <why>` when a folder cannot be read.
 * @example
 * ```ts
 * import { compareRuns } from "./verify.ts";
 * const a = await Deno.makeTempDir(), b = await Deno.makeTempDir();
 * await Deno.writeFile(`${a}/x.npy`, new Uint8Array([1, 2]));
 * await Deno.writeFile(`${b}/x.npy`, new Uint8Array([1, 2]));
 * const r = await compareRuns(a, b);
 * if (r.identical.join() !== "x.npy" || r.different.length) throw new Error();
 * ```
 */
export async function compareRuns(
  a: string,
  b: string,
): Promise<RunComparison> {
  const [left, right] = await Promise.all([npyFiles(a), npyFiles(b)]);
  const result: RunComparison = {
    identical: [],
    different: [],
    missing: [],
    extra: right.filter((p) => !left.includes(p)),
  };
  for (const path of left) {
    if (!right.includes(path)) {
      result.missing.push(path);
      continue;
    }
    const [x, y] = await Promise.all([
      Deno.readFile(`${a}/${path}`),
      Deno.readFile(`${b}/${path}`),
    ]);
    const same = x.length === y.length && x.every((v, i) => v === y[i]);
    (same ? result.identical : result.different).push(path);
  }
  return result;
}

async function npyFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for await (const e of Deno.readDir(rel ? `${root}/${rel}` : root)) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await walk(path);
      else if (e.isFile && e.name.endsWith(".npy")) out.push(path);
    }
  };
  try {
    await walk("");
  } catch (err) {
    throw new Error(`Cannot compare runs "${root}": ${(err as Error).message}`);
  }
  return out.sort();
}
