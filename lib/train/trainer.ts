/**
 * Mini-batch training of a network on a data source: seeded shuffling,
 * a per-epoch learning-rate schedule, validation, best-checkpoint keeping,
 * and a stop with a clear error when the loss stops being finite.
 *
 * Same seed, same backend, same data: bit-identical weights. The batch
 * order comes from hope-ts's own seeded generator (`lib/random.ts`), never
 * from tfjs's random ops, and every step is ordinary deterministic tensor
 * arithmetic.
 *
 * @module
 */

import { type Tensor, tf, type Variable } from "../deps.ts";
import type { DataSource } from "../data/data_source.ts";
import { createRng } from "../random.ts";
import { type LossFunction, lossFunction, type LossName } from "./loss.ts";
import { createOptimizer, type OptimizerSpec } from "./optimizer.ts";
import {
  createProgress,
  type ProgressEvent,
  type ProgressMode,
} from "./progress.ts";
import { multiStepLR, type ScheduleSpec } from "./schedule.ts";

/** What the trainer needs of a network (a `Network` has both). */
export interface Trainable {
  /**
   * Runs the model on a batch.
   *
   * @param x Inputs `[B, ...]`.
   * @returns Outputs `[B, ...]`.
   */
  forward(x: Tensor): Tensor;
  /**
   * The variables to train.
   *
   * @returns The variables.
   */
  parameters(): Variable[];
}

/** Options of {@linkcode train}. */
export interface TrainOptions {
  /** `"mse"`, `"cross_entropy"`, or a function of (output, target). */
  loss: LossName | LossFunction;
  /** Optimiser type and settings (learning rate included). */
  optimizer: OptimizerSpec;
  /** Passes over the data. */
  epochs: number;
  /**
   * Samples per step (the last batch of an epoch may be smaller).
   * @default 64
   */
  batchSize?: number;
  /**
   * Learning-rate schedule over epochs.
   * @default a constant rate
   */
  schedule?: ScheduleSpec;
  /**
   * Seed of the batch order.
   * @default 0
   */
  seed?: number;
  /**
   * Held-out data, evaluated after every epoch.
   * @default undefined
   */
  validation?: DataSource;
  /**
   * Restore, at the end, the weights of the epoch with the lowest
   * validation loss (training loss without validation data).
   * @default false
   */
  keepBest?: boolean;
  /**
   * Built-in display; see {@linkcode ProgressMode}.
   * @default "auto"
   */
  progress?: ProgressMode;
  /**
   * Called with every progress event, in addition to the display.
   * @default undefined
   */
  onProgress?: (event: ProgressEvent) => void;
}

/** One epoch of training history. */
export interface EpochRecord {
  /** 1-based epoch. */
  epoch: number;
  /** Learning rate used. */
  lr: number;
  /** Mean training loss over the epoch's samples. */
  loss: number;
  /** Validation loss after the epoch. */
  valLoss?: number;
  /** Validation accuracy in [0, 1] (cross-entropy only). */
  valAccuracy?: number;
  /** Seconds the epoch took, validation included. */
  seconds: number;
}

/** What {@linkcode train} returns. */
export interface TrainResult {
  /** One record per epoch. */
  history: EpochRecord[];
  /** 1-based epoch with the lowest monitored loss (restored if keepBest). */
  bestEpoch: number;
  /** That loss (validation loss when there is validation data). */
  bestLoss: number;
  /** Wall-clock seconds of the whole call. */
  seconds: number;
  /** Training samples per second, over the optimisation steps only. */
  samplesPerSecond: number;
  /** Optimisation steps taken. */
  steps: number;
}

/**
 * Trains a network in place.
 *
 * @param network The model; its parameters are updated.
 * @param data Training data.
 * @param options Loss, optimiser, epochs and the rest.
 * @returns The history and timings.
 * @throws {Error} `Cannot train network: loss became NaN at epoch E, step S
 *   (lr R): ...` when a step's loss is NaN or infinite (the weights are left
 *   as they were before that step); `Cannot train network: <why>` for bad
 *   options; errors of the loss or optimiser for bad shapes or settings.
 * @example
 * ```ts
 * import { train } from "./trainer.ts";
 * import { arrayDataSource } from "../data/data_source.ts";
 * import { Network } from "../nn/network.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * const x = new Float32Array([-1, -0.5, 0, 0.5, 1]);
 * const data = arrayDataSource({ data: x, shape: [5, 1] },
 *   { data: x.map((v) => 2 * v + 1), shape: [5, 1] });
 * const net = Network.create({ format: "hope-network/1", input: [1],
 *   layers: ["Linear_1_1"] }, { seed: 1 });
 * const result = await train(net, data, { loss: "mse", epochs: 50,
 *   batchSize: 5, optimizer: { type: "sgd", lr: 0.3 }, progress: "none" });
 * if (!(result.history[49].loss < 1e-4)) throw new Error("did not fit");
 * ```
 */
