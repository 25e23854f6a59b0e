import { maskedInputs } from "../../lib/interactions/masked_inputs.ts";
import { assertEquals, assertThrows } from "../_assert.ts";

Deno.test("maskedInputs() keeps player i's features when bit i of the subset is set", () => {
  // players {0, 1} and {3}; feature 2 belongs to no player
  const x = maskedInputs([1, 2, 3, 4], {
    players: [[0, 1], [3]],
    baseline: [-1, -2, -3, -4],
  });
  assertEquals(Array.from(x), [
    ...[-1, -2, 3, -4], // ∅ (feature 2 keeps its input value)
    ...[1, 2, 3, -4], // {player 0}
    ...[-1, -2, 3, 4], // {player 1}
    ...[1, 2, 3, 4], // both
  ]);
  const rest = maskedInputs([1, 2, 3, 4], {
    players: [[0, 1], [3]],
    baseline: 0,
    rest: "baseline",
    start: 3,
    count: 1,
  });
  assertEquals(Array.from(rest), [1, 2, 0, 4]);
});

Deno.test("maskedInputs() names the limit of 16 players", () => {
  assertThrows(
    () => maskedInputs(new Array(20).fill(1), {}),
    Error,
    'Cannot compute interactions "n = 20": at most 16 players (2^n forward passes)',
  );
  assertThrows(
    () => maskedInputs([1], { players: [] }),
    Error,
    'Cannot compute interactions "n = 0": at least 1 player',
  );
});

Deno.test("maskedInputs() rejects bad players, baselines and ranges", () => {
  assertThrows(
    () => maskedInputs([1, 2, 3], { players: [[0, 1], [1, 2]] }),
    Error,
    'Cannot use player 1 "1": feature 1 already belongs to player 0',
  );
  assertThrows(
    () => maskedInputs([1, 2, 3], { players: [[0], [3]] }),
    Error,
    'Cannot use player 1 "3": feature indices must be integers in 0 … 2',
  );
  assertThrows(
    () => maskedInputs([1, 2, 3], { baseline: [0, 0] }),
    Error,
    'Cannot use baseline of length "2": the input has 3 features',
  );
  assertThrows(
    () => maskedInputs([1, 2], { start: 3, count: 2 }),
    Error,
    'Cannot mask subsets "3+2": the 2 players have subsets 0 … 3',
  );
});
