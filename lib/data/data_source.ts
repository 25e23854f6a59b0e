/**
 * Data sources: indexable training sets that hand out mini-batches as
 * tensors, so the trainer never holds a whole data set on the backend.
 *
 * @module
 */

import { type Tensor, tf } from "../deps.ts";

/** A mini-batch: inputs and targets, both with the batch axis first. */
export interface Batch {
  /** Inputs `[B, ...inputShape]` (images NCHW), float32. */
  x: Tensor;
  /** Targets `[B, ...targetShape]`: float32 values or int32 class labels. */
  y: Tensor;
}

/** An indexable set of (input, target) samples. */
export interface DataSource {
  /** Number of samples. */
  readonly size: number;
  /** Per-sample input shape as seen from outside (images `[C, H, W]`). */
  readonly inputShape: number[];
  /** Per-sample target shape (`[]` for integer class labels). */
  readonly targetShape: number[];
  /**
   * The samples at `indices`, in that order, as new tensors (the caller
   * disposes them).
   *
   * @param indices Sample indices in `[0, size)`.
   * @returns The batch.
   */
  batch(indices: Int32Array): Batch;
}

/** A typed array with its shape, batch axis first. */
export interface ShapedArray<T extends Float32Array | Int32Array> {
  /** Values in C order. */
  data: T;
  /** Shape `[N, ...]`. */
  shape: number[];
}

/**
 * A data source over arrays held in memory. Batches are gathered in
 * JavaScript, which is exact and the same on every backend.
 *
 * @param inputs Inputs `[N, ...inputShape]`, float32.
 * @param targets Targets `[N, ...targetShape]`: float32 values, or int32
 *   class labels `[N]`.
 * @returns The data source.
 * @throws {Error} `Cannot build data source "<what>": <why>` when a shape
 *   does not match its data or the sample counts differ.
 * @example
 * ```ts
 * import { arrayDataSource } from "./data_source.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * const data = arrayDataSource(
 *   { data: new Float32Array([0, 1, 2, 3, 4, 5]), shape: [3, 2] },
 *   { data: new Float32Array([10, 11, 12]), shape: [3, 1] },
 * );
 * const { x, y } = data.batch(new Int32Array([2, 0]));
 * if (x.dataSync().join() !== "4,5,0,1" || y.dataSync().join() !== "12,10") {
 *   throw new Error("wrong rows");
 * }
 * ```
 */
export function arrayDataSource(
  inputs: ShapedArray<Float32Array>,
  targets: ShapedArray<Float32Array | Int32Array>,
): DataSource {
  checkShape("inputs", inputs);
  checkShape("targets", targets);
  const size = inputs.shape[0];
  if (targets.shape[0] !== size) {
    throw new Error(
      `Cannot build data source "targets": ${
        targets.shape[0]
      } samples but the inputs have ${size}`,
    );
  }
  const inputShape = inputs.shape.slice(1);
  const targetShape = targets.shape.slice(1);
  return {
    size,
    inputShape,
    targetShape,
    batch: (indices) => ({
      x: tf.tensor(gather(inputs.data, indices, size), [
        indices.length,
        ...inputShape,
      ]),
      y: tf.tensor(gather(targets.data, indices, size), [
        indices.length,
        ...targetShape,
      ]),
    }),
  };
}

function checkShape(
  what: string,
  array: ShapedArray<Float32Array | Int32Array>,
): void {
  const { shape, data } = array;
  const count = shape.reduce((a, b) => a * b, 1);
  if (
    shape.length === 0 || !shape.every((n) => Number.isInteger(n) && n >= 0) ||
    count !== data.length
  ) {
    throw new Error(
      `Cannot build data source "${what}": shape [${shape}] does not fit ${data.length} values`,
    );
  }
}

/** Copies rows `indices` of a `[size, ...]` array into a new array. */
function gather<T extends Float32Array | Int32Array>(
  data: T,
  indices: Int32Array,
  size: number,
): T {
  const row = size ? data.length / size : 0;
  const out = new (data.constructor as { new (n: number): T })(
    indices.length * row,
  );
  indices.forEach((index, k) => {
    if (!(index >= 0 && index < size)) {
      throw new Error(
        `Cannot gather sample "${index}": the data source has ${size} samples`,
      );
    }
    out.set(data.subarray(index * row, (index + 1) * row), k * row);
  });
  return out;
}
