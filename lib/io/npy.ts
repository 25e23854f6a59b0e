/**
 * Reading and writing NumPy `.npy` files.
 *
 * The format (NumPy's `numpy.lib.format`): the magic bytes `\x93NUMPY`, a
 * major and a minor version byte, the header length (a little-endian
 * `uint16` in version 1.0, `uint32` in 2.0 and 3.0), then the header: a
 * Python dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`, padded
 * with spaces and ended by `\n` so that the data starts on a 64-byte
 * boundary; the raw element bytes follow.
 *
 * We read versions 1.0, 2.0 and 3.0 (3.0 only changes the header encoding
 * to UTF-8) and write 1.0, switching to 2.0 only when a header would not fit
 * a `uint16` length. The header we write is byte for byte the one
 * `numpy.save` writes for the same array, so `numpy.load` reads our files
 * unchanged. Supported element types: `<f4` (float32), `<f8` (float64),
 * `<i4` (int32) and `|u1` (uint8; `<u1` is accepted on read), in C order,
 * of any rank including 0. Big-endian, complex, structured and object
 * arrays, and Fortran-order arrays, are refused with an error naming the
 * file.
 *
 * Deno runs only on little-endian hosts (x86-64, aarch64), so element
 * bytes are copied as they are, never swapped.
 *
 * @module
 */

import { tf } from "../deps.ts";
import type { Tensor } from "../deps.ts";

/** Element types a `.npy` file may hold here. */
export type NpyDtype = "float32" | "float64" | "int32" | "uint8";

/**
 * An n-dimensional array as stored in a `.npy` file: its element type, its
 * shape (empty for a scalar) and its elements in C (row-major) order.
 */
export interface NpyArray {
  /** Element type. */
  dtype: NpyDtype;
  /** Extent of each axis; `[]` for a rank-0 array (one element). */
  shape: number[];
  /** The `product(shape)` elements, last axis fastest. */
  data: Float32Array | Float64Array | Int32Array | Uint8Array;
}

/** Options of {@link parseNpy} and {@link encodeNpy}. */
export interface NpyNameOptions {
  /**
   * Name used in error messages, usually the file path.
   * @default "(bytes)" in parseNpy, "(array)" in encodeNpy
   */
  name?: string;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** numpy.lib.format aligns the start of the data to this many bytes. */
const ALIGN = 64;
/**
 * numpy.save pads the header with `21 − len(repr(shape[0]))` spaces (its
 * GROWTH_AXIS_MAX_DIGITS) so the first axis can later grow in place; we do
 * the same to write byte-identical headers.
 */
const GROWTH_AXIS_DIGITS = 21;

interface DtypeInfo {
  dtype: NpyDtype;
  size: number;
  make: (buffer: ArrayBuffer) => NpyArray["data"];
}

const BY_DESCR: Record<string, DtypeInfo> = {
  "<f4": { dtype: "float32", size: 4, make: (b) => new Float32Array(b) },
  "<f8": { dtype: "float64", size: 8, make: (b) => new Float64Array(b) },
  "<i4": { dtype: "int32", size: 4, make: (b) => new Int32Array(b) },
  "|u1": { dtype: "uint8", size: 1, make: (b) => new Uint8Array(b) },
  "<u1": { dtype: "uint8", size: 1, make: (b) => new Uint8Array(b) },
};

const DESCR_OF: Record<NpyDtype, string> = {
  float32: "<f4",
  float64: "<f8",
  int32: "<i4",
  uint8: "|u1",
};

const ARRAY_OF: Record<NpyDtype, { new (n: number): NpyArray["data"] }> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
};

const SUPPORTED = "supported: '<f4' (float32), '<f8' (float64), " +
  "'<i4' (int32), '|u1' (uint8)";

function showShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

// ---------------------------------------------------------------------------
// The header is a Python literal that NumPy reads with ast.literal_eval. No
// npm package parses exactly that subset well: npyjs 1.2, for one, picks the
// keys out with regular expressions that assume single quotes and never
// reject a malformed dict. So here is a small recursive-descent parser for
// the part of the grammar a header can use (dicts, tuples, lists, quoted
// strings, integers with Python 2's optional `L` suffix, True, False,
// None), whose errors say where the header went wrong.

