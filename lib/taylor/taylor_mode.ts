/**
 * Exact derivatives of a network by forward Taylor mode: the input jet
 * `x0 + (x − x0)` goes through every layer's Taylor rule; the output jet
 * holds the coefficients `∂^α y(x0) / α!`, turned into derivatives
 * `∂^α y(x0)` by multiplying with `α!` (DESIGN section 1).
 *
 * @module
 */

import { type Tensor, tf } from "../deps.ts";
import { externalShape, type Layer } from "../nn/layer.ts";
import type { Network } from "../nn/network.ts";
import type { Conv2dSpec, Pool2dSpec } from "../nn/spec.ts";
import { factorialOf, multiIndicesOfDegree } from "./_multi_index.ts";
import { Jet } from "./jet.ts";
import { applyTaylorRule } from "./rules.ts";
import type { DerivativeOptions, DerivativeSet } from "./types.ts";

/** Options of {@linkcode taylorDerivatives}. */
export interface TaylorOptions extends DerivativeOptions {
  /**
   * Most float32 values one jet may hold (coefficients × replicas × points ×
   * the widest layer). Points are processed in chunks that fit; with
   * `mixed: "none"` or `"directions"` a point whose jets do not fit is
   * expanded a group of input coordinates (or directions) at a time; one
   * multivariate jet, or one univariate jet, that does not fit is an error.
   * @default 2 ** 26
   */
  budget?: number;
}

const MAX_ORDER = 30;

/**
 * The derivatives of one network output at many points, by Taylor mode.
 *
 * Exact for any depth (up to float32 rounding). With `mixed: "all"` the
 * jets are multivariate in the `d` inputs (`C(n + d, d)` coefficients each);
 * with `"none"` there is one univariate jet per input coordinate, and with
 * `"directions"` one per direction.
 *
 * @param network The network.
 * @param points Expansion points, each flattened in the external layout
 *   (images NCHW), length `d = ∏ network.spec.input`.
 * @param options Order, mode, directions, output index, memory budget.
 * @returns One derivative set per point.
 * @throws {Error} `Cannot expand …` for an order outside 1 … 30, a point
 *   of the wrong length or with a non-finite coordinate, an output index out
 *   of range, bad directions, or a jet larger than the memory budget;
 *   `No Taylor rule for "X"` for a layer without a rule.
 * @example
 * ```ts
 * import { Network } from "../nn/network.ts";
 * import { taylorDerivatives } from "./taylor_mode.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * const net = Network.create({
 *   format: "hope-network/1",
 *   input: [2],
 *   layers: ["Linear_2_4", "Tanh", "Linear_4_1"],
 * }, { seed: 3 });
 * const [set] = taylorDerivatives(net, [[0.5, -0.5]], { order: 3 });
 * // the Hessian is symmetric
 * const h = set.derivatives[2];
 * if (set.shapes[2].join() !== "2,2" || Math.abs(h[1] - h[2]) > 1e-6) {
 *   throw new Error(String(h));
 * }
 * ```
 */
export function taylorDerivatives(
  network: Network,
  points: number[][],
  options: TaylorOptions,
): DerivativeSet[] {
  const plan = planExpansion(network, points, options);
  if (plan.group < plan.replicas) {
    return points.map((point) => expandInGroups(network, point, plan));
  }
  const results: DerivativeSet[] = [];
  const exponents = new Map<number, number[][]>();
  for (let start = 0; start < points.length; start += plan.chunk) {
    const chunk = points.slice(start, start + plan.chunk);
    const { data, piecewiseLinear } = expandChunk(network, chunk, plan);
    chunk.forEach((point, p) => {
      results.push(
        toDerivativeSet(data, point, { p, count: chunk.length, exponents }, {
          ...plan,
          piecewiseLinear,
        }),
      );
    });
  }
  return results;
}

interface Plan {
  order: number;
  mixed: "all" | "none" | "directions";
  d: number;
  directions?: number[][];
  /** Flat internal index of the expanded output. */
  outputIndex: number;
  /** Points per chunk. */
  chunk: number;
  /** Replicas per point (1 for "all"). */
  replicas: number;
  /** Replicas per pass: `replicas`, or fewer when one point's do not fit. */
  group: number;
}

/**
 * One point expanded a group of replicas at a time, each group as
 * `mixed: "directions"` along its unit vectors (`"none"`) or its directions,
 * the parts joined in replica order.
 */
