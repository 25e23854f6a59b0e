/**
 * Benchmark: training throughput, per backend side by side, of the paper's
 * MNIST conv net (conv 5×5 → avg-pool → tanh, twice, then 320 → 50 → 10) on
 * real MNIST images, and of the discovery experiment's sine INR at the
 * paper's batch of 4096.
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
import { train, type TrainOptions } from "../../lib/train/trainer.ts";
import {
  arrayDataSource,
  type DataSource,
} from "../../lib/data/data_source.ts";
import type { NetworkSpec } from "../../lib/nn/spec.ts";
import { createRng } from "../../lib/random.ts";

/** Options of {@linkcode benchTraining}. */
export interface BenchTrainingOptions {
  /**
   * Backends to measure, in table order.
   * @default ["wasm", "cpu"]
   */
  backends?: BackendName[];
  /**
   * Scale of every workload's epoch (1 = the sizes in the tables' titles).
   * @default 1
   */
  scale?: number;
  /**
   * Timed epochs per backend; the fastest counts (the machine may be busy).
   * @default 2
   */
  repeats?: number;
}

/** One network trained in the benchmark. */
interface Workload {
  title: string;
  spec: NetworkSpec | {
    format: "hope-network/1";
    input: number[];
    layers: string[];
  };
  init: "default" | "siren";
  /** Samples of one epoch at scale 1, and of the warm-up batch. */
  samples: number;
  batchSize: number;
  data: (samples: number, seed: number) => Promise<DataSource>;
  settings: Pick<TrainOptions, "loss" | "optimizer">;
}

/** The INR of the discovery experiment learning (x1² + x2)/2 on [−1, 1]². */
function discoveryData(samples: number, seed: number): Promise<DataSource> {
  const rng = createRng(seed);
  const x = Float32Array.from(
    { length: 2 * samples },
    () => rng.uniform(-1, 1),
  );
  const y = Float32Array.from(
    { length: samples },
    (_, i) => (x[2 * i] ** 2 + x[2 * i + 1]) / 2,
  );
  return Promise.resolve(
    arrayDataSource({ data: x, shape: [samples, 2] }, {
      data: y,
      shape: [samples, 1],
    }),
  );
}

const WORKLOADS: Workload[] = [
  {
    title: "MNIST net (conv5-pool-tanh ×2, 320-50-10), SGD",
    spec: {
      format: "hope-network/1",
      input: [1, 28, 28],
      layers: [...MNIST_NET_LAYERS],
    },
    init: "default",
    samples: 256,
    batchSize: 64,
    data: (samples, seed) => loadMnist({ subset: samples, seed }),
    settings: {
      loss: "cross_entropy",
      optimizer: { type: "sgd", lr: 0.05, momentum: 0.9 },
    },
  },
  {
    title: "discovery INR (2 → 64 ×3 sine → 1), Adamax, the paper's batch",
    spec: {
      format: "hope-network/1",
      input: [2],
      layers: [
        "Linear_2_64",
        "Sine",
        "Linear_64_64",
        "Sine",
        "Linear_64_64",
        "Sine",
        "Linear_64_1",
      ],
    },
    init: "siren",
    samples: 16384,
    batchSize: 4096,
    data: discoveryData,
    settings: { loss: "mse", optimizer: { type: "adamax", lr: 0.001 } },
  },
];

interface Row {
  backend: string;
  threads: number;
  samplesPerSecond: number;
  msPerStep: number;
  loss: number;
}

/**
 * Trains each workload (the MNIST net of the heat maps, the INR of the
 * discovery experiment) on each backend, one warm-up batch and then
 * `repeats` timed epochs, and prints the best epoch's samples per second in
 * a table per workload.
 *
 * @param options Backends, epoch scale, repeats.
 * @returns When the tables are printed.
 * @throws {Error} `Cannot use backend "<name>": ...` when a backend cannot
 *   start.
 * @example
 * ```ts
 * import { benchTraining } from "./training.ts";
 * await benchTraining({ backends: ["wasm"], scale: 1 / 16, repeats: 1 });
 * ```
 */
export async function benchTraining(
  options: BenchTrainingOptions = {},
): Promise<void> {
  const backends = options.backends ?? ["wasm", "cpu"];
  const scale = options.scale ?? 1;
  const repeats = options.repeats ?? 2;
  const previous = tf.getBackend();
  for (const work of WORKLOADS) {
    const batchSize = Math.max(1, Math.round(work.batchSize * scale));
    const samples = Math.max(batchSize, Math.round(work.samples * scale));
    const data = await work.data(samples, 0);
    const warmUp = await work.data(batchSize, 1);
    const rows: Row[] = [];
    for (const name of backends) {
      const info = await useBackend(name);
      const net = Network.create(work.spec, { seed: 0, init: work.init });
      const settings = {
        ...work.settings,
        batchSize,
        progress: "none" as const,
      };
      await train(net, warmUp, { ...settings, epochs: 1 });
      const result = await train(net, data, { ...settings, epochs: repeats });
      const rate = Math.max(
        ...result.history.map((h) => samples / h.seconds),
      );
      rows.push({
        backend: info.name,
        threads: info.threads,
        samplesPerSecond: rate,
        msPerStep: 1000 * batchSize / rate,
        loss: result.history[0].loss,
      });
      net.dispose();
    }
    console.log(
      `${work.title}: ${samples} samples, batch ${batchSize}, best of ${repeats} epochs after one warm-up batch; loss = first timed epoch`,
    );
    printTable(rows);
    console.log();
  }
  if (previous) await tf.setBackend(previous);
}

function printTable(rows: Row[]): void {
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
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
}

if (import.meta.main) await benchTraining();
