/**
 * The schema of experiment YAML files (DESIGN section 3), in zod.
 *
 * ```yaml
 * name: discovery                  # default: the file name
 * description: Recover y = (x1² + x2)/2 from a trained INR.
 * seed: 0
 * data:                            # a target function on a box …
 *   target: (x1^2 + x2) / 2        # over x1 … xd, d = box length
 *   box: [[-1, 1], [-1, 1]]
 *   sampling: grid                 # grid (n per axis) | uniform (n points)
 *   n: 64
 *   test: { sampling: uniform, n: 1000 }
 * # data: { dataset: mnist, train: 60000, test: 10000 }   … or a data set
 * network:                         # layers, as in network.json or compact
 *   layers: [Linear_2_64, Sine, Linear_64_64, Sine, Linear_64_1]
 *   init: siren                    # default | siren
 * # network: { pretrained: results/discovery/latest/network }
 * train: { loss: mse, optimizer: adam, lr: 1e-3, epochs: 100, batchSize: 256,
 *          schedule: { milestones: [50, 80], gamma: 0.1 } }
 * analyses:                        # typed steps, see analyses.ts
 *   - { type: expand, points: [[0, 0]], order: 2 }
 * figures: [{ kind: loss }]
 * claims:                          # checked after the run
 *   - { name: x2 at 0, value: /analyses/expand/points/0/coefficients/x2,
 *       expected: 0.5, tolerance: 0.05 }
 * profiles:                        # deep-merged over the rest
 *   ci: { train: { epochs: 10 } }
 * ```
 *
 * @module
 */

import { z } from "../deps.ts";
import { LAYER_TYPES, parseLayer } from "../nn/network.ts";
import type { LayerSpec } from "../nn/spec.ts";
import { ANALYSES } from "./analyses.ts";
import type { AnalysisStep } from "./analysis.ts";
import { EXPERIMENT_NAME_PATTERN, EXPERIMENT_NAME_RULE } from "./run_folder.ts";
import { choose, hasKey, strict } from "./_zod.ts";

const positiveInt = z.int().positive();
const pair = z.tuple([positiveInt, positiveInt]);

/** Every layer form an experiment may write as an object. */
const layerObjectSchemas: Record<string, z.ZodType<LayerSpec>> = {
  Linear: strict({
    type: z.literal("Linear"),
    in: positiveInt,
    out: positiveInt,
  }),
  Conv2d: strict({
    type: z.literal("Conv2d"),
    in: positiveInt,
    out: positiveInt,
    kernel: pair,
    stride: pair.default([1, 1]),
    padding: z.tuple([z.int().min(0), z.int().min(0)]).default([0, 0]),
  }),
  AvgPool2d: strict({
    type: z.literal("AvgPool2d"),
    kernel: pair,
    stride: pair,
  }),
  MaxPool2d: strict({
    type: z.literal("MaxPool2d"),
    kernel: pair,
    stride: pair,
  }),
  Flatten: strict({ type: z.literal("Flatten") }),
  Unflatten: strict({
    type: z.literal("Unflatten"),
    shape: z.array(positiveInt).min(1),
  }),
  Sine: strict({ type: z.literal("Sine"), w0: z.number().default(1) }),
  LeakyReLU: strict({
    type: z.literal("LeakyReLU"),
    slope: z.number().default(0.01),
  }),
  ELU: strict({ type: z.literal("ELU"), alpha: z.number().default(1) }),
  GELU: strict({
    type: z.literal("GELU"),
    approximate: z.enum(["none", "tanh"]).default("none"),
  }),
  Softplus: strict({
    type: z.literal("Softplus"),
    beta: z.number().positive().default(1),
  }),
  ...Object.fromEntries(
    ["Tanh", "Sigmoid", "ReLU", "Identity", "Dropout", "Dropout2d"].map(
      (t) => [t, strict({ type: z.literal(t) })],
    ),
  ),
} as Record<string, z.ZodType<LayerSpec>>;

/** One layer: a compact string (`Linear_2_64`) or an object. */
const layerSchema: z.ZodType<LayerSpec, unknown> = z.unknown().transform(
  (value, ctx): LayerSpec => {
    if (typeof value === "string") {
      try {
        return parseLayer(value);
      } catch (err) {
        const why = (err as Error).message.replace(/^Cannot parse layer /, "");
        ctx.issues.push({
          code: "custom",
          message: `unknown layer ${why}`,
          input: value,
        });
        return z.NEVER;
      }
    }
    if (!hasKey(value, "type")) {
      ctx.issues.push({
        code: "custom",
        message:
          'expected a layer: a compact string such as "Linear_2_64" or an object with "type"',
        input: value,
      });
      return z.NEVER;
    }
    const type = (value as { type: unknown }).type;
    const schema = typeof type === "string" && Object.hasOwn(
        layerObjectSchemas,
        type,
      )
      ? layerObjectSchemas[type]
      : undefined;
    if (!schema) {
      ctx.issues.push({
        code: "custom",
        message: `unknown layer type ${JSON.stringify(type)}; expected one of ${
          LAYER_TYPES.join(", ")
        }`,
        path: ["type"],
        input: value,
      });
      return z.NEVER;
    }
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      ctx.issues.push({ ...issue, input: value } as z.core.$ZodRawIssue);
    }
    return z.NEVER;
  },
);