function expandInGroups(
  network: Network,
  point: number[],
  plan: Plan,
): DerivativeSet {
  const parts: DerivativeSet[] = [];
  for (let start = 0; start < plan.replicas; start += plan.group) {
    const end = Math.min(plan.replicas, start + plan.group);
    const directions = Array.from({ length: end - start }, (_, j) => {
      if (plan.directions) return plan.directions[start + j];
      const unit = new Array(plan.d).fill(0);
      unit[start + j] = 1;
      return unit;
    });
    const part: Plan = {
      ...plan,
      mixed: "directions",
      directions,
      replicas: directions.length,
      group: directions.length,
      chunk: 1,
    };
    const { data, piecewiseLinear } = expandChunk(network, [point], part);
    parts.push(
      toDerivativeSet(data, point, {
        p: 0,
        count: 1,
        exponents: new Map(),
      }, { ...part, piecewiseLinear }),
    );
  }
  const derivatives = parts[0].derivatives.map((first, k) => {
    if (k === 0) return first;
    const out = new Float64Array(plan.replicas);
    let offset = 0;
    for (const part of parts) {
      out.set(part.derivatives[k], offset);
      offset += part.derivatives[k].length;
    }
    return out;
  });
  return {
    ...parts[0],
    mixed: plan.mixed,
    derivatives,
    shapes: derivatives.map((_, k) => k === 0 ? [] : [plan.replicas]),
    piecewiseLinear: parts.some((part) => part.piecewiseLinear),
  };
}

function planExpansion(
  network: Network,
  points: number[][],
  options: TaylorOptions,
): Plan {
  const { order, mixed = "all", output = 0, budget = 2 ** 26 } = options;
  if (!Number.isInteger(order) || order < 1 || order > MAX_ORDER) {
    throw new Error(
      `Cannot expand to order "${order}": expected an integer from 1 to ${MAX_ORDER}`,
    );
  }
  if (mixed !== "all" && mixed !== "none" && mixed !== "directions") {
    throw new Error(
      `Cannot expand mixed "${mixed}": expected "all", "none" or "directions"`,
    );
  }
  const input = network.spec.input;
  const d = input.reduce((a, b) => a * b, 1);
  for (const point of points) checkVector(point, d, input, "at point");
  const directions = mixed === "directions" ? options.directions : undefined;
  if (mixed === "directions") {
    if (!directions || directions.length === 0) {
      throw new Error(
        `Cannot expand directions "${
          directions ?? "none"
        }": mixed "directions" needs at least one direction`,
      );
    }
    for (const v of directions) checkVector(v, d, input, "along direction");
  }
  const last = network.layers.at(-1);
  const outShape = last ? last.outShape : [...input];
  const outSize = outShape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(output) || output < 0 || output >= outSize) {
    throw new Error(
      `Cannot expand output "${output}": the network has ${outSize} outputs (shape [${
        externalShape(outShape)
      }]), indexed from 0`,
    );
  }
  const replicas = mixed === "all"
    ? 1
    : mixed === "none"
    ? d
    : directions!.length;
  const coefficients = mixed === "all" ? countMonomials(d, order) : order + 1;
  const width = Math.max(
    d,
    ...network.layers.map((l) => l.outShape.reduce((a, b) => a * b, 1)),
  );
  const perPoint = coefficients * replicas * width;
  const perReplica = coefficients * width;
  if (perPoint > budget && (mixed === "all" || perReplica > budget)) {
    const what = mixed === "all"
      ? `${
        fmt(coefficients)
      } Taylor coefficients (all mixed partials of ${d} inputs up to order ${order})`
      : `${order + 1} coefficients of one ${
        mixed === "none" ? "input coordinate" : "direction"
      }`;
    const advice = mixed === "all"
      ? 'use mixed "none" (the unmixed derivatives, one univariate jet per input) or a lower order'
      : "use a lower order or a larger budget";
    throw new Error(
      `Cannot expand mixed "${mixed}": ${what} × ${
        fmt(width)
      } values in the widest layer = ${
        fmt(mixed === "all" ? perPoint : perReplica)
      } numbers ${
        mixed === "all" ? "per point" : "per jet"
      } exceed the memory budget of ${fmt(budget)}; ${advice}`,
    );
  }
  if (mixed === "all") {
    let tensorSize = 0;
    for (let k = 0; k <= order; k++) tensorSize += d ** k;
    if (tensorSize > budget) {
      throw new Error(
        `Cannot expand mixed "all": the full derivative tensors [d]*k of ${d} inputs up to order ${order} hold ${
          fmt(tensorSize)
        } numbers, more than the memory budget of ${
          fmt(budget)
        }; use mixed "none" or a lower order`,
      );
    }
  }
  return {
    order,
    mixed,
    d,
    directions,
    outputIndex: internalIndex(output, outShape),
    chunk: Math.max(1, Math.floor(budget / perPoint)),
    replicas,
    group: Math.min(replicas, Math.floor(budget / perReplica)),
  };
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}

