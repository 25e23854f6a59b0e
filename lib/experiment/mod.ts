/**
 * The declarative experiment runner: YAML experiment files validated with
 * located errors, run into versioned results folders
 * (`results/<name>/<UTC-stamp>-<config-hash>/`) with a manifest, `.npy`
 * arrays, SVG figures, an `index.html` report and checked claims.
 *
 * @example
 * ```ts
 * import { parseExperiment, runExperiment } from "./mod.ts";
 * const out = await Deno.makeTempDir();
 * const exp = parseExperiment([
 *   "data: { target: 2*x1, box: [[0, 1]], n: 4 }",
 *   "network: { layers: [Linear_1_1] }",
 *   "analyses: [{ type: expand, points: [[0]], order: 1 }]",
 *   "claims: [{ name: finite, value: /analyses/expand/points/0/value, above: -10, below: 10 }]",
 * ].join("\n"), { file: "demo.yaml" });
 * const run = await runExperiment(exp, { out, backend: "cpu", log: () => {} });
 * if (run.status !== "passed") throw new Error(run.manifest.error);
 * ```
 *
 * @module
 */

export { ANALYSES } from "./analyses.ts";
export type {
  AnalysisContext,
  AnalysisDefinition,
  AnalysisStep,
  StepSchema,
} from "./analysis.ts";
export { evaluateClaims, resolvePointer } from "./claims.ts";
export type { ClaimOutcome } from "./claims.ts";
export { ExperimentConfigError } from "./config_error.ts";
export { loadData } from "./data.ts";
export type {
  ExperimentData,
  MnistDataset,
  Samples,
  TargetDataset,
} from "./data.ts";
export type { Problem } from "./config_error.ts";
export { compileExpression, ExpressionError } from "./expression.ts";
export type { CompiledExpression, CompileOptions } from "./expression.ts";
export { experimentFiles, listExperiments } from "./list.ts";
export type { ExperimentEntry, LastRun, ListOptions } from "./list.ts";
export { loadExperiment, parseExperiment } from "./load.ts";
export type { Experiment, LoadOptions } from "./load.ts";
export { gitState, hashFiles, MANIFEST_FILE } from "./manifest.ts";
export type { FileHash, Manifest, RunStatus, StageTiming } from "./manifest.ts";
export { renderReport } from "./report.ts";
export type { ReportContent } from "./report.ts";
export { RunFiles } from "./run_files.ts";
export type {
  FigureRecord,
  RunFilesOptions,
  TableRecord,
  WriteFile,
  WrittenFile,
} from "./run_files.ts";
export {
  EXPERIMENT_NAME_PATTERN,
  EXPERIMENT_NAME_RULE,
  RunFolder,
} from "./run_folder.ts";
export type { OpenOptions } from "./run_folder.ts";
export { canonicalJson, RUN_ID_PATTERN, runId } from "./run_id.ts";
export type { RunId } from "./run_id.ts";
export { runExperiment } from "./runner.ts";
export type { RunOptions, RunResult } from "./runner.ts";
export type {
  ClaimConfig,
  DatasetData,
  ExperimentConfig,
  FigureConfig,
  LayersNetwork,
  PretrainedNetwork,
  TargetData,
  TrainConfig,
} from "./schema.ts";
export {
  checkFiles,
  compareRuns,
  isTiming,
  RUN_CONTEXT_FIELDS,
} from "./verify.ts";
export type { RunComparison } from "./verify.ts";