const sampling = z.enum(["grid", "uniform"]);

const targetDataSchema: z.ZodType<TargetData, unknown> = strict({
  target: z.string().min(1),
  box: z.array(z.tuple([z.number(), z.number()])).min(1),
  sampling: sampling.default("uniform"),
  n: positiveInt,
  test: strict({ sampling: sampling.default("uniform"), n: positiveInt })
    .optional(),
});

const datasetDataSchema: z.ZodType<DatasetData, unknown> = strict({
  dataset: z.enum(["mnist"]),
  train: positiveInt.optional(),
  test: positiveInt.optional(),
});

const layersNetworkSchema: z.ZodType<LayersNetwork, unknown> = strict({
  input: z.array(positiveInt).min(1).optional(),
  layers: z.array(layerSchema).min(1),
  init: z.enum(["default", "siren"]).default("default"),
  seed: z.int().min(0).optional(),
});

const pretrainedNetworkSchema: z.ZodType<PretrainedNetwork, unknown> = strict({
  pretrained: z.string().min(1),
});

const trainSchema: z.ZodType<TrainConfig, unknown> = strict({
  loss: z.enum(["mse", "cross_entropy"]).optional(),
  optimizer: z.enum(["sgd", "adam", "adamax"]).default("adam"),
  lr: z.number().positive().default(1e-3),
  momentum: z.number().min(0).default(0),
  epochs: positiveInt,
  batchSize: positiveInt.default(64),
  keepBest: z.boolean().default(false),
  schedule: strict({
    milestones: z.array(positiveInt),
    gamma: z.number().positive(),
  }).optional(),
});

const figureSchema: z.ZodType<FigureConfig, unknown> = strict({
  kind: z.enum(["loss", "fit"]),
  title: z.string().optional(),
});

const numberOrText = z.union([z.number(), z.string()]);

const claimSchema: z.ZodType<ClaimConfig, unknown> = strict({
  name: z.string().min(1),
  value: z.string().regex(
    /^\/[^\s]*$/,
    'a path into the run outputs such as "/analyses/expand/points/0/value"',
  ),
  reduce: z.enum(["max", "min", "mean", "maxAbs", "sum", "count"]).optional(),
  exclude: z.array(z.string()).optional(),
  expected: z.union([numberOrText, z.array(numberOrText)]).optional(),
  tolerance: z.number().min(0).optional(),
  set: z.boolean().default(false),
  below: z.number().optional(),
  above: z.number().optional(),
}).superRefine((claim, ctx) => {
  const hasExpected = claim.expected !== undefined;
  const hasBound = claim.below !== undefined || claim.above !== undefined;
  if (hasExpected === hasBound) {
    ctx.addIssue({
      code: "custom",
      message:
        "expected either `expected` (with `tolerance`) or `below`/`above`",
    });
  }
  if (claim.tolerance !== undefined && !hasExpected) {
    ctx.addIssue({
      code: "custom",
      path: ["tolerance"],
      message: "`tolerance` needs `expected`",
    });
  }
});

/** One analysis entry, validated by the schema of its registered type. */
const analysisSchema: z.ZodType<AnalysisStep, unknown> = z.unknown()
  .transform((value, ctx): AnalysisStep => {
    const type = hasKey(value, "type")
      ? (value as { type: unknown }).type
      : undefined;
    if (typeof type !== "string") {
      ctx.issues.push({
        code: "custom",
        message: `missing required field "type"; expected one of ${
          Object.keys(ANALYSES).join(", ")
        }`,
        input: value,
      });
      return z.NEVER;
    }
    if (!Object.hasOwn(ANALYSES, type)) {
      ctx.issues.push({
        code: "custom",
        message: `unknown analysis type "${type}"; expected one of ${
          Object.keys(ANALYSES).join(", ")
        }`,
        path: ["type"],
        input: value,
      });
      return z.NEVER;
    }
    const result = ANALYSES[type].schema.safeParse(value);
    if (result.success) return result.data as AnalysisStep;
    for (const issue of result.error.issues) {
      ctx.issues.push({ ...issue, input: value } as z.core.$ZodRawIssue);
    }
    return z.NEVER;
  });