/** `C(n + d, d)` in floating point (it may exceed 2^53; only compared). */
function countMonomials(d: number, n: number): number {
  let c = 1;
  for (let k = 1; k <= n; k++) c = (c * (d + k)) / k;
  return Math.round(c);
}

function checkVector(
  v: number[],
  d: number,
  input: readonly number[],
  what: string,
): void {
  const preview = v.length > 6 ? `${v.slice(0, 6).join(",")},…` : v.join(",");
  if (v.length !== d) {
    throw new Error(
      `Cannot expand ${what} "${preview}": expected ${d} coordinates (input shape [${input}]), got ${v.length}`,
    );
  }
  const bad = v.findIndex((x) => typeof x !== "number" || !Number.isFinite(x));
  if (bad >= 0) {
    throw new Error(
      `Cannot expand ${what} "${preview}": coordinate ${bad} is ${
        v[bad]
      }, not a finite number`,
    );
  }
}

/** The internal flat index of external flat output index `o`. */
function internalIndex(o: number, outShape: readonly number[]): number {
  if (outShape.length !== 3) return o;
  const [h, w, c] = outShape;
  const channel = Math.floor(o / (h * w));
  const row = Math.floor((o % (h * w)) / w);
  const col = o % w;
  return (row * w + col) * c + channel;
}

function expandChunk(
  network: Network,
  chunk: number[][],
  plan: Plan,
): { data: Float32Array[]; piecewiseLinear: boolean } {
  const input = network.spec.input;
  let basis: { dispose(): void } | undefined;
  let piecewiseLinear = false;
  // Sizes of the output blocks; 0 for a block that is exactly zero.
  const sizes: number[] = [];
  try {
    const all = tf.tidy(() => {
      const x0 = tf.tensor(chunk.flat(), [chunk.length, ...input]);
      const directions = plan.directions
        ? tf.tensor(plan.directions.flat(), [plan.directions.length, ...input])
        : undefined;
      let jet = Jet.variables(x0, {
        order: plan.order,
        mixed: plan.mixed,
        directions,
      });
      basis = jet.basis;
      for (const layer of fuseConvPool(network.layers)) {
        jet = applyTaylorRule(jet, { op: layer.spec, layer });
      }
      const out = jet.select(plan.outputIndex);
      piecewiseLinear = out.piecewiseLinear;
      const present: tf.Tensor[] = [];
      for (const b of out.blocks) {
        sizes.push(b === null ? 0 : b.size);
        if (b !== null) present.push(tf.reshape(b, [-1]));
      }
      return tf.concat(present);
    });
    // One read of the device memory per chunk.
    const values = all.dataSync() as Float32Array;
    all.dispose();
    let offset = 0;
    const data = sizes.map((size) => {
      const part = values.subarray(offset, offset + size);
      offset += size;
      return part;
    });
    return { data, piecewiseLinear };
  } finally {
    // The product plans of the basis are kept out of the tidy scope.
    basis?.dispose();
  }
}

/**
 * The layers with every Conv2d directly followed by an AvgPool2d fused into
 * one strided convolution. Averaging `ph × pw` outputs of a convolution with
 * stride `s` is a convolution with stride `s·t` whose kernel is the mean of
 * the kernel shifted by `s·(a, b)` for every window offset `(a, b)`; the bias
 * passes through the mean unchanged. Linear maps cost one call per degree,
 * and this one computes only the outputs the pool keeps. Call inside
 * `tf.tidy` (the fused kernels are new tensors).
 */
function fuseConvPool(layers: readonly Layer[]): Layer[] {
  const out: Layer[] = [];
  for (let i = 0; i < layers.length; i++) {
    const conv = layers[i];
    const pool = layers[i + 1];
    const fused = conv.spec.type === "Conv2d" && pool?.spec.type === "AvgPool2d"
      ? fusedConv(conv, pool)
      : undefined;
    if (fused) {
      out.push(fused);
      i++;
    } else {
      out.push(conv);
    }
  }
  return out;
}

