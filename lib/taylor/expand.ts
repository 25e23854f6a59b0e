/**
 * `expand`: the Taylor expansion of a network output at a point, by any of
 * the three methods (forward Taylor mode, the HOPE backward rule, nested
 * autograd), with its derivatives in the layout of `dk.npy` and its
 * polynomial.
 *
 * Convention: `derivatives[k]` holds `∂^α y(x0)`; the polynomial's
 * coefficients are `∂^α y(x0) / α!`.
 *
 * @module
 */

import { tf } from "../deps.ts";
import type { Network } from "../nn/network.ts";
import { autogradDerivatives } from "./autograd.ts";
import { hopeDerivatives, hopeExactness } from "./hope.ts";
import { TaylorPolynomial } from "./polynomial.ts";
import { taylorDerivatives } from "./taylor_mode.ts";
import type {
  DerivativeOptions,
  DerivativeSet,
  ExpansionProgress,
  Method,
  Mixed,
} from "./types.ts";

/** Options of {@linkcode expand} and {@linkcode expandMany}. */
export interface ExpandOptions extends DerivativeOptions {
  /**
   * How the derivatives are computed: `"taylor"` (exact forward Taylor
   * mode), `"hope"` (the paper's backward rule, exact only with one hidden
   * non-linear layer) or `"autograd"` (nested `tf.grad`, exponential in the
   * order).
   * @default "taylor"
   */
  method?: Method;
}

/** The expansion of one network output at one point. */
export interface Expansion {
  /** How the derivatives were computed. */
  method: Method;
  /** Which partials (`"all"`, `"none"` or `"directions"`). */
  mode: Mixed;
  /** Highest order `n`. */
  order: number;
  /** The expansion point `x0`, flattened (images NCHW). */
  point: number[];
  /** The flat index of the expanded output. */
  output: number;
  /** The directions, for mode `"directions"`. */
  directions?: number[][];
  /** `derivatives[k]`: order `k`, flat, in the layout of `dk.npy`. */
  derivatives: Float64Array[];
  /** `shapes[k]`: the shape of `derivatives[k]`. */
  shapes: number[][];
  /**
   * The Taylor polynomial. For `"all"` and `"none"` its variables are the
   * inputs `x_i`, centred at `x0`; for `"directions"` they are the step
   * sizes `t_r` along each direction (`y ≈ Σ_r Σ_k ∂^k y/∂v_r^k t_r^k / k!`),
   * centred at 0.
   */
  polynomial: TaylorPolynomial;
  /** Seconds spent computing the derivatives alone. */
  seconds: number;
  /** The tfjs backend that computed them. */
  backend: string;
  /**
   * True when a piecewise-linear layer (ReLU, LeakyReLU, MaxPool) was
   * passed: orders ≥ 2 through it are exactly zero away from kinks.
   */
  piecewiseLinear: boolean;
  /**
   * True when the derivatives are exact up to float32 rounding: always for
   * `"taylor"` and `"autograd"`; for `"hope"` only where the backward rule
   * is (one hidden non-linear layer, see `hopeExactness`).
   */
  exact: boolean;
  /** Why the derivatives are an approximation, when `exact` is false. */
  inexactReason?: string;
}

const METHODS: Record<
  Method,
  (network: Network, points: number[][], options: DerivativeOptions) =>
    | DerivativeSet[]
    | Promise<DerivativeSet[]>
> = {
  taylor: taylorDerivatives,
  hope: hopeDerivatives,
  autograd: autogradDerivatives,
};

/**
 * Expands one output of a network at a point.
 *
 * @param network The network.
 * @param point The expansion point, flattened in the external layout
 *   (images NCHW).
 * @param options `order`; `mixed` (default `"all"`); `method` (default
 *   `"taylor"`); `directions` for `"directions"`; `output` (default 0).
 * @returns The expansion; `exact` is false, with `inexactReason`, where
 *   method `"hope"` only approximates this network's derivatives.
 * @throws {Error} `Cannot expand with method "<m>": …` for an unknown
 *   method; the errors of the method itself (`Cannot expand …`) for a bad
 *   order, point, output or mode.
 * @example
 * ```ts
 * import { expand } from "./expand.ts";
 * import { Network } from "../nn/network.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * // y = sin(x) at x0 = 0, by hand-set weights
 * const net = Network.create({
 *   format: "hope-network/1",
 *   input: [1],
 *   layers: ["Linear_1_1", "Sine"],
 * }, {
 *   parameters: new Map<string, tf.Tensor>([
 *     ["0.weight.npy", tf.tensor2d([[1]])],
 *     ["0.bias.npy", tf.tensor1d([0])],
 *   ]),
 * });
 * const e = await expand(net, [0], { order: 3 });
 * if (Math.abs(e.derivatives[3][0] + 1) > 1e-6) throw new Error("sin''' = −cos");
 * if (e.polynomial.toString() !== "y = 1.00 x_1 - 0.17 x_1^3") {
 *   throw new Error(e.polynomial.toString());
 * }
 * if (!e.exact) throw new Error("taylor is exact");
 * ```
 */
