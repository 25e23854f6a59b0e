/**
 * The Taylor rules: how a jet passes through each layer type of
 * `hope-network/1` and through a few standalone element-wise operations
 * (`Exp`, `Power`, `Reciprocal`). One table keyed by the operation name,
 * every entry with the same signature (house style item 4).
 *
 * Rule families:
 * - `linear`: Linear, Conv2d, AvgPool2d, Flatten, Unflatten act on every
 *   coefficient at once (folded into the batch); only the value sees the
 *   bias;
 * - `identity`: Identity and the dropouts (evaluation mode);
 * - `piecewise`: ReLU, LeakyReLU, MaxPool2d are linear on each piece, so
 *   every coefficient is multiplied by the local slope (or picked at the
 *   window's arg-max) and orders ≥ 2 are exactly zero away from kinks; the
 *   result is marked `piecewiseLinear`;
 * - `smooth`: element-wise `σ`. Sine, Tanh, Sigmoid, Softplus and Exp
 *   satisfy `σ' = g(σ)` and run the homogeneous-degree recurrence
 *   ({@linkcode Jet.solve}); GELU, ELU, Power and Reciprocal give their
 *   Taylor coefficients at `u0` and are composed with `u − u0`
 *   ({@linkcode Jet.compose}). When the input is linear in `x` (top degree
 *   1, as at the first activation), every smooth rule takes the composition
 *   path: one block product per degree instead of a quadratic recurrence.
 *
 * @module
 */

import { type Tensor, tf } from "../deps.ts";
import type { Layer } from "../nn/layer.ts";
import type { LayerSpec, Pool2dSpec } from "../nn/spec.ts";
import { type Block, Jet, squareOfDegree } from "./jet.ts";

/** Element-wise operations that have a rule but no layer type. */
export type OperationSpec =
  | { type: "Exp" }
  | { type: "Power"; p: number }
  | { type: "Reciprocal" };

/** Anything a rule can be asked to apply. */
export type OpSpec = LayerSpec | OperationSpec;

/** What a rule receives besides the jet. */
export interface RuleContext {
  /** The operation and its parameters. */
  op: OpSpec;
  /**
   * The built layer, for rules that need its parameters (the linear ones).
   * @default undefined
   */
  layer?: Layer;
}

/** A Taylor rule: the jet of the output from the jet of the input. */
export type TaylorRule = (x: Jet, context: RuleContext) => Jet;

const linear: TaylorRule = (x, { op, layer }) => {
  if (!layer) {
    throw new Error(
      `Cannot apply the Taylor rule of "${op.type}": it needs the built layer`,
    );
  }
  const weight = layer.weight?.size ?? 0;
  const data = x.blocks.reduce((n, b) => n + (b?.size ?? 0), 0);
  const linearPart = layer.applyLinear ?? layer.apply;
  return x.mapLinear((v) => linearPart(v), {
    bias: layer.applyLinear ? layer.bias : undefined,
    batched: data <= weight,
  });
};

const identity: TaylorRule = (x) => x;

/** Rules of maps that are linear on each piece: `σ(u) ≈ σ(u0) + s·(u − u0)`. */
function piecewise(
  value: (u0: Tensor, op: OpSpec) => Tensor,
  slope: (u0: Tensor, op: OpSpec) => Tensor,
): TaylorRule {
  return (x, { op }) => {
    const s = slope(x.value, op);
    return x.withBlocks(
      [value(x.value, op), ...x.blocks.slice(1).map((b) => b && tf.mul(b, s))],
      { piecewiseLinear: true },
    );
  };
}

/** How a smooth element-wise rule is computed. */
interface SmoothFamily {
  /** The coefficients `σ^{(m)}(u0) / m!`, m = 0 … n. */
  series?: (u0: Tensor, order: number, op: OpSpec) => Block[];
  /** The jet `σ(u)` by a recurrence, for any `u`. */
  direct?: (u: Jet, op: OpSpec) => Jet;
}

