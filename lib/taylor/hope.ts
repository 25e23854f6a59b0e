/**
 * The HOPE backward rule (Xiao et al., "HOPE: High-order Polynomial
 * Expansion of Black-box Neural Networks", 2023), kept as a method to
 * compare against: derivatives of one network output in one backward pass.
 *
 * For every intermediate tensor `z` the rule carries only the *unmixed*
 * derivatives `v_k(z)_i = ∂^k y/∂z_i^k`, `k = 1 … n`, starting from
 * `v_1 = e_output`, `v_k = 0` (`k ≥ 2`) at the output, and goes backward:
 *
 * - affine layers `z = W x + b` (Linear; Conv2d and AvgPool2d, whose
 *   matrices are convolutions): `v_k(x) = (W^{∘k})ᵀ v_k(z)`, the element-wise
 *   `k`-th power of the weight, applied as a transposed matrix product or
 *   transposed convolution (an average pool is the convolution with weight
 *   `1/(kh·kw)` per channel, so its power is `(1/(kh·kw))^k`);
 * - MaxPool2d: `v_k` goes to the arg-max of each window (weight `1^k = 1`);
 * - Flatten and Unflatten: the same reshapes and permutations backward;
 * - element-wise activations `z = σ(x)`: Faà di Bruno,
 *   `v_k(x)_i = Σ_{s=1..k} B_{k,s}(σ'(x_i), …, σ^{(k−s+1)}(x_i)) v_s(z)_i`
 *   with the partial Bell polynomials `B`, in float64;
 * - mixed partials are formed only at the first affine layer `z = A x + b`
 *   (after any leading Flatten/Unflatten/Identity/Dropout), from the
 *   Kronecker powers of its matrix:
 *   `∂^k y/∂x_{i1}…∂x_{ik} = Σ_j v_k(z)_j · A_{j,i1} ⋯ A_{j,ik}`.
 *   The reference code does this for a first `nn.Linear` only; a Conv2d or
 *   AvgPool2d is a matrix too, so we apply the same formula to its matrix
 *   (built by applying the layer to the unit vectors). When the first
 *   non-reshape layer is element-wise, the rule's own assumption (no mixed
 *   partials with respect to any intermediate tensor) makes the mixed tensor
 *   diagonal, and that is what we return.
 *
 * **Where it is exact.** The rule drops every mixed partial of `y` with
 * respect to intermediate tensors. That is true when
 * `y = A2(σ(A1 x))`: one affine layer, element-wise activations (one hidden
 * non-linear layer), then only affine or reshape layers to the output. There
 * it agrees with the exact derivatives to float32 precision. **Anywhere else
 * it is an approximation** whose error grows with the order and the depth:
 * on the reference's own 5-layer sine demo the relative error is 0.6 % at
 * order 2, 9 % at order 5 and 78 % at order 9 (DESIGN section 1); use method
 * `"taylor"` for exact derivatives. {@linkcode hopeExactness} decides it
 * from the layers, and `expand()` reports it.
 *
 * Linear, convolution and pooling steps run on tfjs tensors in float32,
 * batched over all points; the Faà di Bruno step runs in float64 on the
 * host. ReLU, LeakyReLU and MaxPool2d set `piecewiseLinear`.
 *
 * @module
 */

import { type Tensor, tf } from "../deps.ts";
import { isImageShape, toExternal, toInternal } from "../nn/layer.ts";
import type { Layer } from "../nn/layer.ts";
import type { Network } from "../nn/network.ts";
import type { DerivativeOptions, DerivativeSet, Mixed } from "./types.ts";
import { checkDerivativeInputs, expansionFailure } from "./_validate.ts";
import { activationDerivatives, bellTable, binomialRows } from "./_bell.ts";

/** Layers that only move values around (or pass them through). */
const RESHAPES = new Set([
  "Flatten",
  "Unflatten",
  "Identity",
  "Dropout",
  "Dropout2d",
]);