export async function expand(
  network: Network,
  point: number[],
  options: ExpandOptions,
): Promise<Expansion> {
  const [expansion] = await expandMany(network, [point], options);
  return expansion;
}

/**
 * Expands one output of a network at many points in one batched call (the
 * global explanation expands at hundreds of points).
 *
 * @param network The network.
 * @param points The expansion points, each flattened (images NCHW).
 * @param options As for {@linkcode expand}.
 * @returns One expansion per point; each `seconds` is the batch's time
 *   divided by the number of points.
 * @throws {Error} As {@linkcode expand}.
 * @example
 * ```ts
 * import { expandMany } from "./expand.ts";
 * import { Network } from "../nn/network.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * const net = Network.create({
 *   format: "hope-network/1",
 *   input: [2],
 *   layers: ["Linear_2_8", "Tanh", "Linear_8_1"],
 * }, { seed: 1 });
 * const many = await expandMany(net, [[0, 0], [0.5, 0.5]], { order: 2 });
 * if (many.length !== 2 || many[1].point[0] !== 0.5) throw new Error();
 * ```
 */
export async function expandMany(
  network: Network,
  points: number[][],
  options: ExpandOptions,
): Promise<Expansion[]> {
  const method = options.method ?? "taylor";
  if (!Object.hasOwn(METHODS, method)) {
    throw new Error(
      `Cannot expand with method "${method}": expected "taylor", "hope" or "autograd"`,
    );
  }
  const mode = options.mixed ?? "all";
  const output = options.output ?? 0;
  const start = performance.now();
  const sets = await METHODS[method](network, points, {
    order: options.order,
    mixed: mode,
    directions: options.directions,
    output,
    onProgress: options.onProgress,
  });
  const seconds = (performance.now() - start) / 1000 /
    Math.max(1, points.length);
  const backend = tf.getBackend();
  const { exact, reason } = method === "hope"
    ? hopeExactness(network, { mixed: mode })
    : { exact: true, reason: undefined };
  return sets.map((set) => ({
    method,
    mode,
    order: set.order,
    point: set.point,
    output,
    ...(mode === "directions" ? { directions: options.directions } : {}),
    derivatives: set.derivatives,
    shapes: set.shapes,
    polynomial: mode === "directions"
      ? TaylorPolynomial.fromDerivatives(set.derivatives, {
        center: new Array(set.shapes[1]?.[0] ?? 0).fill(0),
        mixed: "none",
      })
      : TaylorPolynomial.fromDerivatives(set.derivatives, {
        center: set.point,
        mixed: mode,
      }),
    seconds,
    backend,
    piecewiseLinear: set.piecewiseLinear,
    exact,
    ...(reason === undefined ? {} : { inexactReason: reason }),
  }));
}

/**
 * One line for a progress report of {@linkcode expand}'s `onProgress`.
 *
 * @param progress The report.
 * @returns E.g. `order 5 of 8: 37 % of the estimated work in 12 s, about
 *   20 s left`.
 * @example
 * ```ts
 * import { formatProgress } from "./expand.ts";
 * const line = formatProgress({
 *   order: 5,
 *   orders: 8,
 *   fraction: 0.372,
 *   seconds: 12.2,
 *   remaining: 20.4,
 * });
 * if (line !== "order 5 of 8: 37 % of the estimated work in 12 s, about 20 s left") {
 *   throw new Error(line);
 * }
 * ```
 */
export function formatProgress(progress: ExpansionProgress): string {
  const { order, orders, fraction, seconds, remaining } = progress;
  return `order ${order} of ${orders}: ${
    Math.round(100 * fraction)
  } % of the estimated work in ${Math.round(seconds)} s, about ${
    Math.round(remaining)
  } s left`;
}
