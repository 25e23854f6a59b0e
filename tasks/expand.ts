/**
 * `deno task expand`: expands a network at a point and prints its Taylor
 * polynomial (the command-line equivalent of the reference `hope.py`).
 *
 *     deno task expand --net <folder | network.json> --order N --point 0.5,n0.5
 *                      [--mixed all|none] [--method taylor|hope|autograd]
 *                      [--output K] [--out DIR [--force]] [--show] [--backend NAME]
 *
 * Exit status: 0 on success, 1 when the expansion fails, 2 for bad usage
 * (any flag whose value is malformed or out of range, including an order
 * outside 1–30 and a point of the wrong dimension).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { backendInfo, resolveBackendName, useBackend } from "../lib/backend.ts";
import { readNpy } from "../lib/io/npy.ts";
import { resolveUserPath } from "../lib/cli_path.ts";
import { loadNetwork } from "../lib/nn/io.ts";
import { MAX_ORDER } from "../lib/taylor/_validate.ts";
import { expand, formatProgress } from "../lib/taylor/expand.ts";
import { saveExpansion } from "../lib/taylor/save_expansion.ts";
import type { Method } from "../lib/taylor/types.ts";

const HELP =
  `Usage: deno task expand --net <folder | network.json> --order N --point P [options]

Expands one output of a hope-network/1 network at a point into its Taylor
polynomial and prints it; with --out, writes d0.npy … dN.npy and
expansion.json. Relative paths are read from the folder the command was typed
in.

Options:
  --net PATH        network folder, or the network.json inside it (required)
  --order N         highest order, an integer from 1 to ${MAX_ORDER} (required)
  --point P         expansion point: comma-separated decimal numbers
                    (0.5, -0.5, 1e-3), "n0.5" meaning
                    -0.5 as in the reference hope.py; or a .npy file holding
                    the point (for images, NCHW) (required)
  --mixed MODE      all (every mixed partial, default) or none (∂^k y/∂x_i^k)
  --method M        taylor (exact, default), hope (the paper's backward rule,
                    exact only with one hidden non-linear layer) or autograd
                    (nested tf.grad, exponential in the order)
  --output K        index of the network output to expand (default 0)
  --out DIR         write the expansion folder there: a new or empty folder,
                    or one holding an earlier expansion (only its files are
                    replaced); any other folder is refused
  --force           with --out, write into a folder holding other files too
                    (they are kept; a file of the same name is still refused)
  --show            also print the polynomial in plain powers of x and as
                    LaTeX, each line labelled
  --backend NAME    wasm (default), cpu or tensorflow; also HOPE_BACKEND
  -h, --help        this text`;

/** Where the command writes; tests capture it. */
export interface Output {
  /**
   * Prints a line to standard output.
   *
   * @param line The text.
   */
  out(line: string): void;
  /**
   * Prints a line to standard error.
   *
   * @param line The text.
   */
  err(line: string): void;
}

const CONSOLE: Output = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** A usage error: exit status 2. */
class UsageError extends Error {}

/** A decimal number: no hex, binary, octal, `Infinity` or blanks. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses `--point`: `0.5,-0.5`, the reference form `n0.5` for −0.5, or a
 * `.npy` file.
 */
async function parsePoint(text: string): Promise<number[]> {
  if (text.endsWith(".npy")) {
    return Array.from((await readNpy(resolveUserPath(text))).data, Number);
  }
  return text.split(",").map((part) => {
    const s = part.trim();
    const digits = s.startsWith("n") ? s.slice(1) : s;
    if (!DECIMAL.test(digits) || (s.startsWith("n") && /^[+-]/.test(digits))) {
      throw new UsageError(
        `Cannot read --point "${text}": "${s}" is not a decimal number (use 0.5, -0.5, 1e-3 or n0.5)`,
      );
    }
    return s.startsWith("n") ? -Number(digits) : Number(digits);
  });
}

/** Parses a flag holding a whole number in `[min, max]`, digits only. */
function parseInteger(
  flag: string,
  text: string | undefined,
  range: { min: number; max: number },
): number {
  const value = Number(text);
  if (
    text === undefined || !/^[+-]?\d+$/.test(text) || value < range.min ||
    value > range.max
  ) {
    const bound = Number.isFinite(range.max)
      ? `from ${range.min} to ${range.max}`
      : `≥ ${range.min}`;
    throw new UsageError(
      `Cannot read ${flag} "${text ?? ""}": expected an integer ${bound}`,
    );
  }
  return value;
}