function smooth(family: SmoothFamily): TaylorRule {
  return (x, { op }) => {
    if (x.top > 1 && family.direct) return family.direct(x, op);
    const coefficients = family.series
      ? family.series(x.value, x.order, op)
      : (family.direct as NonNullable<SmoothFamily["direct"]>)(
        Jet.identity(x.value, x.order),
        op,
      ).blocks;
    return x.compose(coefficients);
  };
}

function difference(a: Block, b: Block): Block {
  return a === null ? b && tf.neg(b) : b === null ? a : tf.sub(a, b);
}

/** `(sin, cos)(u)`: `sin' = cos`, `cos' = −sin`. */
function sineJet(u: Jet): Jet {
  const [s] = Jet.solve(u, {
    init: [tf.sin(u.value), tf.cos(u.value)],
    rhs: (m, f) => [f[1][m], f[0][m]],
    scale: [1, -1],
  });
  return s;
}

/** `tanh(u)`: `t' = −(t² − 1)`. */
function tanhJet(u: Jet): Jet {
  const [t] = Jet.solve(u, {
    init: [tf.tanh(u.value)],
    rhs: (m, f) =>
      m === 0
        ? [tf.sub(tf.square(f[0][0] as Tensor), 1)]
        : [squareOfDegree(u.basis, f[0], m)],
    scale: [-1],
  });
  return t;
}

/** `sigmoid(u)`: `s' = s − s²`. */
function sigmoidJet(u: Jet): Jet {
  const [s] = Jet.solve(u, {
    init: [tf.sigmoid(u.value)],
    rhs: (m, f) => [difference(f[0][m], squareOfDegree(u.basis, f[0], m))],
  });
  return s;
}

/**
 * `softplus_β(u) = log(1 + e^{βu}) / β`: its derivative is `s = sigmoid(βu)`,
 * and `s' = β (s − s²)`; solve both together.
 */
function softplusJet(u: Jet, beta: number): Jet {
  const v = beta === 1 ? u.value : tf.mul(u.value, beta);
  const [, f] = Jet.solve(u, {
    init: [
      tf.sigmoid(v),
      beta === 1 ? tf.softplus(v) : tf.div(tf.softplus(v), beta),
    ],
    rhs: (m, f) => [
      difference(f[0][m], squareOfDegree(u.basis, f[0], m)),
      f[0][m],
    ],
    scale: [beta, 1],
  });
  return f;
}

/** `exp(u)`: `f' = f`. */
function expJet(u: Jet): Jet {
  const [f] = Jet.solve(u, {
    init: [tf.exp(u.value)],
    rhs: (m, f) => [f[0][m]],
  });
  return f;
}

/**
 * GELU with the exact normal CDF, `σ(u) = u Φ(u)`:
 * `Φ^{(m)} = φ^{(m−1)}`, `φ^{(r)} = (−1)^r He_r φ` (probabilists' Hermite
 * polynomials, `He_{r+1} = u He_r − r He_{r−1}`), and by Leibniz
 * `σ^{(m)} = u Φ^{(m)} + m Φ^{(m−1)}`.
 */
function geluErfSeries(u0: Tensor, order: number): Block[] {
  const phi = tf.mul(
    tf.exp(tf.mul(tf.square(u0), -0.5)),
    1 / Math.sqrt(2 * Math.PI),
  );
  const cdf = tf.mul(tf.add(tf.erf(tf.mul(u0, Math.SQRT1_2)), 1), 0.5);
  const he: Tensor[] = [tf.onesLike(u0), u0];
  for (let r = 1; r + 1 < order; r++) {
    he.push(tf.sub(tf.mul(u0, he[r]), tf.mul(he[r - 1], r)));
  }
  // dPhi[m] = Φ^{(m)}(u0) = (−1)^{m−1} He_{m−1}(u0) φ(u0) for m ≥ 1.
  const dPhi: Tensor[] = [cdf];
  for (let m = 1; m <= order; m++) {
    const d = tf.mul(he[m - 1], phi);
    dPhi.push(m % 2 === 1 ? d : tf.neg(d));
  }
  const out: Block[] = [tf.mul(u0, cdf)];
  let factorial = 1;
  for (let m = 1; m <= order; m++) {
    factorial *= m;
    const derivative = tf.add(tf.mul(u0, dPhi[m]), tf.mul(dPhi[m - 1], m));
    out.push(tf.mul(derivative, 1 / factorial));
  }
  return out;
}

