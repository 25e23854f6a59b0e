/**
 * The table of analysis step types. A new step is one file under
 * `analyses/` exporting an {@linkcode AnalysisDefinition} and one line here;
 * the schema, `--help` and the "unknown analysis type" error read this table.
 *
 * @module
 */

import type { AnalysisDefinition } from "./analysis.ts";
import { accuracyAnalysis } from "./analyses/accuracy.ts";
import { convergenceAnalysis } from "./analyses/convergence.ts";
import { expandAnalysis } from "./analyses/expand.ts";
import { globalAnalysis } from "./analyses/global.ts";
import { heatmapAnalysis } from "./analyses/heatmap.ts";
import { interactionsAnalysis } from "./analyses/interactions.ts";
import { regionsAnalysis } from "./analyses/regions.ts";

/**
 * Every registered analysis step type, keyed by its YAML `type`.
 *
 * @example
 * ```ts
 * import { ANALYSES } from "./analyses.ts";
 * if (!("expand" in ANALYSES)) throw new Error("expand is not registered");
 * ```
 */
export const ANALYSES: Readonly<Record<string, AnalysisDefinition>> = {
  accuracy: accuracyAnalysis as unknown as AnalysisDefinition,
  convergence: convergenceAnalysis as unknown as AnalysisDefinition,
  expand: expandAnalysis as unknown as AnalysisDefinition,
  global: globalAnalysis as unknown as AnalysisDefinition,
  heatmap: heatmapAnalysis as unknown as AnalysisDefinition,
  interactions: interactionsAnalysis as unknown as AnalysisDefinition,
  regions: regionsAnalysis as unknown as AnalysisDefinition,
};
