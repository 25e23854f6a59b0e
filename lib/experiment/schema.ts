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

const targetDataSchema = strict({
  target: z.string().min(1),
  box: z.array(z.tuple([z.number(), z.number()])).min(1),
  sampling: sampling.default("uniform"),
  n: positiveInt,
  test: strict({ sampling: sampling.default("uniform"), n: positiveInt })
    .optional(),
});

const datasetDataSchema = strict({
  dataset: z.enum(["mnist"]),
  train: positiveInt.optional(),
  test: positiveInt.optional(),
});

const layersNetworkSchema = strict({
  input: z.array(positiveInt).min(1).optional(),
  layers: z.array(layerSchema).min(1),
  init: z.enum(["default", "siren"]).default("default"),
  seed: z.int().min(0).optional(),
});

const pretrainedNetworkSchema = strict({ pretrained: z.string().min(1) });

const trainSchema = strict({
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

const figureSchema = strict({
  kind: z.enum(["loss", "fit"]),
  title: z.string().optional(),
});

const numberOrText = z.union([z.number(), z.string()]);

const claimSchema = strict({
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
    /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
    "a name of letters, digits, _ . - (it names the results folder)",
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
export type ExperimentConfig = z.output<typeof experimentSchema> & {
  name: string;
};

/** The `data` section, target-function form. */
export type TargetData = z.output<typeof targetDataSchema>;
/** The `data` section, data-set form. */
export type DatasetData = z.output<typeof datasetDataSchema>;
/** The `network` section, layers form. */
export type LayersNetwork = z.output<typeof layersNetworkSchema>;
/** The `network` section, pre-trained form. */
export type PretrainedNetwork = z.output<typeof pretrainedNetworkSchema>;
/** The `train` section. */
export type TrainConfig = z.output<typeof trainSchema>;
/** One claim. */
export type ClaimConfig = z.output<typeof claimSchema>;
/** One figure request. */
export type FigureConfig = z.output<typeof figureSchema>;
