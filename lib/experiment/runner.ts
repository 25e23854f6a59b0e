/**
 * Running an experiment: data, network, training, analyses, figures,
 * claims, then `manifest.json` and `index.html`, all written into a
 * temporary folder that becomes `results/<name>/<stamp>-<hash>/` only when
 * complete (see `run_folder.ts`).
 *
 * Interruption (SIGINT, SIGTERM): the run says which stage was interrupted
 * and what was kept, removes its temporary folder and exits with 128 + the
 * signal number (130, 143). A process killed without a chance to clean up
 * leaves its temporary folder; the next run of the experiment removes it
 * once its owner is gone (see `stale_runs.ts`).
 *
 * Test hooks: with `HOPE_TEST_CRASH_AFTER=<stage>` in the environment the
 * process kills itself (SIGKILL, no clean-up at all) right after that
 * stage, as a crash or a power cut would; with `HOPE_TEST_HOLD_IN=<stage>`
 * it prints `[<stage>] held` when the stage starts and waits there for ten
 * minutes, so that a test can signal it in that stage. `report` names the
 * writing of `index.html` and `manifest.json`.
 *
 * @module
 */

import { basename, resolve } from "node:path";
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
import { renderReport, TRAIN_SECTION } from "./report.ts";
import { RunFolder } from "./run_folder.ts";
import type { RunFiles, WriteFile } from "./run_files.ts";
import { parseRunId, RUN_ID_PATTERN, runId } from "./run_id.ts";
import { RunCheckpoints } from "./resume.ts";
import {
  claimTempFolder,
  releaseTempFolder,
  removeStaleRuns,
} from "./stale_runs.ts";
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
  /**
   * Continue an interrupted run from its checkpoints: its run id, or
   * `"latest"` (docs/checkpoints.md).
   * @default undefined (a new run)
   */
  resume?: string;
  /**
   * With `resume`, continue on another backend than the checkpoints'.
   * @default false
   */
  force?: boolean;
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
 * While it runs, SIGINT and SIGTERM remove the run's temporary folder and end
 * the process (exit status 130, 143) after saying what was kept; the first
 * thing a run does is to remove the temporary folders of dead runs of the
 * same experiment.
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
  const fresh = await runId(config, { date: started });
  if (options.resume !== undefined && !config.train) {
    throw new Error(
      `Cannot resume run "${options.resume}" of experiment "${experiment.name}": it trains no network, so it has no checkpoints`,
    );
  }
  // A run that trains keeps checkpoints until it is complete, so that it can
  // be continued by another process (docs/checkpoints.md).
  const checkpoints = config.train
    ? await RunCheckpoints.open(`${out}/${experiment.name}`, {
      id: fresh,
      config,
      backend: backendName,
      version: HOPE_VERSION,
      resume: options.resume,
      force: options.force,
    })
    : undefined;
  const id = checkpoints?.resumed ? parseRunId(checkpoints.id) : fresh;
  const folder = await RunFolder.open(out, {
    name: experiment.name,
    id,
    writeFile: options.writeFile,
  });
  const files = folder.files;
  try {
    await claimTempFolder(folder.temp);
  } catch (err) {
    await Deno.remove(folder.temp, { recursive: true }).catch(() => {});
    throw new Error(
      `Cannot create run folder in "${out}": ${(err as Error).message}`,
    );
  }
  const staleFolders = await removeStaleRuns(folder.base, { keep: folder.temp })
    .catch((err: Error) => {
      log(
        `Cannot remove stale run folders in "${folder.base}": ${err.message}`,
      );
      return [];
    });
  for (const stale of staleFolders) {
    log(
      `Removed ${stale.path}, left by an interrupted run${
        stale.pid === null ? "" : ` (process ${stale.pid}, no longer running)`
      }`,
    );
  }
  let current = "setup";
  let training: AbortController | null = null;
  const interrupts = onInterrupt(folder, {
    experiment: experiment.name,
    stage: () => current,
    log,
    // Training stops at its next step, after writing a checkpoint.
    defer: () => {
      training?.abort();
      return training !== null && checkpoints !== undefined;
    },
    resumeHint: () =>
      checkpoints?.written() ? resumeHint(checkpoints, experiment, root) : null,
  });
  const git = await gitState(root);
  const stages: StageTiming[] = [];
  const outputs: Record<string, unknown> = {};
  const crashAfter = Deno.env.get("HOPE_TEST_CRASH_AFTER");
  const holdIn = Deno.env.get("HOPE_TEST_HOLD_IN");
  const enter = async (name: string) => {
    current = name;
    if (holdIn !== name) return;
    log(`[${name}] held`);
    await new Promise((wake) => setTimeout(wake, 600_000));
  };
  const stage = async <T>(
    name: string,
    fn: () => Promise<T>,
    section?: StageSection,
  ): Promise<T> => {
    await enter(name);
    const t0 = performance.now();
    const seconds = () => (performance.now() - t0) / 1000;
    let result: T;
    try {
      result = await fn();
    } catch (err) {
      stages.push({ name, seconds: seconds(), failed: true });
      throw new Error(stageFailure(name, err as Error, experiment, section));
    }
    const took = seconds();
    stages.push({ name, seconds: took });
    log(`[${name}] done in ${took.toFixed(2)} s`);
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
    }, { path: ["data"], value: config.data });
    outputs.data = {
      kind: data.kind,
      dim: data.dim,
      train: data.kind === "target" ? data.train.n : data.train.size,
      test: data.kind === "target" ? data.test?.n ?? 0 : data.test.size,
    };
    network = await stage(
      "network",
      () => networkStage(experiment, { root, data }),
      { path: ["network"], value: config.network },
    );
    const trained = network;
    if (config.train && checkpoints) {
      const train = config.train;
      if (checkpoints.resumed) {
        log(
          `Resuming run ${checkpoints.id} from its checkpoints in ${checkpoints.dir}`,
        );
      }
      outputs.train = await stage(
        "train",
        async () => {
          await checkpoints.reserve();
          return await trainStage(trained, {
            train,
            data,
            seed: config.seed,
            files,
            progress: options.progress ?? "auto",
            checkpoint: {
              dir: checkpoints.trainDir,
              resume: checkpoints.resumed,
              identity: checkpoints.identity(),
              allowChanged: checkpoints.allowChanged,
              onWrite: () => checkpoints.touch(),
            },
            signal: (training = new AbortController()).signal,
          });
        },
        { path: ["train"], value: train },
      ).catch((err) => {
        if (err instanceof Error && interrupts.pending()) {
          interrupts.stopNow();
        }
        throw err;
      });
      training = null;
    }
    await stage("save-network", () => saveNetwork(files, trained));
    const analyses: Record<string, unknown> = {};
    outputs.analyses = analyses;
    for (const [i, step] of config.analyses.entries()) {
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
        { path: ["analyses", i], value: step },
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
    ...(checkpoints ? { segments: [] } : {}),
    stages,
    claims,
    outputs,
    files: [],
    status,
    ...(error !== undefined ? { error } : {}),
  };
  const finish = async () => {
    manifest.finished = new Date().toISOString();
    if (checkpoints) {
      await checkpoints.touch();
      manifest.segments = checkpoints.segments();
    }
    await files.text(
      "index.html",
      renderReport(manifest, { figures: files.figures, tables: files.tables }),
    );
    manifest.files = await hashFiles(folder.temp);
    await files.json(MANIFEST_FILE, manifest);
  };
  try {
    await enter("report");
    if (status !== "failed") {
      try {
        await releaseTempFolder(folder.temp);
        // The folder's final name (it may get a suffix) is the manifest's run.
        const dir = await interrupts.settle(() =>
          folder.complete({
            prepare: async (name) => {
              manifest.run = name;
              await finish();
            },
          })
        );
        log(`${statusLine(status)}: ${dir}`);
        await checkpoints?.remove();
        return { status, dir, manifest };
      } catch (err) {
        manifest.status = "failed";
        manifest.error = (err as Error).message;
        log(`Run failed: ${manifest.error}`);
      }
    }
    await releaseTempFolder(folder.temp);
    await finish().catch(() => {});
    const dir = await interrupts.settle(() => folder.abandon());
    log(`Run failed; its files are in ${dir}`);
    if (checkpoints?.written()) {
      log(resumeHint(checkpoints, experiment, root));
    }
    return { status: "failed", dir, manifest };
  } finally {
    interrupts.remove();
  }
}

