import {
  compileExpression,
  ExpressionError,
} from "../../lib/experiment/expression.ts";
import { assertAlmostEquals, assertEquals, assertThrows } from "../_assert.ts";

Deno.test("compileExpression() matches the formula written in TypeScript", () => {
  const f = compileExpression(
    "0.5 + x1 + 0.6 x2 x3 - 0.8*x2*x4 + x1*x2*x3 - x3*x5",
    { dim: 5 },
  );
  const g = (x: number[]) =>
    0.5 + x[0] + 0.6 * x[1] * x[2] - 0.8 * x[1] * x[3] + x[0] * x[1] * x[2] -
    x[2] * x[4];
  for (
    const x of [[0, 0, 0, 0, 0], [1, -2, 0.5, 3, -1], [0.1, 0.2, 0.3, 0.4, 0.5]]
  ) {
    // same operations in float64; only the association order may differ
    assertAlmostEquals(f.evaluate(x), g(x), 1e-14, `at ${x}`);
  }
});

Deno.test("compileExpression() knows the listed functions and constants", () => {
  const f = compileExpression("sin(pi*x1) + exp(-x2^2) + sqrt(abs(x1)) - e", {
    dim: 2,
  });
  const x = [0.3, -0.7];
  const want = Math.sin(Math.PI * 0.3) + Math.exp(-(0.49)) + Math.sqrt(0.3) -
    Math.E;
  assertAlmostEquals(f.evaluate(x), want, 1e-14);
  assertEquals(
    -(2 ** 2),
    compileExpression("-2^2").evaluate([0]),
    "mathjs precedence: -(2^2)",
  );
});

Deno.test("compileExpression() evaluates rows into float32", () => {
  const f = compileExpression("(x1^2 + x2)/2", { dim: 2 });
  const y = f.evaluateRows(new Float32Array([0, 0, 1, 1, 0.5, -0.5]));
  assertEquals(y, new Float32Array([0, 1, Math.fround(-0.125)]));
});

Deno.test("compileExpression() refuses code, unknown names and syntax errors", () => {
  const cases: [string, string, number][] = [
    ["x1 + * x2", "Value expected at character 6", 5],
    ["y + 1", 'unknown variable "y"; expected x1 … x2, pi or e', 0],
    ["x3", 'variable "x3" needs 3 inputs but the box has 2; use x1 … x2', 0],
    ["evaluate(x1)", 'unknown function "evaluate"', 0],
    ["a = 2", "AssignmentNode is not allowed", -1],
    ['"text"', 'only numbers are allowed, got "text"', -1],
    ["[x1, x2]", "ArrayNode is not allowed", -1],
    ["x1 > x2 ? 1 : 0", "ConditionalNode is not allowed", -1],
    ["x1 > x2", 'operator ">" is not allowed', -1],
  ];
  for (const [text, why, index] of cases) {
    const err = assertThrows(
      () => compileExpression(text, { dim: 2 }),
      ExpressionError,
      `Cannot compile expression "${text}": ${why}`,
    ) as ExpressionError;
    assertEquals(err.index, index, text);
  }
});
