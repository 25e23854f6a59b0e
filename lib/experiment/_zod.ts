/**
 * Two zod helpers of the experiment schema (private to `lib/experiment/`):
 * strict objects whose unknown-key errors list the known keys, and a
 * choice between two object forms made from the keys present (so the error
 * speaks about the form the user wrote, not "no union member matched").
 *
 * @module
 */

import { z } from "../deps.ts";

/** Prefix of the message of an unknown-key issue; the known keys follow. */
export const KNOWN_KEYS = "expected one of ";

/**
 * A strict object: unknown keys are errors whose message lists the keys
 * that are allowed.
 *
 * @param shape The fields.
 * @returns The schema.
 */
export function strict<T extends z.ZodRawShape>(
  shape: T,
): z.ZodObject<T, z.core.$strict> {
  const known = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `${KNOWN_KEYS}${known}` : undefined,
  });
}

/**
 * Validates with `a` or `b`, chosen by `pick` from the raw value, and keeps
 * the chosen schema's issues as they are.
 *
 * @param pick Chooses the schema from the raw value.
 * @param schemas The two forms.
 * @returns The schema.
 */
export function choose<A extends z.ZodType, B extends z.ZodType>(
  pick: (value: unknown) => "a" | "b",
  schemas: { a: A; b: B },
): z.ZodType<z.output<A> | z.output<B>, unknown> {
  return z.unknown().transform((value, ctx) => {
    const schema = pick(value) === "a" ? schemas.a : schemas.b;
    const result = schema.safeParse(value);
    if (result.success) return result.data as z.output<A> | z.output<B>;
    for (const issue of result.error.issues) {
      ctx.issues.push({ ...issue, input: value } as z.core.$ZodRawIssue);
    }
    return z.NEVER;
  });
}

/**
 * True for a plain object that has `key`.
 *
 * @param value Anything.
 * @param key The key.
 * @returns Whether `value` is an object with that key.
 */
export function hasKey(value: unknown, key: string): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    Object.hasOwn(value, key);
}
