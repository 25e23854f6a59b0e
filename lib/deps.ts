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
export type {
  Rank,
  Scalar,
  Tensor,
  Tensor1D,
  Tensor2D,
  Tensor4D,
  Variable,
} from "npm:@tensorflow/tfjs-core@4.22.0";
export * as YAML from "npm:yaml@2.9.1";
export { z } from "npm:zod@4.6.7";
