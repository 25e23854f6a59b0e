/**
 * The sparse AND-OR decomposition of Li & Zhang (ICML 2023, seed `004_*`):
 * split the outputs `v = v_and + v_or`, explain `v_and` by AND (Harsanyi)
 * interactions and `v_or` by OR interactions, and choose the split (and a
 * small bounded noise term) that makes the interactions sparsest in L1.
 *
 * @module
 */

import {
  orOutputsTranspose,
  playerCount,
  subsetButterfly,
  supersetButterfly,
} from "./_transforms.ts";
import { orInteractions, orOutputs } from "./or_interactions.ts";
import { subsetSize } from "./subsets.ts";

/** Options of {@linkcode andOrDecomposition}. */
export interface AndOrOptions {
  /**
   * Bound on the noise term, relative to `|v(N) − v(∅)|` (the reference
   * code's `qthres` with `qstd = "vN-v0"`; its examples use 0.04). With 0
   * the interactions add up to the outputs exactly.
   * @default 0
   */
  noise?: number;
  /**
   * Most primal-dual iterations (each costs four O(n · 2^n) transforms).
   * @default 20000
   */
  iterations?: number;
  /**
   * Stop when the duality gap, relative to the loss, is below this: the
   * returned loss is then within this fraction of the optimum.
   * @default 1e-4
   */
  tolerance?: number;
}

/** What {@linkcode andOrDecomposition} returns. */
export interface AndOrDecomposition {
  /** AND interactions `I_and(S)` of `v_and`, length `2^n`. */
  and: Float64Array;
  /** OR interactions `I_or(S)` of `v_or`, length `2^n`. */
  or: Float64Array;
  /**
   * The split `γ` in the paper's parametrisation `v_and = (v + ε)/2 + γ`,
   * `v_or = (v + ε)/2 − γ`.
   */
  split: Float64Array;
  /** The noise `ε`, `|ε(S)| ≤ noiseBound`. */
  noise: Float64Array;
  /** `noise · |v(N) − v(∅)|`. */
  noiseBound: number;
  /** `Σ|I_and| + Σ|I_or|` of the reference code's start, `γ = ε = 0`. */
  initialLoss: number;
  /** `Σ|I_and| + Σ|I_or|` of the returned decomposition. */
  loss: number;
  /**
   * A lower bound on the least possible loss (the dual objective), so
   * `loss − lowerBound` bounds how far from optimal the result is.
   */
  lowerBound: number;
  /** Iterations run. */
  iterations: number;
}

/**
 * Learns the sparsest AND-OR decomposition of a set function.
 *
 * Minimises the paper's objective (its equation 4, the empty set included
 * as in the reference code) `Σ_S |I_and(S)| + Σ_S |I_or(S)|` subject to
 * `Σ_{T ⊆ S} I_and(T) + I_or(∅) + Σ_{T ∩ S ≠ ∅} I_or(T) = v(S) + ε(S)`,
 * `|ε(S)| ≤ noise · |v(N) − v(∅)|` for every `S`. (The paper learns the
 * split `γ` and `ε` of `v_and = (v + ε)/2 + γ`, `v_or = (v + ε)/2 − γ`; the
 * interactions are a bijective function of them, so the two problems are
 * the same.) This is a linear program; it is solved by the primal-dual
 * hybrid gradient method (Chambolle & Pock) with the diagonal
 * preconditioning of Pock & Chambolle (ICCV 2011), whose steps need only the
 * O(n · 2^n) transforms and their transposes and which converges without a
 * step size to tune, with the adaptive restarts of PDLP (Applegate et al.,
 * 2021); the reference code's plain SGD on `γ` stalls because the
 * subgradient of `γ(∅)` is up to `2^n` times that of `γ(N)`. Every 50
 * iterations the iterate is made exactly feasible (the residual goes into
 * `v_and`), the sparsest is kept, and the run stops when the duality gap
 * certifies it within `tolerance` of the optimum. It starts from the sparser of the
 * pure-AND and pure-OR explanations, so the result is never worse than
 * either.
 *
 * @param v The outputs on the `2^n` subsets (bit `i` = player `i` present).
 * @param options Noise bound, iterations, tolerance.
 * @returns The AND and OR interactions, the split and the noise.
 * @throws {Error} `Cannot decompose outputs of length "<len>": …` when the
 *   length is not a power of two; `Cannot decompose with option "<name> =
 *   <value>": …` for a negative noise or tolerance, or a non-integer
 *   iteration count.
 * @example
 * ```ts
 * import { andOrDecomposition } from "./and_or_decomposition.ts";
 * // v = [players 0 and 1 both present] + 2·[player 2 or 3 present]
 * const v = Array.from({ length: 16 }, (_, s) =>
 *   ((s & 3) === 3 ? 1 : 0) + ((s & 12) !== 0 ? 2 : 0));
 * const d = andOrDecomposition(v);
 * // one AND and one OR interaction, loss 1 + 2
 * if (Math.abs(d.and[0b0011] - 1) > 1e-3 || Math.abs(d.or[0b1100] - 2) > 1e-3 ||
 *   Math.abs(d.loss - 3) > 1e-3) throw new Error(`${d.loss}`);
 * ```
 */