type PyValue =
  | string
  | number
  | boolean
  | null
  | { tuple: PyValue[] }
  | { list: PyValue[] }
  | { dict: Map<string, PyValue> };

class PyLiteralParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseAll(): PyValue {
    const value = this.value();
    this.skipSpace();
    if (this.pos < this.text.length) {
      this.fail("unexpected text after the dict");
    }
    return value;
  }

  private fail(why: string): never {
    throw new SyntaxError(`${why} at character ${this.pos}`);
  }

  /** Consumes `sticky` (a regex with the `y` flag) if it matches here. */
  private match(sticky: RegExp): string | undefined {
    sticky.lastIndex = this.pos;
    const m = sticky.exec(this.text);
    if (m !== null) this.pos += m[0].length;
    return m?.[0];
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) {
      this.pos++;
    }
  }

  private peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? "";
  }

  private expect(ch: string): void {
    if (this.peek() !== ch) {
      const got = this.pos < this.text.length
        ? `'${this.text[this.pos]}'`
        : "the end";
      this.fail(`expected '${ch}' but found ${got}`);
    }
    this.pos++;
  }

  private value(): PyValue {
    const ch = this.peek();
    if (ch === "{") return this.dict();
    if (ch === "(") return this.sequence("(", ")");
    if (ch === "[") return this.sequence("[", "]");
    if (ch === "'" || ch === '"') return this.string();
    if (/[-+0-9]/.test(ch)) return this.integer();
    const word = this.match(/[A-Za-z_]\w*/y);
    if (word === "True" || word === "False" || word === "None") {
      return word === "None" ? null : word === "True";
    }
    return this.fail(ch === "" ? "unexpected end" : `unexpected '${ch}'`);
  }

  /** `{ key: value, … }` with an optional trailing comma, string keys. */
  private dict(): PyValue {
    this.expect("{");
    const entries = new Map<string, PyValue>();
    while (this.peek() !== "}") {
      if (this.peek() !== "'" && this.peek() !== '"') {
        this.fail("expected a quoted key");
      }
      const key = this.string();
      if (entries.has(key)) this.fail(`duplicate key '${key}'`);
      this.expect(":");
      entries.set(key, this.value());
      if (this.peek() !== ",") break;
      this.pos++;
    }
    this.expect("}");
    return { dict: entries };
  }

  /**
   * A tuple or a list. Python makes `(x)` a parenthesised value and `(x,)`
   * a one-tuple; a header's `shape` always has the comma for rank 1.
   */
  private sequence(open: string, close: string): PyValue {
    this.expect(open);
    const items: PyValue[] = [];
    let sawComma = false;
    while (this.peek() !== close) {
      items.push(this.value());
      if (this.peek() !== ",") break;
      this.pos++;
      sawComma = true;
    }
    this.expect(close);
    if (open === "[") return { list: items };
    if (items.length === 1 && !sawComma) return items[0];
    return { tuple: items };
  }

  private string(): string {
    const quote = this.text[this.pos++];
    let out = "";
    while (this.pos < this.text.length && this.text[this.pos] !== quote) {
      let ch = this.text[this.pos++];
      if (ch === "\\") {
        const esc = this.text[this.pos++] ?? "";
        ch = esc === "n" ? "\n" : esc === "t" ? "\t" : esc;
      }
      out += ch;
    }
    if (this.pos >= this.text.length) this.fail("unterminated string");
    this.pos++;
    return out;
  }

  private integer(): number {
    const digits = this.match(/[-+]?\d+[Ll]?/y);
    if (digits === undefined) return this.fail("expected an integer");
    if (this.match(/[.eE]/y) !== undefined) {
      this.fail("expected an integer, found a float");
    }
    return Number(digits.replace(/[Ll]$/, ""));
  }
}

