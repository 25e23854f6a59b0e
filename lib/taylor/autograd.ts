/**
 * The nested-autograd baseline: derivatives by repeated `tf.grad`, as the
 * reference `auto.py` computes them with repeated `torch.autograd.grad`.
 *
 * Order `k` differentiates, once more, the scalar function that gives each
 * order-`(k−1)` partial, so the work grows exponentially with the order
 * (each level re-runs and differentiates the whole graph of the level
 * below), and `mixed: "all"` visits every one of the `d^k` *ordered* index
 * tuples `(i1, …, ik)`, symmetric duplicates included. That cost is the
 * point of the baseline.
 *
 * **Why not plain `tf.tanh`.** tfjs's gradients of `tanh`, `sigmoid`, `exp`
 * (and so of `softplus`, GELU's `erf`, ELU) use the op's saved *output*.
 * The engine records the copy it saves before the op itself on the tape, so
 * in the tape of a higher-order gradient that copy is not connected to the
 * input, and the second `tf.grad` fails with "Cannot compute gradient of
 * y=f(x) with respect to x" (tfjs issue 3252). Here the forward pass is
 * built instead from a small closed set of primitives, each a
 * `tf.customGrad` whose gradient is written with the same primitives and
 * computed from the op's *input* only (`tanh' = 1 − tanh(x)²` recomputed
 * from `x`, `exp' = exp(x)`, `sin' = cos`, …; linear maps paired with their
 * adjoints), so gradients nest to any order without relying on tfjs's
 * registered gradients. The one registered gradient the engine itself uses
 * is `Add`, to sum the gradient contributions of a tensor with several
 * consumers; when none is registered we register a plain one.
 *
 * Values are float32, so the rounding error grows with the order (each
 * level roughly doubles the arithmetic).
 *
 * **Cost.** Order `k` takes `E_k` evaluations (`d^{k−1}` ordered tuples for
 * `"all"`, `d` inputs for `"none"`, one per direction), each `k` nested
 * gradients deep. Each level of nesting costs more than the one below, by
 * a factor that grows with the depth towards 3 (kernel calls per level on
 * 1- and 3-hidden-layer MLPs: 1.6× at depth 2, 2.4–2.9× at depth 7). A
 * first-order gradient is timed and the rest priced at 3× per level,
 * `Σ_k E_k · 3^{k−1} · t_1`, an overestimate at moderate orders (the
 * paper's 1-D sine MLP at order 8: 38 s estimated, 13 s taken; its 2-D conv
 * net at order 5: 19 s for 2.4 s). A request estimated past the time
 * budget is refused before the work starts, with the numbers; a long one
 * reports its progress.
 *
 * @module
 */

import { type Tensor, tf } from "../deps.ts";
import { isImageShape } from "../nn/layer.ts";
import type { Layer } from "../nn/layer.ts";
import type { Network } from "../nn/network.ts";
import type {
  DerivativeOptions,
  DerivativeSet,
  ExpansionProgress,
} from "./types.ts";
import {
  checkDerivativeInputs,
  checkVectors,
  expansionFailure,
} from "./_validate.ts";

/** A differentiable map on tensors. */
type Op = (x: Tensor) => Tensor;

/** What `tf.customGrad` takes. */
type CustomGradient = Parameters<typeof tf.customGrad>[0];

/**
 * Tensors that gradient closures use. tfjs's `tidy` would free them at the
 * end of an inner `tf.grad`, before the outer one differentiates through
 * them, so they are kept until the whole nested evaluation is done.
 */
let held: Tensor[] = [];

function hold<T extends Tensor>(t: T): T {
  tf.keep(t);
  held.push(t);
  return t;
}

function releaseHeld(): void {
  for (const t of held) t.dispose();
  held = [];
}

type Grad1 = (dy: Tensor) => Tensor;
type Grad2 = (dy: Tensor) => Tensor[];

