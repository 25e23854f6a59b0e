/**
 * What an analysis step is: a zod schema for its YAML entry and a `run`
 * function. Each step type lives in its own file under `analyses/` and is
 * listed once in the table of `analyses.ts`.
 *
 * @module
 */

import type { z } from "../deps.ts";
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
 * An analysis step type.
 *
 * @typeParam S The zod schema of its YAML entry.
 */
export interface AnalysisDefinition<S extends z.ZodType = z.ZodType> {
  /** The `type:` value in YAML. */
  type: string;
  /** One line for `--help` and the report. */
  summary: string;
  /** Validates the YAML entry (a strict object with `type`, `id`, `title`). */
  schema: S;
  /**
   * Checks that need the rest of the experiment (e.g. that points have the
   * input dimension); each problem names a path inside the step.
   *
   * @param step The validated entry.
   * @param ctx The input dimension `d`.
   * @returns The problems, empty when none.
   */
  check?(
    step: z.output<S> & AnalysisStep,
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
    step: z.output<S> & AnalysisStep,
    ctx: AnalysisContext,
  ): Promise<Record<string, unknown>>;
}
