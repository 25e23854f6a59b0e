/**
 * Running an experiment: data, network, training, analyses, figures,
 * claims, then `manifest.json` and `index.html`, all written into a
 * temporary folder that becomes `results/<name>/<stamp>-<hash>/` only when
 * complete (see `run_folder.ts`).
 *
 * Test hook: with `HOPE_TEST_CRASH_AFTER=<stage>` in the environment the
 * process kills itself (SIGKILL, no clean-up at all) right after that
 * stage, as a crash or a power cut would.
 *
 * @module
 */

import { resolve } from "node:path";
import {
  type BackendInfo,
  resolveBackendName,
  useBackend,
} from "../backend.ts";
import { tf } from "../deps.ts";
import { tensorToNpy } from "../io/npy.ts";
import { loadNetwork } from "../nn/io.ts";
import { Network } from "../nn/network.ts";
import { linePlot } from "../plot/line_plot.ts";
import type { ProgressMode } from "../train/progress.ts";
import { ANALYSES } from "./analyses.ts";
import { type ClaimOutcome, evaluateClaims } from "./claims.ts";
import type { Experiment } from "./load.ts";
import {
  gitState,
  hashFiles,
  type Manifest,
  MANIFEST_FILE,
  type RunStatus,
  type StageTiming,
} from "./manifest.ts";
import { renderReport } from "./report.ts";
import { RunFolder } from "./run_folder.ts";
import type { RunFiles, WriteFile } from "./run_files.ts";
import { runId } from "./run_id.ts";
import { type ExperimentData, loadData, type TargetDataset } from "./data.ts";
import { trainStage } from "./_train.ts";

/** Options of {@linkcode runExperiment}. */
export interface RunOptions {
  /**
   * The project folder (paths in the experiment are relative to it; its git
   * commit goes into the manifest).
   * @default Deno.cwd()
   */
  root?: string;
  /**
   * The results folder.
   * @default `${root}/results`
   */
  out?: string;
  /**
   * Backend name (`wasm`, `cpu`, `tensorflow`).
   * @default HOPE_BACKEND, else "wasm"
   */
  backend?: string;
  /**
   * Progress output, one line per call.
   * @default console.log
   */
  log?: (line: string) => void;
  /**
   * The training progress display: a bar on a terminal, plain lines
   * otherwise (`"auto"`), or nothing.
   * @default "auto"
   */
  progress?: ProgressMode;
  /**
   * How files reach the disk (tests inject a failing writer).
   * @default Deno.writeFile
   */
  writeFile?: WriteFile;
}

/** What a run gave. */
export interface RunResult {
  /** How it ended. */
  status: RunStatus;
  /**
   * The run folder: `<out>/<name>/<id>` when complete, a hidden
   * `.failed-…` folder otherwise.
   */
  dir: string;
  /** The manifest (also in `dir/manifest.json` when it could be written). */
  manifest: Manifest;
}

/** The version of hope-ts, recorded in manifests. */
const HOPE_VERSION = "0.1.0";

/**
 * Runs an experiment.
 *
 * @param experiment A loaded experiment.
 * @param options Folders, backend, progress output, writer.
 * @returns The status, folder and manifest. A run that fails part-way
 *   resolves with status `failed` (its folder is hidden, `latest` is
 *   untouched); a run whose claims fail is complete, with status
 *   `claims-failed`.
 * @throws {Error} Before anything is written: `Cannot use backend …` for a
 *   backend that cannot start, `Cannot create run folder in "<out>": …` for
 *   a results folder that cannot be written.
 * @example
 * ```ts
 * import { parseExperiment } from "./load.ts";
 * import { runExperiment } from "./runner.ts";
 * const out = await Deno.makeTempDir();
 * const exp = parseExperiment(
 *   "data: { target: x1, box: [[0, 1]], n: 4 }\nnetwork: { layers: [Linear_1_1] }\n",
 *   { file: "id.yaml" },
 * );
 * const run = await runExperiment(exp, { out, backend: "cpu", log: () => {} });
 * if (run.status !== "passed") throw new Error(run.manifest.error);
 * ```
 */