/** A unary primitive whose gradient `grad(x, dy)` reads only its input. */
function unary(value: Op, grad: (x: Tensor, dy: Tensor) => Tensor): Op {
  const op = tf.customGrad(
    ((x: Tensor) => {
      hold(x);
      return { value: value(x), gradFunc: ((dy) => grad(x, dy)) as Grad1 };
    }) as CustomGradient,
  );
  return (x) => op(x);
}

/**
 * A linear map and its adjoint, each the other's gradient; constants they
 * close over are not differentiated.
 */
function linear(forward: Op, adjoint: Op): { map: Op; adjoint: Op } {
  const f = tf.customGrad(
    ((x: Tensor) => ({
      value: forward(x),
      gradFunc: ((dy) => g(dy)) as Grad1,
    })) as CustomGradient,
  );
  const g = tf.customGrad(
    ((y: Tensor) => ({
      value: adjoint(y),
      gradFunc: ((dx) => f(dx)) as Grad1,
    })) as CustomGradient,
  );
  return { map: (x) => f(x), adjoint: (y) => g(y) };
}

const copy: Op = linear((x) => tf.clone(x), (y) => tf.clone(y)).map;

/** `x ⊙ c` for a constant `c` of the same shape (or a number). */
function scale(c: Tensor | number): Op {
  return linear((x) => tf.mul(x, c), (y) => tf.mul(y, c)).map;
}

/** `x + c` for a constant `c` broadcast to `x`. */
function shift(c: Tensor | number): Op {
  return unary((x) => tf.add(x, c), (_x, dy) => copy(dy));
}

const addOp = tf.customGrad(
  ((a: Tensor, b: Tensor) => ({
    value: tf.add(a, b),
    gradFunc: ((dy) => [copy(dy), copy(dy)]) as Grad2,
  })) as CustomGradient,
);

/** `a + b`, same shapes. */
function add(a: Tensor, b: Tensor): Tensor {
  return addOp(a, b);
}

const mulOp = tf.customGrad(
  ((a: Tensor, b: Tensor) => {
    hold(a);
    hold(b);
    return {
      value: tf.mul(a, b),
      gradFunc: ((dy) => [mul(dy, b), mul(dy, a)]) as Grad2,
    };
  }) as CustomGradient,
);

/** `a ⊙ b`, same shapes. */
function mul(a: Tensor, b: Tensor): Tensor {
  return mulOp(a, b);
}

const neg = scale(-1);
const square: Op = unary((x) => tf.square(x), (x, dy) => mul(dy, scale(2)(x)));
const sin: Op = unary((x) => tf.sin(x), (x, dy) => mul(dy, cos(x)));
const cos: Op = unary((x) => tf.cos(x), (x, dy) => mul(dy, neg(sin(x))));
const exp: Op = unary((x) => tf.exp(x), (x, dy) => mul(dy, exp(x)));
const tanh: Op = unary(
  (x) => tf.tanh(x),
  (x, dy) => mul(dy, shift(1)(neg(square(tanh(x))))),
);
const sigmoid: Op = unary((x) => tf.sigmoid(x), (x, dy) => {
  const s = sigmoid(x);
  return mul(dy, mul(s, shift(1)(neg(s))));
});
const softplus: Op = unary(
  (x) => tf.softplus(x),
  (x, dy) => mul(dy, sigmoid(x)),
);
const erf: Op = unary(
  (x) => tf.erf(x),
  (x, dy) => mul(dy, scale(2 / Math.sqrt(Math.PI))(exp(neg(square(x))))),
);

/** The sum of all elements, a scalar; its adjoint broadcasts. */
function sumAll(x: Tensor): Tensor {
  const shape = x.shape;
  return linear((t) => tf.sum(t), (s) => tf.mul(tf.ones(shape), s)).map(x);
}

