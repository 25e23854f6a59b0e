/**
 * Deep-merging a profile over an experiment (private to `lib/experiment/`),
 * remembering where each overridden value came from so that a schema
 * problem in merged data points at the profile line that caused it.
 *
 * Rules: mappings merge key by key; a mapping whose keys are list indices
 * (`analyses: {1: {order: 3}}`) merges into that item of a list; anything
 * else (scalars, lists) replaces the base value.
 *
 * @module
 */

import type { FieldPath } from "./_source.ts";

/** A merge result: the data and the map back to source paths. */
export interface Merged {
  /** The merged plain data. */
  value: Record<string, unknown>;
  /**
   * Maps a path in the merged data to the path in the YAML file that set
   * it (inside `profiles.<name>` when the profile set it).
   */
  origin(path: FieldPath): FieldPath;
  /** Overrides that cannot apply (an index past the end of a list). */
  problems: { path: FieldPath; message: string }[];
}

/**
 * Merges `profile` (found at `at` in the file) over `base`.
 *
 * @param base The experiment without `profiles`.
 * @param profile The profile mapping.
 * @param at The profile's path in the file, e.g. `["profiles", "ci"]`.
 * @returns The merged data with its origin map.
 */
export function mergeProfile(
  base: Record<string, unknown>,
  profile: Record<string, unknown>,
  at: FieldPath,
): Merged {
  const origins = new Map<string, FieldPath>();
  const problems: Merged["problems"] = [];
  const merge = (
    b: unknown,
    o: unknown,
    here: FieldPath,
    src: FieldPath,
  ): unknown => {
    if (isMapping(o) && isMapping(b)) {
      const out: Record<string, unknown> = { ...b };
      for (const [k, v] of Object.entries(o)) {
        out[k] = merge(b[k], v, [...here, k], [...src, k]);
      }
      return out;
    }
    if (isMapping(o) && Array.isArray(b) && isIndexMapping(o)) {
      const out = [...b];
      for (const [k, v] of Object.entries(o)) {
        const i = Number(k);
        if (i >= b.length) {
          problems.push({
            path: [...src, k],
            message: `overrides item ${i} of ${
              formatPath(here)
            }, which does not exist (the list has ${b.length} item${
              b.length === 1 ? "" : "s"
            })`,
          });
          continue;
        }
        out[i] = merge(b[i], v, [...here, i], [...src, k]);
      }
      return out;
    }
    origins.set(JSON.stringify(here), src);
    return structuredClone(o);
  };
  const value = merge(base, profile, [], at) as Record<string, unknown>;
  const origin = (path: FieldPath): FieldPath => {
    for (let n = path.length; n >= 0; n--) {
      const src = origins.get(JSON.stringify(path.slice(0, n)));
      if (src) return [...src, ...path.slice(n)];
    }
    return path;
  };
  return { value, origin, problems };
}

/**
 * Renders a field path as `train.epochs` or `analyses[1].type`.
 *
 * @param path The path.
 * @returns The text.
 */
export function formatPath(path: FieldPath): string {
  return path.reduce<string>(
    (acc, key) =>
      typeof key === "number" || /^\d+$/.test(key)
        ? `${acc}[${key}]`
        : acc
        ? `${acc}.${key}`
        : key,
    "",
  );
}

/**
 * True for a plain mapping (not a list, not null).
 *
 * @param v Anything.
 * @returns Whether it is a mapping.
 */
export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isIndexMapping(v: Record<string, unknown>): boolean {
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => /^\d+$/.test(k));
}
