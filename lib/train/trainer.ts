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
import { npyToTensor, tensorToNpy } from "../io/npy.ts";
import {
  type Checkpoint,
  type CheckpointScalars,
  readCheckpoint,
  writeCheckpoint,
} from "./checkpoint.ts";
import { type LossFunction, lossFunction, type LossName } from "./loss.ts";
import {
  createOptimizer,
  type Optimizer,
  type OptimizerSpec,
} from "./optimizer.ts";
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
  /**
   * Checkpoints, to continue a run in another process (docs/checkpoints.md).
   * @default undefined (none written)
   */
  checkpoint?: CheckpointOptions;
  /**
   * Stops training at the next step boundary when aborted, after writing a
   * checkpoint when `checkpoint` is set; `train()` then rejects with a
   * {@linkcode TrainingInterrupted}.
   * @default undefined
   */
  signal?: AbortSignal;
}

/** Where and when {@linkcode train} writes checkpoints. */
export interface CheckpointOptions {
  /** The run's checkpoint folder (`step-<N>/` folders inside). */
  dir: string;
  /**
   * Also write one every this many steps (checkpoints are always written at
   * the end of each epoch and when interrupted).
   * @default 0 (epoch ends only)
   */
  everySteps?: number;
  /**
   * Continue from the newest checkpoint in `dir` when there is one; the
   * continuation ends bit-identical to an uninterrupted run.
   * @default false
   */
  resume?: boolean;
  /**
   * The caller's facts a continuation must share with the checkpoint (a
   * configuration hash, the library version, the backend), beside the
   * trainer's own settings.
   * @default {}
   */
  identity?: Record<string, string | number | boolean | null>;
  /**
   * Identity fields allowed to differ on resume (e.g. `backend` when the
   * user forces it).
   * @default []
   */
  allowChanged?: string[];
  /**
   * Called after each checkpoint is written, with its folder.
   * @default undefined
   */
  onWrite?: (folder: string) => Promise<void> | void;
}

/**
 * Training stopped by {@linkcode TrainOptions.signal}: says where, and which
 * checkpoint continues it.
 */
export class TrainingInterrupted extends Error {
  /** The checkpoint written at the interruption, if any. */
  readonly checkpoint: string | null;

