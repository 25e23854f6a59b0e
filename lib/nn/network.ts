/**
 * A sequential network built from `hope-network/1` layer specs.
 *
 * @module
 */

import { type Tensor, tf, type Variable } from "../deps.ts";
import { createRng, type Rng } from "../random.ts";
import { conv2d } from "./conv2d.ts";
import { affine, matMul } from "./matmul.ts";
import {
  externalShape,
  internalShape,
  isImageShape,
  type Layer,
  toExternal,
  toInternal,
} from "./layer.ts";
import type {
  Conv2dSpec,
  LayerSpec,
  LinearSpec,
  NetworkSpec,
  Pool2dSpec,
} from "./spec.ts";

/** Parameters in PyTorch layout, keyed by the file names of the spec. */
export type ParameterMap = Map<string, Tensor>;

/** Options of {@linkcode Network.create}. */
export interface CreateOptions {
  /**
   * Parameter tensors in PyTorch layout keyed by the spec's file names
   * (`weight` / `bias`). Missing ones are initialised.
   * @default new Map()
   */
  parameters?: ParameterMap;
  /**
   * Initialisation of missing parameters: PyTorch's default uniform
   * (`U(±1/√fan_in)`) or SIREN's (first layer `U(±1/fan_in)`, later layers
   * `U(±√(6/fan_in)/w0)` with the `w0` of the next Sine).
   * @default "default"
   */
  init?: "default" | "siren";
  /**
   * Seed of the initialisation.
   * @default 0
   */
  seed?: number;
  /**
   * Where the spec came from, for error messages.
   * @default "network"
   */
  source?: string;
}

/** A sequential network: layers applied in order. */
export class Network {
  /** The spec, with every parameter file name filled in. */
  readonly spec: NetworkSpec;
  /** The layers, acting on internal layout. */
  readonly layers: readonly Layer[];

  private constructor(spec: NetworkSpec, layers: Layer[]) {
    this.spec = spec;
    this.layers = layers;
  }

  /**
   * Builds a network from its spec, checking every shape once.
   *
   * @param spec The `network.json` document (compact layer strings such as
   *   `"Linear_2_64"` are accepted in `layers`).
   * @param options Parameters, initialisation, seed.
   * @returns The network.
   * @throws {Error} `Cannot build layer <i> "<type>" of <source>: <why>` when
   *   a layer is unknown, its `in` does not match the previous output, or a
   *   parameter has the wrong shape.
   * @example
   * ```ts
   * import { Network } from "./network.ts";
   * import { tf } from "../deps.ts";
   * const net = Network.create({
   *   format: "hope-network/1",
   *   input: [2],
   *   layers: ["Linear_2_8", "Sine", "Linear_8_1"],
   * }, { seed: 1 });
   * const y = net.forward(tf.zeros([3, 2]));
   * if (y.shape.join() !== "3,1") throw new Error(String(y.shape));
   * ```
   */
  static create(
    spec:
      | NetworkSpec
      | (Omit<NetworkSpec, "layers"> & {
        layers: (LayerSpec | string)[];
      }),
    options: CreateOptions = {},
  ): Network {
    const source = options.source ?? "network";
    const parameters = options.parameters ?? new Map();
    const rng = createRng(options.seed ?? 0);
    const specs = spec.layers.map((l, i) =>
      typeof l === "string" ? parseLayer(l, { index: i, source }) : l
    );
    let shape = internalShape(spec.input);
    const layers: Layer[] = [];
    const filled: LayerSpec[] = [];
    let firstAffine = true;
    specs.forEach((layerSpec, i) => {
      const fail = (why: string): never => {
        throw new Error(
          `Cannot build layer ${i} "${layerSpec.type}" of ${source}: ${why}`,
        );
      };
      let init: InitRule = { kind: "default" };
      if (
        options.init === "siren" &&
        (layerSpec.type === "Linear" || layerSpec.type === "Conv2d")
      ) {
        const next = specs.slice(i + 1).find((s) =>
          s.type !== "Linear" && s.type !== "Conv2d"
        );
        const w0 = next?.type === "Sine" ? next.w0 : 1;
        init = { kind: "siren", w0, first: firstAffine };
      }
      if (layerSpec.type === "Linear" || layerSpec.type === "Conv2d") {
        firstAffine = false;
      }
      const built = buildLayer(layerSpec, shape, {
        index: i,
        parameters,
        rng,
        init,
        fail,
      });
      layers.push(built.layer);
      filled.push(built.spec);
      shape = built.layer.outShape;
    });
    return new Network(
      { format: "hope-network/1", input: [...spec.input], layers: filled },
      layers,
    );
  }