export async function runExperiment(
  experiment: Experiment,
  options: RunOptions = {},
): Promise<RunResult> {
  const root = resolve(options.root ?? Deno.cwd());
  const out = options.out ?? `${root}/results`;
  const log = options.log ?? ((line: string) => console.log(line));
  const config = experiment.config;
  const backendName = resolveBackendName(options.backend);
  const backend: BackendInfo = await useBackend(backendName);
  const started = new Date();
  const id = await runId(config, { date: started });
  const folder = await RunFolder.open(out, {
    name: experiment.name,
    id,
    writeFile: options.writeFile,
  });
  const files = folder.files;
  const git = await gitState(root);
  const stages: StageTiming[] = [];
  const outputs: Record<string, unknown> = {};
  const crashAfter = Deno.env.get("HOPE_TEST_CRASH_AFTER");
  const stage = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await fn();
    const seconds = (performance.now() - t0) / 1000;
    stages.push({ name, seconds });
    log(`[${name}] done in ${seconds.toFixed(2)} s`);
    if (crashAfter === name) Deno.kill(Deno.pid, "SIGKILL");
    return result;
  };
  log(
    `Running ${experiment.name}${
      experiment.profile ? ` (profile ${experiment.profile})` : ""
    }, seed ${config.seed}, backend ${backend.name} (${backend.threads} threads) → ${folder.temp}`,
  );
  let status: RunStatus = "passed";
  let error: string | undefined;
  let claims: ClaimOutcome[] = [];
  let network: Network | undefined;
  try {
    const data = await stage("data", async () => {
      const data = await loadData(config.data, { seed: config.seed });
      await saveData(files, data);
      return data;
    });
    outputs.data = {
      kind: data.kind,
      dim: data.dim,
      train: data.kind === "target" ? data.train.n : data.train.size,
      test: data.kind === "target" ? data.test?.n ?? 0 : data.test.size,
    };
    network = await stage(
      "network",
      () => networkStage(experiment, { root, data }),
    );
    const trained = network;
    if (config.train) {
      const train = config.train;
      outputs.train = await stage(
        "train",
        () =>
          trainStage(trained, {
            train,
            data,
            seed: config.seed,
            files,
            progress: options.progress ?? "auto",
          }),
      );
    }
    await stage("save-network", () => saveNetwork(files, trained));
    const analyses: Record<string, unknown> = {};
    outputs.analyses = analyses;
    for (const step of config.analyses) {
      const definition = ANALYSES[step.type];
      analyses[step.id] = await stage(
        `analysis:${step.id}`,
        () =>
          definition.run(step, {
            network: trained,
            dim: trained.inputShape.reduce((a, b) => a * b, 1),
            seed: config.seed,
            data,
            files,
            dir: `analyses/${step.id}`,
            log,
          }),
      );
    }
    await stage(
      "figures",
      () =>
        figuresStage(experiment, { network: trained, data, files, outputs }),
    );
    claims = await stage(
      "claims",
      () => Promise.resolve(evaluateClaims(config.claims, outputs)),
    );
    for (const c of claims) {
      log(
        `  claim ${c.verdict === "pass" ? "✓" : "✗"} ${c.name}: ${
          JSON.stringify(c.value)
        }${c.reason ? ` (${c.reason})` : ""}`,
      );
    }
    if (claims.some((c) => c.verdict === "fail")) status = "claims-failed";
  } catch (err) {
    status = "failed";
    error = (err as Error).message;
    log(`Run failed: ${error}`);
  } finally {
    network?.dispose();
  }
  const manifest: Manifest = {
    format: "hope-run/1",
    name: experiment.name,
    description: config.description,
    file: displayPath(experiment.file, root),
    profile: experiment.profile,
    seed: config.seed,
    run: id.id,
    configHash: id.hash,
    config,
    gitCommit: git.commit,
    gitDirty: git.dirty,
    versions: {
      hope: HOPE_VERSION,
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      tfjs: tf.version_core,
    },
    backend,
    started: started.toISOString(),
    finished: "",
    stages,
    claims,
    outputs,
    files: [],
    status,
    ...(error !== undefined ? { error } : {}),
  };
  const finish = async () => {
    manifest.finished = new Date().toISOString();
    await files.text(
      "index.html",
      renderReport(manifest, { figures: files.figures, tables: files.tables }),
    );
    manifest.files = await hashFiles(folder.temp);
    await files.json(MANIFEST_FILE, manifest);
  };
  if (status !== "failed") {
    try {
      // the folder's final name (it may get a suffix) is the manifest's run
      const dir = await folder.complete({
        prepare: async (name) => {
          manifest.run = name;
          await finish();
        },
      });
      log(`${statusLine(status)}: ${dir}`);
      return { status, dir, manifest };
    } catch (err) {
      manifest.status = "failed";
      manifest.error = (err as Error).message;
      log(`Run failed: ${manifest.error}`);
    }
  }
  await finish().catch(() => {});
  const dir = await folder.abandon();
  log(`Run failed; its files are in ${dir}`);
  return { status: "failed", dir, manifest };
}

