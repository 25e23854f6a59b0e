/**
 * Target functions of experiments: a formula over `x1 … xd` such as
 * `(x1^2 + x2) / 2`, parsed by mathjs's expression parser and compiled here
 * to plain JavaScript closures over numbers. Nothing is ever passed to
 * `eval`, and only arithmetic, the listed functions and the constants `pi`
 * and `e` are accepted, so a YAML file cannot run code.
 *
 * @module
 */

import { createMath, mathAll } from "../deps.ts";

/** A compiled target function `R^d → R`. */
export interface CompiledExpression {
  /** The source text. */
  readonly text: string;
  /** The input dimension `d` it was compiled for. */
  readonly dim: number;
  /**
   * Evaluates at one point (float64 arithmetic).
   *
   * @param x The point, `d` numbers.
   * @returns The value.
   */
  evaluate(x: ArrayLike<number>): number;
  /**
   * Evaluates at `n` points stored row by row.
   *
   * @param rows `n · d` numbers, point `i` at `[i·d, (i+1)·d)`.
   * @returns The `n` values, rounded to float32.
   */
  evaluateRows(rows: ArrayLike<number>): Float32Array;
}

/** Options of {@linkcode compileExpression}. */
export interface CompileOptions {
  /**
   * Input dimension `d`: the variables are `x1 … xd`.
   * @default 1
   */
  dim?: number;
}

/**
 * The error of a formula that does not compile; `index` is the 0-based
 * character where the problem is, when known.
 */
export class ExpressionError extends Error {
  /** 0-based character offset into the formula, or -1 when unknown. */
  readonly index: number;
  /** The reason alone, without the `Cannot …` prefix. */
  readonly reason: string;

  /**
   * Builds the error.
   *
   * @param text The formula.
   * @param options `reason`: what is wrong; `index`: where (default -1).
   */
  constructor(text: string, options: { reason: string; index?: number }) {
    super(`Cannot compile expression "${text}": ${options.reason}`);
    this.name = "ExpressionError";
    this.index = options.index ?? -1;
    this.reason = options.reason;
  }
}

type Fn = (x: ArrayLike<number>) => number;

const FUNCTIONS: Record<string, (...a: number[]) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  exp: Math.exp,
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: Math.sign,
  pow: Math.pow,
  min: Math.min,
  max: Math.max,
};

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

const BINARY: Record<string, (a: number, b: number) => number> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
  "^": (a, b) => a ** b,
};

let math: ReturnType<typeof createMath> | undefined;

/**
 * Compiles a formula over `x1 … xd`.
 *
 * @param text The formula, e.g. `"(x1^2 + x2)/2"` or `"0.5 + x1 - x3*x5"`.
 * @param options The input dimension.
 * @returns The compiled function.
 * @throws {ExpressionError} `Cannot compile expression "<text>": <why>` for a
 *   syntax error, an unknown variable (`x3` when `d = 2`), an unknown
 *   function, or a construct other than arithmetic (assignment, matrices,
 *   strings, …).
 * @example
 * ```ts
 * import { compileExpression } from "./expression.ts";
 * const f = compileExpression("(x1^2 + x2)/2", { dim: 2 });
 * if (f.evaluate([2, 1]) !== 2.5) throw new Error("wrong value");
 * ```
 */
export function compileExpression(
  text: string,
  options: CompileOptions = {},
): CompiledExpression {
  const dim = options.dim ?? 1;
  math ??= createMath(mathAll);
  let root: MathNode;
  try {
    root = math.parse(text) as unknown as MathNode;
  } catch (err) {
    const e = err as Error & { char?: number };
    const index = typeof e.char === "number" ? Math.max(0, e.char - 1) : -1;
    const why = e.message.replace(/\s*\(char \d+\)$/, "");
    throw new ExpressionError(text, {
      reason: index >= 0 ? `${why} at character ${index + 1}` : why,
      index,
    });
  }
  const fn = build(root, text, dim);
  return {
    text,
    dim,
    evaluate: fn,
    evaluateRows(rows) {
      const n = Math.floor(rows.length / dim);
      const out = new Float32Array(n);
      const point = new Float64Array(dim);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < dim; j++) point[j] = rows[i * dim + j];
        out[i] = fn(point);
      }
      return out;
    },
  };
}

/** The parts of a mathjs node we read. */
interface MathNode {
  type: string;
  op?: string;
  fn?: string | MathNode;
  name?: string;
  value?: unknown;
  args?: MathNode[];
  content?: MathNode;
}

function build(node: MathNode, text: string, dim: number): Fn {
  const fail = (why: string, name?: string): never => {
    const index = name === undefined ? -1 : findName(text, name);
    throw new ExpressionError(text, { reason: why, index });
  };
  switch (node.type) {
    case "ConstantNode": {
      const v = node.value;
      if (typeof v !== "number" || !Number.isFinite(v)) {
        return fail(`only numbers are allowed, got ${JSON.stringify(v)}`);
      }
      return () => v;
    }
    case "ParenthesisNode":
      return build(node.content!, text, dim);
    case "SymbolNode": {
      const name = node.name!;
      const m = /^x([1-9][0-9]*)$/.exec(name);
      if (m) {
        const i = Number(m[1]) - 1;
        if (i >= dim) {
          return fail(
            `variable "${name}" needs ${
              i + 1
            } inputs but the box has ${dim}; use x1 … x${dim}`,
            name,
          );
        }
        return (x) => x[i];
      }
      if (Object.hasOwn(CONSTANTS, name)) {
        const c = CONSTANTS[name];
        return () => c;
      }
      return fail(
        `unknown variable "${name}"; expected x1 … x${dim}, pi or e`,
        name,
      );
    }
    case "OperatorNode": {
      const args = node.args!.map((a) => build(a, text, dim));
      const op = node.op!;
      if (args.length === 1) {
        const [a] = args;
        if (op === "-") return (x) => -a(x);
        if (op === "+") return a;
      } else if (args.length === 2 && Object.hasOwn(BINARY, op)) {
        const [a, b] = args;
        const f = BINARY[op];
        return (x) => f(a(x), b(x));
      }
      return fail(
        `operator "${op}" is not allowed; expected + - * / ^ and parentheses`,
      );
    }
    case "FunctionNode": {
      const name = typeof node.fn === "string" ? node.fn : node.fn?.name ?? "";
      if (!Object.hasOwn(FUNCTIONS, name)) {
        return fail(
          `unknown function "${name}"; expected one of ${
            Object.keys(FUNCTIONS).join(", ")
          }`,
          name,
        );
      }
      const f = FUNCTIONS[name];
      const args = node.args!.map((a) => build(a, text, dim));
      return (x) => f(...args.map((a) => a(x)));
    }
    default:
      return fail(
        `${node.type} is not allowed; expected arithmetic over x1 … x${dim}`,
      );
  }
}

/** The first offset of `name` as a whole word in `text`, or -1. */
function findName(text: string, name: string): number {
  const m = new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`).exec(text);
  return m ? m.index : -1;
}
