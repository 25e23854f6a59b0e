/**
 * What an analysis step is: a zod schema for its YAML entry and a `run`
 * function. Each step type lives in its own file under `analyses/` and is
 * listed once in the table of `analyses.ts`.
 *
 * @module
 */

import type { Network } from "../nn/network.ts";
import type { ExperimentData } from "./data.ts";
import type { RunFiles } from "./run_files.ts";

/** The fields every analysis entry has after validation. */
export interface AnalysisStep {
  /** The registered type, e.g. `"expand"`. */
  type: string;
  /** Unique id in the experiment; its files go under `analyses/<id>/`. */
  id: string;
  /** Heading in the report. */
  title?: string;
}

/** What an analysis sees while it runs. */
export interface AnalysisContext {
  /** The trained (or loaded) network. */
  network: Network;
  /** Flattened input size `d`. */
  dim: number;
  /** The run's seed. */
  seed: number;
  /** The run's data (target samples or a data set). */
  data: ExperimentData;
  /** Writes files, figures and tables into the run folder. */
  files: RunFiles;
  /** The folder of this step inside the run, `analyses/<id>`. */
  dir: string;
  /**
   * Prints a progress line.
   *
   * @param line The text.
   */
  log(line: string): void;
}

/**
 * Validates a step's YAML entry; a zod schema is one. Issues carry a
 * `path` (inside the entry) and a `code` as zod's do.
 *
 * @typeParam T The validated entry.
 */
export interface StepSchema<T> {
  /**
   * Validates without throwing.
   *
   * @param value The raw entry.
   * @returns The entry with defaults, or the issues.
   */
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly object[] } };
}

/**
 * An analysis step type.
 *
 * @typeParam T The validated YAML entry.
 */
export interface AnalysisDefinition<T extends AnalysisStep = AnalysisStep> {
  /** The `type:` value in YAML. */
  type: string;
  /** One line for `--help` and the report. */
  summary: string;
  /**
   * Validates the YAML entry (a strict object with `type`, `id`, `title`);
   * the loader gives entries without `id` a default one.
   */
  schema: StepSchema<Omit<T, "id"> & { id?: string }>;
  /**
   * Checks that need the rest of the experiment (e.g. that points have the
   * input dimension); each problem names a path inside the step.
   *
   * @param step The validated entry.
   * @param ctx The input dimension `d`.
   * @returns The problems, empty when none.
   */
  check?(
    step: T,
    ctx: { dim: number },
  ): { path: (string | number)[]; message: string }[];
  /**
   * Runs the step.
   *
   * @param step The validated entry.
   * @param ctx The network and the run folder.
   * @returns JSON-serialisable results, which claims point into as
   *   `/analyses/<id>/…`.
   */
  run(
    step: T,
    ctx: AnalysisContext,
  ): Promise<Record<string, unknown>>;
}
