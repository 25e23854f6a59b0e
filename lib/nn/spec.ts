/**
 * The layer vocabulary of the `hope-network/1` format (DESIGN section 2).
 *
 * A network is a list of these plain objects; parameter files are named by
 * `weight` / `bias` relative to the network folder and hold PyTorch layouts
 * (Linear `[out, in]`, Conv2d `[out, in, kh, kw]`).
 *
 * @module
 */

/** A fully connected layer `y = W x + b`. */
export interface LinearSpec {
  /** Layer type. */
  type: "Linear";
  /** Input features. */
  in: number;
  /** Output features. */
  out: number;
  /** Weight file, PyTorch layout `[out, in]`. */
  weight?: string;
  /** Bias file, shape `[out]`; absent means no bias. */
  bias?: string;
}

/** A 2-D convolution over NCHW images (as seen from outside). */
export interface Conv2dSpec {
  /** Layer type. */
  type: "Conv2d";
  /** Input channels. */
  in: number;
  /** Output channels. */
  out: number;
  /** Kernel `[kh, kw]`. */
  kernel: [number, number];
  /** Stride `[sh, sw]`. */
  stride: [number, number];
  /** Zero padding `[ph, pw]` on each side. */
  padding: [number, number];
  /** Weight file, PyTorch layout `[out, in, kh, kw]`. */
  weight?: string;
  /** Bias file, shape `[out]`; absent means no bias. */
  bias?: string;
}

/** Average or max pooling over NCHW images, no padding. */
export interface Pool2dSpec {
  /** Layer type. */
  type: "AvgPool2d" | "MaxPool2d";
  /** Window `[kh, kw]`. */
  kernel: [number, number];
  /** Stride `[sh, sw]`. */
  stride: [number, number];
}

/** Flattens `[C, H, W]` (or any shape) to a vector in C, H, W order. */
export interface FlattenSpec {
  /** Layer type. */
  type: "Flatten";
}

/** Reshapes a vector to `shape`, e.g. `[C, H, W]` in NCHW order. */
export interface UnflattenSpec {
  /** Layer type. */
  type: "Unflatten";
  /** Per-sample output shape. */
  shape: number[];
}

/** Layers without parameters that act element-wise. */
export type ActivationSpec =
  | { type: "Sine"; w0: number }
  | { type: "Tanh" }
  | { type: "Sigmoid" }
  | { type: "ReLU" }
  | { type: "LeakyReLU"; slope: number }
  | { type: "ELU"; alpha: number }
  | { type: "GELU"; approximate: "none" | "tanh" }
  | { type: "Softplus"; beta: number }
  | { type: "Identity" }
  | { type: "Dropout" }
  | { type: "Dropout2d" };

/** Any layer of a `hope-network/1` file. */
export type LayerSpec =
  | LinearSpec
  | Conv2dSpec
  | Pool2dSpec
  | FlattenSpec
  | UnflattenSpec
  | ActivationSpec;

/** The `network.json` document. */
export interface NetworkSpec {
  /** Always `"hope-network/1"`. */
  format: "hope-network/1";
  /** Per-sample input shape, e.g. `[2]` or `[1, 28, 28]`. */
  input: number[];
  /** The layers, applied in order. */
  layers: LayerSpec[];
}