function showPy(value: PyValue): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "string") return `'${value}'`;
  if (typeof value === "number") return String(value);
  if ("tuple" in value) {
    const items = value.tuple.map(showPy);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
  }
  if ("list" in value) return `[${value.list.map(showPy).join(", ")}]`;
  const entries = [...value.dict].map(([k, v]) => `'${k}': ${showPy(v)}`);
  return `{${entries.join(", ")}}`;
}

interface Header {
  info: DtypeInfo;
  shape: number[];
}

/** Checks the header dict the way numpy.load does, with readable errors. */
function interpretHeader(text: string, fail: (why: string) => never): Header {
  const quoted = JSON.stringify(
    text.trimEnd().length > 200 ? text.slice(0, 200) + "…" : text.trimEnd(),
  );
  let parsed: PyValue;
  try {
    parsed = new PyLiteralParser(text).parseAll();
  } catch (err) {
    return fail(
      `malformed header (${(err as Error).message}): ${quoted}`,
    );
  }
  if (parsed === null || typeof parsed !== "object" || !("dict" in parsed)) {
    return fail(`malformed header (not a dict): ${quoted}`);
  }
  const dict = parsed.dict;
  const keys = [...dict.keys()].sort();
  if (keys.join() !== "descr,fortran_order,shape") {
    return fail(
      `malformed header (keys must be exactly 'descr', 'fortran_order', ` +
        `'shape'; found ${keys.map((k) => `'${k}'`).join(", ") || "none"}): ` +
        quoted,
    );
  }
  const descr = dict.get("descr")!;
  const fortran = dict.get("fortran_order")!;
  const shapeValue = dict.get("shape")!;

  if (typeof fortran !== "boolean") {
    return fail(
      `malformed header ('fortran_order' is ${showPy(fortran)}, ` +
        `not True or False): ${quoted}`,
    );
  }
  if (
    shapeValue === null || typeof shapeValue !== "object" ||
    !("tuple" in shapeValue) ||
    !shapeValue.tuple.every((n) =>
      typeof n === "number" && Number.isSafeInteger(n) && n >= 0
    )
  ) {
    return fail(
      `malformed header ('shape' is ${showPy(shapeValue)}, ` +
        `not a tuple of non-negative integers): ${quoted}`,
    );
  }
  if (typeof descr !== "string") {
    return fail(
      `unsupported dtype ${showPy(descr)} (structured or non-string ` +
        `descr); ${SUPPORTED}`,
    );
  }
  const info = Object.hasOwn(BY_DESCR, descr) ? BY_DESCR[descr] : undefined;
  if (info === undefined) {
    const why = descr.startsWith(">") ? " (big-endian)" : "";
    return fail(`unsupported dtype '${descr}'${why}; ${SUPPORTED}`);
  }
  if (fortran) {
    return fail(
      "Fortran-order arrays are not supported (header has " +
        "'fortran_order': True); save a C-order copy, e.g. " +
        "numpy.save(path, numpy.ascontiguousarray(a))",
    );
  }
  return { info, shape: shapeValue.tuple as number[] };
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Decodes the bytes of a `.npy` file.
 *
 * The returned `data` is a fresh copy: it does not share memory with
 * `bytes`.
 *
 * @param bytes the whole file
 * @param options `name` to use in error messages (the file path)
 * @returns the array: dtype, shape and elements in C order
 * @throws {Error} `Cannot read .npy "<name>": <why>` when the magic is
 * wrong, the file is truncated (header or data), the format version is not
 * 1.0, 2.0 or 3.0, the header dict is malformed, the dtype is not one of
 * `<f4 <f8 <i4 |u1`, the array is in Fortran order, or more data follows
 * than the shape needs
 *
 * @example Round trip in memory
 * ```ts
 * import { encodeNpy, parseNpy } from "./npy.ts";
 *
 * const bytes = encodeNpy({
 *   dtype: "int32",
 *   shape: [2, 3],
 *   data: new Int32Array([1, 2, 3, 4, 5, 6]),
 * });
 * const back = parseNpy(bytes, { name: "mem.npy" });
 * if (back.dtype !== "int32" || back.shape.join() !== "2,3" || back.data[5] !== 6) {
 *   throw new Error("round trip failed");
 * }
 * ```
 */
export function parseNpy(
  bytes: Uint8Array,
  options: NpyNameOptions = {},
): NpyArray {
  const name = options.name ?? "(bytes)";
  const fail = (why: string): never => {
    throw new Error(`Cannot read .npy "${name}": ${why}`);
  };
  const n = bytes.length;
  if (n === 0) return fail("empty file (0 bytes)");
  const magicOk = MAGIC.every((m, i) => i >= n || bytes[i] === m);
  if (!magicOk) {
    const seen = Array.from(
      bytes.subarray(0, 6),
      (b) => b.toString(16).padStart(2, "0"),
    ).join(" ");
    return fail(
      `wrong magic: a .npy file starts with 93 4e 55 4d 50 59 ` +
        `("\\x93NUMPY"), this one with ${seen}`,
    );
  }
  if (n < 8) {
    return fail(`truncated: ${plural(n, "byte")}, too short for the preamble`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (![1, 2, 3].includes(major) || minor !== 0) {
    return fail(
      `unsupported format version ${major}.${minor} (1.0, 2.0 and 3.0 are)`,
    );
  }
  const lenBytes = major === 1 ? 2 : 4;
  const start = 8 + lenBytes;
  if (n < start) {
    return fail(
      `truncated: ${plural(n, "byte")}, too short for the header length`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1
    ? view.getUint16(8, true)
    : view.getUint32(8, true);
  const dataStart = start + headerLen;
  if (n < dataStart) {
    return fail(
      `truncated: header length says ${headerLen} bytes but only ` +
        `${n - start} follow the preamble`,
    );
  }
  // Versions 1.0 and 2.0 encode the header in latin-1, 3.0 in UTF-8.
  const text = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(start, dataStart),
  );
  const { info, shape } = interpretHeader(text, fail);
  const count = elementCount(shape);
  const need = count * info.size;
  const have = n - dataStart;
  const what = `header says shape ${showShape(shape)} ${info.dtype} ` +
    `(${plural(need, "byte")})`;
  if (have < need) {
    return fail(`truncated: ${what} but only ${have} data bytes follow`);
  }
  if (have > need) {
    return fail(
      `header/shape mismatch: ${what} but ${have} data bytes follow`,
    );
  }
  const buffer = bytes.buffer.slice(
    bytes.byteOffset + dataStart,
    bytes.byteOffset + n,
  ) as ArrayBuffer;
  return { dtype: info.dtype, shape: [...shape], data: info.make(buffer) };
}

function shapeRepr(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/**
 * Encodes an array as the bytes of a `.npy` file, format version 1.0 (2.0
 * when the header would be longer than 65535 bytes), with the same header
 * bytes `numpy.save` writes.
 *
 * @param array dtype, shape and C-order elements; `data` must be the typed
 * array of the dtype (`Float32Array` for `"float32"`, …) with exactly
 * `product(shape)` elements
 * @param options `name` to use in error messages
 * @returns the file's bytes
 * @throws {Error} `Cannot write .npy "<name>": <why>` for an unknown dtype,
 * data of the wrong typed-array class, a shape entry that is not a
 * non-negative integer, or a data length other than `product(shape)`
 *
 * @example The data starts on a 64-byte boundary
 * ```ts
 * import { encodeNpy } from "./npy.ts";
 *
 * const bytes = encodeNpy({
 *   dtype: "float32",
 *   shape: [3],
 *   data: new Float32Array([0.5, 1.5, 2.5]),
 * });
 * if (bytes.length !== 128 + 3 * 4) throw new Error(`length ${bytes.length}`);
 * const header = new TextDecoder().decode(bytes.subarray(10, 128));
 * if (!header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }")) {
 *   throw new Error(header);
 * }
 * ```
 */
export function encodeNpy(
  array: NpyArray,
  options: NpyNameOptions = {},
): Uint8Array {
  const name = options.name ?? "(array)";
  const fail = (why: string): never => {
    throw new Error(`Cannot write .npy "${name}": ${why}`);
  };
  const { dtype, shape, data } = array;
  const kind = ARRAY_OF[dtype];
  if (!Object.hasOwn(ARRAY_OF, dtype)) {
    return fail(
      `unknown dtype ${JSON.stringify(dtype)}; use float32, float64, ` +
        `int32 or uint8`,
    );
  }
  if (!(data instanceof kind)) {
    return fail(
      `dtype ${dtype} needs its data in a ${kind.name}, got ` +
        `${data?.constructor?.name ?? String(data)}`,
    );
  }
  if (!Array.isArray(shape)) {
    return fail(`shape must be an array of integers, got ${String(shape)}`);
  }
  const bad = shape.findIndex((s) => !Number.isSafeInteger(s) || s < 0);
  if (bad >= 0) {
    return fail(
      `shape ${showShape(shape)} has an entry (${shape[bad]}) that is not ` +
        `a non-negative integer`,
    );
  }
  const count = elementCount(shape);
  if (data.length !== count) {
    return fail(
      `shape ${showShape(shape)} holds ${plural(count, "element")} but ` +
        `data has ${data.length}`,
    );
  }

  let dict = `{'descr': '${DESCR_OF[dtype]}', 'fortran_order': False, ` +
    `'shape': ${shapeRepr(shape)}, }`;
  if (shape.length > 0) {
    dict += " ".repeat(
      Math.max(0, GROWTH_AXIS_DIGITS - String(shape[0]).length),
    );
  }
  // Pad with spaces so preamble + header + "\n" is a multiple of ALIGN.
  const padded = (preamble: number) =>
    dict +
    " ".repeat((ALIGN - (preamble + dict.length + 1) % ALIGN) % ALIGN) +
    "\n";
  let major = 1;
  let header = padded(10);
  if (header.length > 0xffff) {
    major = 2;
    header = padded(12);
  }
  const preamble = major === 1 ? 10 : 12;
  const out = new Uint8Array(preamble + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  // The header is ASCII, so one char is one byte.
  for (let i = 0; i < header.length; i++) {
    out[preamble + i] = header.charCodeAt(i);
  }
  out.set(
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    preamble + header.length,
  );
  return out;
}

/**
 * Reads a `.npy` file.
 *
 * @param path the file
 * @returns the array: dtype, shape and elements in C order
 * @throws {Error} `Cannot read .npy "<path>": <why>` when the file is
 * missing or unreadable, or for any reason {@link parseNpy} gives
 *
 * @example
 * ```ts
 * import { readNpy, writeNpy } from "./npy.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await writeNpy(`${dir}/x.npy`, {
 *   dtype: "float64",
 *   shape: [],
 *   data: new Float64Array([Math.PI]),
 * });
 * const x = await readNpy(`${dir}/x.npy`);
 * if (x.shape.length !== 0 || x.data[0] !== Math.PI) throw new Error("bad");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readNpy(path: string): Promise<NpyArray> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (err) {
    const why = err instanceof Deno.errors.NotFound
      ? "no such file"
      : (err as Error).message;
    throw new Error(`Cannot read .npy "${path}": ${why}`);
  }
  return parseNpy(bytes, { name: path });
}

/**
 * Writes a `.npy` file atomically: the bytes go to a temporary file in the
 * same folder, which is then renamed over `path`, so an interrupted write
 * never leaves a partial file behind.
 *
 * @param path the file to create or replace; its folder must exist
 * @param array dtype, shape and C-order elements (see {@link encodeNpy})
 * @returns once the file is in place
 * @throws {Error} `Cannot write .npy "<path>": <why>` for an invalid array
 * (see {@link encodeNpy}) or when the file cannot be written
 *
 * @example
 * ```ts
 * import { writeNpy } from "./npy.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await writeNpy(`${dir}/labels.npy`, {
 *   dtype: "uint8",
 *   shape: [4],
 *   data: new Uint8Array([3, 1, 4, 1]),
 * });
 * const size = (await Deno.stat(`${dir}/labels.npy`)).size;
 * if (size !== 128 + 4) throw new Error(`size ${size}`);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeNpy(path: string, array: NpyArray): Promise<void> {
  const bytes = encodeNpy(array, { name: path });
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = slash >= 0 ? path.slice(0, slash + 1) : "";
  const base = path.slice(slash + 1);
  const temp = `${dir}.${base}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeFile(temp, bytes);
    await Deno.rename(temp, path);
  } catch (err) {
    await Deno.remove(temp).catch(() => {});
    const why = err instanceof Deno.errors.NotFound
      ? "its folder does not exist"
      : (err as Error).message;
    throw new Error(`Cannot write .npy "${path}": ${why}`);
  }
}

/**
 * Makes a tfjs tensor from a `.npy` array.
 *
 * tfjs has no float64 and no uint8 tensors: float64 data becomes a float32
 * tensor (each value rounded to the nearest float32), uint8 data an int32
 * tensor. float32 and int32 carry over exactly.
 *
 * @param array the array
 * @returns a tensor of the same shape (the caller disposes it)
 * @throws {Error} only what `tf.tensor` throws (no backend registered)
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * import { npyToTensor } from "./npy.ts";
 *
 * await tf.ready();
 * const t = npyToTensor({
 *   dtype: "uint8",
 *   shape: [2, 2],
 *   data: new Uint8Array([1, 2, 3, 250]),
 * });
 * if (t.dtype !== "int32" || t.shape.join() !== "2,2") throw new Error("bad");
 * if ((await t.data())[3] !== 250) throw new Error("bad value");
 * t.dispose();
 * ```
 */
export function npyToTensor(array: NpyArray): Tensor {
  const { dtype, shape, data } = array;
  if (dtype === "float32") return tf.tensor(data as Float32Array, shape);
  if (dtype === "float64") {
    return tf.tensor(Float32Array.from(data), shape, "float32");
  }
  return tf.tensor(Int32Array.from(data), shape, "int32");
}

/**
 * Reads a tfjs tensor's values (synchronously) into a `.npy` array.
 *
 * @param tensor a float32, int32 or bool tensor (bool is read as 0/1)
 * @param dtype element type to store; by default float32 for float32
 * tensors, int32 for int32 and bool tensors. float32 → float64 is exact;
 * converting to int32 or uint8 requires every value to be an integer in
 * that type's range.
 * @returns the array, C order
 * @throws {Error} `Cannot convert tensor to .npy "<dtype>": <why>` for a
 * tensor dtype other than float32/int32/bool, or a value that the chosen
 * dtype cannot hold exactly
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * import { tensorToNpy } from "./npy.ts";
 *
 * await tf.ready();
 * const t = tf.tensor([[1, 2], [3, 4]]);
 * const a = tensorToNpy(t, "float64");
 * t.dispose();
 * if (!(a.data instanceof Float64Array) || a.data[3] !== 4) throw new Error("bad");
 * ```
 */
export function tensorToNpy(tensor: Tensor, dtype?: NpyDtype): NpyArray {
  const target: NpyDtype = dtype ??
    (tensor.dtype === "float32" ? "float32" : "int32");
  const fail = (why: string): never => {
    throw new Error(`Cannot convert tensor to .npy "${target}": ${why}`);
  };
  if (!["float32", "int32", "bool"].includes(tensor.dtype)) {
    return fail(
      `tensor dtype ${tensor.dtype} is not supported (float32, int32, bool)`,
    );
  }
  if (!Object.hasOwn(ARRAY_OF, target)) {
    return fail("use float32, float64, int32 or uint8");
  }
  const values = tensor.dataSync() as Float32Array | Int32Array | Uint8Array;
  const shape = [...tensor.shape];
  if (target === "float32") {
    return { dtype: target, shape, data: Float32Array.from(values) };
  }
  if (target === "float64") {
    return { dtype: target, shape, data: Float64Array.from(values) };
  }
  const [lo, hi] = target === "int32" ? [-(2 ** 31), 2 ** 31 - 1] : [0, 255];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < lo || v > hi) {
      return fail(
        `value ${v} at flat index ${i} is not an integer in [${lo}, ${hi}]`,
      );
    }
  }
  const data = target === "int32"
    ? Int32Array.from(values)
    : Uint8Array.from(values);
  return { dtype: target, shape, data };
}