  /** Per-sample input shape as seen from outside (images `[C, H, W]`). */
  get inputShape(): number[] {
    return [...this.spec.input];
  }

  /** Per-sample output shape as seen from outside. */
  get outputShape(): number[] {
    const last = this.layers.at(-1);
    return last ? externalShape(last.outShape) : this.inputShape;
  }

  /**
   * Runs the network on a batch.
   *
   * @param x Batch `[N, ...inputShape]` (images NCHW).
   * @returns Batch `[N, ...outputShape]`.
   */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => {
      let h = toInternal(x, this.spec.input);
      for (const layer of this.layers) h = layer.apply(h);
      const last = this.layers.at(-1);
      return last ? toExternal(h, last.outShape) : h;
    });
  }

  /**
   * The trainable parameters, in layer order (weight before bias).
   *
   * @returns The variables.
   */
  parameters(): Variable[] {
    return this.layers.flatMap((l) =>
      [l.weight, l.bias].filter((v): v is Variable => v !== undefined)
    );
  }

  /**
   * The parameters in PyTorch layout, keyed by their file names.
   *
   * @returns A map from file name to a new tensor (caller disposes).
   */
  exportParameters(): ParameterMap {
    const out: ParameterMap = new Map();
    this.layers.forEach((layer) => {
      const s = layer.spec;
      if (s.type !== "Linear" && s.type !== "Conv2d") return;
      if (layer.weight && s.weight) {
        out.set(
          s.weight,
          s.type === "Linear"
            ? tf.transpose(layer.weight)
            : tf.transpose(layer.weight, [3, 2, 0, 1]),
        );
      }
      if (layer.bias && s.bias) out.set(s.bias, tf.clone(layer.bias));
    });
    return out;
  }

  /** Frees the parameter memory. */
  dispose(): void {
    for (const v of this.parameters()) v.dispose();
  }
}

type InitRule = { kind: "default" } | {
  kind: "siren";
  w0: number;
  first: boolean;
};

interface BuildContext {
  index: number;
  parameters: ParameterMap;
  rng: Rng;
  init: InitRule;
  fail: (why: string) => never;
}

function buildLayer(
  spec: LayerSpec,
  inShape: number[],
  ctx: BuildContext,
): { layer: Layer; spec: LayerSpec } {
  switch (spec.type) {
    case "Linear":
      return buildLinear(spec, inShape, ctx);
    case "Conv2d":
      return buildConv(spec, inShape, ctx);
    case "AvgPool2d":
    case "MaxPool2d":
      return { layer: buildPool(spec, inShape, ctx), spec };
    case "Flatten": {
      const size = inShape.reduce((a, b) => a * b, 1);
      return {
        spec,
        layer: {
          spec,
          inShape,
          outShape: [size],
          apply: (x) =>
            tf.reshape(
              isImageShape(inShape) ? tf.transpose(x, [0, 3, 1, 2]) : x,
              [x.shape[0], size],
            ),
        },
      };
    }
    case "Unflatten": {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const have = inShape.reduce((a, b) => a * b, 1);
      if (
        !spec.shape.every((n) => Number.isInteger(n) && n > 0) || size !== have
      ) {
        ctx.fail(
          `shape [${spec.shape}] must hold the ${have} values of the input [${inShape}]`,
        );
      }
      const out = internalShape(spec.shape);
      return {
        spec,
        layer: {
          spec,
          inShape,
          outShape: out,
          apply: (x) => {
            const r = tf.reshape(x, [x.shape[0], ...spec.shape]);
            return isImageShape(spec.shape) ? tf.transpose(r, [0, 2, 3, 1]) : r;
          },
        },
      };
    }
    default:
      return {
        spec,
        layer: {
          spec,
          inShape,
          outShape: inShape,
          apply: activation(spec, ctx),
        },
      };
  }
}