/** The part of the experiment file a stage reads. */
interface StageSection {
  /** Its path in the file. */
  path: (string | number)[];
  /** Its validated value. */
  value: unknown;
}

/**
 * The error of a failed stage: which stage, where its section is in the
 * file and its integer settings (sizes, orders, counts), so that the reader
 * knows what to change; a memory error names them as the likely cause.
 */
function stageFailure(
  name: string,
  err: Error,
  experiment: Experiment,
  section?: StageSection,
): string {
  const settings = section ? integerSettings(section.value) : [];
  const context = [
    ...(section
      ? [`${sectionLabel(section)} at ${experiment.where(section.path)}`]
      : []),
    ...(settings.length ? [`settings: ${settings.join(", ")}`] : []),
  ];
  const memory =
    /allocation failed|invalid (typed )?array length|out of memory/i.test(
      err.message,
    );
  return `Cannot run stage "${name}"${
    context.length ? ` (${context.join("; ")})` : ""
  }: ${err.message}${
    memory
      ? `. It does not fit in memory: make ${
        settings.length ? "one of these settings" : "the experiment"
      } smaller`
      : ""
  }`;
}

function sectionLabel(section: StageSection): string {
  const value = section.value as { type?: string; id?: string };
  return section.path[0] === "analyses"
    ? `${value.type} step "${value.id}"`
    : String(section.path[0]);
}

