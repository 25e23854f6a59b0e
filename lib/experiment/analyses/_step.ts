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

/** A problem found by an analysis's `check`, at a field path of the step. */
export interface StepProblem {
  /** The field path inside the step. */
  path: (string | number)[];
  /** What was expected. */
  message: string;
}

/**
 * The problem of a point whose length is not the network's input size.
 *
 * @param point The point.
 * @param options `dim`, the input size; `path`, where the point sits in the
 *   step.
 * @returns No problem, or one.
 */
export function pointProblems(
  point: readonly number[],
  options: { dim: number; path: (string | number)[] },
): StepProblem[] {
  const { dim, path } = options;
  return point.length === dim ? [] : [{
    path,
    message:
      `expected a point of ${dim} numbers (the input size), got ${point.length}`,
  }];
}

/**
 * The problem of an `n`-per-axis grid with more than `max` points.
 *
 * @param n Points per axis.
 * @param options `dim`, the number of axes; `max`, the largest grid.
 * @returns No problem, or one at `["n"]`.
 */
export function gridProblems(
  n: number,
  options: { dim: number; max: number },
): StepProblem[] {
  const { dim, max } = options;
  return n ** dim > max
    ? [{
      path: ["n"],
      message: `n^d = ${n}^${dim} grid points is more than ${max}`,
    }]
    : [];
}

/** The report's heading of each analysis type. */
const SECTION_TITLES: Record<string, string> = {
  expand: "Taylor expansions",
  global: "Global explanation",
  heatmap: "Heat maps",
  interactions: "Interactions",
  regions: "Linear regions",
  accuracy: "Accuracy of the expansions",
  convergence: "Convergence with the order",
};

/**
 * The report section of a step: its `title`, else the heading of its type,
 * with the id added when the experiment has several steps of that type
 * (their ids are then not the bare type), so sections stay apart.
 *
 * @param step The validated entry.
 * @returns The heading, e.g. `"Global explanation"` or
 *   `"Global explanation (global-2)"`.
 */
export function sectionTitle(
  step: { type: string; id: string; title?: string },
): string {
  if (step.title !== undefined) return step.title;
  const title = SECTION_TITLES[step.type] ?? step.type;
  return step.id === step.type ? title : `${title} (${step.id})`;
}

/** Whether an expansion is exact, as the results record it. */
export interface ResultExactness {
  /** False when the method only approximates the network's derivatives. */
  exact: boolean;
  /** Why, when `exact` is false. */
  inexactReason?: string;
}

/**
 * The `exact` and `inexactReason` fields of a result, the reason left out
 * when there is none.
 *
 * @param e An expansion (or anything carrying the two fields).
 * @returns The fields, to spread into a result.
 */
export function exactness(e: ResultExactness): ResultExactness {
  return {
    exact: e.exact,
    ...(e.inexactReason ? { inexactReason: e.inexactReason } : {}),
  };
}

/**
 * The `exact` and `inexactReason` fields of a result that compares methods:
 * each keyed by method, reasons only for the inexact ones.
 *
 * @param verdicts Each method with its exactness, in the results' order.
 * @returns The two fields, to spread into a result.
 */
export function exactnessByMethod(
  verdicts: readonly (readonly [string, ResultExactness])[],
): { exact: Record<string, boolean>; inexactReason: Record<string, string> } {
  return {
    exact: Object.fromEntries(verdicts.map(([m, v]) => [m, v.exact])),
    inexactReason: Object.fromEntries(
      verdicts.flatMap(([m, v]) =>
        v.inexactReason ? [[m, v.inexactReason]] : []
      ),
    ),
  };
}
