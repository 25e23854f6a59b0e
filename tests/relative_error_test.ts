import { relativeError } from "../lib/relative_error.ts";
import { assertEquals } from "./_assert.ts";

Deno.test("relativeError() is max |a − b| over max |b|, by hand", () => {
  // max |a − b| = |−3 − (−1)| = 2, max |b| = |−4| = 4 (exact in binary).
  assertEquals(relativeError([1, -3, -4.5], [1, -1, -4]), 0.5);
  // The largest gap and the largest reference entry need not be at the
  // same index: 0.25 at index 0, 8 at index 1.
  assertEquals(relativeError([0.25, 8], [0, 8]), 0.03125);
  assertEquals(relativeError([2, 3], [2, 3]), 0);
});

Deno.test("relativeError() is the absolute error against all zeros, and NaN with NaN", () => {
  assertEquals(relativeError([0.5, -0.75], [0, 0]), 0.75);
  assertEquals(relativeError([Number.NaN, 1], [1, 1]), Number.NaN);
  assertEquals(relativeError([], []), 0);
});
