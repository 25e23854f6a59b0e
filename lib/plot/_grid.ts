/**
 * 2-D arrays for the heat-map and region figures: input checking and the
 * one-`<rect>`-per-cell drawing.
 *
 * @module
 */

import { num } from "./_svg.ts";

/**
 * A 2-D array: nested rows (`values[i][j]`, row `i`, column `j`) or a flat
 * row-major array with its shape `[rows, cols]`, as read from an `.npy` file.
 */
export type GridData =
  | readonly (readonly number[])[]
  | { readonly data: ArrayLike<number>; readonly shape: readonly number[] };

/** A checked 2-D array with row-major values. */
export interface Grid {
  rows: number;
  cols: number;
  values: ArrayLike<number>;
}

/**
 * Checks and flattens a `GridData`.
 *
 * @throws {Error} `Cannot draw <what> "<name>": …` for ragged rows, a shape
 * that is not 2-D or does not match the data length, or an empty array.
 */
export function toGrid(input: GridData, what: string, name: string): Grid {
  const fail = (why: string) =>
    new Error(`Cannot draw ${what} "${name}": ${why}`);
  if (Array.isArray(input)) {
    const rowsIn = input as readonly (readonly number[])[];
    const rows = rowsIn.length;
    const cols = rows === 0 ? 0 : rowsIn[0].length;
    if (rows === 0 || cols === 0) throw fail("the array is empty");
    const values = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      if (rowsIn[i].length !== cols) {
        throw fail(
          `row ${i} has ${rowsIn[i].length} values, row 0 has ${cols}`,
        );
      }
      for (let j = 0; j < cols; j++) values[i * cols + j] = rowsIn[i][j];
    }
    return { rows, cols, values };
  }
  const { data, shape } = input as {
    data: ArrayLike<number>;
    shape: readonly number[];
  };
  if (shape.length !== 2) {
    throw fail(`shape [${shape.join(", ")}] is not 2-D`);
  }
  const [rows, cols] = shape;
  if (rows * cols !== data.length) {
    throw fail(
      `shape [${rows}, ${cols}] needs ${
        rows * cols
      } values, got ${data.length}`,
    );
  }
  if (rows === 0 || cols === 0) throw fail("the array is empty");
  return { rows, cols, values: data };
}

/**
 * One `<rect>` per cell inside a group scaled to cell units, so each cell is
 * `<rect x="j" y="i" width="1" height="1" fill="…"/>`: exact, compact and
 * without seams (`crispEdges`). Row 0 is drawn at the top when `origin` is
 * `"upper"` (images) and at the bottom when `"lower"` (data coordinates).
 */
export function drawCells(
  grid: Grid,
  color: (v: number, index: number) => string,
  box: { x: number; y: number; cellWidth: number; cellHeight: number },
  origin: "upper" | "lower",
  className: string,
): string {
  const { rows, cols, values } = grid;
  let cells = "";
  for (let i = 0; i < rows; i++) {
    const y = origin === "upper" ? i : rows - 1 - i;
    for (let j = 0; j < cols; j++) {
      const k = i * cols + j;
      cells += `<rect x="${j}" y="${y}" width="1" height="1" fill="${
        color(values[k], k)
      }"/>`;
    }
    cells += "\n";
  }
  return `<g class="${className}" transform="translate(${num(box.x)} ${
    num(box.y)
  }) scale(${num(box.cellWidth, 4)} ${
    num(box.cellHeight, 4)
  })" shape-rendering="crispEdges">\n${cells}</g>`;
}