/** The element-wise map of an activation spec. */
function activation(
  spec: LayerSpec,
  ctx: BuildContext,
): (x: Tensor) => Tensor {
  switch (spec.type) {
    case "Sine":
      return (x) => tf.sin(spec.w0 === 1 ? x : tf.mul(x, spec.w0));
    case "Tanh":
      return (x) => tf.tanh(x);
    case "Sigmoid":
      return (x) => tf.sigmoid(x);
    case "ReLU":
      return (x) => tf.relu(x);
    case "LeakyReLU":
      return (x) => tf.leakyRelu(x, spec.slope);
    case "ELU":
      return (x) =>
        tf.where(
          tf.greater(x, 0),
          x,
          tf.mul(spec.alpha, tf.sub(tf.exp(tf.minimum(x, 0)), 1)),
        );
    case "GELU":
      return spec.approximate === "tanh"
        ? (x) => {
          // 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))
          const inner = tf.mul(
            Math.sqrt(2 / Math.PI),
            tf.add(x, tf.mul(0.044715, tf.pow(x, 3))),
          );
          return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
        }
        : (x) =>
          tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
    case "Softplus":
      return spec.beta === 1
        ? (x) => tf.softplus(x)
        : (x) => tf.div(tf.softplus(tf.mul(x, spec.beta)), spec.beta);
    case "Identity":
    case "Dropout":
    case "Dropout2d":
      return (x) => x;
    default:
      return ctx.fail(
        `unknown layer type; expected one of ${LAYER_TYPES.join(", ")}`,
      );
  }
}

/** Every layer type of the format. */
export const LAYER_TYPES: readonly string[] = [
  "Linear",
  "Conv2d",
  "AvgPool2d",
  "MaxPool2d",
  "Flatten",
  "Unflatten",
  "Sine",
  "Tanh",
  "Sigmoid",
  "ReLU",
  "LeakyReLU",
  "ELU",
  "GELU",
  "Softplus",
  "Identity",
  "Dropout",
  "Dropout2d",
];

function parameter(
  ctx: BuildContext,
  file: string,
  torchShape: number[],
  bound: number,
  what: string,
): Tensor {
  const given = ctx.parameters.get(file);
  if (given) {
    if (given.shape.join() !== torchShape.join()) {
      ctx.fail(
        `${what} "${file}" has shape [${given.shape}], expected [${torchShape}]`,
      );
    }
    return given;
  }
  const size = torchShape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = ctx.rng.uniform(-bound, bound);
  return tf.tensor(data, torchShape);
}

function weightBound(ctx: BuildContext, fanIn: number): number {
  const init = ctx.init;
  if (init.kind === "default") return 1 / Math.sqrt(fanIn);
  return init.first ? 1 / fanIn : Math.sqrt(6 / fanIn) / init.w0;
}

function buildLinear(
  spec: LinearSpec,
  inShape: number[],
  ctx: BuildContext,
): { layer: Layer; spec: LayerSpec } {
  if (inShape.length !== 1 || inShape[0] !== spec.in) {
    ctx.fail(`in = ${spec.in} but the previous layer gives [${inShape}]`);
  }
  checkPositive(ctx, { in: spec.in, out: spec.out });
  const filled: LinearSpec = {
    ...spec,
    weight: spec.weight ?? `${ctx.index}.weight.npy`,
    bias: spec.bias ?? `${ctx.index}.bias.npy`,
  };
  const wTorch = parameter(
    ctx,
    filled.weight!,
    [spec.out, spec.in],
    weightBound(ctx, spec.in),
    "weight",
  );
  const weight = tf.variable(tf.transpose(wTorch));
  const hasBias = spec.bias !== undefined || !spec.weight;
  const bias = hasBias
    ? tf.variable(
      parameter(ctx, filled.bias!, [spec.out], 1 / Math.sqrt(spec.in), "bias"),
    )
    : undefined;
  if (!hasBias) delete filled.bias;
  const applyLinear = (x: Tensor) => matMul(x, weight);
  return {
    spec: filled,
    layer: {
      spec: filled,
      inShape,
      outShape: [spec.out],
      weight,
      bias,
      applyLinear,
      apply: (x) => bias ? affine(x, weight, bias) : applyLinear(x),
    },
  };
}