/** Column `j` of a `[P, width]` matrix, as `[P]`. */
function column(j: number, width: number): Op {
  return linear(
    (x) => tf.reshape(tf.slice(x, [0, j], [x.shape[0], 1]), [x.shape[0]]),
    (y) => tf.pad(tf.reshape(y, [y.shape[0], 1]), [[0, 0], [j, width - j - 1]]),
  ).map;
}

/** Reshape of the per-sample shape. */
function reshape(from: number[], to: number[]): Op {
  return linear(
    (x) => tf.reshape(x, [x.shape[0], ...to]),
    (y) => tf.reshape(y, [y.shape[0], ...from]),
  ).map;
}

/** Permutation of the axes. */
function transpose(perm: number[]): Op {
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return linear((x) => tf.transpose(x, perm), (y) => tf.transpose(y, inverse))
    .map;
}

const TO_INTERNAL = [0, 2, 3, 1];
const TO_EXTERNAL = [0, 3, 1, 2];

/** The valid convolution by a constant filter `[kh, kw, in, out]`. */
function convolution(
  filter: Tensor,
  { stride, inShape }: { stride: [number, number]; inShape: number[] },
): Op {
  const [H, W, C] = inShape;
  return linear(
    (x) => tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, stride, "valid"),
    (y) =>
      tf.conv2dTranspose(
        y as tf.Tensor4D,
        filter as tf.Tensor4D,
        [y.shape[0], H, W, C],
        stride,
        "valid",
      ),
  ).map;
}

/** Zero padding of height and width. */
function padding(ph: number, pw: number, inShape: number[]): Op {
  const [H, W, C] = inShape;
  return linear(
    (x) => tf.pad(x, [[0, 0], [ph, ph], [pw, pw], [0, 0]]),
    (y) => tf.slice(y, [0, ph, pw, 0], [y.shape[0], H, W, C]),
  ).map;
}

/** A piecewise-linear layer at `x`: multiplication by its constant slope. */
function slopes(x: Tensor, slopeOf: (u: number) => number): Op {
  const data = x.dataSync();
  return scale(hold(tf.tensor(Float32Array.from(data, slopeOf), x.shape)));
}

/** Filter `[kh, kw, C, C·kh·kw]` that copies every window into channels. */
function patchFilter(kh: number, kw: number, C: number): Tensor {
  const K = kh * kw;
  const data = new Float32Array(kh * kw * C * C * K);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      for (let c = 0; c < C; c++) {
        data[((i * kw + j) * C + c) * C * K + c * K + i * kw + j] = 1;
      }
    }
  }
  return tf.tensor(data, [kh, kw, C, C * K]);
}

/**
 * Max pooling at `x`: the linear map that picks, in every window, the
 * element that is largest at `x` (its derivatives of order ≥ 2 vanish).
 */
function maxPoolAt(
  x: Tensor,
  { kernel, stride, inShape, outShape }: {
    kernel: [number, number];
    stride: [number, number];
    inShape: number[];
    outShape: number[];
  },
): Op {
  const [kh, kw] = kernel;
  const K = kh * kw;
  const C = inShape[2];
  const [oh, ow] = outShape;
  const filter = hold(patchFilter(kh, kw, C));
  const patches = tf.conv2d(
    x as tf.Tensor4D,
    filter as tf.Tensor4D,
    stride,
    "valid",
  )
    .dataSync();
  const P = x.shape[0];
  const mask = new Float32Array(P * oh * ow * C * K);
  for (let w = 0; w < P * oh * ow * C; w++) {
    let best = 0;
    for (let k = 1; k < K; k++) {
      if (patches[w * K + k] > patches[w * K + best]) best = k;
    }
    mask[w * K + best] = 1;
  }
  const m = hold(tf.tensor(mask, [P, oh, ow, C, K]));
  const picks = convolution(filter, { stride, inShape });
  const select = linear(
    (u) => tf.sum(tf.mul(tf.reshape(u, [P, oh, ow, C, K]), m), 4),
    (y) => tf.reshape(tf.mul(tf.expandDims(y, 4), m), [P, oh, ow, C * K]),
  ).map;
  return (t) => select(picks(t));
}

