import { faithfulness } from "../../lib/interactions/faithfulness.ts";
import { mobiusTransform } from "../../lib/interactions/mobius.ts";
import { assertAlmostEquals, assertEquals, assertThrows } from "../_assert.ts";

Deno.test("faithfulness() reports the worst error, absolute and relative to max |v|", () => {
  const v = [1, -4, 2, 0];
  const and = mobiusTransform(v);
  and[0b11] += 0.5; // only v(N) changes
  const f = faithfulness(v, { and });
  assertEquals(f.worstSubset, 3);
  assertAlmostEquals(f.maxAbsError, 0.5, 1e-15);
  assertAlmostEquals(f.maxRelativeError, 0.5 / 4, 1e-15);
  // an OR part adds its outputs: I_or({0}) = 1 adds 1 wherever player 0 is
  const g = faithfulness([0, 1, 0, 1], { and: [0, 0, 0, 0], or: [0, 1, 0, 0] });
  assertEquals(g.maxAbsError, 0);
  assertThrows(
    () => faithfulness(v, { and: [1, 2] }),
    Error,
    'Cannot check faithfulness of "2 interactions": the outputs have 4 subsets',
  );
});
