/**
 * The IDX array format of the MNIST files: a 4-byte magic number (two zero
 * bytes, a type code, the rank), one big-endian uint32 per dimension, then
 * the values in C order, big-endian. Files may be gzipped.
 *
 * @module
 */

/** The element types of IDX, by their type code. */
const TYPES = {
  0x08: { dtype: "uint8", bytes: 1 },
  0x09: { dtype: "int8", bytes: 1 },
  0x0b: { dtype: "int16", bytes: 2 },
  0x0c: { dtype: "int32", bytes: 4 },
  0x0d: { dtype: "float32", bytes: 4 },
  0x0e: { dtype: "float64", bytes: 8 },
} as const;

/** An array read from an IDX file. */
export interface IdxArray {
  /** Element type. */
  dtype: "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";
  /** Dimensions, outermost first. */
  shape: number[];
  /** Values in C order, native byte order. */
  data:
    | Uint8Array
    | Int8Array
    | Int16Array
    | Int32Array
    | Float32Array
    | Float64Array;
  /** The magic number as a big-endian uint32 (2051 for MNIST images). */
  magic: number;
}

/**
 * Parses the bytes of an (uncompressed) IDX file.
 *
 * @param bytes The file contents.
 * @param options `source`: the file name for error messages.
 * @returns The array.
 * @throws {Error} `Cannot read IDX file "<source>": <why>` for a bad magic
 *   number, an unknown type code, or a size that does not match the header.
 * @example
 * ```ts
 * import { parseIdx } from "./idx.ts";
 * // uint8, rank 1, 3 items: 5, 0, 4
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 5, 0, 4]);
 * const { magic, shape, data } = parseIdx(bytes);
 * if (magic !== 2049 || shape[0] !== 3 || data[0] !== 5) throw new Error();
 * ```
 */
export function parseIdx(
  bytes: Uint8Array,
  options: { source?: string } = {},
): IdxArray {
  const fail = (why: string): never => {
    throw new Error(
      `Cannot read IDX file "${options.source ?? "bytes"}": ${why}`,
    );
  };
  if (bytes.length < 4) fail(`${bytes.length} bytes is too short for a header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const code = bytes[2] as keyof typeof TYPES;
  const rank = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(
      `magic number 0x${
        magic.toString(16).padStart(8, "0")
      } does not start with two zero bytes (not an IDX file)`,
    );
  }
  const type = TYPES[code] ??
    fail(`unknown type code 0x${bytes[2].toString(16).padStart(2, "0")}`);
  const start = 4 + 4 * rank;
  if (bytes.length < start) {
    fail(`truncated header: rank ${rank} needs ${start} bytes`);
  }
  const shape = Array.from(
    { length: rank },
    (_, i) => view.getUint32(4 + 4 * i),
  );
  const count = shape.reduce((a, b) => a * b, 1);
  const want = start + count * type.bytes;
  if (bytes.length !== want) {
    fail(
      `header says ${type.dtype} [${shape}] (${want} bytes) but the file has ${bytes.length} bytes`,
    );
  }
  return {
    dtype: type.dtype,
    shape,
    data: decode(view, start, count, code),
    magic,
  };
}

function decode(
  view: DataView,
  start: number,
  count: number,
  code: keyof typeof TYPES,
): IdxArray["data"] {
  const bytes = new Uint8Array(view.buffer, view.byteOffset + start, count);
  switch (code) {
    case 0x08:
      return bytes.slice();
    case 0x09:
      return new Int8Array(bytes.slice().buffer);
    case 0x0b:
      return Int16Array.from(
        { length: count },
        (_, i) => view.getInt16(start + 2 * i),
      );
    case 0x0c:
      return Int32Array.from(
        { length: count },
        (_, i) => view.getInt32(start + 4 * i),
      );
    case 0x0d:
      return Float32Array.from(
        { length: count },
        (_, i) => view.getFloat32(start + 4 * i),
      );
    case 0x0e:
      return Float64Array.from(
        { length: count },
        (_, i) => view.getFloat64(start + 8 * i),
      );
  }
}

/**
 * Reads an IDX file, gunzipping it first when it starts with the gzip magic
 * bytes.
 *
 * @param path The file.
 * @returns The array.
 * @throws {Error} `Cannot read IDX file "<path>": <why>` when the file is
 *   missing, not valid gzip, or not a valid IDX array.
 * @example
 * ```ts
 * import { readIdx } from "./idx.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeFile(path, new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 7]));
 * if ((await readIdx(path)).data[0] !== 7) throw new Error();
 * ```
 */
export async function readIdx(path: string | URL): Promise<IdxArray> {
  const source = path instanceof URL && path.protocol === "file:"
    ? decodeURIComponent(path.pathname)
    : String(path);
  let bytes: Uint8Array;
  try {
    const raw = await Deno.readFile(path);
    bytes = raw;
    if (raw[0] === 0x1f && raw[1] === 0x8b) {
      const stream = new Blob([raw]).stream().pipeThrough(
        new DecompressionStream("gzip"),
      );
      bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    }
  } catch (error) {
    throw new Error(
      `Cannot read IDX file "${source}": ${(error as Error).message}`,
    );
  }
  return parseIdx(bytes, { source });
}
