/**
 * The least-squares affine map between two sets of row vectors, as the XOR
 * notebook fits between the region parameters of two networks (scikit-learn's
 * `LinearRegression` with an intercept: the minimum-norm solution when the
 * rows do not span every direction).
 *
 * @module
 */

import { symmetricEigen } from "./_symmetric_eigen.ts";

/** A dense row-major matrix. */
export interface Matrix {
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  cols: number;
  /** Row-major values, length `rows · cols`. */
  data: Float64Array;
}

/** A fitted map `y = x B + c` from `p` to `q` columns. */
export interface LinearMap {
  /** `B`, row-major `[p, q]`. */
  coefficients: Float64Array;
  /** `c`, length `q`. */
  intercept: Float64Array;
  /** Input columns `p`. */
  inputs: number;
  /** Output columns `q`. */
  outputs: number;
  /**
   * Coefficient of determination per output column, `1 − SS_res / SS_tot`
   * (1 for a constant column fitted exactly, as scikit-learn reports).
   */
  r2: Float64Array;
  /** Mean of `r2` (scikit-learn's `score`). */
  score: number;
  /** Rank of the centred inputs used by the fit. */
  rank: number;
}

/**
 * Fits `to ≈ from · B + c` by least squares (minimum-norm `B` when the
 * centred rows of `from` do not have full column rank).
 *
 * Solved through the normal equations of the centred data with a
 * pseudo-inverse: eigenvalues below `1e-10 ·` the largest count as zero,
 * which drops the directions the rows do not explore (for example the
 * parameters of a width-2 network take only 3 or 4 distinct values).
 *
 * @param from Inputs `[N, p]`.
 * @param to Targets `[N, q]`, same `N`.
 * @returns The map and its fit quality.
 * @throws {Error} `Cannot fit a linear map "<N> vs <M> rows": …` for
 *   different row counts or fewer than 2 rows.
 * @example
 * ```ts
 * import { fitLinearMap } from "./linear_map.ts";
 * // y = 2x + 1
 * const fit = fitLinearMap(
 *   { rows: 3, cols: 1, data: new Float64Array([0, 1, 2]) },
 *   { rows: 3, cols: 1, data: new Float64Array([1, 3, 5]) },
 * );
 * if (Math.abs(fit.coefficients[0] - 2) > 1e-12 ||
 *   Math.abs(fit.intercept[0] - 1) > 1e-12) throw new Error("wrong fit");
 * ```
 */
export function fitLinearMap(from: Matrix, to: Matrix): LinearMap {
  if (from.rows !== to.rows || from.rows < 2) {
    throw new Error(
      `Cannot fit a linear map "${from.rows} vs ${to.rows} rows": both sides need the same number of rows, at least 2`,
    );
  }
  const n = from.rows;
  const p = from.cols;
  const q = to.cols;
  const mx = columnMeans(from);
  const my = columnMeans(to);
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p * q);
  const xc = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < p; i++) xc[i] = from.data[r * p + i] - mx[i];
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) xtx[i * p + j] += xc[i] * xc[j];
      for (let k = 0; k < q; k++) {
        xty[i * q + k] += xc[i] * (to.data[r * q + k] - my[k]);
      }
    }
  }
  const { values, vectors } = symmetricEigen(xtx, p);
  const largest = Math.max(0, ...values);
  let rank = 0;
  // B = V diag(1/λ) Vᵀ Xᵀy over the kept eigenvalues.
  const coefficients = new Float64Array(p * q);
  for (let e = 0; e < p; e++) {
    if (!(values[e] > 1e-10 * largest)) continue;
    rank++;
    for (let k = 0; k < q; k++) {
      let proj = 0;
      for (let i = 0; i < p; i++) proj += vectors[i * p + e] * xty[i * q + k];
      proj /= values[e];
      for (let i = 0; i < p; i++) {
        coefficients[i * q + k] += vectors[i * p + e] * proj;
      }
    }
  }
  const intercept = new Float64Array(q);
  for (let k = 0; k < q; k++) {
    let s = my[k];
    for (let i = 0; i < p; i++) s -= mx[i] * coefficients[i * q + k];
    intercept[k] = s;
  }
  const map: LinearMap = {
    coefficients,
    intercept,
    inputs: p,
    outputs: q,
    r2: new Float64Array(q),
    score: 0,
    rank,
  };
  const predicted = applyLinearMap(map, from);
  for (let k = 0; k < q; k++) {
    let res = 0;
    let tot = 0;
    for (let r = 0; r < n; r++) {
      res += (to.data[r * q + k] - predicted.data[r * q + k]) ** 2;
      tot += (to.data[r * q + k] - my[k]) ** 2;
    }
    map.r2[k] = tot > 0 ? 1 - res / tot : (res > 0 ? 0 : 1);
  }
  map.score = map.r2.reduce((a, b) => a + b, 0) / q;
  return map;
}

/**
 * Applies a fitted map to rows: `x B + c`.
 *
 * @param map The map.
 * @param x Rows `[N, p]`.
 * @returns Rows `[N, q]`.
 * @throws {Error} `Cannot apply a linear map "<cols> columns": …` when `x`
 *   does not have the map's `p` columns.
 * @example
 * ```ts
 * import { applyLinearMap, fitLinearMap } from "./linear_map.ts";
 * const x = { rows: 2, cols: 1, data: new Float64Array([0, 1]) };
 * const fit = fitLinearMap(x, { rows: 2, cols: 1, data: new Float64Array([3, 1]) });
 * const y = applyLinearMap(fit, { rows: 1, cols: 1, data: new Float64Array([2]) });
 * if (Math.abs(y.data[0] + 1) > 1e-12) throw new Error(String(y.data));
 * ```
 */
export function applyLinearMap(map: LinearMap, x: Matrix): Matrix {
  const { inputs: p, outputs: q } = map;
  if (x.cols !== p) {
    throw new Error(
      `Cannot apply a linear map "${x.cols} columns": the map takes ${p}`,
    );
  }
  const data = new Float64Array(x.rows * q);
  for (let r = 0; r < x.rows; r++) {
    for (let k = 0; k < q; k++) {
      let s = map.intercept[k];
      for (let i = 0; i < p; i++) {
        s += x.data[r * p + i] * map.coefficients[i * q + k];
      }
      data[r * q + k] = s;
    }
  }
  return { rows: x.rows, cols: q, data };
}

function columnMeans(m: Matrix): Float64Array {
  const out = new Float64Array(m.cols);
  for (let r = 0; r < m.rows; r++) {
    for (let i = 0; i < m.cols; i++) out[i] += m.data[r * m.cols + i];
  }
  return out.map((s) => s / m.rows);
}
