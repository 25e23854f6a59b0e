import { interactionSparsity } from "../../lib/interactions/interaction_sparsity.ts";
import { assertEquals, assertThrows } from "../_assert.ts";

Deno.test("interactionSparsity() counts the strongest interactions carrying 90 %", () => {
  // strengths (∅ skipped) 5, 3, 1, 1: 5 + 3 = 80 % < 90 %, + 1 = 90 %
  const s = interactionSparsity([[100, 5, -3, 1], [7, 0, 0, -1]]);
  assertEquals(s, { count: 3, total: 6, strength: 10, threshold: 1 });
  assertEquals(
    interactionSparsity([[100, 5, -3, 1]], { includeEmpty: true }).count,
    1,
  );
  assertEquals(interactionSparsity([[1, 0, 0, 0]]).count, 0);
  assertThrows(
    () => interactionSparsity([[0, 1]], { fraction: 0 }),
    Error,
    'Cannot measure sparsity with fraction "0": expected a number in (0, 1]',
  );
});