function buildConv(
  spec: Conv2dSpec,
  inShape: number[],
  ctx: BuildContext,
): { layer: Layer; spec: LayerSpec } {
  if (inShape.length !== 3 || inShape[2] !== spec.in) {
    ctx.fail(
      `in = ${spec.in} channels but the previous layer gives [${
        externalShape(inShape)
      }] (C, H, W)`,
    );
  }
  const [kh, kw] = spec.kernel;
  const [sh, sw] = spec.stride;
  const [ph, pw] = spec.padding;
  checkPositive(ctx, { in: spec.in, out: spec.out, kh, kw, sh, sw });
  const outH = Math.floor((inShape[0] + 2 * ph - kh) / sh) + 1;
  const outW = Math.floor((inShape[1] + 2 * pw - kw) / sw) + 1;
  if (!(outH > 0 && outW > 0) || ph < 0 || pw < 0) {
    ctx.fail(
      `kernel [${spec.kernel}] with padding [${spec.padding}] does not fit the input [${
        externalShape(inShape)
      }]`,
    );
  }
  const filled: Conv2dSpec = {
    ...spec,
    weight: spec.weight ?? `${ctx.index}.weight.npy`,
    bias: spec.bias ?? `${ctx.index}.bias.npy`,
  };
  const fanIn = spec.in * kh * kw;
  const wTorch = parameter(
    ctx,
    filled.weight!,
    [spec.out, spec.in, kh, kw],
    weightBound(ctx, fanIn),
    "weight",
  );
  const weight = tf.variable(tf.transpose(wTorch, [2, 3, 1, 0]));
  const hasBias = spec.bias !== undefined || !spec.weight;
  const bias = hasBias
    ? tf.variable(
      parameter(ctx, filled.bias!, [spec.out], 1 / Math.sqrt(fanIn), "bias"),
    )
    : undefined;
  if (!hasBias) delete filled.bias;
  const applyLinear = (x: Tensor) => {
    const padded = ph || pw
      ? tf.pad(x as tf.Tensor4D, [[0, 0], [ph, ph], [pw, pw], [0, 0]])
      : x as tf.Tensor4D;
    return conv2d(padded, weight as tf.Tensor4D, { strides: [sh, sw] });
  };
  return {
    spec: filled,
    layer: {
      spec: filled,
      inShape,
      outShape: [outH, outW, spec.out],
      weight,
      bias,
      applyLinear,
      apply: (x) => bias ? tf.add(applyLinear(x), bias) : applyLinear(x),
    },
  };
}

function buildPool(
  spec: Pool2dSpec,
  inShape: number[],
  ctx: BuildContext,
): Layer {
  if (inShape.length !== 3) {
    ctx.fail(`expected an image input (C, H, W), got [${inShape}]`);
  }
  const [kh, kw] = spec.kernel;
  const [sh, sw] = spec.stride;
  checkPositive(ctx, { kh, kw, sh, sw });
  const outH = Math.floor((inShape[0] - kh) / sh) + 1;
  const outW = Math.floor((inShape[1] - kw) / sw) + 1;
  if (!(outH > 0 && outW > 0)) {
    ctx.fail(
      `kernel [${spec.kernel}] does not fit the input [${
        externalShape(inShape)
      }]`,
    );
  }
  const pool = spec.type === "AvgPool2d" ? tf.avgPool : tf.maxPool;
  return {
    spec,
    inShape,
    outShape: [outH, outW, inShape[2]],
    apply: (x) => pool(x as tf.Tensor4D, [kh, kw], [sh, sw], "valid"),
  };
}

