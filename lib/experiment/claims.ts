/**
 * Checking an experiment's claims against the outputs of its run.
 *
 * A claim names a value by a JSON-pointer-like path into the outputs
 * (`/analyses/<id>/…`, `/train/…`, `/data/…`; `~1` escapes `/`), optionally
 * drops keys (`exclude`) and reduces a list or mapping of numbers to one
 * (`reduce`), then compares it: with `expected` (± `tolerance`; lists item by
 * item, or as sets with `set: true`) or with `below` / `above` (inclusive).
 *
 * @module
 */

import type { ClaimConfig } from "./schema.ts";

/** A claim's outcome, as the manifest records it. */
export interface ClaimOutcome {
  /** The claim's name. */
  name: string;
  /** The path it reads. */
  path: string;
  /** The value compared (after `exclude` and `reduce`), or null if missing. */
  value: unknown;
  /** The expected value, when the claim has one. */
  expected?: unknown;
  /** Allowed absolute difference. */
  tolerance?: number;
  /** Inclusive upper bound. */
  below?: number;
  /** Inclusive lower bound. */
  above?: number;
  /** The reduction applied. */
  reduce?: string;
  /** `pass` or `fail`. */
  verdict: "pass" | "fail";
  /** Why it failed. */
  reason?: string;
}

/**
 * Reads a value by path.
 *
 * @param outputs The run outputs.
 * @param path A path such as `/analyses/expand/points/0/value`.
 * @returns The value, or `undefined` when the path does not exist.
 * @example
 * ```ts
 * import { resolvePointer } from "./claims.ts";
 * const v = resolvePointer({ a: [{ "x1^2": 0.5 }] }, "/a/0/x1^2");
 * if (v !== 0.5) throw new Error(String(v));
 * ```
 */
export function resolvePointer(outputs: unknown, path: string): unknown {
  let v = outputs;
  for (const raw of path.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(v) && /^\d+$/.test(key)) v = v[Number(key)];
    else if (typeof v === "object" && v !== null && Object.hasOwn(v, key)) {
      v = (v as Record<string, unknown>)[key];
    } else return undefined;
  }
  return v;
}

/**
 * Checks every claim.
 *
 * @param claims The validated claims.
 * @param outputs The run outputs (`{ data, train, analyses }`).
 * @returns One outcome per claim, in order.
 * @example
 * ```ts
 * import { evaluateClaims } from "./claims.ts";
 * const [c] = evaluateClaims(
 *   [{ name: "small", value: "/e/terms", exclude: ["x2"], reduce: "maxAbs", below: 0.05, set: false }],
 *   { e: { terms: { x2: 0.5, x1: -0.01 } } },
 * );
 * if (c.verdict !== "pass" || c.value !== 0.01) throw new Error(JSON.stringify(c));
 * ```
 */
export function evaluateClaims(
  claims: readonly ClaimConfig[],
  outputs: unknown,
): ClaimOutcome[] {
  return claims.map((claim) => {
    const outcome: ClaimOutcome = {
      name: claim.name,
      path: claim.value,
      value: null,
      verdict: "fail",
      ...(claim.expected !== undefined ? { expected: claim.expected } : {}),
      ...(claim.tolerance !== undefined ? { tolerance: claim.tolerance } : {}),
      ...(claim.below !== undefined ? { below: claim.below } : {}),
      ...(claim.above !== undefined ? { above: claim.above } : {}),
      ...(claim.reduce !== undefined ? { reduce: claim.reduce } : {}),
    };
    try {
      const value = select(claim, resolvePointer(outputs, claim.value));
      outcome.value = value;
      const why = compare(claim, value);
      if (why === null) outcome.verdict = "pass";
      else outcome.reason = why;
    } catch (err) {
      outcome.reason = (err as Error).message;
    }
    return outcome;
  });
}

/** Applies `exclude` and `reduce`. */
function select(claim: ClaimConfig, raw: unknown): unknown {
  if (raw === undefined) throw new Error(`no output at ${claim.value}`);
  let value = raw;
  if (claim.exclude) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new Error(`exclude needs a mapping at ${claim.value}`);
    }
    value = Object.fromEntries(
      Object.entries(value).filter(([k]) => !claim.exclude!.includes(k)),
    );
  }
  if (!claim.reduce) return value;
  const items = Array.isArray(value)
    ? value
    : typeof value === "object" && value !== null
    ? Object.values(value)
    : [value];
  if (claim.reduce === "count") return items.length;
  const nums = items.map((v) => {
    if (typeof v !== "number") {
      throw new Error(`reduce "${claim.reduce}" needs numbers, got ${show(v)}`);
    }
    return v;
  });
  if (nums.length === 0) {
    if (claim.reduce === "sum") return 0;
    if (claim.reduce === "maxAbs") return 0;
    throw new Error(`reduce "${claim.reduce}" of nothing at ${claim.value}`);
  }
  switch (claim.reduce) {
    case "max":
      return Math.max(...nums);
    case "min":
      return Math.min(...nums);
    case "maxAbs":
      return Math.max(...nums.map(Math.abs));
    case "mean":
      return nums.reduce((a, b) => a + b, 0) / nums.length;
    case "sum":
      return nums.reduce((a, b) => a + b, 0);
  }
}

/** Null when the claim holds, else why not. */
function compare(claim: ClaimConfig, value: unknown): string | null {
  const tol = claim.tolerance ?? 0;
  if (claim.expected !== undefined) {
    const e = claim.expected;
    if (Array.isArray(e)) {
      if (!Array.isArray(value)) return `expected a list, got ${show(value)}`;
      if (value.length !== e.length) {
        return `expected ${e.length} items, got ${value.length}`;
      }
      const [a, b] = claim.set
        ? [[...value].sort(order), [...e].sort(order)]
        : [value, e];
      for (let i = 0; i < b.length; i++) {
        const why = scalarDiff(a[i], b[i], tol);
        if (why) return claim.set ? `as sets: ${why}` : `item ${i}: ${why}`;
      }
      return null;
    }
    return scalarDiff(value, e, tol);
  }
  const values = Array.isArray(value) ? value : [value];
  for (const v of values) {
    if (typeof v !== "number" || Number.isNaN(v)) {
      return `expected a number, got ${show(v)}`;
    }
    if (claim.below !== undefined && !(v <= claim.below)) {
      return `${v} is above ${claim.below}`;
    }
    if (claim.above !== undefined && !(v >= claim.above)) {
      return `${v} is below ${claim.above}`;
    }
  }
  return null;
}

function scalarDiff(value: unknown, expected: unknown, tol: number) {
  if (typeof expected === "number") {
    if (typeof value !== "number") {
      return `expected a number, got ${show(value)}`;
    }
    const d = Math.abs(value - expected);
    return d <= tol ? null : `|${value} − ${expected}| = ${d} > ${tol}`;
  }
  return value === expected
    ? null
    : `expected ${show(expected)}, got ${show(value)}`;
}

function order(a: unknown, b: unknown): number {
  return typeof a === "number" && typeof b === "number"
    ? a - b
    : String(a).localeCompare(String(b));
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}
