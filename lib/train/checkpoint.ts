/**
 * Training checkpoints (docs/checkpoints.md): everything a training run
 * needs to continue bit for bit — parameters, optimiser state, the position
 * in the data order, the batch-order generator, the running sums — written
 * as a folder `<dir>/step-<N>/` of `.npy` arrays and `state.json` (with the
 * SHA-256 of every array). A checkpoint is built under a temporary name and
 * renamed when complete; the newest two are kept.
 *
 * @module
 */

import { basename } from "node:path";
import { encodeNpy, type NpyArray, parseNpy } from "../io/npy.ts";
import { writeOwnedDir } from "../io/owned_dir.ts";
import { sha256Hex } from "../io/sha256.ts";

/** The scalar state of a training run at a step boundary. */
export interface CheckpointScalars {
  /** Optimisation steps taken so far, over all epochs. */
  step: number;
  /** The current 1-based epoch. */
  epoch: number;
  /** Steps of the current epoch already taken. */
  stepInEpoch: number;
  /** The batch-order generator's state. */
  rngState: number;
  /**
   * The current epoch's shuffle is done: `order.npy` is its order (else the
   * continuation shuffles first, as an uninterrupted run does).
   */
  epochStarted: boolean;
  /** Sums of the current epoch so far and of the run so far. */
  sums: {
    lossSum: number;
    epochSamples: number;
    epochStepSeconds: number;
    stepSeconds: number;
    samples: number;
  };
  /** The epochs already finished, as `train()` records them. */
  history: Record<string, number | undefined>[];
  /** The best monitored epoch so far and its loss. */
  best: { epoch: number; loss: number | null };
  /** What must not change between the checkpoint and its continuation. */
  identity: Record<string, string | number | boolean | null>;
}

/** A checkpoint: its scalars and its named arrays. */
export interface Checkpoint {
  /** The scalar state. */
  scalars: CheckpointScalars;
  /**
   * The arrays by file name (`param-0.npy`, `slot-0-1.npy`, `best-0.npy`,
   * `order.npy`).
   */
  arrays: Map<string, NpyArray>;
}

/** The `state.json` of a checkpoint folder. */
interface StateFile extends CheckpointScalars {
  format: "hope-checkpoint/1";
  files: Record<string, string>;
}

/** Checkpoints kept in a folder: the newest two. */
const KEEP = 2;

/**
 * Writes a checkpoint as `<dir>/step-<N>/` and removes all but the newest
 * two checkpoints of `dir`.
 *
 * @param dir The run's checkpoint folder (created when absent).
 * @param checkpoint The state to write.
 * @returns The checkpoint folder written.
 * @throws {Error} `Cannot write checkpoint "<folder>": <why>`; earlier
 *   checkpoints are kept.
 * @example
 * ```ts
 * import { readCheckpoint, writeCheckpoint } from "./checkpoint.ts";
 * const dir = await Deno.makeTempDir();
 * const scalars = {
 *   step: 3, epoch: 1, stepInEpoch: 3, rngState: 7, epochStarted: true,
 *   sums: { lossSum: 1.5, epochSamples: 12, epochStepSeconds: 0.1, stepSeconds: 0.1, samples: 12 },
 *   history: [], best: { epoch: 0, loss: null }, identity: { seed: 0 },
 * };
 * const arrays = new Map([["param-0.npy", { dtype: "float32" as const, shape: [2], data: new Float32Array([1, 2]) }]]);
 * await writeCheckpoint(dir, { scalars, arrays });
 * const back = await readCheckpoint(dir);
 * if (back?.scalars.step !== 3 || back.arrays.get("param-0.npy")?.data[1] !== 2) throw new Error();
 * ```
 */
export async function writeCheckpoint(
  dir: string,
  checkpoint: Checkpoint,
): Promise<string> {
  const folder = `${dir}/step-${checkpoint.scalars.step}`;
  const files: Record<string, string> = {};
  await writeOwnedDir(folder, async (tmp) => {
    for (const [name, array] of checkpoint.arrays) {
      const bytes = encodeNpy(array, { name });
      files[name] = await sha256Hex(bytes);
      await Deno.writeFile(`${tmp}/${name}`, bytes);
    }
    const state: StateFile = {
      format: "hope-checkpoint/1",
      ...checkpoint.scalars,
      files,
    };
    await Deno.writeTextFile(
      `${tmp}/state.json`,
      JSON.stringify(state, null, 1) + "\n",
    );
  }, { what: "checkpoint", record: "state.json", owns: checkpointFiles });
  for (const old of (await checkpointSteps(dir)).slice(KEEP)) {
    await Deno.remove(`${dir}/step-${old}`, { recursive: true });
  }
  return folder;
}

/**
 * Reads the newest checkpoint of a folder, checking every array against the
 * hash recorded in its `state.json`.
 *
 * @param dir The run's checkpoint folder.
 * @returns The checkpoint, or null when the folder holds none.
 * @throws {Error} `Cannot read checkpoint "<folder>": <why>` for a missing,
 *   truncated or altered file, naming the earlier checkpoint still kept.
 */
export async function readCheckpoint(dir: string): Promise<Checkpoint | null> {
  const steps = await checkpointSteps(dir);
  if (steps.length === 0) return null;
  const folder = `${dir}/step-${steps[0]}`;
  const fail = (why: string): never => {
    const earlier = steps.length > 1
      ? `; the earlier checkpoint "${dir}/step-${
        steps[1]
      }" is kept: remove "${folder}" to continue from it`
      : "";
    throw new Error(`Cannot read checkpoint "${folder}": ${why}${earlier}`);
  };
  let state: StateFile;
  try {
    state = JSON.parse(await Deno.readTextFile(`${folder}/state.json`));
  } catch (error) {
    return fail(`state.json: ${(error as Error).message}`);
  }
  if (
    state?.format !== "hope-checkpoint/1" || typeof state.files !== "object"
  ) {
    return fail('state.json: expected format "hope-checkpoint/1"');
  }
  const arrays = new Map<string, NpyArray>();
  for (const [name, hash] of Object.entries(state.files)) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(`${folder}/${basename(name)}`);
    } catch (error) {
      return fail(`${name}: ${(error as Error).message}`);
    }
    if (await sha256Hex(bytes) !== hash) {
      fail(
        `${name}: its SHA-256 differs from the one in state.json (truncated or altered)`,
      );
    }
    arrays.set(name, parseNpy(bytes, { name: `${folder}/${name}` }));
  }
  const { format: _format, files: _files, ...scalars } = state;
  return { scalars, arrays };
}

/** The checkpoint steps present in `dir`, newest first. */
async function checkpointSteps(dir: string): Promise<number[]> {
  const steps: number[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const match = /^step-(\d+)$/.exec(entry.name);
      if (match && entry.isDirectory) steps.push(Number(match[1]));
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return steps.sort((a, b) => b - a);
}

/** The files a `state.json` of ours owns. */
function checkpointFiles(text: string): string[] | null {
  const state = JSON.parse(text);
  if (state?.format !== "hope-checkpoint/1") return null;
  return [...Object.keys(state.files ?? {}), "state.json"];
}
