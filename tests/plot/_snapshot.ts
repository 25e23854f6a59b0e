/**
 * Snapshot checks for the figures: `tests/plot/__snapshots__/<name>.svg`
 * holds the expected SVG. With `UPDATE_SNAPSHOTS=1` the file is (re)written
 * instead of compared.
 *
 * `deno fmt` formats `.svg` files, which would rewrite the snapshots, so each
 * starts with a `deno-fmt-ignore-file` comment line that the comparison
 * strips.
 *
 * @module
 */

import { AssertionError } from "../_assert.ts";

const HEADER = "<!-- deno-fmt-ignore-file -->\n";

/** Compares `svg` with the stored snapshot `name`, byte for byte. */
export async function assertSnapshot(name: string, svg: string): Promise<void> {
  const url = new URL(`./__snapshots__/${name}.svg`, import.meta.url);
  if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") {
    await Deno.mkdir(new URL("./__snapshots__/", import.meta.url), {
      recursive: true,
    });
    await Deno.writeTextFile(url, HEADER + svg);
    return;
  }
  let expected: string;
  try {
    const stored = await Deno.readTextFile(url);
    if (!stored.startsWith(HEADER)) {
      throw new AssertionError(
        `snapshot ${name}.svg lacks its first line ${HEADER.trim()}: rewrite it with UPDATE_SNAPSHOTS=1`,
      );
    }
    expected = stored.slice(HEADER.length);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new AssertionError(
        `snapshot ${name}.svg is missing: run the test with UPDATE_SNAPSHOTS=1 to write it`,
      );
    }
    throw err;
  }
  if (expected === svg) return;
  const a = svg.split("\n");
  const e = expected.split("\n");
  let line = 0;
  while (line < a.length && line < e.length && a[line] === e[line]) line++;
  throw new AssertionError(
    `snapshot ${name}.svg differs at line ${line + 1}:\n` +
      `  expected: ${(e[line] ?? "<end of file>").slice(0, 200)}\n` +
      `  actual:   ${(a[line] ?? "<end of file>").slice(0, 200)}\n` +
      `(run with UPDATE_SNAPSHOTS=1 if the change is intended)`,
  );
}
