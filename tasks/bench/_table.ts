/**
 * Plain-text tables of the benchmarks: columns padded to their widest cell,
 * text columns left-aligned and number columns right-aligned.
 *
 * @module
 */

/** Options of {@linkcode formatTable}. */
export interface TableOptions {
  /**
   * Columns, from the first, that hold text and are left-aligned.
   * @default 1
   */
  textColumns?: number;
  /**
   * Markdown pipes around and between the cells (` | `) instead of two
   * spaces.
   * @default false
   */
  markdown?: boolean;
}

/**
 * Lays out a table: the header, a rule under it, then the rows.
 *
 * @param header The column titles.
 * @param cells The rows, one string a column.
 * @param options Which columns are text; plain or Markdown.
 * @returns The lines, without newlines.
 * @throws {TypeError} When a row has fewer cells than the header.
 * @example
 * ```ts
 * import { formatTable } from "./_table.ts";
 * const lines = formatTable(["name", "ms"], [["a", "1.5"], ["bcd", "10.0"]]);
 * if (lines.join("\n") !== "name    ms\n----  ----\na      1.5\nbcd   10.0") {
 *   throw new Error(lines.join("\n"));
 * }
 * ```
 */
export function formatTable(
  header: string[],
  cells: string[][],
  options: TableOptions = {},
): string[] {
  const text = options.textColumns ?? 1;
  const widths = header.map((h, i) =>
    Math.max(h.length, ...cells.map((c) => c[i].length))
  );
  const line = (c: string[]) =>
    c.map((v, i) => i < text ? v.padEnd(widths[i]) : v.padStart(widths[i]));
  if (!options.markdown) {
    return [
      line(header).join("  "),
      widths.map((w) => "-".repeat(w)).join("  "),
      ...cells.map((c) => line(c).join("  ")),
    ];
  }
  return [
    `| ${line(header).join(" | ")} |`,
    `|-${widths.map((w) => "-".repeat(w)).join("-|-")}-|`,
    ...cells.map((c) => `| ${line(c).join(" | ")} |`),
  ];
}