/**
 * Layers that mix the components of their input, `z = W x + b` with more
 * than one non-zero per row of `W`: their Kronecker powers give the mixed
 * partials at the first layer, and the rule's step `(W^{∘k})ᵀ v_k` through
 * them is exact only when `y` has no mixed partials with respect to `z`.
 */
const AFFINE = new Set(["Linear", "Conv2d", "AvgPool2d"]);

/** Largest Kronecker-power matrix (values) formed at the first layer. */
const KRONECKER_BUDGET = 2 ** 27;

/**
 * Element-wise layers with non-zero derivatives of order ≥ 2. ReLU and
 * LeakyReLU are not among them: away from their kink they are a diagonal
 * linear map, and so is MaxPool2d's selection of one input per window.
 */
const SMOOTH = new Set(["Sine", "Tanh", "Sigmoid", "Softplus", "GELU", "ELU"]);

/** Whether the HOPE rule gives the exact derivatives of a network. */
export interface Exactness {
  /** True when the rule's derivatives are exact (to float32 rounding). */
  exact: boolean;
  /** Why they are not, when `exact` is false. */
  reason?: string;
}

/**
 * Decides from the layers alone whether the HOPE rule is exact for a
 * network, and says why not.
 *
 * The rule's affine step `v_k(x) = (W^{∘k})ᵀ v_k(z)` is exact when `y` has
 * no mixed partials with respect to `z` (it drops
 * `Σ_{j≠j'} ∂^k y/∂z_j∂z_j'… W_{ji}W_{j'i}…`), i.e. when `y` is a sum of
 * functions of single components of `z`. Going from the output backward,
 * `y` stays such a sum through element-wise layers, selections and
 * reshapes, and stays affine in the tensor until a smooth non-linear layer
 * (Sine, Tanh, Sigmoid, Softplus, GELU, ELU) is passed; a mixing layer
 * (Linear, Conv2d, AvgPool2d) keeps the sum only where `y` was still affine
 * in its output. So the rule is exact exactly when **every smooth
 * non-linear layer has at most one mixing layer before it** (consecutive
 * mixing layers count one by one, since `(W2 W1)^{∘k} ≠ W2^{∘k} W1^{∘k}`),
 * piecewise-linear layers not counting: one hidden non-linear layer. In
 * mode `"all"`, when the first layer that is not a reshape is not a mixing
 * layer (and the input has more than one entry), the mixed tensor is the
 * diagonal one, exact only when no smooth layer has any mixing layer before
 * it. Otherwise the dropped partials are non-zero for generic weights, so
 * the result is an approximation.
 *
 * @param network The network.
 * @param options `mixed`: which partials are asked for (default `"all"`).
 * @returns `{ exact: true }`, or `{ exact: false, reason }`.
 * @example
 * ```ts
 * import { hopeExactness } from "./hope.ts";
 * import { Network } from "../nn/network.ts";
 * const create = (layers: string[]) =>
 *   Network.create({ format: "hope-network/1", input: [2], layers });
 * const one = hopeExactness(create(["Linear_2_8", "Tanh", "Linear_8_1"]));
 * if (!one.exact) throw new Error("one hidden layer is exact");
 * const two = hopeExactness(
 *   create(["Linear_2_8", "Tanh", "Linear_8_8", "Tanh", "Linear_8_1"]),
 * );
 * if (two.exact || !two.reason?.includes("layer 3 (Tanh)")) {
 *   throw new Error(two.reason);
 * }
 * ```
 */
