/**
 * Benchmark: training throughput, per backend side by side, of the paper's
 * MNIST conv net (conv 5×5 → avg-pool → tanh, twice, then 320 → 50 → 10) on
 * real MNIST images, and of the discovery experiment's sine INR at the
 * paper's batch of 4096; with PyTorch's step time on the same workloads
 * (`pytorch_training.py` beside this file, one and two threads) when a
 * `python3` with `torch` is found, and a per-kernel profile of one step.
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
import { formatTable } from "./_table.ts";

/** One PyTorch measurement: a workload's median step at a thread count. */
export interface TorchTiming {
  /** The workload's id (`mnist`, `inr`). */
  workload: string;
  /** PyTorch's intra-op threads. */
  threads: number;
  /** PyTorch's version. */
  torch: string;
  /** The BLAS library PyTorch loaded (it decides its matrix products' speed). */
  blas?: string;
  /** Median milliseconds a step. */
  msPerStep: number;
}

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
  /**
   * PyTorch's timings to print beside ours: `"auto"` runs
   * `pytorch_training.py` with the first `python3` that imports `torch`
   * (one and two threads), `"none"` skips it, or give the timings.
   * @default "auto"
   */
  pytorch?: "auto" | "none" | TorchTiming[];
  /**
   * Print a per-kernel profile of one step on each backend.
   * @default true
   */
  profile?: boolean;
  /**
   * Where the tables go, a line at a time.
   * @default console.log
   */
  log?: (line: string) => void;
}

/** One network trained in the benchmark. */
interface Workload {
  /** The name `pytorch_training.py` gives the same workload. */
  id: string;
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
    id: "mnist",
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
    id: "inr",
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
  loss: number | null;
}

/**
 * Trains each workload (the MNIST net of the heat maps, the INR of the
 * discovery experiment) on each backend, one warm-up batch and then
 * `repeats` timed epochs, and prints a table per workload: samples per
 * second and milliseconds a step of the best epoch, with PyTorch's rows and
 * each row's time relative to PyTorch on one thread; then the kernels of one
 * step on each backend, slowest first.
 *
 * @param options Backends, epoch scale, repeats, PyTorch, profile, output.
 * @returns When the tables are printed.
 * @throws {Error} `Cannot use backend "<name>": ...` when a backend cannot
 *   start.
 * @example
 * ```ts
 * import { benchTraining } from "./training.ts";
 * const lines: string[] = [];
 * await benchTraining({
 *   backends: ["wasm"],
 *   scale: 1 / 16,
 *   repeats: 1,
 *   pytorch: [{ workload: "inr", threads: 1, torch: "x", msPerStep: 5 }],
 *   log: (line) => lines.push(line),
 * });
 * const row = lines.find((l) => l.startsWith("pytorch "));
 * if (!row?.includes("1.0×")) throw new Error(lines.join("\n"));
 * ```
 */
export async function benchTraining(
  options: BenchTrainingOptions = {},
): Promise<void> {
  const backends = options.backends ?? ["wasm", "cpu"];
  const scale = options.scale ?? 1;
  const repeats = options.repeats ?? 2;
  const log = options.log ?? console.log;
  const previous = tf.getBackend();
  const torch = Array.isArray(options.pytorch)
    ? options.pytorch
    : options.pytorch === "none"
    ? []
    : await runPytorch(log);
  for (const work of WORKLOADS) {
    const batchSize = Math.max(1, Math.round(work.batchSize * scale));
    const samples = Math.max(batchSize, Math.round(work.samples * scale));
    const data = await work.data(samples, 0);
    const warmUp = await work.data(batchSize, 1);
    const rows: Row[] = [];
    const profiles: string[] = [];
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
      if (options.profile ?? true) {
        const profile = await tf.profile(async () => {
          await train(net, warmUp, { ...settings, epochs: 1 });
          return [];
        });
        profiles.push(
          `${info.name}: ${profile.kernels.length} kernels in one step`,
          ...await kernelTable(profile.kernels),
        );
      }
      net.dispose();
    }
    for (const t of torch.filter((t) => t.workload === work.id)) {
      rows.push({
        backend: `pytorch ${t.torch}${t.blas ? ` (${t.blas})` : ""}`,
        threads: t.threads,
        samplesPerSecond: 1000 * batchSize / t.msPerStep,
        msPerStep: t.msPerStep,
        loss: null,
      });
    }
    log(
      `${work.title}: ${samples} samples, batch ${batchSize}, best of ${repeats} epochs after one warm-up batch; loss = first timed epoch`,
    );
    const anchor = torch.find((t) => t.workload === work.id && t.threads === 1);
    printTable(rows, anchor?.msPerStep ?? null, log);
    log("");
    for (const line of profiles) log(line);
    if (profiles.length > 0) log("");
  }
  if (previous) await tf.setBackend(previous);
}