export async function train(
  network: Trainable,
  data: DataSource,
  options: TrainOptions,
): Promise<TrainResult> {
  const start = performance.now();
  const batchSize = options.batchSize ?? 64;
  const { epochs } = options;
  const fail = (why: string): never => {
    throw new Error(`Cannot train network: ${why}`);
  };
  if (!Number.isInteger(epochs) || epochs < 1) {
    fail(`epochs = ${epochs}, expected a positive integer`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    fail(`batchSize = ${batchSize}, expected a positive integer`);
  }
  if (data.size < 1) fail("the training data is empty");
  const lossFn = lossFunction(options.loss);
  const classify = options.loss === "cross_entropy";
  const lrAt = options.schedule
    ? multiStepLR(options.optimizer.lr, options.schedule)
    : () => options.optimizer.lr;
  const params = network.parameters();
  const optimizer = createOptimizer(params, options.optimizer);
  const display = createProgress(options.progress ?? "auto");
  const report = (e: ProgressEvent) => {
    display(e);
    options.onProgress?.(e);
  };
  const rng = createRng(options.seed ?? 0);
  const order = Array.from({ length: data.size }, (_, i) => i);
  const steps = Math.ceil(data.size / batchSize);
  const history: EpochRecord[] = [];
  let best: { epoch: number; loss: number; weights?: Tensor[] } = {
    epoch: 0,
    loss: Infinity,
  };
  let stepSeconds = 0;
  let samples = 0;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const epochStart = performance.now();
      optimizer.lr = lrAt(epoch - 1);
      rng.shuffle(order);
      let lossSum = 0;
      let epochSamples = 0;
      let epochStepSeconds = 0;
      for (let step = 1; step <= steps; step++) {
        const t0 = performance.now();
        const indices = Int32Array.from(
          order.slice((step - 1) * batchSize, step * batchSize),
        );
        const loss = await trainStep(network, data, indices, {
          lossFn,
          params,
          apply: (grads) => optimizer.step(grads),
          where: () => `epoch ${epoch}, step ${step} (lr ${optimizer.lr})`,
        });
        epochStepSeconds += (performance.now() - t0) / 1000;
        lossSum += loss * indices.length;
        epochSamples += indices.length;
        report({
          kind: "step",
          epoch,
          epochs,
          step,
          steps,
          loss: lossSum / epochSamples,
          lr: optimizer.lr,
          samplesPerSecond: epochSamples / epochStepSeconds,
          seconds: (performance.now() - start) / 1000,
        });
      }
      stepSeconds += epochStepSeconds;
      samples += epochSamples;
      const record: EpochRecord = {
        epoch,
        lr: optimizer.lr,
        loss: lossSum / epochSamples,
        seconds: 0,
      };
      if (options.validation) {
        Object.assign(
          record,
          evaluate(network, options.validation, {
            lossFn,
            classify,
            batchSize: Math.max(batchSize, 256),
          }),
        );
      }
      const monitored = record.valLoss ?? record.loss;
      if (monitored < best.loss) {
        best.weights?.forEach((t) => t.dispose());
        best = {
          epoch,
          loss: monitored,
          weights: options.keepBest
            ? params.map((p) => tf.clone(p))
            : undefined,
        };
      }
      record.seconds = (performance.now() - epochStart) / 1000;
      history.push(record);
      report({
        kind: "epoch",
        epoch,
        epochs,
        step: steps,
        steps,
        loss: record.loss,
        lr: record.lr,
        samplesPerSecond: epochSamples / epochStepSeconds,
        valLoss: record.valLoss,
        valAccuracy: record.valAccuracy,
        seconds: (performance.now() - start) / 1000,
      });
    }
    best.weights?.forEach((w, i) => params[i].assign(w));
  } finally {
    best.weights?.forEach((t) => t.dispose());
    optimizer.dispose();
  }
  return {
    history,
    bestEpoch: best.epoch,
    bestLoss: best.loss,
    seconds: (performance.now() - start) / 1000,
    samplesPerSecond: samples / stepSeconds,
    steps: steps * epochs,
  };
}

/** One optimisation step; returns the batch's loss. */
async function trainStep(
  network: Trainable,
  data: DataSource,
  indices: Int32Array,
  ctx: {
    lossFn: LossFunction;
    params: Variable[];
    apply: (grads: Tensor[]) => void;
    where: () => string;
  },
): Promise<number> {
  const { x, y } = data.batch(indices);
  const { value, grads } = tf.tidy(() => {
    const r = tf.variableGrads(
      () => ctx.lossFn(network.forward(x), y) as tf.Scalar,
      ctx.params,
    );
    return { value: r.value, grads: ctx.params.map((p) => r.grads[p.name]) };
  });
  try {
    const loss = (await value.data())[0];
    if (!Number.isFinite(loss)) {
      throw new Error(
        `Cannot train network: loss became ${loss} at ${ctx.where()}: the weights or the data hold non-finite values or the optimisation diverged; try lowering the learning rate`,
      );
    }
    ctx.apply(grads);
    return loss;
  } finally {
    tf.dispose([x, y, value, ...grads]);
  }
}

/** Mean loss (and accuracy for classification) over a whole data source. */
function evaluate(
  network: Trainable,
  data: DataSource,
  options: { lossFn: LossFunction; classify: boolean; batchSize: number },
): { valLoss: number; valAccuracy?: number } {
  let lossSum = 0;
  let correct = 0;
  for (let from = 0; from < data.size; from += options.batchSize) {
    const count = Math.min(options.batchSize, data.size - from);
    const indices = Int32Array.from({ length: count }, (_, i) => from + i);
    const { x, y } = data.batch(indices);
    const [loss, hits] = tf.tidy(() => {
      const out = network.forward(x);
      const l = options.lossFn(out, y).dataSync()[0];
      if (!options.classify) return [l, 0];
      const labels = y.rank === 1 ? y : tf.argMax(y, 1);
      const right = tf.sum(tf.cast(
        tf.equal(tf.argMax(out, 1), tf.cast(labels, "int32")),
        "int32",
      ));
      return [l, right.dataSync()[0]];
    });
    tf.dispose([x, y]);
    lossSum += loss * count;
    correct += hits;
  }
  return {
    valLoss: lossSum / data.size,
    ...(options.classify ? { valAccuracy: correct / data.size } : {}),
  };
}
