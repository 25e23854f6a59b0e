/**
 * Loading and saving networks in the `hope-network/1` folder format
 * (DESIGN section 2): `network.json` plus one `.npy` per parameter, in
 * PyTorch layout, so that a network exported from PyTorch with `numpy.save`
 * loads here unchanged.
 *
 * @module
 */

import { type Tensor, tf, z } from "../deps.ts";
import { npyToTensor, readNpy, tensorToNpy, writeNpy } from "../io/npy.ts";
import { writeOwnedDir } from "../io/owned_dir.ts";
import { Network } from "./network.ts";
import type { LayerSpec, NetworkSpec } from "./spec.ts";

const positive = z.number().int().positive();
const pair = z.tuple([positive, positive]);
const file = z.string().regex(
  /^[^/\\]+\.npy$/,
  "a file name ending in .npy, inside the network folder",
);

const layerSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("Linear"),
    in: positive,
    out: positive,
    weight: file,
    bias: file.optional(),
  }),
  z.strictObject({
    type: z.literal("Conv2d"),
    in: positive,
    out: positive,
    kernel: pair,
    stride: pair.default([1, 1]),
    padding: z.tuple([z.number().int().min(0), z.number().int().min(0)])
      .default([0, 0]),
    weight: file,
    bias: file.optional(),
  }),
  z.strictObject({
    type: z.enum(["AvgPool2d", "MaxPool2d"]),
    kernel: pair,
    stride: pair.optional(),
  }),
  z.strictObject({ type: z.literal("Flatten") }),
  z.strictObject({ type: z.literal("Unflatten"), shape: z.array(positive) }),
  z.strictObject({ type: z.literal("Sine"), w0: z.number().default(1) }),
  z.strictObject({
    type: z.literal("LeakyReLU"),
    slope: z.number().default(0.01),
  }),
  z.strictObject({ type: z.literal("ELU"), alpha: z.number().default(1) }),
  z.strictObject({
    type: z.literal("GELU"),
    approximate: z.enum(["none", "tanh"]).default("none"),
  }),
  z.strictObject({
    type: z.literal("Softplus"),
    beta: z.number().positive().default(1),
  }),
  z.strictObject({
    type: z.enum([
      "Tanh",
      "Sigmoid",
      "ReLU",
      "Identity",
      "Dropout",
      "Dropout2d",
    ]),
    p: z.number().optional(),
  }),
]);

const networkSchema = z.strictObject({
  format: z.literal("hope-network/1"),
  input: z.array(positive).min(1),
  layers: z.array(layerSchema),
});

/** Formats the first zod issue as `field: why`. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.reduce<string>(
    (acc, key) =>
      typeof key === "number"
        ? `${acc}[${key}]`
        : acc
        ? `${acc}.${String(key)}`
        : String(key),
    "",
  );
  return `${path || "(document)"}: ${issue.message}`;
}

/**
 * Checks a parsed `network.json` document.
 *
 * @param document The parsed JSON.
 * @param source The file it came from, for errors.
 * @returns The spec with defaults filled in (pool stride = kernel).
 * @throws {Error} `Cannot load network "<source>": <field>: <why>`.
 * @example
 * ```ts
 * import { parseNetworkSpec } from "./io.ts";
 * try {
 *   parseNetworkSpec({ format: "hope-network/1", input: [2], layers: [{ type: "Conv3d" }] }, "n.json");
 *   throw new Error("accepted");
 * } catch (e) {
 *   if (!String(e).includes('layers[0].type')) throw e;
 * }
 * ```
 */
export function parseNetworkSpec(
  document: unknown,
  source: string,
): NetworkSpec {
  const parsed = networkSchema.safeParse(document);
  if (!parsed.success) {
    throw new Error(
      `Cannot load network "${source}": ${describeIssue(parsed.error)}`,
    );
  }
  const layers = parsed.data.layers.map((layer): LayerSpec => {
    if (layer.type === "AvgPool2d" || layer.type === "MaxPool2d") {
      return { ...layer, stride: layer.stride ?? layer.kernel };
    }
    if ("p" in layer) {
      const { p: _dropped, ...rest } = layer;
      return rest as LayerSpec;
    }
    return layer as LayerSpec;
  });
  return { format: "hope-network/1", input: parsed.data.input, layers };
}

/** Splits a path into the network folder and its `network.json`. */
function locate(path: string): { dir: string; json: string } {
  const trimmed = path.replace(/\/+$/, "");
  if (trimmed.endsWith(".json")) {
    const cut = trimmed.lastIndexOf("/");
    return {
      dir: cut >= 0 ? trimmed.slice(0, cut) || "/" : ".",
      json: trimmed,
    };
  }
  return { dir: trimmed, json: `${trimmed}/network.json` };
}

