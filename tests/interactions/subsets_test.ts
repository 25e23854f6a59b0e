import {
  playersOf,
  subsetOf,
  subsetSize,
} from "../../lib/interactions/subsets.ts";
import { assertEquals, assertThrows } from "../_assert.ts";

Deno.test("playersOf(), subsetOf() and subsetSize() agree on the bit encoding", () => {
  for (let s = 0; s < 1 << 10; s += 7) {
    assertEquals(subsetOf(playersOf(s)), s);
    assertEquals(subsetSize(s), playersOf(s).length);
  }
  assertEquals(playersOf(0), []);
  assertThrows(
    () => playersOf(-1),
    Error,
    'Cannot list the players of subset "-1"',
  );
  assertThrows(() => subsetOf([30]), Error, 'Cannot encode player "30"');
});
