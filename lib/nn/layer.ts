/**
 * Layers of a sequential network on tfjs tensors.
 *
 * Shapes seen from outside follow PyTorch (images NCHW, parameters
 * `[out, in]` and `[out, in, kh, kw]`). Inside, images are NHWC and weights
 * are in the layout tfjs kernels take (`[in, out]`, `[kh, kw, in, out]`),
 * because the wasm and cpu backends only implement NHWC convolutions.
 *
 * @module
 */

import { type Tensor, tf, type Variable } from "../deps.ts";
import type { LayerSpec } from "./spec.ts";

/** One layer with its parameters, acting on internal-layout tensors. */
export interface Layer {
  /** The layer as written in `network.json`. */
  readonly spec: LayerSpec;
  /** Per-sample input shape, internal layout (images `[H, W, C]`). */
  readonly inShape: number[];
  /** Per-sample output shape, internal layout. */
  readonly outShape: number[];
  /** Weight, internal layout: Linear `[in, out]`, Conv2d `[kh, kw, in, out]`. */
  readonly weight?: Variable;
  /** Bias `[out]`. */
  readonly bias?: Variable;
  /**
   * Applies the layer to a batch `[B, ...inShape]`.
   *
   * @param x Batch in internal layout.
   * @returns Batch `[B, ...outShape]`.
   */
  apply(x: Tensor): Tensor;
  /**
   * Linear and Conv2d only: the same map without the bias (the part that a
   * Taylor coefficient of degree ≥ 1 goes through).
   *
   * @param x Batch in internal layout.
   * @returns Batch `[B, ...outShape]`.
   */
  applyLinear?(x: Tensor): Tensor;
}

/** True when a per-sample shape is an image, stored `[C, H, W]` outside. */
export function isImageShape(shape: readonly number[]): boolean {
  return shape.length === 3;
}

/**
 * Converts a per-sample external shape (`[C, H, W]` for images) to the
 * internal one (`[H, W, C]`).
 *
 * @param shape External per-sample shape.
 * @returns Internal per-sample shape.
 * @example
 * ```ts
 * import { internalShape } from "./layer.ts";
 * if (internalShape([2, 8, 9]).join() !== "8,9,2") throw new Error();
 * ```
 */
export function internalShape(shape: readonly number[]): number[] {
  return isImageShape(shape) ? [shape[1], shape[2], shape[0]] : [...shape];
}

/**
 * Converts a batch from external layout (NCHW images) to internal (NHWC).
 *
 * @param x Batch `[B, ...shape]` in external layout.
 * @param shape External per-sample shape.
 * @returns Batch in internal layout.
 */
export function toInternal(x: Tensor, shape: readonly number[]): Tensor {
  return isImageShape(shape) ? tf.transpose(x, [0, 2, 3, 1]) : x;
}

/**
 * Converts a batch from internal layout (NHWC images) to external (NCHW).
 *
 * @param x Batch `[B, ...internalShape]` in internal layout.
 * @param shape Internal per-sample shape.
 * @returns Batch in external layout.
 */
export function toExternal(x: Tensor, shape: readonly number[]): Tensor {
  return isImageShape(shape) ? tf.transpose(x, [0, 3, 1, 2]) : x;
}

/**
 * The external per-sample shape for an internal one.
 *
 * @param shape Internal per-sample shape.
 * @returns External per-sample shape (images `[C, H, W]`).
 */
export function externalShape(shape: readonly number[]): number[] {
  return isImageShape(shape) ? [shape[2], shape[0], shape[1]] : [...shape];
}
