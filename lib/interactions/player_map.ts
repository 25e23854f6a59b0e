/**
 * Paints one value per player onto the input features, e.g. to show how
 * often each image patch takes part in the salient interactions.
 *
 * @module
 */

/**
 * An array over the `d` features holding, at every feature of player `i`,
 * `values[i]` (and `fill` at features of no player).
 *
 * @param players The feature indices of each player.
 * @param values One value per player.
 * @param options The input size and the value of unowned features.
 * @returns Length `d`, in the input's flattened order (reshape to `[H, W]`
 *   for a heat map of a one-channel image).
 * @throws {Error} `Cannot paint "<k> values" onto <n> players: …` when the
 *   counts differ.
 * @example
 * ```ts
 * import { patchPlayers } from "./patch_players.ts";
 * import { playerMap } from "./player_map.ts";
 * const map = playerMap(patchPlayers([2, 2], 2), [1, 2, 3, 4], { size: 4 });
 * if (map.join() !== "1,2,3,4") throw new Error(map.join());
 * ```
 */
export function playerMap(
  players: readonly (readonly number[])[],
  values: ArrayLike<number>,
  options: {
    /** Number of features `d`. */
    size: number;
    /**
     * Value of features that belong to no player.
     * @default NaN
     */
    fill?: number;
  },
): Float64Array {
  if (values.length !== players.length) {
    throw new Error(
      `Cannot paint "${values.length} values" onto ${players.length} players: expected one value per player`,
    );
  }
  const out = new Float64Array(options.size).fill(options.fill ?? NaN);
  players.forEach((features, i) => {
    for (const f of features) out[f] = values[i];
  });
  return out;
}
