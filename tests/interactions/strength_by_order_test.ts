import { strengthByOrder } from "../../lib/interactions/strength_by_order.ts";
import { playersOf } from "../../lib/interactions/subsets.ts";
import { createRng } from "../../lib/random.ts";
import { assertArrayClose, assertEquals, assertThrows } from "../_assert.ts";

Deno.test("strengthByOrder() sums |I| per order against a plain loop", () => {
  const rng = createRng(10);
  const I = Float64Array.from({ length: 64 }, () => rng.normal());
  const s = strengthByOrder(I);
  const expected = new Float64Array(7);
  for (let t = 0; t < 64; t++) expected[playersOf(t).length] += Math.abs(I[t]);
  assertArrayClose(s.strength, expected, { rtol: 1e-15, atol: 0 });
  assertEquals(Array.from(s.count), [1, 6, 15, 20, 15, 6, 1]);
  assertThrows(
    () => strengthByOrder([1, 2, 3]),
    Error,
    'Cannot sum strength by order of length "3"',
  );
});