/** GELU, tanh form `½ u (1 + tanh(√(2/π) (u + 0.044715 u³)))`, on `u0 + t`. */
function geluTanhSeries(u0: Tensor, order: number): Block[] {
  const x = Jet.identity(u0, order);
  const inner = x.mul(x).mul(x).scale(0.044715).add(x).scale(
    Math.sqrt(2 / Math.PI),
  );
  return x.scale(0.5).mul(tanhJet(inner).shift(1)).blocks.slice();
}

/** ELU: `u` for `u > 0`, else `α (e^u − 1)`, whose derivatives are `α e^u`. */
function eluSeries(u0: Tensor, order: number, alpha: number): Block[] {
  const positive = tf.greater(u0, 0);
  const e = tf.mul(tf.exp(tf.minimum(u0, 0)), alpha);
  const left = tf.where(positive, tf.zerosLike(u0), e);
  const out: Block[] = [tf.where(positive, u0, tf.sub(e, alpha))];
  if (order >= 1) out.push(tf.where(positive, tf.onesLike(u0), e));
  let factorial = 1;
  for (let m = 2; m <= order; m++) {
    factorial *= m;
    out.push(tf.mul(left, 1 / factorial));
  }
  return out;
}

/** `u^p`: coefficients `C(p, m) u0^{p−m}` (generalised binomial). */
function powerSeries(u0: Tensor, order: number, p: number): Block[] {
  const out: Block[] = [];
  let binom = 1;
  for (let m = 0; m <= order; m++) {
    if (m > 0) binom *= (p - m + 1) / m;
    out.push(
      binom === 0 ? null : tf.mul(tf.pow(u0, tf.scalar(p - m)), binom),
    );
  }
  return out;
}

/** `1/u`: coefficients `(−1)^m u0^{−(m+1)}`. */
function reciprocalSeries(u0: Tensor, order: number): Block[] {
  const r = tf.reciprocal(u0);
  const minusR = tf.neg(r);
  const out: Tensor[] = [r];
  for (let m = 1; m <= order; m++) out.push(tf.mul(out[m - 1], minusR));
  return out;
}

const maxPool: TaylorRule = (x, { op }) => {
  const { kernel: [kh, kw], stride: [sh, sw] } = op as Pool2dSpec;
  const [h, w, c] = x.shape;
  const oh = Math.floor((h - kh) / sh) + 1;
  const ow = Math.floor((w - kw) / sw) + 1;
  const p = x.points;
  // Entry (i, j) of every window, as a strided slice of a [B, H, W, C] batch.
  const entry = (t: Tensor, i: number, j: number) =>
    tf.stridedSlice(
      t,
      [0, i, j, 0],
      [t.shape[0], i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, c],
      [1, sh, sw, 1],
    );
  const u0 = tf.reshape(x.value, [p, h, w, c]);
  const best = tf.maxPool(u0 as tf.Tensor4D, [kh, kw], [sh, sw], "valid");
  // One-hot pick of the first arg-max of each window, in scan order.
  const picks: Tensor[] = [];
  let taken: Tensor = tf.zerosLike(best);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const hit = tf.cast(tf.equal(entry(u0, i, j), best), "float32");
      const pick = tf.mul(hit, tf.sub(1, taken));
      taken = tf.add(taken, pick);
      picks.push(tf.reshape(pick, [1, p, 1, oh, ow, c]));
    }
  }
  const blocks: Block[] = [tf.reshape(best, [1, p, 1, oh, ow, c])];
  for (const b of x.blocks.slice(1)) {
    if (b === null) {
      blocks.push(null);
      continue;
    }
    const lead = b.shape.slice(0, 3);
    const batch = tf.reshape(b, [lead[0] * lead[1] * lead[2], h, w, c]);
    const terms = picks.map((pick, index) =>
      tf.mul(
        pick,
        tf.reshape(
          entry(batch, Math.floor(index / kw), index % kw),
          [...lead, oh, ow, c],
        ),
      )
    );
    blocks.push(tf.addN(terms));
  }
  return x.withBlocks(blocks, { shape: [oh, ow, c], piecewiseLinear: true });
};

