/**
 * Types shared by the three ways of computing the derivatives of a network
 * (`taylor`, `hope`, `autograd`).
 *
 * Convention, used throughout: stored "derivatives" are `∂^α f(x0)`;
 * "coefficients" are `∂^α f(x0) / α!`.
 *
 * @module
 */

/** How the derivatives are computed. */
export type Method = "taylor" | "hope" | "autograd";

/**
 * Which partials: `"all"` (every mixed partial up to the order), `"none"`
 * (`∂^k y/∂x_i^k` for every input `i`), or `"directions"` (`∂^k y/∂v^k` for
 * given directions `v`).
 */
export type Mixed = "all" | "none" | "directions";

/** Options shared by every method. */
export interface DerivativeOptions {
  /** Highest order `n`, 1 … 30. */
  order: number;
  /**
   * Which partials.
   * @default "all"
   */
  mixed?: Mixed;
  /**
   * Directions `[m][d]` for `mixed: "directions"`.
   * @default undefined
   */
  directions?: number[][];
  /**
   * Index of the network output to expand (flat index into the output).
   * @default 0
   */
  output?: number;
  /**
   * Called while a long computation runs (method `"autograd"`): first
   * after 2 s, then at most once a second.
   * @default undefined (no progress reports)
   */
  onProgress?: (progress: ExpansionProgress) => void;
}

/** How far a long expansion has got, as `onProgress` receives it. */
export interface ExpansionProgress {
  /** The order being computed. */
  order: number;
  /** The highest order asked for. */
  orders: number;
  /** Share of the estimated work done, 0 … 1. */
  fraction: number;
  /** Seconds since the computation started. */
  seconds: number;
  /** Estimated seconds left. */
  remaining: number;
}

/**
 * The derivatives of one scalar output at one point.
 *
 * `derivatives[k]` holds order `k` flat in C order, in the layout of
 * `dk.npy` (DESIGN section 2): for `"all"` the full symmetric tensor of shape
 * `[d]*k`; for `"none"` shape `[d]`; for `"directions"` shape `[m]`.
 * `derivatives[0]` is the value `y(x0)` (shape `[]`).
 */
export interface DerivativeSet {
  /** Which partials these are. */
  mixed: Mixed;
  /** Highest order. */
  order: number;
  /** Input dimension `d` (flattened input size). */
  dim: number;
  /** The point `x0`, flattened. */
  point: number[];
  /** `derivatives[k]`, k = 0 … order. */
  derivatives: Float64Array[];
  /** `shapes[k]`, the shape of `derivatives[k]`. */
  shapes: number[][];
  /**
   * True when the network is piecewise linear somewhere (ReLU, LeakyReLU,
   * MaxPool): derivatives of order ≥ 2 through those layers are exactly zero
   * away from kinks, which is the truth, not an approximation.
   */
  piecewiseLinear: boolean;
}
