import { patchPlayers } from "../../lib/interactions/patch_players.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";

Deno.test("patchPlayers() tiles a 28 × 28 image into 3 × 4 patches, each pixel once", () => {
  const players = patchPlayers([1, 28, 28], [3, 4]);
  assertEquals(players.length, 12);
  const seen = new Int32Array(784).fill(-1);
  players.forEach((p, i) =>
    p.forEach((f) => {
      assertEquals(seen[f], -1, `pixel ${f} twice`);
      seen[f] = i;
    })
  );
  assert(seen.every((i) => i >= 0), "every pixel in a patch");
  // rows 0–8 | 9–17 | 18–27, columns 0–6 | 7–13 | 14–20 | 21–27
  assertEquals(seen[0], 0);
  assertEquals(seen[8 * 28 + 6], 0);
  assertEquals(seen[9 * 28 + 7], 5);
  assertEquals(seen[27 * 28 + 27], 11);
  assertEquals(players.map((p) => p.length), [
    63,
    63,
    63,
    63,
    63,
    63,
    63,
    63,
    70,
    70,
    70,
    70,
  ]);
});

Deno.test("patchPlayers() puts every channel of a pixel in the same patch", () => {
  const players = patchPlayers([3, 2, 2], 2);
  // pixel (0, 1) is feature 1 in channel 0, 5 in channel 1, 9 in channel 2
  assertEquals(players[1], [1, 5, 9]);
});

Deno.test("patchPlayers() rejects grids finer than the image", () => {
  assertThrows(
    () => patchPlayers([1, 4, 4], [5, 2]),
    Error,
    'Cannot cut patches "5×2" from image "[1,4,4]": expected 1 … 4 rows and 1 … 4 columns of patches',
  );
  assertThrows(
    () => patchPlayers([4], 2),
    Error,
    'Cannot cut patches "2" from image "[4]": expected a shape [C, H, W] or [H, W]',
  );
});