export function hopeExactness(
  network: Network,
  options: { mixed?: Mixed } = {},
): Exactness {
  const layers = network.layers;
  const d = network.inputShape.reduce((a, b) => a * b, 1);
  const firstReal = layers.findIndex((l) => !RESHAPES.has(l.spec.type));
  const diagonal = (options.mixed ?? "all") === "all" && d > 1 &&
    firstReal >= 0 && !AFFINE.has(layers[firstReal].spec.type);
  const allowed = diagonal ? 0 : 1;
  const mixing: number[] = [];
  for (const [i, layer] of layers.entries()) {
    const type = layer.spec.type;
    if (AFFINE.has(type)) mixing.push(i);
    if (!SMOOTH.has(type) || mixing.length <= allowed) continue;
    const before = mixing.map((j) => `${j} (${layers[j].spec.type})`)
      .join(", ");
    const why = diagonal
      ? `the first layer is element-wise, so the rule returns a diagonal tensor of mixed partials, but layer ${i} (${type}) comes after the mixing layer${
        mixing.length > 1 ? "s" : ""
      } ${before}, so the network has mixed partials with respect to its input`
      : `layer ${i} (${type}) comes after ${mixing.length} mixing layers (${before}): the rule drops the mixed partials with respect to the output of layer ${
        mixing[0]
      }, which are not zero; it is exact only with at most one mixing layer before each non-linear layer (one hidden non-linear layer)`;
    return {
      exact: false,
      reason:
        `${why}. The derivatives of order ≥ 2 are an approximation; use method "taylor" for exact ones`,
    };
  }
  return { exact: true };
}

/** The unmixed derivatives `v_k`, `k = 1 … n`; `null` means all zero. */
type Unmixed = (Tensor | null)[];

/**
 * Derivatives of one network output at many points by the HOPE backward
 * rule: exact for networks with one hidden non-linear layer, an
 * approximation otherwise (see the module documentation).
 *
 * @param network The network.
 * @param points Expansion points, each flattened in external layout
 *   (images C, H, W).
 * @param options `order`; `mixed` (`"all"` default, or `"none"`); `output`
 *   (flat index of the output to expand, default 0).
 * @returns One derivative set per point, `derivatives[k]` in the layout of
 *   `dk.npy`.
 * @throws {Error} `Cannot expand with method "hope" in mode "directions": …`
 *   (the rule has no directional form), and
 *   `Cannot expand with method "hope" …` when the order, a point, the output
 *   index, or the size of the first layer's Kronecker power is out of range.
 * @example
 * ```ts
 * import { hopeDerivatives } from "./hope.ts";
 * import { Network } from "../nn/network.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * // y = 2 sin(3 x0 + x1): one hidden layer, so HOPE is exact here.
 * const net = Network.create({
 *   format: "hope-network/1",
 *   input: [2],
 *   layers: ["Linear_2_1", "Sine", "Linear_1_1"],
 * }, {
 *   parameters: new Map<string, tf.Tensor>([
 *     ["0.weight.npy", tf.tensor2d([[3, 1]])],
 *     ["0.bias.npy", tf.tensor1d([0])],
 *     ["2.weight.npy", tf.tensor2d([[2]])],
 *     ["2.bias.npy", tf.tensor1d([0])],
 *   ]),
 * });
 * const [set] = hopeDerivatives(net, [[0, 0]], { order: 3 });
 * // ∂³y/∂x0²∂x1 = 2 · (−cos 0) · 3 · 3 · 1 = −18, at index (0, 0, 1).
 * if (Math.abs(set.derivatives[3][1] + 18) > 1e-4) throw new Error();
 * ```
 */
