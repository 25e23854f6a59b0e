/**
 * Helpers shared by the Taylor tests: jets with given coefficients, and
 * reading a jet back as plain arrays.
 *
 * @module
 */

import { tf } from "../../lib/deps.ts";
import { Basis } from "../../lib/taylor/_series.ts";
import { type Block, Jet } from "../../lib/taylor/jet.ts";
import { multiIndicesOfDegree } from "../../lib/taylor/_multi_index.ts";
import type { Series } from "./_jet64.ts";

/** A reproducible stream of numbers in [−1, 1). */
export function numbers(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

/**
 * A univariate jet of `series.length` features (one point, one replica):
 * feature `i` has coefficients `series[i]`.
 */
export function univariateJet(series: Series[]): Jet {
  const order = series[0].length - 1;
  const f = series.length;
  const blocks: Block[] = [];
  for (let k = 0; k <= order; k++) {
    blocks.push(tf.tensor(series.map((s) => s[k]), [1, 1, 1, f]));
  }
  return new Jet({
    basis: new Basis(1, order),
    blocks,
    shape: [f],
    points: 1,
    replicas: 1,
  });
}

/**
 * A multivariate jet in `vars` variables with one feature per entry of
 * `coefficients`: `coefficients[i][k][a]` is the coefficient of the `a`-th
 * monomial of degree `k` (graded order) for feature `i`.
 */
export function multivariateJet(vars: number, coefficients: number[][][]): Jet {
  const order = coefficients[0].length - 1;
  const f = coefficients.length;
  const basis = new Basis(vars, order);
  const blocks: Block[] = [];
  for (let k = 0; k <= order; k++) {
    const n = basis.counts[k];
    const data: number[] = [];
    for (let a = 0; a < n; a++) {
      for (let i = 0; i < f; i++) data.push(coefficients[i][k][a]);
    }
    blocks.push(tf.tensor(data, [n, 1, 1, f]));
  }
  return new Jet({ basis, blocks, shape: [f], points: 1, replicas: 1 });
}

/** Random multivariate coefficients, scaled by `decay^k`. */
export function randomCoefficients(
  vars: number,
  order: number,
  features: number,
  options: { seed: number; decay?: number; value?: (i: number) => number },
): number[][][] {
  const next = numbers(options.seed);
  const decay = options.decay ?? 0.6;
  return Array.from(
    { length: features },
    (_, i) =>
      Array.from(
        { length: order + 1 },
        (_, k) =>
          multiIndicesOfDegree(vars, k).map(() =>
            k === 0 && options.value ? options.value(i) : next() * decay ** k
          ),
      ),
  );
}

/**
 * The coefficients of a jet with one point and one replica, per feature:
 * `out[i][k][a]` (monomial `a` of degree `k`; zero blocks read as zeros).
 */
export function readJet(jet: Jet): number[][][] {
  const f = jet.shape.reduce((a, b) => a * b, 1);
  const out: number[][][] = Array.from({ length: f }, () => []);
  jet.blocks.forEach((block, k) => {
    const n = jet.basis.counts[k];
    const data = block ? block.dataSync() : new Float32Array(n * f);
    for (let i = 0; i < f; i++) {
      out[i].push(Array.from({ length: n }, (_, a) => data[a * f + i]));
    }
  });
  return out;
}

/**
 * The univariate series along `v` of a multivariate coefficient list:
 * coefficient `k` is `Σ_{|α|=k} c_α v^α`.
 */
export function alongDirection(
  vars: number,
  coefficients: number[][],
  v: number[],
): Series {
  return coefficients.map((block, k) =>
    multiIndicesOfDegree(vars, k).reduce(
      (sum, alpha, a) =>
        sum + block[a] * alpha.reduce((p, e, i) => p * v[i] ** e, 1),
      0,
    )
  );
}

/** Runs `fn` in a `tf.tidy` scope and returns its plain (non-tensor) result. */
export function scoped<T>(fn: () => T): T {
  let out: T | undefined;
  tf.tidy(() => {
    out = fn();
  });
  return out as T;
}
