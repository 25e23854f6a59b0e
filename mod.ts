/**
 * hope-ts: explain neural networks as explicit high-order polynomials.
 *
 * Expand a trained network into its Taylor polynomial around any input
 * (the HOPE method, TPAMI 2024) with an exact forward Taylor-mode engine;
 * compare with the paper's backward HOPE rule and nested autograd; train
 * networks; read and write NumPy `.npy` files and `hope-network/1` folders;
 * draw SVG figures.
 *
 * Convention: stored *derivatives* are `∂^α f(x0)`; *coefficients* are
 * `∂^α f(x0) / α!`.
 *
 * @example
 * ```ts
 * import { expand, Network, useBackend } from "./mod.ts";
 * await useBackend("wasm");
 * const net = Network.create({
 *   format: "hope-network/1",
 *   input: [2],
 *   layers: ["Linear_2_16", "Sine", "Linear_16_1"],
 * }, { seed: 1, init: "siren" });
 * const e = await expand(net, [0.5, -0.5], { order: 3 });
 * if (e.derivatives[2].length !== 4) throw new Error("d2 is [2, 2]");
 * console.log(e.polynomial.toString());
 * ```
 *
 * @module
 */

export type { Tensor, Tensor4D, Variable } from "./lib/deps.ts";
export { VERSION } from "./lib/version.ts";

export {
  type BackendInfo,
  backendInfo,
  type BackendName,
  BACKENDS,
  resolveBackendName,
  useBackend,
} from "./lib/backend.ts";
export { createRng, type Rng, type RngOptions } from "./lib/random.ts";

export {
  encodeNpy,
  type NpyArray,
  type NpyDtype,
  type NpyNameOptions,
  npyToTensor,
  parseNpy,
  readNpy,
  tensorToNpy,
  writeNpy,
} from "./lib/io/npy.ts";
export { type OwnedDirOptions, writeOwnedDir } from "./lib/io/owned_dir.ts";

export type {
  ActivationSpec,
  Conv2dSpec,
  FlattenSpec,
  LayerSpec,
  LinearSpec,
  NetworkSpec,
  Pool2dSpec,
  UnflattenSpec,
} from "./lib/nn/spec.ts";
export type { Layer } from "./lib/nn/layer.ts";
export {
  type CreateOptions,
  LAYER_TYPES,
  Network,
  type ParameterMap,
  parseLayer,
} from "./lib/nn/network.ts";
export {
  loadNetwork,
  parseNetworkSpec,
  saveNetwork,
  type SaveNetworkOptions,
} from "./lib/nn/io.ts";
export { conv2d, type Conv2dOptions } from "./lib/nn/conv2d.ts";

export type {
  DerivativeOptions,
  DerivativeSet,
  ExpansionProgress,
  Method,
  Mixed,
} from "./lib/taylor/types.ts";
export {
  expand,
  expandMany,
  type ExpandOptions,
  type Expansion,
  formatProgress,
} from "./lib/taylor/expand.ts";
export {
  type ExpansionRecord,
  saveExpansion,
  type SaveExpansionOptions,
} from "./lib/taylor/save_expansion.ts";
export {
  type FromDerivativesOptions,
  type PruneOptions,
  type RenderOptions,
  TaylorPolynomial,
  type TaylorPolynomialJSON,
  type Term,
} from "./lib/taylor/polynomial.ts";
export {
  taylorDerivatives,
  type TaylorOptions,
} from "./lib/taylor/taylor_mode.ts";
export {
  type Exactness,
  hopeDerivatives,
  hopeExactness,
} from "./lib/taylor/hope.ts";
export {
  autogradDerivatives,
  type AutogradOptions,
} from "./lib/taylor/autograd.ts";

export {
  crossEntropyLoss,
  type LossFunction,
  lossFunction,
  type LossName,
  mseLoss,
} from "./lib/train/loss.ts";
export {
  type AdamSpec,
  createOptimizer,
  type Optimizer,
  type OptimizerSpec,
  type OptimizerState,
  type SgdSpec,
} from "./lib/train/optimizer.ts";
export {
  multiStepLR,
  type MultiStepLRSpec,
  type ScheduleSpec,
} from "./lib/train/schedule.ts";
export {
  createProgress,
  type ProgressEvent,
  type ProgressMode,
  type ProgressOptions,
} from "./lib/train/progress.ts";
export {
  type CheckpointOptions,
  type EpochRecord,
  train,
  type Trainable,
  TrainingInterrupted,
  type TrainOptions,
  type TrainResult,
} from "./lib/train/trainer.ts";
export {
  type Checkpoint,
  type CheckpointScalars,
  readCheckpoint,
  writeCheckpoint,
} from "./lib/train/checkpoint.ts";

export {
  arrayDataSource,
  type Batch,
  type DataSource,
  type ShapedArray,
} from "./lib/data/data_source.ts";
export { type IdxArray, parseIdx, readIdx } from "./lib/data/idx.ts";
export {
  loadMnist,
  type MnistData,
  type MnistOptions,
} from "./lib/data/mnist.ts";
export {
  type Box,
  gridPoints,
  type Points,
  targetData,
  uniformPoints,
} from "./lib/data/sampler.ts";

export * from "./lib/plot/mod.ts";

export {
  type Reference64Options,
  referenceDerivatives,
  referenceOutputs,
  type ReferenceOutputsOptions,
} from "./lib/taylor/reference64.ts";
export { MNIST_NET_LAYERS } from "./lib/nn/mnist_net.ts";

/** ReLU linear regions: activation patterns, exact enumeration, maps. */
export * as regions from "./lib/regions/mod.ts";
/** Harsanyi AND / OR interactions and the AND-OR decomposition. */
export * as interactions from "./lib/interactions/mod.ts";
/** The declarative experiment runner (YAML schema, runs, reports). */
export * as experiment from "./lib/experiment/mod.ts";