function statusLine(status: RunStatus): string {
  return status === "passed" ? "Passed" : "Claims failed";
}

function displayPath(file: string, root: string): string {
  const full = resolve(file);
  return full.startsWith(root + "/") ? full.slice(root.length + 1) : file;
}

async function saveData(files: RunFiles, data: ExperimentData): Promise<void> {
  if (data.kind === "mnist") {
    for (const split of [data.train, data.test]) {
      await files.npy(`data/${split.split}_indices.npy`, {
        dtype: "int32",
        shape: [split.size],
        data: split.fileIndices,
      });
    }
    return;
  }
  for (
    const [name, s] of [["train", data.train], ["test", data.test]] as const
  ) {
    if (!s) continue;
    await files.npy(`data/${name}_x.npy`, {
      dtype: "float32",
      shape: [s.n, data.dim],
      data: s.x,
    });
    await files.npy(`data/${name}_y.npy`, {
      dtype: "float32",
      shape: [s.n, 1],
      data: s.y,
    });
  }
}

async function networkStage(
  experiment: Experiment,
  ctx: { root: string; data: ExperimentData },
): Promise<Network> {
  const net = experiment.config.network;
  if ("pretrained" in net) {
    return await loadNetwork(resolve(ctx.root, net.pretrained));
  }
  try {
    return Network.create({
      format: "hope-network/1",
      input: net.input ?? ctx.data.inputShape,
      layers: net.layers,
    }, {
      seed: net.seed ?? experiment.config.seed,
      init: net.init,
      source: experiment.file,
    });
  } catch (err) {
    const m = /^Cannot build layer (\d+)/.exec((err as Error).message);
    if (!m) throw err;
    throw new Error(
      `${(err as Error).message} (${
        experiment.where(["network", "layers", Number(m[1])])
      })`,
    );
  }
}

async function saveNetwork(files: RunFiles, network: Network): Promise<void> {
  await files.json("network/network.json", network.spec);
  const params = network.exportParameters();
  try {
    for (const [name, tensor] of params) {
      await files.npy(`network/${name}`, tensorToNpy(tensor));
    }
  } finally {
    for (const t of params.values()) t.dispose();
  }
}

async function figuresStage(
  experiment: Experiment,
  ctx: {
    network: Network;
    data: ExperimentData;
    files: RunFiles;
    outputs: Record<string, unknown>;
  },
): Promise<void> {
  const config = experiment.config;
  const figures = config.figures ??
    (config.train ? [{ kind: "loss" as const }] : []);
  for (const figure of figures) {
    if (figure.kind === "loss") {
      const history = (ctx.outputs.train as { history?: number[] } | undefined)
        ?.history;
      if (!history?.length) continue;
      await ctx.files.figure(
        "figures/loss.svg",
        linePlot([{
          label: "training loss",
          x: history.map((_, i) => i + 1),
          y: history,
        }], {
          title: figure.title ?? "Training loss",
          xLabel: "epoch",
          yLabel: "loss",
          yScale: "log",
          legend: "none",
        }),
        { title: figure.title ?? "Training loss per epoch", section: "train" },
      );
    } else if (figure.kind === "fit" && ctx.data.kind === "target") {
      await ctx.files.figure(
        "figures/fit.svg",
        fitFigure(ctx.network, ctx.data, figure.title),
        {
          title: figure.title ??
            "Network and target along the box diagonal",
          section: "train",
        },
      );
    }
  }
}

/** Target and network along the diagonal of the box, t ∈ [0, 1]. */
function fitFigure(
  network: Network,
  data: TargetDataset,
  title?: string,
): string {
  const box = data.box;
  const steps = 101;
  const t = Array.from({ length: steps }, (_, i) => i / (steps - 1));
  const points = new Float32Array(steps * data.dim);
  t.forEach((s, i) =>
    box.forEach(([lo, hi], j) => {
      points[i * data.dim + j] = lo + (hi - lo) * s;
    })
  );
  const target = Array.from(data.target.evaluateRows(points));
  const predicted = tf.tidy(() =>
    Array.from(
      network.forward(tf.tensor2d(points, [steps, data.dim])).dataSync(),
    )
  );
  return linePlot([
    { label: "target", x: t, y: target },
    { label: "network", x: t, y: predicted, dash: true },
  ], {
    title: title ?? "Fit along the box diagonal",
    xLabel: "t (from the low corner to the high corner)",
    yLabel: "y",
  });
}