export function andOrDecomposition(
  v: ArrayLike<number>,
  options: AndOrOptions = {},
): AndOrDecomposition {
  const n = playerCount(v.length, "decompose outputs");
  const size = v.length;
  const noise = options.noise ?? 0;
  const maxIterations = options.iterations ?? 20000;
  const tolerance = options.tolerance ?? 1e-4;
  const bad = (name: string, value: number, why: string): never => {
    throw new Error(
      `Cannot decompose with option "${name} = ${value}": ${why}`,
    );
  };
  if (!(noise >= 0)) bad("noise", noise, "expected a number ≥ 0");
  if (!(tolerance >= 0)) bad("tolerance", tolerance, "expected a number ≥ 0");
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    bad("iterations", maxIterations, "expected an integer ≥ 0");
  }
  const w = Float64Array.from(v);
  const bound = noise * Math.abs(w[size - 1] - w[0]);
  const l1 = (a: Float64Array) => a.reduce((s, x) => s + Math.abs(x), 0);

  // The reference code's start, γ = ε = 0: v_and = v_or = v/2.
  const half = w.map((x) => x / 2);
  const initialLoss = l1(mobius(half)) + l1(orInteractions(half));

  // Primal z = (x, y) = (I_and, I_or); K z = Z x + S y with Z the zeta
  // transform and S = orOutputs. Diagonal steps from K's absolute row and
  // column sums (all entries are 0 or 1): column T of Z has 2^{n−|T|} ones,
  // column T ≠ ∅ of S has 2^n − 2^{n−|T|} (column ∅: 2^n); row A of Z has
  // 2^{|A|}, row A of S has 1 + 2^n − 2^{n−|A|}.
  const tauAnd = new Float64Array(size);
  const tauOr = new Float64Array(size);
  const sigma = new Float64Array(size);
  for (let t = 0; t < size; t++) {
    const k = subsetSize(t);
    tauAnd[t] = 1 / 2 ** (n - k);
    tauOr[t] = 1 / (t === 0 ? size : size - 2 ** (n - k));
    sigma[t] = 1 / (2 ** k + 1 + size - 2 ** (n - k));
  }
  const pureAnd = mobius(w);
  const pureOr = orInteractions(w);
  const andFirst = l1(pureAnd) <= l1(pureOr);
  let x = andFirst ? pureAnd : new Float64Array(size);
  let y = andFirst ? new Float64Array(size) : pureOr;
  let lambda = new Float64Array(size);
  let best = feasible(x, y);
  let lowerBound = 0;
  // Running sums since the last restart, for the averaged iterate.
  const sumX = new Float64Array(size);
  const sumY = new Float64Array(size);
  const sumL = new Float64Array(size);
  let averaged = 0;
  let gapAtRestart = Infinity;
  let iterations = 0;
  const soft = (a: number, t: number) => a > t ? a - t : a < -t ? a + t : 0;
  while (
    iterations < maxIterations && best.loss - lowerBound > tolerance * best.loss
  ) {
    iterations++;
    const gAnd = lambda.slice();
    supersetButterfly(gAnd, 1);
    const gOr = orOutputsTranspose(lambda);
    const nx = new Float64Array(size);
    const ny = new Float64Array(size);
    const barX = new Float64Array(size);
    const barY = new Float64Array(size);
    for (let t = 0; t < size; t++) {
      nx[t] = soft(x[t] - tauAnd[t] * gAnd[t], tauAnd[t]);
      ny[t] = soft(y[t] - tauOr[t] * gOr[t], tauOr[t]);
      barX[t] = 2 * nx[t] - x[t];
      barY[t] = 2 * ny[t] - y[t];
    }
    subsetButterfly(barX, 1);
    const kOr = orOutputs(barY);
    for (let s = 0; s < size; s++) {
      // prox of σ g*, g* = λᵀw + bound·|λ|₁ (the conjugate of the box)
      const mu = lambda[s] + sigma[s] * (barX[s] + kOr[s] - w[s]);
      lambda[s] = soft(mu, sigma[s] * bound);
    }
    x = nx;
    y = ny;
    for (let t = 0; t < size; t++) {
      sumX[t] += x[t];
      sumY[t] += y[t];
      sumL[t] += lambda[t];
    }
    averaged++;
    if (iterations % 50 !== 0) continue;
    // Adaptive restarts (as in PDLP, Applegate et al. 2021): restart from
    // the current or the averaged iterate, whichever has the smaller
    // duality gap, once that gap has halved since the last restart.
    const current = { x, y, lambda, ...gapOf(x, y, lambda) };
    const mean = (a: Float64Array) => a.map((v) => v / averaged);
    const avgX = mean(sumX);
    const avgY = mean(sumY);
    const avgL = mean(sumL);
    const average = {
      x: avgX,
      y: avgY,
      lambda: avgL,
      ...gapOf(avgX, avgY, avgL),
    };
    for (const c of [current, average]) {
      if (c.primal.loss < best.loss) best = c.primal;
      lowerBound = Math.max(lowerBound, c.dual);
    }
    const pick = average.gap < current.gap ? average : current;
    if (pick.gap <= 0.5 * gapAtRestart || averaged >= 2000) {
      x = pick.x;
      y = pick.y;
      lambda = pick.lambda;
      gapAtRestart = pick.gap;
      sumX.fill(0);
      sumY.fill(0);
      sumL.fill(0);
      averaged = 0;
    }
  }
  const split = new Float64Array(size);
  const vAnd = zeta(best.and);
  for (let s = 0; s < size; s++) {
    split[s] = vAnd[s] - (w[s] + best.noise[s]) / 2;
  }
  return {
    and: best.and,
    or: best.or,
    split,
    noise: best.noise,
    noiseBound: bound,
    initialLoss,
    loss: best.loss,
    lowerBound,
    iterations,
  };

  /**
   * Keeps the OR part, takes the noise that brings the outputs closest to
   * `Z x + S y` within the bound, and puts the rest into the AND part, so
   * that the decomposition is exact.
   */
  function feasible(ax: Float64Array, oy: Float64Array) {
    const fromAnd = zeta(ax);
    const fromOr = orOutputs(oy);
    const eps = new Float64Array(size);
    const rest = new Float64Array(size);
    for (let s = 0; s < size; s++) {
      const r = fromAnd[s] + fromOr[s] - w[s];
      eps[s] = Math.min(bound, Math.max(-bound, r));
      rest[s] = w[s] + eps[s] - fromOr[s];
    }
    const and = mobius(rest);
    return { and, or: oy.slice(), noise: eps, loss: l1(and) + l1(oy) };
  }

  /** The feasible primal of an iterate, its dual bound, and their gap. */
  function gapOf(ax: Float64Array, oy: Float64Array, l: Float64Array) {
    const primal = feasible(ax, oy);
    const dual = dualValue(l);
    return { primal, dual, gap: primal.loss - dual };
  }

  /**
   * The dual objective `−λᵀw − bound·|λ|₁` at `l` scaled into the dual
   * feasible set `‖Kᵀλ‖∞ ≤ 1`: a lower bound on the optimum.
   */
  function dualValue(l: Float64Array): number {
    const gAnd = l.slice();
    supersetButterfly(gAnd, 1);
    const gOr = orOutputsTranspose(l);
    let norm = 0;
    for (let t = 0; t < size; t++) {
      norm = Math.max(norm, Math.abs(gAnd[t]), Math.abs(gOr[t]));
    }
    let value = 0;
    for (let s = 0; s < size; s++) {
      value -= l[s] * w[s] + bound * Math.abs(l[s]);
    }
    return value / Math.max(1, norm);
  }
}

function mobius(a: Float64Array): Float64Array {
  const out = a.slice();
  subsetButterfly(out, -1);
  return out;
}

function zeta(a: Float64Array): Float64Array {
  const out = a.slice();
  subsetButterfly(out, 1);
  return out;
}