/**
 * The schema of an experiment with its profiles already merged in
 * (`profiles` is handled by `loadExperiment`, which also turns issues into
 * located messages; use that rather than this directly).
 *
 * @example
 * ```ts
 * import { experimentSchema } from "./schema.ts";
 * const r = experimentSchema.safeParse({
 *   data: { target: "x1", box: [[0, 1]], n: 4 },
 *   network: { layers: ["Linear_1_1"] },
 * });
 * if (!r.success || r.data.seed !== 0) throw new Error("defaults not applied");
 * ```
 */
export const experimentSchema = strict({
  name: z.string().regex(
    EXPERIMENT_NAME_PATTERN,
    `a name of ${EXPERIMENT_NAME_RULE}`,
  ).optional(),
  description: z.string().default(""),
  seed: z.int().min(0).max(2 ** 31 - 1).default(0),
  data: choose((v) => hasKey(v, "dataset") ? "a" : "b", {
    a: datasetDataSchema,
    b: targetDataSchema,
  }),
  network: choose((v) => hasKey(v, "pretrained") ? "a" : "b", {
    a: pretrainedNetworkSchema,
    b: layersNetworkSchema,
  }),
  train: trainSchema.optional(),
  analyses: z.array(analysisSchema).default([]),
  figures: z.array(figureSchema).optional(),
  claims: z.array(claimSchema).default([]),
});

/** A validated experiment, defaults filled in. */
export interface ExperimentConfig {
  /** Names the results folder (default: the file name). */
  name: string;
  /** One paragraph for `list` and the report. */
  description: string;
  /** Seed of initialisation, sampling and batch order. */
  seed: number;
  /** Target samples or a data set. */
  data: TargetData | DatasetData;
  /** Layers to build, or a trained network to load. */
  network: LayersNetwork | PretrainedNetwork;
  /** Training; absent for a fixed or pre-trained network. */
  train?: TrainConfig;
  /** The analysis steps, each with its type's own fields. */
  analyses: AnalysisStep[];
  /** Figures beyond the analyses' own (default: the loss curve if trained). */
  figures?: FigureConfig[];
  /** Numbers checked after the run. */
  claims: ClaimConfig[];
}

/** The `data` section, target-function form. */
export interface TargetData {
  /** Formula over `x1 … xd`. */
  target: string;
  /** `[low, high]` per input; its length is `d`. */
  box: [number, number][];
  /** `grid` (`n` per axis) or `uniform` (`n` points). */
  sampling: "grid" | "uniform";
  /** Sample count (per axis for `grid`). */
  n: number;
  /** A test set, used as validation data in training. */
  test?: { sampling: "grid" | "uniform"; n: number };
}

/** The `data` section, data-set form. */
export interface DatasetData {
  /** The data set. */
  dataset: "mnist";
  /** Training images to keep (seeded subset); all when absent. */
  train?: number;
  /** Test images to keep; all when absent. */
  test?: number;
}

/** The `network` section, layers form. */
export interface LayersNetwork {
  /** Per-sample input shape (default: from the data). */
  input?: number[];
  /** The layers. */
  layers: LayerSpec[];
  /** Initialisation of the parameters. */
  init: "default" | "siren";
  /** Seed of the initialisation (default: the experiment's). */
  seed?: number;
}

/** The `network` section, pre-trained form. */
export interface PretrainedNetwork {
  /** A `hope-network/1` folder inside the project. */
  pretrained: string;
}

/** The `train` section. */
export interface TrainConfig {
  /** Loss (default: `mse` for targets, `cross_entropy` for data sets). */
  loss?: "mse" | "cross_entropy";
  /** Optimiser. */
  optimizer: "sgd" | "adam" | "adamax";
  /** Learning rate. */
  lr: number;
  /** SGD momentum. */
  momentum: number;
  /** Passes over the data. */
  epochs: number;
  /** Samples per step. */
  batchSize: number;
  /** Restore the weights of the best epoch at the end. */
  keepBest: boolean;
  /** MultiStepLR: multiply the rate by `gamma` at each milestone epoch. */
  schedule?: { milestones: number[]; gamma: number };
}

/** One claim. */
export interface ClaimConfig {
  /** What the claim says. */
  name: string;
  /** Path into the run outputs, e.g. `/analyses/expand/points/0/value`. */
  value: string;
  /** Reduces a list or mapping of numbers to one. */
  reduce?: "max" | "min" | "mean" | "maxAbs" | "sum" | "count";
  /** Keys dropped from a mapping before reducing. */
  exclude?: string[];
  /** The expected value (number, text, or a list of them). */
  expected?: number | string | (number | string)[];
  /** Allowed absolute difference from `expected`. */
  tolerance?: number;
  /** Compare lists as sets. */
  set: boolean;
  /** Inclusive upper bound. */
  below?: number;
  /** Inclusive lower bound. */
  above?: number;
}

/** One figure request. */
export interface FigureConfig {
  /** `loss`: training loss per epoch (and the test-set loss, with a test set); `fit`: network and target along the box diagonal. */
  kind: "loss" | "fit";
  /** Title (default per kind). */
  title?: string;
}
