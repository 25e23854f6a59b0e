import type { AnalysisContext } from "../../../lib/experiment/analysis.ts";
import type { ExperimentData } from "../../../lib/experiment/data.ts";
import { RunFiles } from "../../../lib/experiment/run_files.ts";
import type { Network } from "../../../lib/nn/network.ts";

/**
 * What a test needs to run one analysis step outside the runner: a new
 * temporary run folder (`dir`, removed by the caller), its files, the step's
 * folder `analyses/<id>`, and the log lines captured.
 */
export async function stepContext(
  network: Network,
  id: string,
  data = {} as ExperimentData,
): Promise<
  { ctx: AnalysisContext; dir: string; files: RunFiles; lines: string[] }
> {
  const dir = await Deno.makeTempDir({ prefix: `hope-${id}-` });
  const files = new RunFiles(dir);
  const lines: string[] = [];
  const ctx: AnalysisContext = {
    network,
    dim: network.inputShape.reduce((a, b) => a * b, 1),
    seed: 0,
    data,
    files,
    dir: `analyses/${id}`,
    log: (line) => lines.push(line),
  };
  return { ctx, dir, files, lines };
}