export function hopeDerivatives(
  network: Network,
  points: number[][],
  options: DerivativeOptions,
): DerivativeSet[] {
  const mode = options.mixed ?? "all";
  const fail = expansionFailure("hope");
  if (mode === "directions") {
    fail(
      `in mode "directions": the HOPE rule carries only the unmixed derivatives along the input axes (and mixes them at the first layer); use method "taylor" or "autograd" for directional derivatives`,
    );
  }
  const { order: n, output, d, outSize } = checkDerivativeInputs(
    network,
    points,
    { ...options, fail },
  );
  const layers = network.layers;
  const firstReal = layers.findIndex((l) => !RESHAPES.has(l.spec.type));
  const mixedAtFirst = mode === "all" && d > 1 && firstReal >= 0 &&
    AFFINE.has(layers[firstReal].spec.type);
  const piecewiseLinear = layers.some((l) =>
    ["ReLU", "LeakyReLU", "MaxPool2d"].includes(l.spec.type)
  );
  if (mixedAtFirst) {
    const m = layers[firstReal].outShape.reduce((a, b) => a * b, 1);
    if (d ** (n - 1) * m > KRONECKER_BUDGET) {
      fail(
        `in mode "all" to order "${n}": the ${
          n - 1
        }-th Kronecker power of the first layer's ${d}×${m} matrix has ${
          d ** (n - 1) * m
        } values (budget ${KRONECKER_BUDGET}); use mixed "none"`,
      );
    }
  }
  const P = points.length;
  let result: DerivativeSet[] = [];
  tf.tidy(() => {
    const x = tf.tensor(points.flat(), [P, ...network.inputShape]);
    const inputs: Tensor[] = [];
    let h = toInternal(x, network.inputShape);
    for (const layer of layers) {
      inputs.push(h);
      h = layer.apply(h);
    }
    const outShape = layers.length ? layers[layers.length - 1].outShape : [];
    const y = tf.reshape(toExternal(h, outShape), [P, outSize]);
    const values = y.dataSync();

    const seed = new Float32Array(outSize);
    seed[output] = 1;
    const seedExt = tf.tile(
      tf.tensor(seed, [1, ...network.outputShape]),
      [P, ...network.outputShape.map(() => 1)],
    );
    let v: Unmixed = [null, toInternal(seedExt, network.outputShape)];
    for (let k = 2; k <= n; k++) v.push(null);

    const stop = mixedAtFirst ? firstReal + 1 : 0;
    for (let i = layers.length - 1; i >= stop; i--) {
      v = backward(layers[i], { input: inputs[i], v, n });
    }
    const flat: Float32Array[] = [];
    if (mixedAtFirst) {
      const matrix = firstLayerMatrix(network, firstReal);
      const m = layers[firstReal].outShape.reduce((a, b) => a * b, 1);
      let kron = matrix;
      for (let k = 1; k <= n; k++) {
        const vk = v[k] ? tf.reshape(v[k]!, [P, m]) : tf.zeros([P, m]);
        if (k === 1) {
          flat.push(
            tf.matMul(vk, matrix, false, true).dataSync() as Float32Array,
          );
          continue;
        }
        // D_k[p, i1, rest] = Σ_j (v_k[p, j] A[i1, j]) · K_{k−1}[rest, j],
        // where K_{k−1}[(i2…ik), j] = A[i2, j] ⋯ A[ik, j].
        const scaled = tf.reshape(
          tf.mul(tf.expandDims(vk, 1), tf.expandDims(matrix, 0)),
          [P * d, m],
        );
        flat.push(
          tf.matMul(scaled, kron, false, true).dataSync() as Float32Array,
        );
        if (k < n) {
          kron = tf.reshape(
            tf.mul(tf.expandDims(kron, 1), tf.expandDims(matrix, 0)),
            [d ** k, m],
          );
        }
      }
    } else {
      for (let k = 1; k <= n; k++) {
        const vk = v[k]
          ? tf.reshape(toExternal(v[k]!, inputs[0]?.shape.slice(1) ?? []), [
            P,
            d,
          ])
          : tf.zeros([P, d]);
        flat.push(vk.dataSync() as Float32Array);
      }
    }
    result = points.map((point, p) => {
      const derivatives: Float64Array[] = [
        Float64Array.of(values[p * outSize + output]),
      ];
      const shapes: number[][] = [[]];
      for (let k = 1; k <= n; k++) {
        const block = flat[k - 1];
        if (mixedAtFirst) {
          const size = d ** k;
          derivatives.push(
            Float64Array.from(block.subarray(p * size, (p + 1) * size)),
          );
        } else if (mode === "all") {
          derivatives.push(
            diagonalTensor(block.subarray(p * d, (p + 1) * d), d, k),
          );
        } else {
          derivatives.push(
            Float64Array.from(block.subarray(p * d, (p + 1) * d)),
          );
        }
        shapes.push(mode === "all" ? new Array(k).fill(d) : [d]);
      }
      return {
        mixed: mode,
        order: n,
        dim: d,
        point: [...point],
        derivatives,
        shapes,
        piecewiseLinear,
      };
    });
  });
  return result;
}

