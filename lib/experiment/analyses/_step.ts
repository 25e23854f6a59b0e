/**
 * The fields every analysis entry shares (private to `analyses/`).
 *
 * @module
 */

import { z } from "../../deps.ts";

/**
 * `type`, `id` and `title`, to spread into a step's strict schema.
 *
 * @param type The step type.
 * @returns The shape.
 */
export function stepShape<T extends string>(type: T) {
  return {
    type: z.literal(type),
    id: z.string().regex(
      /^[A-Za-z0-9_][A-Za-z0-9_-]*$/,
      "an id of letters, digits, _ and - (it names a folder)",
    ).optional(),
    title: z.string().optional(),
  };
}

/** A point: a non-empty list of finite numbers. */
export const pointSchema = z.array(z.number()).min(1);