/** The layer as a composition of primitives, at its current input `x`. */
function layerOp(layer: Layer, x: Tensor): Op {
  const spec = layer.spec;
  switch (spec.type) {
    case "Linear": {
      const w = layer.weight!;
      const map = linear(
        (t) => tf.matMul(t, w),
        (y) => tf.matMul(y, w, false, true),
      ).map;
      return withBias(map, layer.bias);
    }
    case "Conv2d": {
      const [ph, pw] = spec.padding;
      const [H, W, C] = layer.inShape;
      const conv = convolution(layer.weight!, {
        stride: spec.stride,
        inShape: [H + 2 * ph, W + 2 * pw, C],
      });
      const pad = ph || pw ? padding(ph, pw, layer.inShape) : (t: Tensor) => t;
      return withBias((t) => conv(pad(t)), layer.bias);
    }
    case "AvgPool2d": {
      const [kh, kw] = spec.kernel;
      const C = layer.inShape[2];
      // Average pooling is the convolution by 1/(kh·kw) on the channel diagonal.
      const filter = hold(tf.mul(
        tf.tile(tf.reshape(tf.eye(C), [1, 1, C, C]), [kh, kw, 1, 1]),
        1 / (kh * kw),
      ));
      return convolution(filter, {
        stride: spec.stride,
        inShape: layer.inShape,
      });
    }
    case "MaxPool2d":
      return maxPoolAt(x, {
        ...spec,
        inShape: layer.inShape,
        outShape: layer.outShape,
      });
    case "Flatten": {
      const size = layer.outShape[0];
      if (!isImageShape(layer.inShape)) return reshape(layer.inShape, [size]);
      const [H, W, C] = layer.inShape;
      const toVector = reshape([C, H, W], [size]);
      const toExternal = transpose(TO_EXTERNAL);
      return (t) => toVector(toExternal(t));
    }
    case "Unflatten": {
      const toShape = reshape(layer.inShape, spec.shape);
      if (!isImageShape(spec.shape)) return toShape;
      const toInternal = transpose(TO_INTERNAL);
      return (t) => toInternal(toShape(t));
    }
    case "Sine":
      return spec.w0 === 1 ? sin : (t) => sin(scale(spec.w0)(t));
    case "Tanh":
      return tanh;
    case "Sigmoid":
      return sigmoid;
    case "Softplus":
      return spec.beta === 1
        ? softplus
        : (t) => scale(1 / spec.beta)(softplus(scale(spec.beta)(t)));
    case "ReLU":
      return slopes(x, (u) => (u > 0 ? 1 : 0));
    case "LeakyReLU":
      return slopes(x, (u) => (u > 0 ? 1 : spec.slope));
    case "ELU": {
      // m·x + (1 − m)·α(e^{(1−m)x} − 1) with the constant mask m = [x > 0]:
      // each branch keeps its own derivatives, and large x cannot overflow.
      const data = x.dataSync();
      const right = hold(
        tf.tensor(Float32Array.from(data, (u) => (u > 0 ? 1 : 0)), x.shape),
      );
      const left = hold(
        tf.tensor(Float32Array.from(data, (u) => (u > 0 ? 0 : 1)), x.shape),
      );
      return (t) =>
        add(
          scale(right)(t),
          scale(left)(scale(spec.alpha)(shift(-1)(exp(scale(left)(t))))),
        );
    }
    case "GELU":
      if (spec.approximate === "tanh") {
        // ½ x (1 + tanh(√(2/π)(x + 0.044715 x³)))
        return (t) => {
          const inner = scale(Math.sqrt(2 / Math.PI))(
            add(t, scale(0.044715)(mul(t, square(t)))),
          );
          return mul(scale(0.5)(t), shift(1)(tanh(inner)));
        };
      }
      // ½ x (1 + erf(x/√2))
      return (t) => mul(t, scale(0.5)(shift(1)(erf(scale(Math.SQRT1_2)(t)))));
    default:
      return (t) => t;
  }
}

