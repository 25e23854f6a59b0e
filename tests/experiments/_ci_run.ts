/**
 * Runs a shipped experiment under its `ci` profile for the experiment
 * tests: a throw-away output folder, every claim must pass, the folder is
 * removed afterwards whatever happens.
 *
 * @module
 */

import { type Experiment, loadExperiment } from "../../lib/experiment/load.ts";
import { runExperiment, type RunResult } from "../../lib/experiment/runner.ts";
import { assertEquals } from "../_assert.ts";

/** The repository root, where `experiments/` and its data live. */
const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** Options of {@linkcode withCiRun}. */
export interface CiRunOptions {
  /**
   * How many claims the run must report (all of them passing); pins the
   * count where a test relies on it.
   *
   * @default the number of claims in the resolved configuration
   */
  claims?: number;
}

/**
 * Runs `experiments/<name>.yaml` with the `ci` profile into a temporary
 * folder, asserts that it passed with every claim passing, then hands the
 * run to `check`; the folder is removed afterwards, pass or fail.
 *
 * @param name The experiment's file name without `.yaml`.
 * @param check Further assertions on the run, its experiment and the log
 *   lines it printed (the run folder still exists while it runs).
 * @param options See {@linkcode CiRunOptions}.
 * @returns When `check` has finished.
 * @throws AssertionError when the run did not pass (the message names the
 *   error or the failing claims) or a claim count differs; whatever
 *   `check` throws.
 */
export async function withCiRun(
  name: string,
  check: (
    run: RunResult,
    exp: Experiment,
    log: string[],
  ) => void | Promise<void>,
  options: CiRunOptions = {},
): Promise<void> {
  const out = await Deno.makeTempDir({ prefix: `hope-${name}-ci-` });
  const log: string[] = [];
  try {
    const exp = await loadExperiment(`${ROOT}/experiments/${name}.yaml`, {
      root: ROOT,
      profile: "ci",
    });
    const run = await runExperiment(exp, {
      out,
      root: ROOT,
      log: (line) => log.push(line),
      progress: "none",
    });
    const failed = run.manifest.claims.filter((c) => c.verdict !== "pass");
    assertEquals(
      run.status,
      "passed",
      run.manifest.error ?? JSON.stringify(failed),
    );
    const count = options.claims ?? exp.config.claims.length;
    assertEquals(
      run.manifest.claims.map((c) => c.verdict),
      Array.from({ length: count }, () => "pass"),
    );
    await check(run, exp, log);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}