/** The `[d]*k` tensor with `diag` on its diagonal and zeros elsewhere. */
function diagonalTensor(
  diag: ArrayLike<number>,
  d: number,
  k: number,
): Float64Array {
  const out = new Float64Array(d ** k);
  // (i, i, …, i) sits at i · (1 + d + … + d^{k−1}).
  const step = d === 1 ? 1 : (d ** k - 1) / (d - 1);
  for (let i = 0; i < d; i++) out[i * step] = diag[i];
  return out;
}

/**
 * The matrix `A` `[d, m]` of the linear part of layers `0 … first` (leading
 * reshapes, then the first affine layer): row `i` is the image of the unit
 * vector `e_i` of the flattened external input; columns follow the
 * layer's internal output layout.
 */
function firstLayerMatrix(network: Network, first: number): Tensor {
  const shape = network.inputShape;
  const d = shape.reduce((a, b) => a * b, 1);
  let h = toInternal(tf.reshape(tf.eye(d), [d, ...shape]), shape);
  for (let i = 0; i < first; i++) h = network.layers[i].apply(h);
  const layer = network.layers[first];
  h = layer.applyLinear ? layer.applyLinear(h) : layer.apply(h);
  return tf.reshape(h, [d, -1]);
}

/** One step of the rule: `v_k` at the layer's output to `v_k` at its input. */
function backward(
  layer: Layer,
  { input, v, n }: { input: Tensor; v: Unmixed; n: number },
): Unmixed {
  const spec = layer.spec;
  const P = input.shape[0];
  switch (spec.type) {
    case "Linear": {
      const w = layer.weight!;
      return powers(v, w, (vk, wk) => tf.matMul(vk, wk, false, true));
    }
    case "Conv2d": {
      const [ph, pw] = spec.padding;
      const [H, W, C] = layer.inShape;
      const padded = [P, H + 2 * ph, W + 2 * pw, C] as [
        number,
        number,
        number,
        number,
      ];
      return powers(v, layer.weight!, (vk, wk) => {
        const full = tf.conv2dTranspose(
          vk as tf.Tensor4D,
          wk as tf.Tensor4D,
          padded,
          spec.stride,
          "valid",
        );
        return ph || pw ? tf.slice(full, [0, ph, pw, 0], [P, H, W, C]) : full;
      });
    }
    case "AvgPool2d": {
      const [kh, kw] = spec.kernel;
      const C = layer.inShape[2];
      const shape: [number, number, number, number] = [P, ...layer.inShape] as [
        number,
        number,
        number,
        number,
      ];
      // The pool is the convolution by D = 1/(kh·kw) on the channel diagonal.
      const unit = tf.reshape(
        tf.tile(tf.reshape(tf.eye(C), [1, 1, C, C]), [kh, kw, 1, 1]),
        [kh, kw, C, C],
      );
      return v.map((vk, k) =>
        vk === null ? null : tf.mul(
          tf.conv2dTranspose(
            vk as tf.Tensor4D,
            unit as tf.Tensor4D,
            shape,
            spec.stride,
            "valid",
          ),
          (1 / (kh * kw)) ** k,
        )
      );
    }
    case "MaxPool2d":
      return maxPoolBackward(spec, { inShape: layer.inShape, input, v });
    case "Flatten":
      return v.map((vk) =>
        vk === null ? null : isImageShape(layer.inShape)
          ? toInternal(
            tf.reshape(vk, [P, ...externalOf(layer.inShape)]),
            externalOf(layer.inShape),
          )
          : tf.reshape(vk, [P, ...layer.inShape])
      );
    case "Unflatten":
      return v.map((vk) =>
        vk === null
          ? null
          : tf.reshape(toExternal(vk, layer.outShape), [P, ...layer.inShape])
      );
    default: {
      const derivs = activationDerivatives(spec, n);
      return derivs ? faaDiBruno(derivs, { input, v, n }) : v;
    }
  }
}