/**
 * Runs the command.
 *
 * @param args The command-line arguments.
 * @param io Where to print.
 * @returns The exit status.
 */
export async function main(
  args: string[],
  io: Output = CONSOLE,
): Promise<number> {
  try {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        strict: true,
        allowPositionals: false,
        options: {
          net: { type: "string" },
          order: { type: "string" },
          point: { type: "string" },
          mixed: { type: "string", default: "all" },
          method: { type: "string", default: "taylor" },
          output: { type: "string", default: "0" },
          out: { type: "string" },
          force: { type: "boolean", default: false },
          show: { type: "boolean", default: false },
          backend: { type: "string" },
          help: { type: "boolean", short: "h", default: false },
        },
      }));
    } catch (error) {
      throw new UsageError(`${(error as Error).message}\n\n${HELP}`);
    }
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    for (const flag of ["net", "order", "point"] as const) {
      if (values[flag] === undefined) {
        throw new UsageError(`Missing --${flag}\n\n${HELP}`);
      }
    }
    const order = parseInteger("--order", values.order, {
      min: 1,
      max: MAX_ORDER,
    });
    const output = parseInteger("--output", values.output, {
      min: 0,
      max: Infinity,
    });
    if (values.force && !values.out) {
      throw new UsageError("Cannot use --force without --out");
    }
    if (values.mixed !== "all" && values.mixed !== "none") {
      throw new UsageError(
        `Cannot read --mixed "${values.mixed}": expected all or none`,
      );
    }
    const methods = ["taylor", "hope", "autograd"];
    if (!methods.includes(values.method!)) {
      throw new UsageError(
        `Cannot read --method "${values.method}": expected taylor, hope or autograd`,
      );
    }
    const point = await parsePoint(values.point!);
    await useBackend(resolveBackendName(values.backend));
    const netPath = resolveUserPath(values.net!);
    const network = await loadNetwork(netPath);
    try {
      const inputs = network.inputShape.reduce((a, b) => a * b, 1);
      if (point.length !== inputs) {
        throw new UsageError(
          `Cannot read --point "${values.point}": ${point.length} numbers, ` +
            `expected ${inputs} (the input size of "${netPath}")`,
        );
      }
      const outputs = network.outputShape.reduce((a, b) => a * b, 1);
      if (output >= outputs) {
        throw new UsageError(
          `Cannot read --output "${output}": "${netPath}" has ${outputs} output${
            outputs === 1 ? "" : "s"
          } (0 to ${outputs - 1})`,
        );
      }
      const expansion = await expand(network, point, {
        order,
        mixed: values.mixed,
        method: values.method as Method,
        output,
        onProgress: (p) => io.err(`${values.method} ${formatProgress(p)}`),
      });
      const info = backendInfo();
      io.out(
        `${expansion.method} expansion, order ${order}, mixed ${expansion.mode}, ` +
          `${
            expansion.seconds.toFixed(4)
          } s on ${info.name} (${info.threads} thread${
            info.threads === 1 ? "" : "s"
          })`,
      );
      if (expansion.piecewiseLinear) {
        io.out(
          "note: the network is piecewise linear (ReLU/LeakyReLU/MaxPool): " +
            "derivatives of order ≥ 2 through those layers are exactly zero away from kinks",
        );
      }
      if (!expansion.exact) {
        io.err(`warning: not exact: ${expansion.inexactReason}`);
      }
      const big = expansion.polynomial.terms.length > 40;
      const shown = big
        ? expansion.polynomial.prune({ keep: 40 })
        : expansion.polynomial;
      const sort = big ? "magnitude" : "degree";
      const centred = shown.toString({ sort });
      io.out(values.show ? `in powers of (x - x0): ${centred}` : centred);
      if (big) {
        io.out(
          `(largest 40 of ${expansion.polynomial.terms.length} terms; --out writes them all)`,
        );
      }
      if (values.show) {
        const plain = shown.toPowersOfX();
        io.out(`in powers of x: ${plain.toString({ sort })}`);
        io.out(`LaTeX: ${plain.toLatex({ sort })}`);
      }
      if (values.out) {
        const dir = resolveUserPath(values.out);
        await saveExpansion(expansion, dir, {
          network: netPath,
          overwrite: values.force,
        });
        io.out(`wrote ${dir}/ (d0.npy … d${order}.npy, expansion.json)`);
      }
    } finally {
      network.dispose();
    }
    return 0;
  } catch (error) {
    io.err((error as Error).message);
    return error instanceof UsageError ? 2 : 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
