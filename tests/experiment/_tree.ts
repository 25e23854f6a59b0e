/** The sorted names of the entries of `dir`. */
export async function entries(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

/** What {@linkcode snapshot} records. */
export interface SnapshotOptions {
  /** Leave out the hidden entries of the top level. @default false */
  skipHidden?: boolean;
  /** Record symbolic links as `→ <target>`; otherwise they are left out. @default false */
  links?: boolean;
  /** Keep only the files whose path (relative to `dir`) passes. @default every file */
  only?: (path: string) => boolean;
}

/**
 * Every file under `dir` with its bytes, keyed by its path relative to
 * `dir`, to show what changed (or that nothing did).
 *
 * @param dir the folder to walk
 * @param options which entries count
 * @returns path → bytes joined by commas (or `→ <target>` for a link)
 */
export async function snapshot(
  dir: string,
  options: SnapshotOptions = {},
): Promise<Map<string, string>> {
  const { skipHidden = false, links = false, only = () => true } = options;
  const out = new Map<string, string>();
  const walk = async (rel: string) => {
    for await (const e of Deno.readDir(`${dir}/${rel}`)) {
      if (skipHidden && rel === "" && e.name.startsWith(".")) continue;
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymlink) {
        if (links) out.set(path, `→ ${await Deno.readLink(`${dir}/${path}`)}`);
      } else if (e.isDirectory) await walk(path);
      else if (e.isFile && only(path)) {
        out.set(path, (await Deno.readFile(`${dir}/${path}`)).join(","));
      }
    }
  };
  await walk("");
  return out;
}
