/**
 * Checking a run: the work behind
 * `deno task experiment <name> --verify <run-folder>`, in two parts.
 *
 * 1. {@linkcode checkFiles}: every file of the recorded run still has the
 *    SHA-256 its `manifest.json` lists (nothing was edited, added or removed
 *    since the run).
 * 2. {@linkcode compareRuns}: a re-run of the recorded configuration gives
 *    the same files: byte for byte, except what is allowed to differ
 *    between two runs of one configuration, and only that:
 *    - in `manifest.json`, the fields of {@linkcode RUN_CONTEXT_FIELDS}
 *      (the run's name, its start and end and its segments, the git commit, the versions and
 *      the backend it ran with, and the hash list, which part 1 checks and
 *      the file-by-file comparison covers); the context fields that differ
 *      are reported as notes;
 *    - in every JSON file (the manifest included), measured times and
 *      speeds: keys named `seconds` or ending in `Seconds` or `PerSecond`
 *      ({@linkcode isTiming});
 *    - `index.html`, which shows the run's name and times in its text: it is
 *      checked by part 1 only (its sha-256 in the manifest), and everything
 *      it shows comes from the files and the manifest that are compared.
 *
 * Claims and results are compared as part of `manifest.json`: a recorded
 * claim value or output that the re-run does not give is a difference.
 *
 * @module
 */

import {
  type FileHash,
  hashFiles,
  type Manifest,
  MANIFEST_FILE,
} from "./manifest.ts";

/**
 * The top-level fields of `manifest.json` that say when and where a run ran
 * (or list its files), not what it computed: a re-run may differ in them.
 */
export const RUN_CONTEXT_FIELDS: readonly string[] = [
  "run",
  "started",
  "finished",
  "segments",
  "gitCommit",
  "gitDirty",
  "versions",
  "backend",
  "files",
];

/** The page of a run, checked against its recorded SHA-256 only. */
const REPORT_FILE = "index.html";

/** Context fields worth a note when they differ (the rest always differ). */
const NOTED_FIELDS = ["gitCommit", "gitDirty", "versions", "backend"];

/** Differences listed per JSON file before the rest are counted. */
const MAX_LISTED = 5;

/** The outcome of comparing a recorded run with its re-run. */
export interface RunComparison {
  /** Paths (relative) with identical bytes in both runs. */
  identical: string[];
  /** JSON files equal apart from what may differ (see the module notes). */
  equivalent: string[];
  /**
   * What differs: a path, or for JSON files
   * `<path> <field>: recorded <value>, re-run <value>`.
   */
  different: string[];
  /** Paths of the recorded run missing from the re-run. */
  missing: string[];
  /** Paths of the re-run missing from the recorded run. */
  extra: string[];
  /** Files not compared with the re-run (`index.html`, see the notes). */
  skipped: string[];
  /** Context fields of the manifest that differ, e.g. the git commit. */
  notes: string[];
}

/**
 * Whether a JSON key holds a measured time or speed, which two runs of one
 * configuration never share.
 *
 * @param key An object key.
 * @returns True for `seconds`, `…Seconds` and `…PerSecond`.
 * @example
 * ```ts
 * import { isTiming } from "./verify.ts";
 * for (const key of ["seconds", "hopeSeconds", "samplesPerSecond"]) {
 *   if (!isTiming(key)) throw new Error(key);
 * }
 * if (isTiming("second") || isTiming("testLoss")) throw new Error();
 * ```
 */
export function isTiming(key: string): boolean {
  return key === "seconds" || /[a-z](Seconds|PerSecond)$/.test(key);
}

/**
 * Checks a run folder against the hash list of its manifest.
 *
 * @param dir The run folder.
 * @param manifest Its `manifest.json`, parsed.
 * @returns One line per file that does not match, `<path> (<why>)`;
 *   empty when every file matches.
 * @throws {Error} `Cannot hash run folder "<dir>": <why>` when the folder
 *   cannot be read.
 * @example
 * ```ts
 * import { checkFiles } from "./verify.ts";
 * import { hashFiles, type Manifest } from "./manifest.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "one");
 * const manifest = { files: await hashFiles(dir) } as Manifest;
 * if ((await checkFiles(dir, manifest)).length) throw new Error();
 * await Deno.writeTextFile(`${dir}/a.txt`, "two");
 * const [line] = await checkFiles(dir, manifest);
 * if (!line.startsWith("a.txt (sha-256 ")) throw new Error(line);
 * ```
 */
export async function checkFiles(
  dir: string,
  manifest: Manifest,
): Promise<string[]> {
  const recorded: FileHash[] = Array.isArray(manifest.files)
    ? manifest.files
    : [];
  if (recorded.length === 0 || recorded.some((f) => !f.sha256)) {
    return [
      "manifest.json (no sha-256 list of the files: written by an older hope-ts, or edited)",
    ];
  }
  const actual = new Map((await hashFiles(dir)).map((f) => [f.path, f]));
  const problems: string[] = [];
  for (const f of recorded) {
    const now = actual.get(f.path);
    if (now === undefined) {
      problems.push(`${f.path} (absent; manifest.json lists it)`);
    } else if (now.sha256 !== f.sha256) {
      problems.push(
        `${f.path} (sha-256 ${now.sha256.slice(0, 12)}…; manifest.json lists ${
          f.sha256.slice(0, 12)
        }…)`,
      );
    }
    actual.delete(f.path);
  }
  for (const path of actual.keys()) {
    problems.push(`${path} (not listed in manifest.json)`);
  }
  return problems;
}

