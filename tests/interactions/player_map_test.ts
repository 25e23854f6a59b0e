import { playerMap } from "../../lib/interactions/player_map.ts";
import { assertEquals, assertThrows } from "../_assert.ts";

Deno.test("playerMap() paints each player's value on its features", () => {
  const map = playerMap([[0, 2], [3]], [7, 9], { size: 5, fill: -1 });
  assertEquals(Array.from(map), [7, -1, 7, 9, -1]);
  assertThrows(
    () => playerMap([[0]], [1, 2], { size: 1 }),
    Error,
    'Cannot paint "2 values" onto 1 players: expected one value per player',
  );
});