/** Kernels listed by name in a profile; the rest are summed in one line. */
const SHOWN_KERNELS = 12;

/** The kernels of a profile grouped by name: calls and total ms, slowest first. */
async function kernelTable(
  kernels: { name: string; kernelTimeMs: unknown }[],
): Promise<string[]> {
  const byName = new Map<string, { calls: number; ms: number }>();
  for (const k of kernels) {
    const ms = await k.kernelTimeMs;
    const entry = byName.get(k.name) ?? { calls: 0, ms: 0 };
    entry.calls++;
    entry.ms += typeof ms === "number" ? ms : 0;
    byName.set(k.name, entry);
  }
  const total = [...byName.values()].reduce((a, e) => a + e.ms, 0);
  const sorted = [...byName].sort((a, b) => b[1].ms - a[1].ms);
  const shown = sorted.slice(0, SHOWN_KERNELS);
  const rest = sorted.slice(SHOWN_KERNELS).map(([, e]) => e);
  if (rest.length > 0) {
    shown.push([`(${rest.length} others)`, {
      calls: rest.reduce((a, e) => a + e.calls, 0),
      ms: rest.reduce((a, e) => a + e.ms, 0),
    }]);
  }
  return formatTable(
    ["kernel", "calls", "ms", "share"],
    shown.map(([name, e]) => [
      // tfjs names the kernels run inside a custom gradient's scope so.
      name === "unnamed scope" ? "(custom-gradient scopes)" : name,
      String(e.calls),
      e.ms.toFixed(2),
      `${(100 * e.ms / total).toFixed(0)} %`,
    ]),
  );
}

/**
 * Runs `pytorch_training.py` with one and two threads, with the first of
 * `python3` and `/usr/bin/python3` that imports `torch`; says so when none
 * does.
 */
async function runPytorch(log: (line: string) => void): Promise<TorchTiming[]> {
  const script = new URL("./pytorch_training.py", import.meta.url).pathname;
  for (const python of ["python3", "/usr/bin/python3"]) {
    const probe = await run(python, ["-c", "import torch"]);
    if (probe === null) continue;
    const timings: TorchTiming[] = [];
    for (const threads of [1, 2]) {
      const out = await run(python, [script, "--threads", String(threads)]);
      if (out === null) {
        log(`PyTorch: ${python} ${script} failed; no PyTorch rows`);
        return [];
      }
      for (const line of out.trim().split("\n")) {
        timings.push(JSON.parse(line));
      }
    }
    return timings;
  }
  log(
    "PyTorch: no python3 with torch found (Debian: apt-get install python3-torch); no PyTorch rows",
  );
  return [];
}

/** A command's standard output, or null when it cannot start or fails. */
async function run(command: string, args: string[]): Promise<string | null> {
  try {
    const out = await new Deno.Command(command, {
      args,
      stdout: "piped",
      stderr: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout) : null;
  } catch {
    return null;
  }
}

function printTable(
  rows: Row[],
  torchMs: number | null,
  log: (line: string) => void,
): void {
  const header = ["backend", "threads", "samples/s", "ms/step"];
  if (torchMs !== null) header.push("× PyTorch 1 thread");
  header.push("loss");
  const cells = rows.map((r) => [
    r.backend,
    String(r.threads),
    r.samplesPerSecond.toFixed(1),
    r.msPerStep.toFixed(2),
    ...(torchMs === null ? [] : [`${(r.msPerStep / torchMs).toFixed(1)}×`]),
    r.loss === null ? "" : r.loss.toFixed(4),
  ]);
  for (const line of formatTable(header, cells)) log(line);
}

if (import.meta.main) await benchTraining();