  /**
   * Creates the error.
   *
   * @param where `epoch E, step S`.
   * @param checkpoint The checkpoint folder written, if any.
   */
  constructor(where: string, checkpoint: string | null) {
    super(
      `Training interrupted after ${where}` +
        (checkpoint ? `; checkpoint "${checkpoint}" continues it` : ""),
    );
    this.name = "TrainingInterrupted";
    this.checkpoint = checkpoint;
  }
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
  const steps = Math.ceil(data.size / batchSize);
  const identity = {
    ...trainerIdentity(options, data, params),
    ...options.checkpoint?.identity,
  };
  // The run's whole state at a step boundary: what a checkpoint holds.
  const run = {
    epoch: 1,
    stepInEpoch: 0,
    order: Array.from({ length: data.size }, (_, i) => i),
    rng: createRng(options.seed ?? 0),
    epochStarted: false,
    sums: {
      lossSum: 0,
      epochSamples: 0,
      epochStepSeconds: 0,
      stepSeconds: 0,
      samples: 0,
    },
    history: [] as EpochRecord[],
    best: { epoch: 0, loss: Infinity } as {
      epoch: number;
      loss: number;
      weights?: Tensor[];
    },
  };
  const save = async (
    at = { epoch: run.epoch, stepInEpoch: run.stepInEpoch },
  ): Promise<string> => {
    const folder = await writeCheckpoint(options.checkpoint!.dir, {
      scalars: {
        step: (at.epoch - 1) * steps + at.stepInEpoch,
        epoch: at.epoch,
        stepInEpoch: at.stepInEpoch,
        rngState: run.rng.state(),
        epochStarted: run.epochStarted,
        sums: { ...run.sums },
        history: run.history.map((h) => ({ ...h })),
        best: {
          epoch: run.best.epoch,
          loss: Number.isFinite(run.best.loss) ? run.best.loss : null,
        },
        identity,
      },
      arrays: checkpointArrays(params, optimizer, run),
    });
    await options.checkpoint!.onWrite?.(folder);
    return folder;
  };
  try {
    if (options.checkpoint?.resume) {
      const saved = await readCheckpoint(options.checkpoint.dir);
      if (saved) {
        restore(saved, { params, optimizer, run, identity }, options);
      }
    }
    for (; run.epoch <= epochs; run.epoch++, run.stepInEpoch = 0) {
      const epochStart = performance.now();
      const epoch = run.epoch;
      optimizer.lr = lrAt(epoch - 1);
      if (!run.epochStarted) {
        run.rng.shuffle(run.order);
        run.sums.lossSum = 0;
        run.sums.epochSamples = 0;
        run.sums.epochStepSeconds = 0;
        run.epochStarted = true;
      }
      const sums = run.sums;
      for (let step = run.stepInEpoch + 1; step <= steps; step++) {
        if (options.signal?.aborted) {
          throw new TrainingInterrupted(
            `epoch ${epoch}, step ${step - 1} of ${steps}`,
            options.checkpoint ? await save() : null,
          );
        }
        const t0 = performance.now();
        const indices = Int32Array.from(
          run.order.slice((step - 1) * batchSize, step * batchSize),
        );
        const loss = await trainStep(network, data, indices, {
          lossFn,
          params,
          apply: (grads) => optimizer.step(grads),
          where: () => `epoch ${epoch}, step ${step} (lr ${optimizer.lr})`,
        });
        sums.epochStepSeconds += (performance.now() - t0) / 1000;
        sums.lossSum += loss * indices.length;
        sums.epochSamples += indices.length;
        run.stepInEpoch = step;
        report({
          kind: "step",
          epoch,
          epochs,
          step,
          steps,
          loss: sums.lossSum / sums.epochSamples,
          lr: optimizer.lr,
          samplesPerSecond: sums.epochSamples / sums.epochStepSeconds,
          seconds: (performance.now() - start) / 1000,
        });
        const every = options.checkpoint?.everySteps ?? 0;
        if (every > 0 && step < steps && step % every === 0) await save();
      }
      sums.stepSeconds += sums.epochStepSeconds;
      sums.samples += sums.epochSamples;
      const record: EpochRecord = {
        epoch,
        lr: optimizer.lr,
        loss: sums.lossSum / sums.epochSamples,
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
      if (monitored < run.best.loss) {
        run.best.weights?.forEach((t) => t.dispose());
        run.best = {
          epoch,
          loss: monitored,
          weights: options.keepBest
            ? params.map((p) => tf.clone(p))
            : undefined,
        };
      }
      record.seconds = (performance.now() - epochStart) / 1000;
      run.history.push(record);
      report({
        kind: "epoch",
        epoch,
        epochs,
        step: steps,
        steps,
        loss: record.loss,
        lr: record.lr,
        samplesPerSecond: sums.epochSamples / sums.epochStepSeconds,
        valLoss: record.valLoss,
        valAccuracy: record.valAccuracy,
        seconds: (performance.now() - start) / 1000,
      });
      run.epochStarted = false;
      if (options.checkpoint) {
        // Saved as "the next epoch, not started": a continuation shuffles
        // as an uninterrupted run would.
        await save({ epoch: epoch + 1, stepInEpoch: 0 });
      }
    }
    run.best.weights?.forEach((w, i) => params[i].assign(w));
  } finally {
    run.best.weights?.forEach((t) => t.dispose());
    optimizer.dispose();
  }
  return {
    history: run.history,
    bestEpoch: run.best.epoch,
    bestLoss: run.best.loss,
    seconds: (performance.now() - start) / 1000,
    samplesPerSecond: run.sums.samples / run.sums.stepSeconds,
    steps: steps * epochs,
  };
}

/** The run state {@linkcode train} keeps between steps. */
interface RunState {
  epoch: number;
  stepInEpoch: number;
  order: number[];
  rng: ReturnType<typeof createRng>;
  epochStarted: boolean;
  sums: CheckpointScalars["sums"];
  history: EpochRecord[];
  best: { epoch: number; loss: number; weights?: Tensor[] };
}

/** The trainer's own settings that a continuation must share. */
function trainerIdentity(
  options: TrainOptions,
  data: DataSource,
  params: Variable[],
): Record<string, string | number | boolean | null> {
  return {
    loss: typeof options.loss === "string" ? options.loss : "custom",
    optimizer: JSON.stringify(options.optimizer),
    epochs: options.epochs,
    batchSize: options.batchSize ?? 64,
    seed: options.seed ?? 0,
    schedule: JSON.stringify(options.schedule ?? null),
    samples: data.size,
    validationSamples: options.validation?.size ?? null,
    keepBest: options.keepBest ?? false,
    parameters: JSON.stringify(params.map((p) => p.shape)),
  };
}

/** Parameters, optimiser buffers, best weights and the data order. */
function checkpointArrays(
  params: Variable[],
  optimizer: Optimizer,
  run: RunState,
): Checkpoint["arrays"] {
  const arrays: Checkpoint["arrays"] = new Map();
  params.forEach((p, i) => arrays.set(`param-${i}.npy`, tensorToNpy(p)));
  optimizer.exportState().slots.forEach((slots, i) =>
    slots.forEach((t, j) => arrays.set(`slot-${i}-${j}.npy`, tensorToNpy(t)))
  );
  run.best.weights?.forEach((t, i) =>
    arrays.set(`best-${i}.npy`, tensorToNpy(t))
  );
  arrays.set("order.npy", {
    dtype: "int32",
    shape: [run.order.length],
    data: Int32Array.from(run.order),
  });
  return arrays;
}

/**
 * Puts a checkpoint's state into the run, after checking that it was made
 * by the same settings.
 */
function restore(
  saved: Checkpoint,
  into: {
    params: Variable[];
    optimizer: Optimizer;
    run: RunState;
    identity: Record<string, string | number | boolean | null>;
  },
  options: TrainOptions,
): void {
  const dir = options.checkpoint!.dir;
  const { scalars, arrays } = saved;
  const allowed = new Set(options.checkpoint?.allowChanged ?? []);
  const keys = new Set([
    ...Object.keys(scalars.identity),
    ...Object.keys(into.identity),
  ]);
  const changed = [...keys].filter((k) =>
    !allowed.has(k) && scalars.identity[k] !== into.identity[k]
  );
  if (changed.length > 0) {
    throw new Error(
      `Cannot resume training from "${dir}/step-${scalars.step}": ` +
        changed.map((k) =>
          `${k} differs (checkpoint ${
            JSON.stringify(scalars.identity[k])
          }, now ${JSON.stringify(into.identity[k])})`
        ).join("; "),
    );
  }
  const { params, optimizer, run } = into;
  const tensor = (name: string) => npyToTensor(arrays.get(name)!);
  tf.tidy(() => {
    params.forEach((p, i) => p.assign(tensor(`param-${i}.npy`)));
    const slots = optimizer.exportState().slots.map((s, i) =>
      s.map((_, j) => tensor(`slot-${i}-${j}.npy`))
    );
    optimizer.importState({
      // One optimiser step per training step: its count is the checkpoint's.
      steps: scalars.step,
      slots,
    });
  });
  run.epoch = scalars.epoch;
  run.stepInEpoch = scalars.stepInEpoch;
  run.order = Array.from(arrays.get("order.npy")!.data);
  run.rng = createRng(0, { state: scalars.rngState });
  run.epochStarted = scalars.epochStarted;
  run.sums = { ...scalars.sums };
  run.history = scalars.history as unknown as EpochRecord[];
  run.best = {
    epoch: scalars.best.epoch,
    loss: scalars.best.loss ?? Infinity,
    weights: arrays.has("best-0.npy")
      ? params.map((_, i) => tensor(`best-${i}.npy`))
      : undefined,
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
