/**
 * The error raised for an experiment file that does not validate.
 *
 * @module
 */

/** One thing wrong with an experiment file, with its place. */
export interface Problem {
  /** The file. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** The field, e.g. `train.epochs` or `analyses[1].type`; `""` for the whole file. */
  path: string;
  /** What is wrong and what was expected. */
  message: string;
}

/**
 * An experiment file that does not validate: every problem found, each with
 * file, line, column, field path and what was expected. The message reads
 *
 * ```text
 * Cannot load experiment "experiments/x.yaml": 1 problem
 *   experiments/x.yaml:4:3 train.epocs: unknown key "epocs"; expected one of …
 * ```
 */
export class ExperimentConfigError extends Error {
  /** The problems, in file order. */
  readonly problems: readonly Problem[];

  /**
   * Builds the error from its problems.
   *
   * @param file The experiment file.
   * @param problems What is wrong (at least one).
   * @example
   * ```ts
   * import { ExperimentConfigError } from "./config_error.ts";
   * const e = new ExperimentConfigError("x.yaml", [
   *   { file: "x.yaml", line: 2, column: 3, path: "seed", message: "expected an integer" },
   * ]);
   * if (!e.message.includes("x.yaml:2:3 seed: expected an integer")) throw new Error(e.message);
   * ```
   */
  constructor(file: string, problems: readonly Problem[]) {
    const sorted = [...problems].sort((a, b) =>
      a.line - b.line || a.column - b.column
    );
    const count = sorted.length === 1
      ? "1 problem"
      : `${sorted.length} problems`;
    const lines = sorted.map((p) =>
      `  ${p.file}:${p.line}:${p.column} ${
        p.path ? p.path + ": " : ""
      }${p.message}`
    );
    super(`Cannot load experiment "${file}": ${count}\n${lines.join("\n")}`);
    this.name = "ExperimentConfigError";
    this.problems = sorted;
  }
}
