/**
 * A parsed YAML file that remembers where every value came from (private to
 * `lib/experiment/`), so that a schema problem can name its line and column.
 *
 * @module
 */

import { YAML } from "../deps.ts";
import type { Problem } from "./config_error.ts";

/** A path into a YAML document: map keys and sequence indices. */
export type FieldPath = readonly (string | number)[];

/** A YAML file parsed with positions. */
export interface YamlSource {
  /** The file name used in messages. */
  file: string;
  /** The plain JavaScript value of the document. */
  value: unknown;
  /** Syntax errors of the YAML itself (empty when it parsed). */
  problems: Problem[];
  /**
   * The 1-based line and column of a field: of its key when `at` is
   * `"key"` (unknown keys), else of its value; a path that does not exist
   * resolves to its deepest existing parent.
   */
  locate(path: FieldPath, at?: "key" | "value"): Position;
  /**
   * The position of character `index` (0-based) of a string value, past
   * its opening quote: expression errors point into the expression.
   */
  locateText(path: FieldPath, index: number): Position;
}

/** A 1-based line and column. */
export interface Position {
  /** Line, from 1. */
  line: number;
  /** Column, from 1. */
  column: number;
}

/**
 * Parses YAML text, keeping positions.
 *
 * @param text The YAML text.
 * @param file The file name for messages.
 * @returns The parsed source.
 */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, {
    lineCounter,
    keepSourceTokens: true,
    uniqueKeys: true,
  });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: Problem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    file,
    ...at(e.pos[0]),
    path: "",
    message: `invalid YAML: ${e.message.split("\n")[0]}`,
  }));
  const find = (path: FieldPath, where: "key" | "value") => {
    let node: unknown = doc.contents;
    let offset = rangeStart(node) ?? 0;
    let found = true;
    for (const [i, segment] of path.entries()) {
      if (YAML.isMap(node)) {
        const pair = node.items.find((p) =>
          String(YAML.isScalar(p.key) ? p.key.value : p.key) === String(segment)
        );
        if (!pair) {
          found = false;
          break;
        }
        const keyStart = rangeStart(pair.key);
        const valueStart = rangeStart(pair.value);
        offset = where === "key" && i === path.length - 1
          ? keyStart ?? offset
          : valueStart ?? keyStart ?? offset;
        node = pair.value;
      } else if (YAML.isSeq(node) && typeof segment === "number") {
        const item = node.items[segment];
        if (item === undefined) {
          found = false;
          break;
        }
        offset = rangeStart(item) ?? offset;
        node = item;
      } else {
        found = false;
        break;
      }
    }
    return { node: found ? node : undefined, offset };
  };
  const locate = (path: FieldPath, where: "key" | "value" = "value") =>
    at(find(path, where).offset);
  const locateText = (path: FieldPath, index: number) => {
    const { node, offset } = find(path, "value");
    const quoted = YAML.isScalar(node) &&
      (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE");
    const plain = YAML.isScalar(node) &&
      (node.type === "PLAIN" || node.type === undefined);
    if (!quoted && !plain) return at(offset);
    return at(offset + (quoted ? 1 : 0) + index);
  };
  let value: unknown = null;
  if (doc.errors.length === 0) value = doc.toJS({ maxAliasCount: 100 });
  return { file, value, problems, locate, locateText };
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === "object" && "range" in node) {
    const range = (node as { range?: [number, number, number] }).range;
    return range?.[0];
  }
  return undefined;
}
