/**
 * The boundary checks that the slow derivative methods (`hope`, `autograd`)
 * share: the order, the output index and the points, with errors that name
 * the method. (`taylorDerivatives` words its own errors and checks more.)
 *
 * @module
 */

import type { Network } from "../nn/network.ts";

/** The highest order any method expands to. */
export const MAX_ORDER = 30;

/** Throws `Cannot expand with method "<method>" <why>`. */
export type ExpansionFailure = (why: string) => never;

/** Options of {@linkcode checkDerivativeInputs}. */
export interface CheckOptions {
  /** Highest order, an integer from 1 to 30. */
  order: number;
  /**
   * Flat index of the expanded output.
   * @default 0
   */
  output?: number;
  /** How a failed check throws (from {@linkcode expansionFailure}). */
  fail: ExpansionFailure;
}

/** What the checks measured, for the method to go on with. */
export interface CheckedInputs {
  /** The order, checked. */
  order: number;
  /** The output index, checked. */
  output: number;
  /** Flat input size. */
  d: number;
  /** Flat output size. */
  outSize: number;
}

/**
 * The thrower of one method's expansion errors.
 *
 * @param method The method's name as the user spells it.
 * @returns A function that throws `Cannot expand with method "<method>" <why>`.
 * @throws {Error} Never itself; the returned function always throws.
 * @example
 * ```ts
 * import { expansionFailure } from "./_validate.ts";
 * const fail = expansionFailure("hope");
 * let message = "";
 * try {
 *   fail('to order "0": expected an integer from 1 to 30');
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * if (!message.startsWith('Cannot expand with method "hope" to order')) {
 *   throw new Error(message);
 * }
 * ```
 */
export function expansionFailure(method: string): ExpansionFailure {
  return (why) => {
    throw new Error(`Cannot expand with method "${method}" ${why}`);
  };
}

/**
 * Checks the order (1 … 30), the output index and that every point has one
 * finite number per input, in that order.
 *
 * @param network The network to expand.
 * @param points The expansion points `[P][d]`.
 * @param options The order, the output index and the error thrower.
 * @returns The order, the output index and the flat input and output sizes.
 * @throws {Error} Through `options.fail`: `to order "<n>": …`,
 *   `at output "<o>": …` or `at point "<p>": …`.
 * @example
 * ```ts
 * import { checkDerivativeInputs, expansionFailure } from "./_validate.ts";
 * import { Network } from "../nn/network.ts";
 * const net = Network.create({
 *   format: "hope-network/1",
 *   input: [2],
 *   layers: ["Linear_2_3"],
 * }, { seed: 1 });
 * const fail = expansionFailure("autograd");
 * const sizes = checkDerivativeInputs(net, [[0, 1]], { order: 2, fail });
 * if (sizes.d !== 2 || sizes.outSize !== 3 || sizes.output !== 0) {
 *   throw new Error(JSON.stringify(sizes));
 * }
 * ```
 */
export function checkDerivativeInputs(
  network: Network,
  points: number[][],
  options: CheckOptions,
): CheckedInputs {
  const { order, output = 0, fail } = options;
  const d = network.inputShape.reduce((a, b) => a * b, 1);
  const outSize = network.outputShape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(order) || order < 1 || order > MAX_ORDER) {
    fail(`to order "${order}": expected an integer from 1 to ${MAX_ORDER}`);
  }
  if (!Number.isInteger(output) || output < 0 || output >= outSize) {
    fail(`at output "${output}": the network has ${outSize} outputs`);
  }
  checkVectors(points, { d, what: "at point", fail });
  return { order, output, d, outSize };
}

/**
 * Checks that every vector has `d` finite numbers.
 *
 * @param vectors The points or directions.
 * @param options `d`, the words before the quoted vector (`"at point"`,
 *   `"along direction"`), and the error thrower.
 * @returns Nothing; it returns only when every vector passes.
 * @throws {Error} Through `options.fail`:
 *   `<what> "<v>": expected <d> finite numbers`.
 * @example
 * ```ts
 * import { checkVectors, expansionFailure } from "./_validate.ts";
 * const fail = expansionFailure("autograd");
 * let message = "";
 * try {
 *   checkVectors([[1, NaN]], { d: 2, what: "along direction", fail });
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * if (!message.endsWith('along direction "1,NaN": expected 2 finite numbers')) {
 *   throw new Error(message);
 * }
 * ```
 */
export function checkVectors(
  vectors: number[][],
  options: { d: number; what: string; fail: ExpansionFailure },
): void {
  const { d, what, fail } = options;
  for (const v of vectors) {
    if (v.length !== d || v.some((a) => !Number.isFinite(a))) {
      fail(`${what} "${v.join(",")}": expected ${d} finite numbers`);
    }
  }
}
