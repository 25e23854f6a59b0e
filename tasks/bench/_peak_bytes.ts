/**
 * Peak tfjs tensor memory of a synchronous computation.
 *
 * `tf.profile(f).peakBytes` is the largest `tf.memory().numBytes` seen
 * after any kernel of `f`, but tfjs computes it as `Math.max(...snapshots)`,
 * which overflows the call stack beyond about 10^5 kernels (nested autograd
 * at order 6 and up), and it times and records every kernel. This takes the
 * same maximum without those costs by wrapping the engine's kernel entry
 * point for the duration of the call.
 *
 * @module
 */

import { tf } from "../../lib/deps.ts";

/** The part of tfjs's engine this reads (not in its public types). */
interface EngineInternals {
  runKernelFunc: (...args: unknown[]) => unknown;
  state: { numBytes: number };
}

/**
 * Runs `fn` and reports the peak of `tf.memory().numBytes` after any of its
 * kernels, above the bytes held before it.
 *
 * @param fn A synchronous computation.
 * @returns Its result and the peak extra tensor bytes.
 * @throws {Error} Whatever `fn` throws (the engine is restored first).
 * @example
 * ```ts
 * import { peakTensorBytes } from "./_peak_bytes.ts";
 * import { tf } from "../../lib/deps.ts";
 * await tf.ready();
 * const { result, peakBytes } = peakTensorBytes(() =>
 *   tf.tidy(() => tf.sum(tf.add(tf.ones([1000]), tf.ones([1000]))).dataSync()[0])
 * );
 * if (result !== 2000 || peakBytes < 8000) throw new Error(String(peakBytes));
 * ```
 */
export function peakTensorBytes<T>(
  fn: () => T,
): { result: T; peakBytes: number } {
  const engine = tf.engine() as unknown as EngineInternals;
  const start = engine.state.numBytes;
  let peak = start;
  const original = engine.runKernelFunc;
  const own = Object.hasOwn(engine, "runKernelFunc");
  engine.runKernelFunc = function (this: EngineInternals, ...args) {
    const out = original.apply(this, args);
    if (this.state.numBytes > peak) peak = this.state.numBytes;
    return out;
  };
  try {
    const result = fn();
    return { result, peakBytes: peak - start };
  } finally {
    if (own) engine.runKernelFunc = original;
    // Else the prototype's method shows through again.
    else delete (engine as Partial<EngineInternals>).runKernelFunc;
  }
}