function withBias(map: Op, bias: Tensor | undefined): Op {
  if (!bias) return map;
  const addBias = shift(bias);
  return (t) => addBias(map(t));
}

/** The network on a batch `[P, d]` of flattened inputs, to `[P, outSize]`. */
function forward(network: Network, x: Tensor): Tensor {
  const shape = network.inputShape;
  const d = shape.reduce((a, b) => a * b, 1);
  let h = reshape([d], shape)(x);
  if (isImageShape(shape)) h = transpose(TO_INTERNAL)(h);
  for (const layer of network.layers) h = layerOp(layer, h)(h);
  const outShape = network.outputShape;
  if (isImageShape(outShape)) h = transpose(TO_EXTERNAL)(h);
  return reshape(outShape, [outShape.reduce((a, b) => a * b, 1)])(h);
}

/**
 * Registers a gradient for `Add` when none is: the engine sums the gradient
 * contributions of a tensor with several consumers with `add`, and a nested
 * `tf.grad` then differentiates those sums. Broadcast inputs get `dy`
 * summed over their broadcast axes.
 */
function ensureAddGradient(): void {
  if (tf.getGradient("Add") !== undefined) return;
  tf.registerGradient({
    kernelName: "Add",
    inputsToSave: ["a", "b"],
    gradFunc: (dy: Tensor | Tensor[], saved?: Tensor[]) => {
      const g = dy as Tensor;
      const reduce = (t: Tensor) => () => {
        if (t.shape.join() === g.shape.join()) return copy(g);
        const lead = g.rank - t.rank;
        const axes = g.shape
          .map((size, i) =>
            i < lead || (t.shape[i - lead] === 1 && size !== 1) ? i : -1
          )
          .filter((i) => i >= 0);
        return tf.reshape(tf.sum(g, axes), t.shape);
      };
      return { a: reduce(saved![0]), b: reduce(saved![1]) };
    },
  });
}

/** Options of {@linkcode autogradDerivatives}. */
export interface AutogradOptions extends DerivativeOptions {
  /**
   * Seconds the computation may be estimated to take; a longer one is
   * refused before it starts.
   * @default 3600
   */
  budget?: number;
  /**
   * Seconds before the first progress report.
   * @default 2
   */
  progressAfter?: number;
}

/** Cost of one more level of nested gradients, relative to the one below. */
const LEVEL_COST = 3;

/** Seconds between two progress reports. */
const PROGRESS_EVERY = 1;

/**
 * Derivatives of one network output at many points by nested `tf.grad`
 * (the exponential baseline of the reference's `auto.py`).
 *
 * @param network The network.
 * @param points Expansion points, each flattened in external layout
 *   (images C, H, W).
 * @param options `order`; `mixed` (`"all"` default: every ordered tuple,
 *   `d^{k−1}` nested gradients at order `k`; `"none"`: `∂^k y/∂x_i^k` by
 *   nesting the `i`-th partial; `"directions"`: `∂^k y/∂v^k` by nesting the
 *   directional derivative along each of `directions`); `output` (flat index
 *   of the output, default 0); `budget` (seconds, default 3600);
 *   `onProgress` (reports after `progressAfter` seconds, default 2, then
 *   each second).
 * @returns One derivative set per point, `derivatives[k]` in the layout of
 *   `dk.npy`.
 * @throws {Error} `Cannot expand with method "autograd" …` when the order, a
 *   point, a direction or the output index is out of range, or when the
 *   estimated time exceeds the budget (the message gives the estimate).
 * @example
 * ```ts
 * import { autogradDerivatives } from "./autograd.ts";
 * import { Network } from "../nn/network.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * // y = tanh(x), whose third derivative at 0 is −2, through nested tf.grad.
 * const net = Network.create({
 *   format: "hope-network/1",
 *   input: [1],
 *   layers: ["Linear_1_1", "Tanh"],
 * }, {
 *   parameters: new Map<string, tf.Tensor>([
 *     ["0.weight.npy", tf.tensor2d([[1]])],
 *     ["0.bias.npy", tf.tensor1d([0])],
 *   ]),
 * });
 * const [set] = autogradDerivatives(net, [[0]], { order: 3 });
 * if (Math.abs(set.derivatives[3][0] + 2) > 1e-4) throw new Error();
 * // Order 30 would take about 3^29 first-order gradients: refused at once.
 * try {
 *   autogradDerivatives(net, [[0]], { order: 30 });
 *   throw new Error("not refused");
 * } catch (error) {
 *   if (!String(error).includes("estimated")) throw error;
 * }
 * ```
 */