const param = <T>(op: OpSpec, key: string): T =>
  (op as unknown as Record<string, T>)[key];

/**
 * The rule of every operation, keyed by its `type`.
 *
 * @example
 * ```ts
 * import { TAYLOR_RULES } from "./rules.ts";
 * import { Jet } from "./jet.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * // exp(x) at x0 = 0 to order 3: coefficients 1, 1, 1/2, 1/6
 * const c = tf.tidy(() => {
 *   const x = Jet.variables(tf.zeros([1, 1]), { order: 3 });
 *   const y = TAYLOR_RULES.Exp(x, { op: { type: "Exp" } });
 *   return tf.concat(y.blocks.map((b) => tf.reshape(b!, [-1])));
 * });
 * const got = c.dataSync();
 * if (Math.abs(got[3] - 1 / 6) > 1e-7) throw new Error(String(got));
 * ```
 */
export const TAYLOR_RULES: Readonly<Record<string, TaylorRule>> = {
  Linear: linear,
  Conv2d: linear,
  AvgPool2d: linear,
  Flatten: linear,
  Unflatten: linear,
  Identity: identity,
  Dropout: identity,
  Dropout2d: identity,
  ReLU: piecewise(
    (u0) => tf.relu(u0),
    (u0) => tf.cast(tf.greater(u0, 0), "float32"),
  ),
  LeakyReLU: piecewise(
    (u0, op) => tf.leakyRelu(u0, param<number>(op, "slope")),
    (u0, op) => {
      const a = param<number>(op, "slope");
      return tf.add(tf.mul(tf.cast(tf.greater(u0, 0), "float32"), 1 - a), a);
    },
  ),
  MaxPool2d: maxPool,
  Sine: smooth({
    direct: (u, op) => {
      const w0 = param<number>(op, "w0");
      return sineJet(w0 === 1 ? u : u.scale(w0));
    },
  }),
  Tanh: smooth({ direct: tanhJet }),
  Sigmoid: smooth({ direct: sigmoidJet }),
  Softplus: smooth({
    direct: (u, op) => softplusJet(u, param<number>(op, "beta") ?? 1),
  }),
  Exp: smooth({ direct: expJet }),
  GELU: smooth({
    series: (u0, n, op) =>
      param<string>(op, "approximate") === "tanh"
        ? geluTanhSeries(u0, n)
        : geluErfSeries(u0, n),
  }),
  ELU: smooth({
    series: (u0, n, op) => eluSeries(u0, n, param<number>(op, "alpha")),
  }),
  Power: smooth({
    series: (u0, n, op) => powerSeries(u0, n, param<number>(op, "p")),
  }),
  Reciprocal: smooth({ series: reciprocalSeries }),
};

/**
 * Applies the rule of `context.op.type` to a jet.
 *
 * @param x The input jet.
 * @param context The operation, and the built layer for linear ones.
 * @returns The output jet.
 * @throws {Error} `No Taylor rule for "X"` for an operation without a rule.
 * @example
 * ```ts
 * import { applyTaylorRule } from "./rules.ts";
 * import { Jet } from "./jet.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * const x = Jet.variables(tf.ones([1, 1]), { order: 2 });
 * try {
 *   applyTaylorRule(x, { op: { type: "Mystery" } as never });
 *   throw new Error("expected a throw");
 * } catch (e) {
 *   if ((e as Error).message !== 'No Taylor rule for "Mystery"') throw e;
 * }
 * ```
 */
export function applyTaylorRule(x: Jet, context: RuleContext): Jet {
  const rule = Object.hasOwn(TAYLOR_RULES, context.op.type)
    ? TAYLOR_RULES[context.op.type]
    : undefined;
  if (!rule) throw new Error(`No Taylor rule for "${context.op.type}"`);
  return rule(x, context);
}