function fusedConv(conv: Layer, pool: Layer): Layer | undefined {
  const spec = conv.spec as Conv2dSpec;
  const { kernel: [ph, pw], stride: [th, tw] } = pool.spec as Pool2dSpec;
  const [kh, kw] = spec.kernel;
  const [sh, sw] = spec.stride;
  const [padH, padW] = spec.padding;
  const kernel: [number, number] = [sh * (ph - 1) + kh, sw * (pw - 1) + kw];
  const stride: [number, number] = [sh * th, sw * tw];
  const [h, w] = conv.inShape;
  const outH = Math.floor((h + 2 * padH - kernel[0]) / stride[0]) + 1;
  const outW = Math.floor((w + 2 * padW - kernel[1]) / stride[1]) + 1;
  if (outH !== pool.outShape[0] || outW !== pool.outShape[1] || !conv.weight) {
    return undefined;
  }
  const shifted: Tensor[] = [];
  for (let a = 0; a < ph; a++) {
    for (let b = 0; b < pw; b++) {
      shifted.push(tf.pad(conv.weight, [
        [sh * a, kernel[0] - kh - sh * a],
        [sw * b, kernel[1] - kw - sw * b],
        [0, 0],
        [0, 0],
      ]));
    }
  }
  const weight = tf.mul(tf.addN(shifted), 1 / (ph * pw)) as tf.Tensor4D;
  const bias = conv.bias;
  const applyLinear = (x: Tensor) => {
    const padded = padH || padW
      ? tf.pad(x, [[0, 0], [padH, padH], [padW, padW], [0, 0]])
      : x;
    return tf.conv2d(padded as tf.Tensor4D, weight, stride, "valid");
  };
  return {
    spec: { ...spec, kernel, stride },
    inShape: conv.inShape,
    outShape: pool.outShape,
    weight: weight as unknown as tf.Variable,
    bias,
    applyLinear,
    apply: (x) => bias ? tf.add(applyLinear(x), bias) : applyLinear(x),
  };
}

/**
 * One point's derivatives from the chunk's coefficients. Degree-`k` data is
 * `[n_k, P, R]` flat: monomial `a` (or replica `r`) of point `p` sits at
 * `(a·P + p)·R + r`.
 */
function toDerivativeSet(
  data: Float32Array[],
  point: number[],
  where: { p: number; count: number; exponents: Map<number, number[][]> },
  plan: Plan & { piecewiseLinear: boolean },
): DerivativeSet {
  const { p, count } = where;
  const { d, order, mixed, replicas } = plan;
  const derivatives: Float64Array[] = [
    Float64Array.of(data[0].length ? data[0][p] : 0),
  ];
  const shapes: number[][] = [[]];
  let kFactorial = 1;
  for (let k = 1; k <= order; k++) {
    kFactorial *= k;
    const block = data[k];
    if (mixed === "all") {
      const out = new Float64Array(d ** k);
      if (block.length) {
        let alphas = where.exponents.get(k);
        if (!alphas) {
          alphas = multiIndicesOfDegree(d, k);
          where.exponents.set(k, alphas);
        }
        alphas.forEach((alpha, a) => {
          const derivative = block[a * count + p] * factorialOf(alpha);
          if (derivative !== 0) fillSymmetric(out, alpha, derivative, d);
        });
      }
      derivatives.push(out);
      shapes.push(new Array(k).fill(d));
    } else {
      const out = new Float64Array(replicas);
      if (block.length) {
        for (let r = 0; r < replicas; r++) {
          out[r] = block[p * replicas + r] * kFactorial;
        }
      }
      derivatives.push(out);
      shapes.push([replicas]);
    }
  }
  return {
    mixed,
    order,
    dim: d,
    point: [...point],
    derivatives,
    shapes,
    piecewiseLinear: plan.piecewiseLinear,
  };
}

/**
 * Writes `value` at every entry `(i_1, …, i_k)` of a C-order `[d]*k` tensor
 * whose variables are a permutation of the multi-index `α`.
 */
function fillSymmetric(
  out: Float64Array,
  alpha: readonly number[],
  value: number,
  d: number,
): void {
  const vars: number[] = [];
  const left: number[] = [];
  let k = 0;
  alpha.forEach((a, i) => {
    if (a > 0) {
      vars.push(i);
      left.push(a);
      k += a;
    }
  });
  const visit = (depth: number, flat: number): void => {
    if (depth === k) {
      out[flat] = value;
      return;
    }
    for (let s = 0; s < vars.length; s++) {
      if (left[s] === 0) continue;
      left[s]--;
      visit(depth + 1, flat * d + vars[s]);
      left[s]++;
    }
  };
  visit(0, 0);
}