export function autogradDerivatives(
  network: Network,
  points: number[][],
  options: AutogradOptions,
): DerivativeSet[] {
  const mode = options.mixed ?? "all";
  const fail = expansionFailure("autograd");
  const { order: n, output, d, outSize } = checkDerivativeInputs(
    network,
    points,
    { ...options, fail },
  );
  const directions = options.directions ?? [];
  if (mode === "directions") {
    if (!directions.length) fail(`in mode "directions": no directions given`);
    checkVectors(directions, { d, what: "along direction", fail });
  }
  ensureAddGradient();
  const P = points.length;
  const flatPoints = points.flat();
  const outputOf: Op = (x) => column(output, outSize)(forward(network, x));
  // The zero multiple of Σ y keeps x on the tape where f does not depend
  // on it (orders beyond a piecewise-linear net's last non-zero one), so
  // tf.grad returns zeros instead of failing.
  const gradient = (f: Op): Op => (x) =>
    tf.grad((y: Tensor) => add(sumAll(f(y)), sumAll(scale(0)(y))))(x);
  /**
   * The scalar function (per point) at the end of a chain of steps: each
   * step turns the gradient `[P, d]` of the previous one into the next
   * (one partial `∂/∂x_j`, or the derivative along a direction).
   */
  const chain = (steps: (() => Op)[]): Op => {
    if (!steps.length) return outputOf;
    const inner = chain(steps.slice(0, -1));
    const last = steps[steps.length - 1];
    return (x) => last()(gradient(inner)(x));
  };
  /** Runs `fn` at the points, then frees everything the nested tapes kept. */
  const evaluate = (fn: Op): Float32Array => {
    try {
      const result = tf.tidy(() => fn(hold(tf.tensor2d(flatPoints, [P, d]))));
      const data = result.dataSync() as Float32Array;
      result.dispose();
      return data;
    } finally {
      releaseHeld();
    }
  };

  const values = evaluate(outputOf);
  const evaluations = (k: number) =>
    mode === "all" ? d ** (k - 1) : mode === "none" ? d : directions.length;
  const budget = options.budget ?? 3600;
  const start = performance.now();
  // A first-order gradient, timed, prices the whole request; the faster of
  // two, since the first run also pays for warming up.
  let first = Infinity;
  for (let run = 0; run < 2; run++) {
    const t = performance.now();
    evaluate(gradient(outputOf));
    first = Math.min(first, Math.max((performance.now() - t) / 1000, 1e-5));
  }
  const cost = (k: number) => evaluations(k) * LEVEL_COST ** (k - 1) * first;
  let total = 0;
  for (let k = 1; k <= n; k++) total += cost(k);
  if (total > budget) {
    const count = Array.from({ length: n }, (_, k) => evaluations(k + 1))
      .reduce((a, b) => a + b, 0);
    fail(
      `to order "${n}": an estimated ${seconds(total)} of nested gradients (${
        count.toLocaleString("en-US")
      } evaluations up to ${n} gradients deep, each level about ${LEVEL_COST}× the one below, from ${
        seconds(first)
      } measured for one first-order gradient) exceeds the time budget of ${
        seconds(budget)
      }; use method "taylor" (exact, polynomial in the order) or a lower order`,
    );
  }
  const report = progressReporter(options.onProgress, {
    n,
    total,
    start,
    after: options.progressAfter ?? 2,
  });
  let done = 0;
  const blocks: Float64Array[][] = points.map(() => []);
  for (let k = 1; k <= n; k++) {
    const width = mode === "all"
      ? d ** k
      : mode === "none"
      ? d
      : directions.length;
    const block = points.map(() => new Float64Array(width));
    const step = cost(k) / evaluations(k);
    const progress = () => report(k, done += step);
    if (mode === "all") {
      // Every ordered (k−1)-tuple; one more gradient gives its d children.
      for (let q = 0; q < d ** (k - 1); q++) {
        const axes: number[] = [];
        for (let r = q, m = 0; m < k - 1; m++, r = Math.floor(r / d)) {
          axes.unshift(r % d);
        }
        const g = evaluate(
          gradient(chain(axes.map((j) => () => column(j, d)))),
        );
        for (let p = 0; p < P; p++) {
          for (let j = 0; j < d; j++) block[p][q * d + j] = g[p * d + j];
        }
        progress();
      }
    } else if (mode === "none") {
      for (let i = 0; i < d; i++) {
        const steps = new Array(k - 1).fill(() => column(i, d));
        const g = evaluate(gradient(chain(steps)));
        for (let p = 0; p < P; p++) block[p][i] = g[p * d + i];
        progress();
      }
    } else {
      directions.forEach((v, r) => {
        const along = () => {
          const dir = hold(tf.tile(tf.tensor2d(v, [1, d]), [P, 1]));
          return linear(
            (g) => tf.sum(tf.mul(g, dir), 1),
            (s) => tf.mul(tf.expandDims(s, 1), dir),
          ).map;
        };
        const g = evaluate(gradient(chain(new Array(k - 1).fill(along))));
        for (let p = 0; p < P; p++) {
          let acc = 0;
          for (let i = 0; i < d; i++) acc += g[p * d + i] * v[i];
          block[p][r] = acc;
        }
        progress();
      });
    }
    block.forEach((b, p) => blocks[p].push(b));
  }
  const piecewiseLinear = network.layers.some((l) =>
    ["ReLU", "LeakyReLU", "MaxPool2d"].includes(l.spec.type)
  );
  return points.map((point, p) => ({
    mixed: mode,
    order: n,
    dim: d,
    point: [...point],
    derivatives: [Float64Array.of(values[p]), ...blocks[p]],
    shapes: [
      [],
      ...blocks[p].map((b, k) =>
        mode === "all" ? new Array<number>(k + 1).fill(d) : [b.length]
      ),
    ],
    piecewiseLinear,
  }));
}

/** A duration for messages: `0.0021 s`, `12 s`, `3.4e+9 s`. */
function seconds(s: number): string {
  return s >= 1e6 ? `${s.toExponential(1)} s` : `${Number(s.toPrecision(2))} s`;
}

/**
 * Calls `onProgress` with the share of the estimated work done: first
 * after `after` seconds, then every
 * {@linkcode PROGRESS_EVERY}; the remaining time scales the elapsed time by
 * the estimated work left.
 */
function progressReporter(
  onProgress: ((progress: ExpansionProgress) => void) | undefined,
  { n, total, start, after }: {
    n: number;
    total: number;
    start: number;
    after: number;
  },
): (order: number, done: number) => void {
  let next = after;
  return (order, done) => {
    if (!onProgress) return;
    const elapsed = (performance.now() - start) / 1000;
    if (elapsed < next) return;
    next = elapsed + PROGRESS_EVERY;
    const fraction = Math.min(1, done / total);
    onProgress({
      order,
      orders: n,
      fraction,
      seconds: elapsed,
      remaining: elapsed * (1 - fraction) / Math.max(fraction, 1e-9),
    });
  };
}
