/**
 * The `data` stage of a run (private to `lib/experiment/`): samples of a
 * target function on a box.
 *
 * @module
 */

import { arrayDataSource, type DataSource } from "../data/data_source.ts";
import { gridPoints, uniformPoints } from "../data/sampler.ts";
import { type CompiledExpression, compileExpression } from "./expression.ts";
import type { TargetData } from "./schema.ts";

/** Samples of a target function: inputs `[n, d]` and targets `[n, 1]`. */
export interface Samples {
  /** Inputs, row by row. */
  x: Float32Array;
  /** Targets. */
  y: Float32Array;
  /** Number of samples. */
  n: number;
  /** The same samples as a data source for training. */
  source: DataSource;
}

/** The data of a target-function experiment. */
export interface TargetDataset {
  /** Input dimension. */
  dim: number;
  /** The box, `[low, high]` per input. */
  box: [number, number][];
  /** The compiled target. */
  target: CompiledExpression;
  /** Training samples. */
  train: Samples;
  /** Test samples, when the section asks for them. */
  test?: Samples;
}

/**
 * Samples the target: `grid` takes `n` points per axis including the box
 * corners (`n^d` points); `uniform` takes `n` points from the seeded
 * generator (the test set from a different stream).
 *
 * @param data The validated section.
 * @param seed The run's seed.
 * @returns The samples.
 * @throws {Error} `Cannot evaluate target "<text>": …` where it is not finite.
 */
export function sampleTarget(data: TargetData, seed: number): TargetDataset {
  const dim = data.box.length;
  const target = compileExpression(data.target, { dim });
  const take = (how: "grid" | "uniform", n: number, stream: number) => {
    const x = how === "grid"
      ? gridPoints(data.box, { n }).data
      : uniformPoints(data.box, { n, seed: seed * 2 + stream }).data;
    const y = target.evaluateRows(x);
    const bad = y.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new Error(
        `Cannot evaluate target "${data.target}": it is ${y[bad]} at (${
          Array.from(x.subarray(bad * dim, (bad + 1) * dim)).join(", ")
        })`,
      );
    }
    return {
      x,
      y,
      n: y.length,
      source: arrayDataSource({ data: x, shape: [y.length, dim] }, {
        data: y,
        shape: [y.length, 1],
      }),
    };
  };
  return {
    dim,
    box: data.box,
    target,
    train: take(data.sampling, data.n, 0),
    ...(data.test ? { test: take(data.test.sampling, data.test.n, 1) } : {}),
  };
}