function checkPositive(ctx: BuildContext, fields: Record<string, number>) {
  for (const [name, value] of Object.entries(fields)) {
    if (!Number.isInteger(value) || value <= 0) {
      ctx.fail(`${name} = ${value}, expected a positive integer`);
    }
  }
}

/**
 * Parses a compact layer string of the reference configs:
 * `Linear_2_64`, `Conv2d_1_10_5_1_0` (in, out, kernel, stride, padding),
 * `AvgPool2d_2_2` / `MaxPool2d_2_2` (kernel, stride), `Unflatten_2_32_32`,
 * `Sine` or `Sine_30` (w0), `LeakyReLU_0.1`, `ELU_1`, `Softplus_1`,
 * `GELU` / `GELU_tanh`, and the bare names of the other layers.
 *
 * @param text The compact string.
 * @param options `index` and `source` for error messages.
 * @returns The layer spec.
 * @throws {Error} `Cannot parse layer "<text>" ...` on an unknown form.
 * @example
 * ```ts
 * import { parseLayer } from "./network.ts";
 * const spec = parseLayer("Conv2d_1_10_5_1_0");
 * if (spec.type !== "Conv2d" || spec.kernel[0] !== 5) throw new Error();
 * ```
 */
export function parseLayer(
  text: string,
  options: { index?: number; source?: string } = {},
): LayerSpec {
  const [name, ...rest] = text.split("_");
  const nums = rest.map(Number);
  const where = options.source
    ? ` (layer ${options.index ?? 0} of ${options.source})`
    : "";
  const fail = (why: string): never => {
    throw new Error(`Cannot parse layer "${text}"${where}: ${why}`);
  };
  const want = (n: number, form: string) => {
    if (nums.length !== n || nums.some((v) => !Number.isFinite(v))) {
      fail(`expected ${form}`);
    }
  };
  const opt = (fallback: number) => {
    if (nums.length > 1 || nums.some((v) => !Number.isFinite(v))) {
      fail(`expected ${name} or ${name}_<number>`);
    }
    return nums.length ? nums[0] : fallback;
  };
  switch (name) {
    case "Linear":
      want(2, "Linear_<in>_<out>");
      return { type: "Linear", in: nums[0], out: nums[1] };
    case "Conv2d":
      want(5, "Conv2d_<in>_<out>_<kernel>_<stride>_<padding>");
      return {
        type: "Conv2d",
        in: nums[0],
        out: nums[1],
        kernel: [nums[2], nums[2]],
        stride: [nums[3], nums[3]],
        padding: [nums[4], nums[4]],
      };
    case "AvgPool2d":
    case "MaxPool2d":
      want(2, `${name}_<kernel>_<stride>`);
      return {
        type: name,
        kernel: [nums[0], nums[0]],
        stride: [nums[1], nums[1]],
      };
    case "Unflatten":
      if (!nums.length) fail("expected Unflatten_<d1>_<d2>...");
      want(nums.length, "Unflatten_<d1>_<d2>...");
      return { type: "Unflatten", shape: nums };
    case "Sine":
      return { type: "Sine", w0: opt(1) };
    case "LeakyReLU":
      return { type: "LeakyReLU", slope: opt(0.01) };
    case "ELU":
      return { type: "ELU", alpha: opt(1) };
    case "Softplus":
      return { type: "Softplus", beta: opt(1) };
    case "GELU":
      if (rest.length > 1 || (rest.length && rest[0] !== "tanh")) {
        fail("expected GELU or GELU_tanh");
      }
      return { type: "GELU", approximate: rest.length ? "tanh" : "none" };
    case "Flatten":
    case "Tanh":
    case "Sigmoid":
    case "ReLU":
    case "Identity":
    case "Dropout":
    case "Dropout2d":
      if (rest.length && name !== "Dropout" && name !== "Dropout2d") {
        fail(`${name} takes no arguments`);
      }
      return { type: name };
    default:
      return fail(
        `unknown layer type; expected one of ${LAYER_TYPES.join(", ")}`,
      );
  }
}