function externalOf(internal: number[]): number[] {
  return [internal[2], internal[0], internal[1]];
}

/**
 * Applies `op(v_k, W^{∘k})` for every non-zero `v_k`, forming the powers of
 * the weight incrementally.
 */
function powers(
  v: Unmixed,
  w: Tensor,
  op: (vk: Tensor, wk: Tensor) => Tensor,
): Unmixed {
  const out: Unmixed = [null];
  let wk = w;
  for (let k = 1; k < v.length; k++) {
    if (k > 1 && v.slice(k).some((t) => t !== null)) wk = tf.mul(wk, w);
    out.push(v[k] === null ? null : op(v[k]!, wk));
  }
  return out;
}

/** Max pooling backward: each `v_k` to the first arg-max of its window. */
function maxPoolBackward(
  { kernel, stride }: { kernel: [number, number]; stride: [number, number] },
  { inShape, input, v }: { inShape: number[]; input: Tensor; v: Unmixed },
): Unmixed {
  const P = input.shape[0];
  const [H, W, C] = inShape;
  const x = input.dataSync();
  const [kh, kw] = kernel;
  const [sh, sw] = stride;
  const oh = Math.floor((H - kh) / sh) + 1;
  const ow = Math.floor((W - kw) / sw) + 1;
  const argmax = new Int32Array(P * oh * ow * C);
  let o = 0;
  for (let p = 0; p < P; p++) {
    for (let a = 0; a < oh; a++) {
      for (let b = 0; b < ow; b++) {
        for (let c = 0; c < C; c++, o++) {
          let best = -1;
          let bestValue = -Infinity;
          for (let i = 0; i < kh; i++) {
            for (let j = 0; j < kw; j++) {
              const at = ((p * H + a * sh + i) * W + b * sw + j) * C + c;
              if (x[at] > bestValue) {
                bestValue = x[at];
                best = at;
              }
            }
          }
          argmax[o] = best;
        }
      }
    }
  }
  return v.map((vk) => {
    if (vk === null) return null;
    const data = vk.dataSync();
    const out = new Float32Array(P * H * W * C);
    for (let e = 0; e < argmax.length; e++) out[argmax[e]] += data[e];
    return tf.tensor(out, input.shape);
  });
}

/**
 * Faà di Bruno through an element-wise layer, in float64:
 * `v_k(x) = Σ_s B_{k,s}(σ'(x), …) v_s(z)`.
 */
function faaDiBruno(
  derivs: (u: number, out: Float64Array) => void,
  { input, v, n }: { input: Tensor; v: Unmixed; n: number },
): Unmixed {
  const u = input.dataSync();
  const size = u.length;
  const vz = v.map((t) => (t === null ? null : t.dataSync()));
  // v_k(x) is non-zero as soon as some v_s(z), s ≤ k, is.
  const active: boolean[] = [false];
  for (let k = 1; k <= n; k++) active.push(active[k - 1] || vz[k] !== null);
  const out = active.map((a) => (a ? new Float32Array(size) : null));
  const binom = binomialRows(n);
  const der = new Float64Array(n + 1);
  const bell = new Float64Array((n + 1) * (n + 1));
  for (let e = 0; e < size; e++) {
    derivs(u[e], der);
    bellTable(der, { n, binom, out: bell });
    for (let k = 1; k <= n; k++) {
      if (!active[k]) continue;
      let acc = 0;
      for (let s = 1; s <= k; s++) {
        const vs = vz[s];
        if (vs !== null) acc += bell[k * (n + 1) + s] * vs[e];
      }
      out[k]![e] = acc;
    }
  }
  return out.map((o) => (o === null ? null : tf.tensor(o, input.shape)));
}
