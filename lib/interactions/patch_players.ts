/**
 * Image patches as players: a `rows × cols` grid of rectangles over an
 * image, each patch one player.
 *
 * @module
 */

/**
 * The feature indices of each patch of an image `[C, H, W]` (NCHW order,
 * every channel of a pixel in the same patch). Patch `r · cols + c` covers
 * rows `⌊r·H/rows⌋ … ⌊(r+1)·H/rows⌋ − 1` and the matching columns, so the
 * patches tile the image even when `H` is not a multiple of `rows`.
 *
 * @param shape The image shape `[C, H, W]` (or `[H, W]`).
 * @param grid Patches per side, or `[rows, cols]` (e.g. `[3, 4]` for 12).
 * @returns The players, for the `players` option of `maskedOutputs`.
 * @throws {Error} `Cannot cut patches "<grid>" from image "<shape>": …` for
 *   a grid finer than the image, or a shape that is not `[C, H, W]` or
 *   `[H, W]`.
 * @example
 * ```ts
 * import { patchPlayers } from "./patch_players.ts";
 * const players = patchPlayers([1, 28, 28], [3, 4]);
 * if (players.length !== 12) throw new Error();
 * // the first patch: rows 0 … 8, columns 0 … 6
 * if (players[0].length !== 9 * 7 || players[0][7] !== 28) throw new Error();
 * ```
 */
export function patchPlayers(
  shape: readonly number[],
  grid: number | readonly [number, number],
): number[][] {
  const [rows, cols] = typeof grid === "number" ? [grid, grid] : grid;
  const [c, h, w] = shape.length === 2 ? [1, ...shape] : shape;
  const okShape = (shape.length === 2 || shape.length === 3) &&
    [c, h, w].every((n) => Number.isInteger(n) && n > 0);
  const okGrid = [rows, cols].every((n) => Number.isInteger(n) && n > 0) &&
    rows <= h && cols <= w;
  if (!okShape || !okGrid) {
    throw new Error(
      `Cannot cut patches "${
        typeof grid === "number" ? grid : grid.join("×")
      }" from image "[${shape}]": ${
        okShape
          ? `expected 1 … ${h} rows and 1 … ${w} columns of patches`
          : "expected a shape [C, H, W] or [H, W]"
      }`,
    );
  }
  const players: number[][] = [];
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const features: number[] = [];
      for (let ch = 0; ch < c; ch++) {
        for (
          let y = Math.floor(r * h / rows);
          y < Math.floor((r + 1) * h / rows);
          y++
        ) {
          for (
            let x = Math.floor(q * w / cols);
            x < Math.floor((q + 1) * w / cols);
            x++
          ) {
            features.push((ch * h + y) * w + x);
          }
        }
      }
      players.push(features);
    }
  }
  return players;
}
