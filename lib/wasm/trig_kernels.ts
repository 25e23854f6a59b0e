/**
 * Faster `Sin` and `Cos` kernels for the tfjs wasm backend
 * (docs/wasm_kernels.md): four float32 elements at a time in WebAssembly
 * SIMD, each computed in float64 and rounded once, within 1 ulp of the
 * correctly rounded result over the whole float32 range. The backend's own
 * kernels call the C library's scalar `sinf` (about 45 ns an element here,
 * the bulk of a sine network's training step); these take about 6.
 *
 * @module
 */

import type { tf as Tf } from "../deps.ts";
import { TRIG_WASM_BASE64 } from "./_trig_wasm.ts";

/** What a kernel sees of the wasm backend: its memory and tensor offsets. */
interface WasmBackend {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(id: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: string): Tf.TensorInfo;
}

/** The module's exports: `f(x offset, out offset, length)`. */
interface TrigExports {
  sin(x: number, out: number, n: number): void;
  cos(x: number, out: number, n: number): void;
}

const instances = new WeakMap<WasmBackend, TrigExports>();

/** The kernels instantiated on `backend`'s memory, once per backend. */
function kernelsFor(backend: WasmBackend): TrigExports {
  let exports = instances.get(backend);
  if (!exports) {
    const bytes = Uint8Array.from(
      atob(TRIG_WASM_BASE64),
      (c) => c.charCodeAt(0),
    );
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      env: { memory: backend.wasm.asm.memory, sin: Math.sin, cos: Math.cos },
    });
    exports = instance.exports as unknown as TrigExports;
    instances.set(backend, exports);
  }
  return exports;
}

/**
 * Replaces the wasm backend's `Sin` and `Cos` kernels with the SIMD ones.
 * Called once by `lib/deps.ts`, so that every computation on the wasm
 * backend uses the same kernels (and gives the same bits).
 *
 * @param tf The tfjs-core namespace whose kernel registry to change.
 * @returns Nothing; float32 `Sin` and `Cos` on wasm use the new kernels.
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * await tf.setBackend("wasm");
 * // lib/deps.ts has already replaced the kernels.
 * const y = tf.sin(tf.tensor1d([0, Math.PI / 6, -0])).dataSync();
 * if (y[0] !== 0 || Math.abs(y[1] - 0.5) > 6e-8 || !Object.is(y[2], -0)) {
 *   throw new Error(String(y));
 * }
 * ```
 */
export function replaceTrigKernels(tf: typeof Tf): void {
  for (const name of ["Sin", "Cos"] as const) {
    const original = tf.getKernel(name, "wasm");
    if (!original) continue;
    const method = name === "Sin" ? "sin" : "cos";
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel({
      ...original,
      kernelFunc: (args) => {
        const x = args.inputs.x as Tf.TensorInfo;
        if (x.dtype !== "float32") return original.kernelFunc(args);
        const backend = args.backend as unknown as WasmBackend;
        const out = backend.makeOutput(x.shape, "float32");
        const n = x.shape.reduce((a, b) => a * b, 1);
        if (n > 0) {
          kernelsFor(backend)[method](
            backend.dataIdMap.get(x.dataId).memoryOffset,
            backend.dataIdMap.get(out.dataId).memoryOffset,
            n,
          );
        }
        return out;
      },
    });
  }
}
