/**
 * Writing an expansion as the folder of DESIGN section 2: `d0.npy` (the
 * value), `d1.npy` … `dn.npy` (float64 derivatives in the layout of
 * {@linkcode Expansion.derivatives}) and `expansion.json`.
 *
 * @module
 */

import { writeNpy } from "../io/npy.ts";
import { writeOwnedDir } from "../io/owned_dir.ts";
import { VERSION } from "../version.ts";
import type { Expansion } from "./expand.ts";

/** Options of {@linkcode saveExpansion}. */
export interface SaveExpansionOptions {
  /**
   * The network's path, recorded in `expansion.json`.
   * @default undefined (recorded as null)
   */
  network?: string;
  /**
   * Write into a non-empty folder that holds no expansion of ours; even then
   * only the expansion's own files are added (docs/output_folders.md).
   * @default false
   */
  overwrite?: boolean;
  /**
   * At most this many monomials are listed in `expansion.json`, largest
   * first (the `.npy` files always hold every derivative).
   * @default 1000
   */
  maxTerms?: number;
}

/** The `expansion.json` document. */
export interface ExpansionRecord {
  /** Always `"hope-expansion/1"`. */
  format: "hope-expansion/1";
  /** `taylor`, `hope` or `autograd`. */
  method: string;
  /** `all`, `none` or `directions`. */
  mode: string;
  /** Highest order. */
  order: number;
  /** The expansion point, flattened. */
  point: number[];
  /** The expanded output index. */
  output: number;
  /** The directions, for mode `directions`. */
  directions?: number[][];
  /** The network's path, when known. */
  network: string | null;
  /** Seconds spent computing the derivatives alone. */
  seconds: number;
  /** The tfjs backend. */
  backend: string;
  /** The hope-ts version. */
  version: string;
  /** True when orders ≥ 2 vanish through piecewise-linear layers. */
  piecewiseLinear: boolean;
  /** False when the derivatives are an approximation (method `hope`). */
  exact: boolean;
  /** Why they are an approximation, when `exact` is false. */
  inexactReason?: string;
  /** `files[k]` = `dk.npy`, with `shapes[k]` its shape. */
  files: string[];
  /** Shape of each `dk.npy`. */
  shapes: number[][];
  /** Number of non-zero monomials of the polynomial. */
  termCount: number;
  /** The largest monomials: coefficients `∂^α f / α!` in `(x − x0)`. */
  polynomial: { exponents: number[]; coefficient: number }[];
  /** The polynomial as text (at most 20 terms, largest first). */
  text: string;
}

/**
 * Saves an expansion as a folder. A new folder is written under a temporary
 * name and renamed when complete; in a folder that holds an earlier
 * expansion, only that expansion's files are replaced; any other non-empty
 * folder, or a file, is refused (docs/output_folders.md).
 *
 * @param expansion From `expand()`.
 * @param dir The folder to write.
 * @param options Network path to record; how many monomials to list;
 *   `overwrite`.
 * @returns The `expansion.json` record written.
 * @throws {Error} `Cannot write expansion "<dir>": <why>` when `dir` is a
 *   file or holds files hope-ts did not write, or a write fails.
 * @example
 * ```ts
 * import { saveExpansion } from "./save_expansion.ts";
 * import { expand } from "./expand.ts";
 * import { Network } from "../nn/network.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * const net = Network.create({ format: "hope-network/1", input: [2], layers: ["Linear_2_4", "Tanh", "Linear_4_1"] });
 * const e = await expand(net, [0.1, 0.2], { order: 3 });
 * const dir = await Deno.makeTempDir();
 * const record = await saveExpansion(e, `${dir}/e`);
 * if (record.files.join() !== "d0.npy,d1.npy,d2.npy,d3.npy") throw new Error();
 * ```
 */
export async function saveExpansion(
  expansion: Expansion,
  dir: string,
  options: SaveExpansionOptions = {},
): Promise<ExpansionRecord> {
  const json = expansion.polynomial.toJSON();
  const maxTerms = options.maxTerms ?? 1000;
  const files = expansion.derivatives.map((_, k) => `d${k}.npy`);
  const record: ExpansionRecord = {
    format: "hope-expansion/1",
    method: expansion.method,
    mode: expansion.mode,
    order: expansion.order,
    point: expansion.point,
    output: expansion.output,
    ...(expansion.directions ? { directions: expansion.directions } : {}),
    network: options.network ?? null,
    seconds: expansion.seconds,
    backend: expansion.backend,
    version: VERSION,
    piecewiseLinear: expansion.piecewiseLinear,
    exact: expansion.exact,
    ...(expansion.inexactReason === undefined
      ? {}
      : { inexactReason: expansion.inexactReason }),
    files,
    shapes: expansion.shapes,
    termCount: json.terms.length,
    polynomial: json.terms.slice(0, maxTerms).map((t) => ({
      exponents: [...t.exponents],
      coefficient: t.coefficient,
    })),
    text: expansion.polynomial.prune({ keep: 20 }).toString({
      sort: "magnitude",
    }),
  };
  await writeOwnedDir(dir, async (tmp) => {
    for (const [k, data] of expansion.derivatives.entries()) {
      await writeNpy(`${tmp}/${files[k]}`, {
        dtype: "float64",
        shape: expansion.shapes[k],
        data,
      });
    }
    await Deno.writeTextFile(
      `${tmp}/expansion.json`,
      JSON.stringify(record, null, 2) + "\n",
    );
  }, {
    what: "expansion",
    record: "expansion.json",
    owns: expansionFiles,
    overwrite: options.overwrite,
  });
  return record;
}

/** The files an `expansion.json` of ours owns, or null for any other file. */
function expansionFiles(text: string): string[] | null {
  const record = JSON.parse(text);
  if (record?.format !== "hope-expansion/1" || !Array.isArray(record.files)) {
    return null;
  }
  return [...record.files, "expansion.json"];
}
