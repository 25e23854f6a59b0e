/**
 * Benchmark: training throughput of the paper's MNIST conv net (conv 5×5 →
 * avg-pool → tanh, twice, then 320 → 50 → 10) on real MNIST images, per
 * backend, side by side.
 *
 * Run: `deno task bench training`, or this file directly.
 *
 * @module
 */

import { type BackendName, useBackend } from "../../lib/backend.ts";
import { tf } from "../../lib/deps.ts";
import { loadMnist } from "../../lib/data/mnist.ts";
import { MNIST_NET_LAYERS } from "../../lib/nn/mnist_net.ts";
import { Network } from "../../lib/nn/network.ts";
import { train } from "../../lib/train/trainer.ts";

/** Options of {@linkcode benchTraining}. */
export interface BenchTrainingOptions {
  /**
   * Backends to measure, in table order.
   * @default ["wasm", "cpu"]
   */
  backends?: BackendName[];
  /**
   * Training images per backend (one epoch).
   * @default 256
   */
  samples?: number;
  /**
   * Batch size.
   * @default 64
   */
  batchSize?: number;
  /**
   * Timed epochs per backend; the fastest counts (the machine may be busy).
   * @default 2
   */
  repeats?: number;
}

/** The MNIST net of the paper's experiments. */
const MNIST_NET = {
  format: "hope-network/1" as const,
  input: [1, 28, 28],
  layers: [...MNIST_NET_LAYERS],
};

interface Row {
  backend: string;
  threads: number;
  samplesPerSecond: number;
  msPerStep: number;
  loss: number;
}

/**
 * Trains the MNIST net on each backend (one warm-up batch, then `repeats`
 * timed epochs) and prints the best epoch's samples per second in a table.
 *
 * @param options Backends, sample count, batch size.
 * @returns When the table is printed.
 * @throws {Error} `Cannot use backend "<name>": ...` when a backend cannot
 *   start.
 * @example
 * ```ts
 * import { benchTraining } from "./training.ts";
 * await benchTraining({ backends: ["wasm"], samples: 16, batchSize: 8, repeats: 1 });
 * ```
 */
export async function benchTraining(
  options: BenchTrainingOptions = {},
): Promise<void> {
  const backends = options.backends ?? ["wasm", "cpu"];
  const samples = options.samples ?? 256;
  const batchSize = options.batchSize ?? 64;
  const repeats = options.repeats ?? 2;
  const previous = tf.getBackend();
  const data = await loadMnist({ subset: samples, seed: 0 });
  const warmUp = await loadMnist({ subset: batchSize, seed: 1 });
  const rows: Row[] = [];
  for (const name of backends) {
    const info = await useBackend(name);
    const net = Network.create(MNIST_NET, { seed: 0 });
    const settings = {
      loss: "cross_entropy" as const,
      optimizer: { type: "sgd" as const, lr: 0.05, momentum: 0.9 },
      batchSize,
      progress: "none" as const,
    };
    await train(net, warmUp, { ...settings, epochs: 1 });
    const result = await train(net, data, { ...settings, epochs: repeats });
    const rate = Math.max(...result.history.map((h) => samples / h.seconds));
    rows.push({
      backend: info.name,
      threads: info.threads,
      samplesPerSecond: rate,
      msPerStep: 1000 * batchSize / rate,
      loss: result.history[0].loss,
    });
    net.dispose();
  }
  if (previous) await tf.setBackend(previous);
  printTable(rows, { samples, batchSize, repeats });
}

function printTable(
  rows: Row[],
  setup: { samples: number; batchSize: number; repeats: number },
): void {
  const slowest = Math.min(...rows.map((r) => r.samplesPerSecond));
  const header = [
    "backend",
    "threads",
    "samples/s",
    "ms/batch",
    "speed-up",
    "loss",
  ];
  const cells = rows.map((r) => [
    r.backend,
    String(r.threads),
    r.samplesPerSecond.toFixed(1),
    r.msPerStep.toFixed(1),
    `${(r.samplesPerSecond / slowest).toFixed(1)}×`,
    r.loss.toFixed(4),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...cells.map((c) => c[i].length))
  );
  const line = (c: string[]) =>
    c.map((v, i) => i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))
      .join("  ");
  console.log(
    `MNIST net training (conv5-pool-tanh ×2, 320-50-10): ${setup.samples} images, batch ${setup.batchSize}, best of ${setup.repeats} epochs after one warm-up batch; loss = first timed epoch`,
  );
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
}

if (import.meta.main) await benchTraining();