/**
 * Compares every file of a recorded run with a re-run of it (see the module
 * notes for what may differ).
 *
 * @param recorded The reference run folder.
 * @param rerun The new run folder.
 * @returns Which files are identical, equivalent, different, missing, extra
 *   or skipped, and notes on the run context.
 * @throws {Error} `Cannot hash run folder "<folder>": <why>` when a folder
 *   cannot be read.
 * @example
 * ```ts
 * import { compareRuns } from "./verify.ts";
 * const a = await Deno.makeTempDir(), b = await Deno.makeTempDir();
 * await Deno.writeFile(`${a}/x.npy`, new Uint8Array([1, 2]));
 * await Deno.writeFile(`${b}/x.npy`, new Uint8Array([1, 2]));
 * await Deno.writeTextFile(`${a}/e.json`, '{"order": 3, "seconds": 0.5}');
 * await Deno.writeTextFile(`${b}/e.json`, '{"order": 4, "seconds": 0.7}');
 * const r = await compareRuns(a, b);
 * if (r.identical.join() !== "x.npy") throw new Error();
 * if (r.different.join() !== "e.json /order: recorded 3, re-run 4") {
 *   throw new Error(r.different.join());
 * }
 * ```
 */
export async function compareRuns(
  recorded: string,
  rerun: string,
): Promise<RunComparison> {
  const [left, right] = await Promise.all([
    filesOf(recorded),
    filesOf(rerun),
  ]);
  const result: RunComparison = {
    identical: [],
    equivalent: [],
    different: [],
    missing: [],
    extra: [...right.keys()].filter((p) => !left.has(p)),
    skipped: [],
    notes: [],
  };
  for (const [path, hash] of left) {
    if (!right.has(path)) {
      result.missing.push(path);
    } else if (path === REPORT_FILE) {
      result.skipped.push(path);
    } else if (hash !== undefined && hash === right.get(path)) {
      result.identical.push(path);
    } else if (path.endsWith(".json")) {
      const [x, y] = await Promise.all([
        Deno.readFile(`${recorded}/${path}`),
        Deno.readFile(`${rerun}/${path}`),
      ]);
      const lines = compareJson(path, x, y, result.notes);
      if (lines.length) result.different.push(...lines);
      else result.equivalent.push(path);
    } else {
      result.different.push(path);
    }
  }
  return result;
}

/**
 * The files of a folder, sorted, with their SHA-256 (none for the
 * manifest, which is compared field by field).
 */
async function filesOf(dir: string): Promise<Map<string, string | undefined>> {
  const files = new Map<string, string | undefined>(
    (await hashFiles(dir)).map((f) => [f.path, f.sha256]),
  );
  try {
    await Deno.lstat(`${dir}/${MANIFEST_FILE}`);
    files.set(MANIFEST_FILE, undefined);
  } catch {
    // a folder without a manifest: nothing to compare it with
  }
  return new Map([...files].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

/** Lines for the differences of two JSON files, notes for the context. */
function compareJson(
  path: string,
  x: Uint8Array,
  y: Uint8Array,
  notes: string[],
): string[] {
  let a: unknown, b: unknown;
  try {
    a = JSON.parse(new TextDecoder().decode(x));
    b = JSON.parse(new TextDecoder().decode(y));
  } catch (err) {
    return [`${path}: not valid JSON (${(err as Error).message})`];
  }
  const manifest = path === MANIFEST_FILE;
  const found: Difference[] = [];
  diffJson(a, b, [], {
    out: found,
    ignore: (p) =>
      isTiming(String(p.at(-1))) ||
      (manifest && p.length === 1 && RUN_CONTEXT_FIELDS.includes(p[0])),
  });
  if (manifest && isObject(a) && isObject(b)) {
    for (const field of NOTED_FIELDS) {
      const diffs: Difference[] = [];
      diffJson(a[field], b[field], [field], {
        out: diffs,
        ignore: (p) => isTiming(String(p.at(-1))),
      });
      for (const d of diffs) {
        notes.push(
          `${pointer(d.path)} was ${show(d.recorded)}, re-run ${show(d.rerun)}`,
        );
      }
    }
  }
  const lines = found.slice(0, MAX_LISTED).map((d) =>
    `${path} ${pointer(d.path)}: recorded ${show(d.recorded)}, re-run ${
      show(d.rerun)
    }`
  );
  if (found.length > MAX_LISTED) {
    lines.push(`${path}: and ${found.length - MAX_LISTED} more differences`);
  }
  return lines;
}

interface Difference {
  path: string[];
  recorded: unknown;
  rerun: unknown;
}

function diffJson(
  a: unknown,
  b: unknown,
  path: string[],
  o: { out: Difference[]; ignore: (path: string[]) => boolean },
): void {
  if (path.length && o.ignore(path)) return;
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) diffJson(a[k], b[k], [...path, k], o);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => diffJson(v, b[i], [...path, String(i)], o));
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    o.out.push({ path, recorded: a, rerun: b });
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A JSON pointer (RFC 6901) to a field. */
function pointer(path: string[]): string {
  return "/" + path.map((k) => k.replace(/~/g, "~0").replace(/\//g, "~1"))
    .join("/");
}

function show(v: unknown): string {
  if (v === undefined) return "(absent)";
  const text = JSON.stringify(v);
  return text.length > 60 ? text.slice(0, 57) + "…" : text;
}