/**
 * The integer settings of a section (outside lists: points and boxes are
 * not sizes), as `n 100000`; a data grid also gives its point count.
 */
function integerSettings(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return [];
  }
  const out: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === "number" && Number.isInteger(v) && key !== "seed") {
      out.push(`${prefix}${key} ${v}`);
    } else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      out.push(...integerSettings(v, `${prefix}${key}.`));
    }
  }
  const data = value as { sampling?: string; n?: number; box?: unknown[] };
  if (prefix === "" && data.sampling === "grid" && data.box && data.n) {
    out.push(
      `a grid of ${data.n}^${data.box.length} = ${
        (data.n ** data.box.length).toExponential(1)
      } points`,
    );
  }
  return out;
}

/** The signals a run answers by cleaning up, with their exit codes. */
const SIGNALS = [["SIGINT", 130], ["SIGTERM", 143]] as const;

/**
 * Until `remove()`, SIGINT and SIGTERM end the process after saying which
 * stage was interrupted and what was kept, and removing the temporary
 * folder. While `settle` renames the folder into place (or aside), a signal
 * waits for the rename: removing a folder while it is renamed could leave a
 * run with missing files.
 */
function onInterrupt(
  folder: RunFolder,
  ctx: {
    experiment: string;
    stage: () => string;
    log: (l: string) => void;
    /** Asked first: true when the stage ends itself soon (training). */
    defer: () => boolean;
    /** How to continue the run, when it can be. */
    resumeHint: () => string | null;
  },
): {
  settle(move: () => Promise<string>): Promise<string>;
  /** Whether a deferred signal waits. */
  pending(): boolean;
  /** Ends the process for the deferred signal. */
  stopNow(): never;
  remove(): void;
} {
  let settling = false;
  let pending: (typeof SIGNALS)[number] | null = null;
  const stop = ([signal, code]: (typeof SIGNALS)[number], moved?: string) => {
    if (moved === undefined) {
      try {
        Deno.removeSync(folder.temp, { recursive: true });
      } catch {
        // already gone: nothing to remove
      }
    }
    ctx.log(
      moved === undefined
        ? `Interrupted (${signal}) in stage "${ctx.stage()}" of experiment "${ctx.experiment}": removed its unfinished folder ${folder.temp}`
        : `Interrupted (${signal}) after the run of experiment "${ctx.experiment}" was moved to ${moved}`,
    );
    ctx.log(keptLine(folder.base));
    const hint = ctx.resumeHint();
    if (hint) ctx.log(hint);
    Deno.exit(code);
  };
  const listeners = SIGNALS.flatMap((entry) => {
    const listener = () => {
      if (settling || ctx.defer()) pending = entry;
      else stop(entry);
    };
    try {
      Deno.addSignalListener(entry[0], listener);
      return [[entry[0], listener] as const];
    } catch {
      return []; // SIGTERM cannot be listened to on Windows
    }
  });
  return {
    async settle(move) {
      settling = true;
      let moved: string | undefined;
      try {
        moved = await move();
        return moved;
      } finally {
        settling = false;
        if (pending) stop(pending, moved);
      }
    },
    pending: () => pending !== null,
    stopNow: () => stop(pending!),
    remove() {
      for (const [signal, listener] of listeners) {
        Deno.removeSignalListener(signal, listener);
      }
    },
  };
}

