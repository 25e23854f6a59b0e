import { activationPatterns } from "../../lib/regions/activation_patterns.ts";
import { assertEquals, assertThrows } from "../_assert.ts";
import { handPiecewise, NOTEBOOK_XOR, QUADRANTS } from "./_nets.ts";

Deno.test("activationPatterns() gives one bit per neuron, 1 for a positive pre-activation", () => {
  const net = handPiecewise(QUADRANTS);
  const bits = activationPatterns(
    net,
    new Float64Array([0.5, 0.5, -0.5, 0.5, -0.5, -0.5, 0.5, -0.5]),
  );
  assertEquals(Array.from(bits), [1, 1, 0, 1, 0, 0, 1, 0]);
});

Deno.test("activationPatterns() reads a pre-activation of exactly 0 as inactive", () => {
  // the notebook net at (0, 0): x + y + 1 = 1 > 0 and x + y = 0
  const bits = activationPatterns(
    handPiecewise(NOTEBOOK_XOR),
    new Float64Array([0, 0, -0.5, -0.5]),
  );
  assertEquals(Array.from(bits), [1, 0, 0, 0]);
});

Deno.test("activationPatterns() checks the point array length", () => {
  assertThrows(
    () => activationPatterns(handPiecewise(QUADRANTS), new Float64Array(3)),
    Error,
    'Cannot compute activation patterns "3": not a multiple of the input dimension 2',
  );
});
