/**
 * The writer of a run folder: every file of a run goes through it, so that
 * the manifest can list them, the report can show the figures and tables,
 * and tests can make a write fail (a full disk) through `writeFile`.
 *
 * @module
 */

import { encodeNpy, type NpyArray } from "../io/npy.ts";

/** Writes bytes to a path (the signature of `Deno.writeFile`, without options). */
export type WriteFile = (path: string, data: Uint8Array) => Promise<void>;

/** A file written into the run. */
export interface WrittenFile {
  /** Path relative to the run folder, `/`-separated. */
  path: string;
  /** Size in bytes. */
  bytes: number;
}

/** A figure shown in the report. */
export interface FigureRecord {
  /** SVG path relative to the run folder. */
  path: string;
  /** Caption title. */
  title: string;
  /** Which section of the report (an analysis id, `train`, …). */
  section: string;
}

/** A small table shown in the report. */
export interface TableRecord {
  /** Title. */
  title: string;
  /** Which section of the report. */
  section: string;
  /** Column headings. */
  columns: string[];
  /** Rows of cells. */
  rows: (string | number)[][];
  /** The `.npy` file the numbers come from, if any. */
  source?: string;
}

/** Options of {@linkcode RunFiles}. */
export interface RunFilesOptions {
  /**
   * How bytes reach the disk; tests inject a failing one.
   * @default Deno.writeFile
   */
  writeFile?: WriteFile;
}

/** Writes the files of one run folder and remembers them. */
export class RunFiles {
  /** The folder (absolute or relative to the working directory). */
  readonly dir: string;
  /** Every file written, in order. */
  readonly written: WrittenFile[] = [];
  /** Figures for the report, in order. */
  readonly figures: FigureRecord[] = [];
  /** Tables for the report, in order. */
  readonly tables: TableRecord[] = [];
  readonly #writeFile: WriteFile;
  readonly #folders = new Set<string>();

  /**
   * Writes into `dir`, which must exist.
   *
   * @param dir The run folder.
   * @param options The low-level writer.
   * @example
   * ```ts
   * import { RunFiles } from "./run_files.ts";
   * const dir = await Deno.makeTempDir();
   * const files = new RunFiles(dir);
   * await files.text("a/b.txt", "hi");
   * if (files.written[0].path !== "a/b.txt") throw new Error();
   * await Deno.remove(dir, { recursive: true });
   * ```
   */
  constructor(dir: string, options: RunFilesOptions = {}) {
    this.dir = dir;
    this.#writeFile = options.writeFile ?? ((p, d) => Deno.writeFile(p, d));
  }

  /**
   * Writes bytes to `path` inside the run, creating folders.
   *
   * @param path Relative, `/`-separated.
   * @param data The bytes.
   * @returns Once written.
   * @throws {Error} `Cannot write "<path>" in run folder "<dir>": <why>`.
   */
  async bytes(path: string, data: Uint8Array): Promise<void> {
    if (path.startsWith("/") || path.split("/").includes("..")) {
      throw new Error(
        `Cannot write "${path}" in run folder "${this.dir}": the path leaves the folder`,
      );
    }
    try {
      const slash = path.lastIndexOf("/");
      if (slash > 0) {
        const folder = path.slice(0, slash);
        if (!this.#folders.has(folder)) {
          await Deno.mkdir(`${this.dir}/${folder}`, { recursive: true });
          this.#folders.add(folder);
        }
      }
      await this.#writeFile(`${this.dir}/${path}`, data);
    } catch (err) {
      throw new Error(
        `Cannot write "${path}" in run folder "${this.dir}": ${
          (err as Error).message
        }`,
      );
    }
    const known = this.written.findIndex((f) => f.path === path);
    if (known >= 0) this.written.splice(known, 1);
    this.written.push({ path, bytes: data.length });
  }

  /**
   * Writes UTF-8 text.
   *
   * @param path Relative path.
   * @param text The text.
   * @returns Once written.
   */
  text(path: string, text: string): Promise<void> {
    return this.bytes(path, new TextEncoder().encode(text));
  }

  /**
   * Writes JSON, indented by two spaces, with a final newline.
   *
   * @param path Relative path.
   * @param value Anything JSON can hold.
   * @returns Once written.
   */
  json(path: string, value: unknown): Promise<void> {
    return this.text(path, JSON.stringify(value, null, 2) + "\n");
  }

  /**
   * Writes a `.npy` array.
   *
   * @param path Relative path ending in `.npy`.
   * @param array The array.
   * @returns Once written.
   */
  npy(path: string, array: NpyArray): Promise<void> {
    return this.bytes(path, encodeNpy(array, { name: path }));
  }

  /**
   * Writes an SVG figure and lists it in the report.
   *
   * @param path Relative path ending in `.svg`.
   * @param svg The SVG document.
   * @param options Title and report section.
   * @returns Once written.
   */
  async figure(
    path: string,
    svg: string,
    options: { title: string; section: string },
  ): Promise<void> {
    await this.text(path, svg);
    this.figures.push({ path, ...options });
  }

  /**
   * Lists a table in the report (nothing is written until the report).
   *
   * @param table The table.
   */
  table(table: TableRecord): void {
    this.tables.push(table);
  }
}