/**
 * Loads a network from a `hope-network/1` folder (or its `network.json`).
 *
 * @param path The folder, or the `network.json` inside it.
 * @param options `source` to name in errors instead of the path.
 * @returns The network, parameters loaded.
 * @throws {Error} `Cannot load network "<file>": <field>: <why>` when the
 *   file is missing or malformed, a weight file is missing or mis-shaped, or
 *   a layer does not fit the previous one.
 * @example
 * ```ts
 * import { loadNetwork, saveNetwork } from "./io.ts";
 * import { Network } from "./network.ts";
 * const dir = await Deno.makeTempDir();
 * const net = Network.create({ format: "hope-network/1", input: [2], layers: ["Linear_2_3", "Tanh"] });
 * await saveNetwork(net, `${dir}/net`);
 * const back = await loadNetwork(`${dir}/net`);
 * if (back.outputShape[0] !== 3) throw new Error();
 * ```
 */
export async function loadNetwork(
  path: string,
  options: { source?: string } = {},
): Promise<Network> {
  const { dir, json } = locate(path);
  let text: string;
  try {
    text = await Deno.readTextFile(json);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? "file not found (expected a hope-network/1 folder holding network.json)"
      : String((error as Error).message);
    throw new Error(`Cannot load network "${json}": ${why}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `Cannot load network "${json}": not valid JSON: ${
        (error as Error).message
      }`,
    );
  }
  const spec = parseNetworkSpec(document, json);
  const parameters = new Map<string, Tensor>();
  try {
    for (const [i, layer] of spec.layers.entries()) {
      if (layer.type !== "Linear" && layer.type !== "Conv2d") continue;
      for (const field of ["weight", "bias"] as const) {
        const name = layer[field];
        if (name === undefined || parameters.has(name)) continue;
        const filePath = `${dir}/${name}`;
        try {
          await Deno.stat(filePath);
        } catch {
          throw new Error(
            `Cannot load network "${json}": layers[${i}].${field}: file "${filePath}" not found`,
          );
        }
        const array = await readNpy(filePath);
        const bad = firstNonFinite(array.data);
        if (bad >= 0) {
          throw new Error(
            `Cannot load network "${json}": layers[${i}].${field}: file "${filePath}" holds ${
              array.data[bad]
            } at flat index ${bad} (${
              unravel(bad, array.shape)
            }); weights must be finite`,
          );
        }
        parameters.set(name, npyToTensor(array));
      }
    }
    return Network.create(spec, {
      parameters,
      source: options.source ?? json,
    });
  } finally {
    for (const t of parameters.values()) t.dispose();
  }
}

/** The index of the first NaN or ±Inf, or −1. */
function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) return i;
  }
  return -1;
}

/** A flat index as `[i, j, …]` in a C-order array of `shape`. */
function unravel(flat: number, shape: readonly number[]): string {
  const index: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(flat % shape[axis]);
    flat = Math.floor(flat / shape[axis]);
  }
  return `[${index.join(", ")}]`;
}

/** Options of {@linkcode saveNetwork}. */
export interface SaveNetworkOptions {
  /**
   * Write into a non-empty folder that holds no network of ours; even then
   * only the network's own files are added (docs/output_folders.md).
   * @default false
   */
  overwrite?: boolean;
}

/**
 * Saves a network as a `hope-network/1` folder: `network.json` and one
 * float32 `.npy` per parameter in PyTorch layout. A new folder is written
 * under a temporary name and renamed when complete; in a folder that holds
 * an earlier network of ours, only that network's files are replaced; any
 * other non-empty folder, or a file, is refused (docs/output_folders.md).
 *
 * @param network The network.
 * @param dir The folder to write.
 * @param options `overwrite`.
 * @returns When the folder is complete.
 * @throws {Error} `Cannot write network "<dir>": <why>` when `dir` is a file
 *   or holds files hope-ts did not write, or a write fails.
 * @example
 * ```ts
 * import { saveNetwork } from "./io.ts";
 * import { Network } from "./network.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/notes.txt`, "mine");
 * const net = Network.create({ format: "hope-network/1", input: [2], layers: ["Linear_2_3"] });
 * const refused = await saveNetwork(net, dir).then(() => false, () => true);
 * if (!refused) throw new Error("a folder of other files must be refused");
 * ```
 */
export async function saveNetwork(
  network: Network,
  dir: string,
  options: SaveNetworkOptions = {},
): Promise<void> {
  const parameters = network.exportParameters();
  try {
    await writeOwnedDir(dir, async (tmp) => {
      for (const [name, tensor] of parameters) {
        await writeNpy(`${tmp}/${name}`, tensorToNpy(tensor, "float32"));
      }
      await Deno.writeTextFile(
        `${tmp}/network.json`,
        JSON.stringify(network.spec, null, 2) + "\n",
      );
    }, {
      what: "network",
      record: "network.json",
      owns: networkFiles,
      overwrite: options.overwrite,
    });
  } finally {
    tf.dispose([...parameters.values()]);
  }
}

/** The files a `network.json` of ours owns, or null for any other file. */
function networkFiles(text: string): string[] | null {
  const spec = JSON.parse(text);
  if (spec?.format !== "hope-network/1" || !Array.isArray(spec.layers)) {
    return null;
  }
  const files = spec.layers.flatMap((layer: Record<string, unknown>) =>
    [layer?.weight, layer?.bias].filter((f) => typeof f === "string")
  );
  return [...files, "network.json"];
}
