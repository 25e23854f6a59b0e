/**
 * The `train` stage of a run (private to `lib/experiment/`): the `train`
 * section handed to the trainer, the loss history saved as `.npy`, and the
 * numbers claims can point at under `/train/…`.
 *
 * @module
 */

import type { Network } from "../nn/network.ts";
import { type CheckpointOptions, train } from "../train/trainer.ts";
import type { ProgressMode } from "../train/progress.ts";
import { TRAIN_SECTION } from "./report.ts";
import type { RunFiles } from "./run_files.ts";
import type { TrainConfig } from "./schema.ts";
import type { ExperimentData } from "./data.ts";

/** What the stage needs besides the network. */
export interface TrainStageContext {
  /** The validated `train` section. */
  train: TrainConfig;
  /** The data (the test set, when present, is the validation set). */
  data: ExperimentData;
  /** Seed of the batch order. */
  seed: number;
  /** The run's writer. */
  files: RunFiles;
  /** Progress display of the trainer. */
  progress: ProgressMode;
  /**
   * Where the trainer checkpoints, and whether it continues from there.
   * @default undefined (no checkpoints)
   */
  checkpoint?: CheckpointOptions;
  /**
   * Stops training at a step boundary (after a checkpoint).
   * @default undefined
   */
  signal?: AbortSignal;
}

/**
 * Trains `network` in place.
 *
 * @param network The network.
 * @param ctx Settings, data, writer.
 * @returns `/train` outputs: `epochs`, `steps`, `finalLoss`, `bestEpoch`,
 *   `bestLoss`, `testLoss` and (classification) `testAccuracy` with a test
 *   set, `seconds`,
 *   `samplesPerSecond`, `history` (the training loss of every epoch) and,
 *   with a test set, `testHistory` (its loss after every epoch).
 */
export async function trainStage(
  network: Network,
  ctx: TrainStageContext,
): Promise<Record<string, unknown>> {
  const t = ctx.train;
  const data = ctx.data;
  const [source, validation] = data.kind === "target"
    ? [data.train.source, data.test?.source]
    : [data.train, data.test];
  const result = await train(network, source, {
    loss: t.loss ?? (data.kind === "mnist" ? "cross_entropy" : "mse"),
    optimizer: t.optimizer === "sgd"
      ? { type: "sgd", lr: t.lr, momentum: t.momentum }
      : { type: t.optimizer, lr: t.lr },
    epochs: t.epochs,
    batchSize: t.batchSize,
    ...(t.schedule
      ? {
        schedule: {
          type: "multistep" as const,
          milestones: t.schedule.milestones,
          gamma: t.schedule.gamma,
        },
      }
      : {}),
    seed: ctx.seed,
    validation,
    keepBest: t.keepBest,
    progress: ctx.progress,
    checkpoint: ctx.checkpoint,
    signal: ctx.signal,
  });
  const history = result.history;
  const validated = history.every((h) => h.valLoss !== undefined);
  const columns = validated ? 3 : 2;
  const table = new Float64Array(history.length * columns);
  history.forEach((h, i) => {
    table[i * columns] = h.loss;
    table[i * columns + 1] = h.lr;
    if (validated) table[i * columns + 2] = h.valLoss!;
  });
  await ctx.files.npy("train/history.npy", {
    dtype: "float64",
    shape: [history.length, columns],
    data: table,
  });
  ctx.files.table({
    title: `Training (${result.steps} steps, ${
      result.samplesPerSecond.toFixed(0)
    } samples/s)`,
    section: TRAIN_SECTION,
    columns: validated
      ? ["epoch", "loss", "lr", "test loss"]
      : ["epoch", "loss", "lr"],
    rows: history
      .filter((_, i) =>
        i % Math.ceil(history.length / 20) === 0 || i === history.length - 1
      )
      .map((h) => [
        h.epoch,
        h.loss,
        h.lr,
        ...(validated ? [h.valLoss!] : []),
      ]),
    source: "train/history.npy",
  });
  const last = history[history.length - 1];
  return {
    epochs: history.length,
    steps: result.steps,
    finalLoss: last.loss,
    bestEpoch: result.bestEpoch,
    bestLoss: result.bestLoss,
    ...(validated
      ? { testLoss: t.keepBest ? result.bestLoss : last.valLoss }
      : {}),
    ...(last.valAccuracy !== undefined && !t.keepBest
      ? { testAccuracy: last.valAccuracy }
      : {}),
    seconds: result.seconds,
    samplesPerSecond: result.samplesPerSecond,
    history: history.map((h) => h.loss),
    ...(validated ? { testHistory: history.map((h) => h.valLoss!) } : {}),
  };
}