/** What an interrupted run leaves: the earlier runs and `latest`. */
function keptLine(base: string): string {
  let runs = 0;
  try {
    for (const e of Deno.readDirSync(base)) {
      if (e.isDirectory && RUN_ID_PATTERN.test(e.name)) runs++;
    }
  } catch {
    // no results folder yet: nothing to keep
  }
  let latest: string | null = null;
  try {
    latest = Deno.readLinkSync(`${base}/latest`);
  } catch {
    latest = null;
  }
  if (runs === 0) {
    return `Nothing else was touched (no earlier runs in ${base}).`;
  }
  return `Kept ${runs} earlier run${runs === 1 ? "" : "s"} in ${base}${
    latest === null ? "" : `; latest still points to ${latest}`
  }.`;
}

function statusLine(status: RunStatus): string {
  return status === "passed" ? "Passed" : "Claims failed";
}

/** Where a run's checkpoints are and the command that continues it. */
function resumeHint(
  checkpoints: RunCheckpoints,
  experiment: Experiment,
  root: string,
): string {
  const listed = resolve(experiment.file) ===
      resolve(root, "experiments", basename(experiment.file)) &&
    basename(experiment.file).replace(/\.ya?ml$/, "") === experiment.name;
  return `Checkpoints kept in ${checkpoints.dir}: continue with deno task experiment ${
    listed ? experiment.name : resolve(experiment.file)
  } --resume ${checkpoints.id}`;
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
      const train = ctx.outputs.train as
        | { history?: number[]; testHistory?: number[] }
        | undefined;
      const history = train?.history;
      if (!history?.length) continue;
      const epochs = history.map((_, i) => i + 1);
      const test = train?.testHistory;
      await ctx.files.figure(
        "figures/loss.svg",
        linePlot([
          { label: "training", x: epochs, y: history },
          ...(test
            ? [{ label: "validation (test set)", x: epochs, y: test }]
            : []),
        ], {
          title: figure.title ??
            (test ? "Training and validation loss" : "Training loss"),
          xLabel: "epoch",
          yLabel: "loss",
          yScale: "log",
          integerX: true,
          legend: test ? "auto" : "none",
        }),
        {
          title: figure.title ??
            `Loss per epoch${test ? " on the training and the test set" : ""}`,
          section: TRAIN_SECTION,
        },
      );
    } else if (figure.kind === "fit" && ctx.data.kind === "target") {
      await ctx.files.figure(
        "figures/fit.svg",
        fitFigure(ctx.network, ctx.data, figure.title),
        {
          title: figure.title ??
            "Network and target along the box diagonal",
          section: TRAIN_SECTION,
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
