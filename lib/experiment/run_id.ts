/**
 * The name of a run folder: `<UTC-stamp>-<config-hash>`, e.g.
 * `20250314T092653Z-3f9a1c0e`. Stamps sort in time order; the hash (the
 * first 8 hex digits of the SHA-256 of the resolved configuration as
 * canonical JSON, keys sorted) tells runs of different configurations apart.
 *
 * @module
 */

import { sha256Hex } from "../io/sha256.ts";

/** The parts of a run id. */
export interface RunId {
  /** UTC time stamp, `YYYYMMDDTHHMMSSZ`. */
  stamp: string;
  /** 8 hex digits of the configuration hash. */
  hash: string;
  /** `<stamp>-<hash>`. */
  id: string;
}

/** The pattern of a complete run folder's name (a numeric suffix may follow). */
export const RUN_ID_PATTERN: RegExp = /^\d{8}T\d{6}Z-[0-9a-f]{8}(-\d+)?$/;

/**
 * Makes the run id of a configuration at a time.
 *
 * @param config The resolved configuration (any JSON value).
 * @param options `date`: the run's start.
 * @returns The id.
 * @example
 * ```ts
 * import { RUN_ID_PATTERN, runId } from "./run_id.ts";
 * const a = await runId({ b: 1, a: [2] }, { date: new Date(0) });
 * const b = await runId({ a: [2], b: 1 }, { date: new Date(0) });
 * if (a.id !== b.id || a.stamp !== "19700101T000000Z") throw new Error(a.id);
 * if (!RUN_ID_PATTERN.test(a.id)) throw new Error(a.id);
 * ```
 */
export async function runId(
  config: unknown,
  options: { date?: Date } = {},
): Promise<RunId> {
  const date = options.date ?? new Date();
  const stamp = date.toISOString().replace(/[-:]/g, "").replace(
    /\.\d+Z$/,
    "Z",
  );
  const hash = (await sha256Hex(canonicalJson(config))).slice(0, 8);
  return { stamp, hash, id: `${stamp}-${hash}` };
}

/**
 * JSON with object keys sorted at every level, so equal data hashes equally.
 *
 * @param value Any JSON value.
 * @returns The canonical text.
 * @example
 * ```ts
 * import { canonicalJson } from "./run_id.ts";
 * if (canonicalJson({ b: 1, a: { d: 2, c: 3 } }) !== '{"a":{"c":3,"d":2},"b":1}') {
 *   throw new Error("keys not sorted");
 * }
 * ```
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(
          Object.keys(v).sort().map((
            k,
          ) => [k, (v as Record<string, unknown>)[k]]),
        )
        : v,
  );
}

/**
 * The parts of a run id.
 *
 * @param id `<stamp>-<hash>`, as {@linkcode runId} makes it, with the
 *   `-N` suffix a run of the same id in the same second gets.
 * @returns Its stamp, hash and the id.
 * @throws {Error} `Cannot read run id "<id>": …` for anything else.
 * @example
 * ```ts
 * import { parseRunId } from "./run_id.ts";
 * const id = parseRunId("20260101T000000Z-0badf00d");
 * if (id.hash !== "0badf00d" || id.stamp !== "20260101T000000Z") throw new Error();
 * ```
 */
export function parseRunId(id: string): RunId {
  const match = /^(\d{8}T\d{6}Z)-([0-9a-f]{8})(-\d+)?$/.exec(id);
  if (!match) {
    throw new Error(
      `Cannot read run id "${id}": expected <YYYYMMDDTHHMMSSZ>-<8 hex digits>[-N]`,
    );
  }
  return { stamp: match[1], hash: match[2], id };
}
