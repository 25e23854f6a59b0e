import { tf } from "../../lib/deps.ts";
import {
  encodeNpy,
  type NpyArray,
  type NpyDtype,
  npyToTensor,
  parseNpy,
  readNpy,
  tensorToNpy,
  writeNpy,
} from "../../lib/io/npy.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
} from "../_assert.ts";

const FIXTURES = new URL("../fixtures/npy_io/", import.meta.url).pathname;

interface GoodEntry {
  file: string;
  dtype: NpyDtype;
  shape: number[];
  formula: string;
  version: string;
  writer: string;
  note?: string;
}
interface BadEntry {
  file: string;
  error: string;
  note: string;
}
const manifest: { good: GoodEntry[]; bad: BadEntry[] } = JSON.parse(
  await Deno.readTextFile(`${FIXTURES}manifest.json`),
);

const DTYPES: NpyDtype[] = ["float32", "float64", "int32", "uint8"];
const SHAPES: number[][] = [[], [5], [3, 4], [2, 3, 4], [2, 1, 3, 2]];
const CTOR = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
} as const;

function count(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The values make.py wrote, recomputed independently here: IEEE division
 * and the float64→float32 rounding are correctly rounded in both NumPy and
 * JavaScript, so the comparison is exact.
 */
function formulaValues(dtype: NpyDtype, shape: number[]): NpyArray["data"] {
  const n = count(shape);
  const out = new CTOR[dtype](n);
  for (let i = 0; i < n; i++) {
    const sign = i % 2 === 1 ? -1 : 1;
    if (dtype === "float32" || dtype === "float64") {
      out[i] = ((i + 1) / 3) * sign;
    } else if (dtype === "int32") out[i] = (i * 7919 - 50) * sign;
    else out[i] = (i * 37 + 5) % 256;
  }
  return out;
}

const LITERALS: Record<string, NpyArray["data"]> = {
  "float32_special.npy": new Float32Array([
    NaN,
    Infinity,
    -Infinity,
    -0,
    1e-45,
    3.4028234663852886e38,
  ]),
  "int32_extremes.npy": new Int32Array([-2147483648, 2147483647, 0, -1]),
};

function bytesOf(data: NpyArray["data"]): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Values with awkward bits: NaN with a payload, -0, denormals, extremes. */
function awkwardValues(dtype: NpyDtype, shape: number[]): NpyArray["data"] {
  const data = formulaValues(dtype, shape);
  if (data.length > 0 && dtype === "float32") {
    new Uint32Array(data.buffer)[0] = 0x7fc12345; // NaN with a payload
  }
  if (data.length > 1 && dtype === "float64") {
    data[1] = -0;
  }
  if (data.length > 2 && dtype === "int32") data[2] = -2147483648;
  if (data.length > 2 && dtype === "uint8") data[2] = 255;
  return data;
}

Deno.test("encodeNpy() then parseNpy() is bit-identical for every dtype and rank 0-4", () => {
  for (const dtype of DTYPES) {
    for (const shape of [...SHAPES, [2, 0, 3]]) {
      const data = awkwardValues(dtype, shape);
      const back = parseNpy(encodeNpy({ dtype, shape, data }));
      const what = `${dtype} ${JSON.stringify(shape)}`;
      assertEquals(back.dtype, dtype, what);
      assertEquals(back.shape, shape, what);
      assert(back.data instanceof CTOR[dtype], `${what}: typed array class`);
      assertEquals(bytesOf(back.data), bytesOf(data), what);
    }
  }
});

Deno.test("writeNpy() then readNpy() is bit-identical on disk for every dtype and rank 0-4", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const dtype of DTYPES) {
      for (const shape of SHAPES) {
        const path = `${dir}/${dtype}_${shape.length}.npy`;
        const data = awkwardValues(dtype, shape);
        await writeNpy(path, { dtype, shape, data });
        const back = await readNpy(path);
        assertEquals(back.shape, shape, path);
        assertEquals(bytesOf(back.data), bytesOf(data), path);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readNpy() loads every NumPy-written fixture with its exact values", async () => {
  assert(manifest.good.length >= 20, "fixture manifest lists the good files");
  for (const entry of manifest.good) {
    const path = `${FIXTURES}${entry.file}`;
    const a = await readNpy(path);
    assertEquals(a.dtype, entry.dtype, entry.file);
    assertEquals(a.shape, entry.shape, entry.file);
    const expected = entry.formula === "literal"
      ? LITERALS[entry.file]
      : formulaValues(entry.dtype, entry.shape);
    assert(expected !== undefined, `${entry.file}: expected values known`);
    // Exact comparison; assertEquals uses Object.is, so NaN and -0 count.
    assertEquals(a.data, expected, entry.file);
  }
});

Deno.test("readNpy() reads header versions 2.0 and 3.0, '<u1' and Python 2 headers", async () => {
  const versions = manifest.good.map((e) => `${e.file}@${e.version}`);
  for (
    const want of [
      "float64_v2.npy@2.0",
      "float64_v3.npy@3.0",
      "uint8_lt_descr.npy@1.0",
      "int32_py2_header.npy@1.0",
    ]
  ) {
    assert(versions.includes(want), `fixture ${want} is in the manifest`);
  }
  const v2 = await Deno.readFile(`${FIXTURES}float64_v2.npy`);
  assertEquals([v2[6], v2[7]], [2, 0], "float64_v2.npy has major version 2");
  const a = parseNpy(v2);
  assertEquals(a.data, formulaValues("float64", [3, 4]));
});

Deno.test("encodeNpy() writes the same bytes as numpy.save for each NumPy fixture", async () => {
  // numpy.save's output is the reference: same header text, padding and
  // data, so numpy.load reads ours unchanged.
  const saved = manifest.good.filter((e) => e.writer === "numpy.save");
  assert(saved.length >= 20, "enough numpy.save fixtures to compare");
  for (const entry of saved) {
    const path = `${FIXTURES}${entry.file}`;
    const original = await Deno.readFile(path);
    assertEquals(encodeNpy(parseNpy(original)), original, entry.file);
  }
});

for (const entry of manifest.bad) {
  Deno.test(`readNpy() names the file and the problem for ${entry.file} (${entry.note})`, async () => {
    const path = `${FIXTURES}${entry.file}`;
    const err = await assertRejects(
      () => readNpy(path),
      `Cannot read .npy "${path}": `,
    );
    assert(
      err.message.includes(entry.error),
      `error ${JSON.stringify(err.message)} should contain ${
        JSON.stringify(entry.error)
      }`,
    );
  });
}

// The shared fixtures of tests/fixtures/npy/, written by another NumPy
// version (see its README), with their values listed in its manifest.
const SHARED = new URL("../fixtures/npy/", import.meta.url).pathname;
interface SharedEntry {
  file: string;
  valid: boolean;
  dtype?: string;
  shape?: number[];
  version?: string;
  values?: number[];
}
const shared: { files: SharedEntry[] } = JSON.parse(
  await Deno.readTextFile(`${SHARED}manifest.json`),
);
const SHARED_DTYPES: Record<string, NpyDtype> = {
  "<f4": "float32",
  "<f8": "float64",
  "<i4": "int32",
  "|u1": "uint8",
};

Deno.test("readNpy() loads the shared NumPy fixtures with their listed values", async () => {
  const valid = shared.files.filter((e) => e.valid);
  assert(valid.length >= 5, "shared manifest lists valid files");
  for (const entry of valid) {
    const path = `${SHARED}${entry.file}`;
    const a = await readNpy(path);
    assertEquals(a.dtype, SHARED_DTYPES[entry.dtype!], entry.file);
    assertEquals(a.shape, entry.shape, entry.file);
    // The listed values are exact decimal renderings of the stored values,
    // so the comparison is exact after storing them in the same dtype.
    const expected = new CTOR[a.dtype](entry.values!);
    assertEquals(a.data, expected, entry.file);
    if (entry.version === "1.0") {
      const original = await Deno.readFile(path);
      assertEquals(encodeNpy(a), original, `${entry.file}: re-encoded bytes`);
    }
  }
});

Deno.test("readNpy() refuses every bad shared fixture, naming the file", async () => {
  const why: Record<string, string> = {
    "bad_fortran.npy": "Fortran-order arrays are not supported",
    "bad_big_endian.npy": "unsupported dtype '>f4' (big-endian)",
    "bad_complex.npy": "unsupported dtype '<c8'",
    "bad_int64.npy": "unsupported dtype '<i8'",
    "bad_truncated.npy": "truncated: header says shape [3, 4] float32 " +
      "(48 bytes) but only 24 data bytes follow",
    "bad_magic.npy": "wrong magic",
    "bad_shape_long.npy": "header/shape mismatch: header says shape " +
      "[3, 3] float32 (36 bytes) but 48 data bytes follow",
    "bad_shape_short.npy": "truncated: header says shape [3, 5] float32 " +
      "(60 bytes) but only 48 data bytes follow",
  };
  const bad = shared.files.filter((e) => !e.valid);
  assert(bad.length >= 5, "shared manifest lists bad files");
  for (const entry of bad) {
    const path = `${SHARED}${entry.file}`;
    const err = await assertRejects(
      () => readNpy(path),
      `Cannot read .npy "${path}": `,
    );
    const expected = why[entry.file];
    if (expected !== undefined) {
      assert(err.message.includes(expected), `${entry.file}: ${err.message}`);
    }
  }
});

Deno.test("readNpy() says the dtypes it supports when refusing one", async () => {
  const err = await assertRejects(
    () => readNpy(`${FIXTURES}bad_complex.npy`),
    "'<c8'",
  );
  for (const d of ["'<f4'", "'<f8'", "'<i4'", "'|u1'"]) {
    assert(err.message.includes(d), `mentions ${d}: ${err.message}`);
  }
});

Deno.test("readNpy() reports a missing file by name", async () => {
  await assertRejects(
    () => readNpy("/nonexistent/dir/x.npy"),
    'Cannot read .npy "/nonexistent/dir/x.npy": no such file',
  );
});

Deno.test("parseNpy() names the bytes and explains short, empty and odd inputs", () => {
  const good = encodeNpy({
    dtype: "float32",
    shape: [3, 4],
    data: new Float32Array(12),
  });
  const cases: [Uint8Array, string][] = [
    [new Uint8Array(0), "empty file (0 bytes)"],
    [good.subarray(0, 4), "truncated: 4 bytes, too short for the preamble"],
    [good.subarray(0, 9), "truncated: 9 bytes, too short for the header"],
    [
      good.subarray(0, 128),
      "truncated: header says shape [3, 4] float32 (48 bytes) but only 0 data bytes follow",
    ],
    [new TextEncoder().encode("hello world, not a npy"), "wrong magic"],
  ];
  for (const [bytes, why] of cases) {
    assertThrows(
      () => parseNpy(bytes, { name: "mem/x.npy" }),
      Error,
      `Cannot read .npy "mem/x.npy": ${why}`,
    );
  }
  assertThrows(() => parseNpy(new Uint8Array(3)), Error, '"(bytes)"');
});

/** A version-1.0 file around a hand-written header dict. */
function withHeader(dict: string, data = new Uint8Array(0)): Uint8Array {
  const header = dict + " ".repeat(63 - ((10 + dict.length) % 64)) + "\n";
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

Deno.test("parseNpy() accepts header dict variants NumPy accepts", () => {
  const four = new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer);
  const variants = [
    "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }",
    "{'shape':(4,),'descr':'<f4','fortran_order':False}",
    '{"descr": "<f4", "fortran_order": False, "shape": (4L,)}',
    "{ 'descr' : '<f4' ,\t'fortran_order' : False , 'shape' : ( 4 , ) }",
  ];
  for (const dict of variants) {
    const a = parseNpy(withHeader(dict, four));
    assertEquals(a.shape, [4], dict);
    assertEquals(a.data, new Float32Array([1, 2, 3, 4]), dict);
  }
  const scalar = parseNpy(
    withHeader(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
      four.subarray(0, 4),
    ),
  );
  assertEquals(scalar.shape, []);
  assertEquals(scalar.data, new Float32Array([1]));
});

Deno.test("parseNpy() rejects malformed header dicts with the header text", () => {
  const cases: [string, string][] = [
    [
      "{'descr': '<f4', 'fortran_order': False, 'shape': (4), }",
      "'shape' is 4",
    ],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (-4,), }", "(-4,)"],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,), }", "float"],
    ["{'descr': '<f4', 'fortran_order': 0, 'shape': (4,), }", "not True"],
    [
      "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'x': 1}",
      "found 'descr', 'fortran_order', 'shape', 'x'",
    ],
    ["{'descr': '<f4', 'descr': '<f4'}", "duplicate key 'descr'"],
    ["['descr', '<f4']", "not a dict"],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (4,)} x", "after"],
    ["{'descr: '<f4'}", "expected ':'"],
  ];
  for (const [dict, why] of cases) {
    const err = assertThrows(
      () => parseNpy(withHeader(dict), { name: "h.npy" }),
      Error,
      'Cannot read .npy "h.npy": ',
    );
    assert(err.message.includes(why), `${dict}: ${err.message}`);
    assert(err.message.includes("malformed header"), err.message);
  }
});

Deno.test("parseNpy() refuses descr strings that name Object properties", () => {
  for (const descr of ["constructor", "__proto__", "toString", "<f2", "=f4"]) {
    assertThrows(
      () =>
        parseNpy(
          withHeader(
            `{'descr': '${descr}', 'fortran_order': False, 'shape': ()}`,
          ),
        ),
      Error,
      `unsupported dtype '${descr}'; supported: '<f4'`,
    );
  }
});

Deno.test("parseNpy() copies the data out of a subarray input", () => {
  const file = encodeNpy({
    dtype: "float64",
    shape: [2],
    data: new Float64Array([1.5, -2.5]),
  });
  // Place the file at an odd offset, so a zero-copy view would be unaligned.
  const host = new Uint8Array(file.length + 3);
  host.set(file, 3);
  const a = parseNpy(host.subarray(3));
  assertEquals(a.data, new Float64Array([1.5, -2.5]));
  host.fill(0);
  assertEquals(a.data, new Float64Array([1.5, -2.5]), "no aliasing");
});

Deno.test("encodeNpy() pads the header to 64 bytes and ends it with a newline", () => {
  for (const shape of [[], [7], [1000000, 3], [1, 2, 3, 4, 5, 6, 7, 8]]) {
    const bytes = encodeNpy({
      dtype: "uint8",
      shape,
      data: new Uint8Array(count(shape)),
    });
    const headerLen = bytes[8] + 256 * bytes[9];
    assertEquals((10 + headerLen) % 64, 0, JSON.stringify(shape));
    assertEquals(bytes[10 + headerLen - 1], 0x0a, "ends with \\n");
    assertEquals(bytes.length, 10 + headerLen + count(shape));
  }
});

Deno.test("encodeNpy() switches to version 2.0 only when the header passes 65535 bytes", () => {
  // 22 000 axes of length 1: the shape tuple alone is ~66 000 characters.
  const shape = new Array(22000).fill(1);
  const bytes = encodeNpy({
    dtype: "int32",
    shape,
    data: new Int32Array([42]),
  });
  assertEquals([bytes[6], bytes[7]], [2, 0]);
  const headerLen = new DataView(bytes.buffer).getUint32(8, true);
  assert(headerLen > 65535, `header length ${headerLen}`);
  assertEquals((12 + headerLen) % 64, 0);
  const back = parseNpy(bytes);
  assertEquals(back.shape.length, 22000);
  assertEquals(back.data, new Int32Array([42]));
  const small = encodeNpy({
    dtype: "int32",
    shape: new Array(64).fill(1),
    data: new Int32Array([42]),
  });
  assertEquals(small[6], 1, "64 axes still fit version 1.0");
});

Deno.test("encodeNpy() rejects invalid shapes, lengths and data classes", () => {
  const cases: [NpyArray, string][] = [
    [
      { dtype: "float32", shape: [2, -1], data: new Float32Array(2) },
      "shape [2, -1] has an entry (-1) that is not a non-negative integer",
    ],
    [
      { dtype: "float32", shape: [1.5], data: new Float32Array(1) },
      "shape [1.5] has an entry (1.5) that is not a non-negative integer",
    ],
    [
      { dtype: "float32", shape: [2, NaN], data: new Float32Array(2) },
      "shape [2, NaN] has an entry (NaN) that is not a non-negative integer",
    ],
    [
      { dtype: "int32", shape: [2, 3], data: new Int32Array(5) },
      "shape [2, 3] holds 6 elements but data has 5",
    ],
    [
      { dtype: "uint8", shape: [], data: new Uint8Array(0) },
      "shape [] holds 1 element but data has 0",
    ],
    [
      { dtype: "float64", shape: [2], data: new Float32Array(2) },
      "dtype float64 needs its data in a Float64Array, got Float32Array",
    ],
    [
      {
        dtype: "float16" as NpyDtype,
        shape: [2],
        data: new Float32Array(2),
      },
      'unknown dtype "float16"',
    ],
  ];
  for (const [array, why] of cases) {
    assertThrows(
      () => encodeNpy(array, { name: "out/w.npy" }),
      Error,
      `Cannot write .npy "out/w.npy": ${why}`,
    );
  }
  assertThrows(() => encodeNpy(cases[0][0]), Error, '"(array)"');
});

Deno.test("writeNpy() leaves no temporary file and keeps the old file when it fails", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/w.npy`;
    const first = { dtype: "int32", shape: [2], data: new Int32Array([1, 2]) };
    await writeNpy(path, first as NpyArray);
    await writeNpy(path, {
      dtype: "int32",
      shape: [3],
      data: new Int32Array([7, 8, 9]),
    });
    assertEquals((await readNpy(path)).data, new Int32Array([7, 8, 9]));
    await assertRejects(
      () =>
        writeNpy(path, {
          dtype: "int32",
          shape: [4],
          data: new Int32Array(3),
        }),
      `Cannot write .npy "${path}": shape [4] holds 4 elements`,
    );
    assertEquals((await readNpy(path)).data, new Int32Array([7, 8, 9]));
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assertEquals(names, ["w.npy"], "only the final file is left");
    await assertRejects(
      () => writeNpy(`${dir}/missing/x.npy`, first as NpyArray),
      `Cannot write .npy "${dir}/missing/x.npy": its folder does not exist`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("npyToTensor() keeps shape and values, float64 becomes float32 and uint8 int32", async () => {
  await tf.setBackend("cpu");
  const cases: [NpyArray, string][] = [
    [
      { dtype: "float32", shape: [2, 2], data: awkwardValues("float32", [4]) },
      "float32",
    ],
    [
      { dtype: "float64", shape: [3], data: formulaValues("float64", [3]) },
      "float32",
    ],
    [{ dtype: "int32", shape: [], data: new Int32Array([-7]) }, "int32"],
    [
      { dtype: "uint8", shape: [1, 3], data: new Uint8Array([0, 128, 255]) },
      "int32",
    ],
  ];
  for (const [array, tdtype] of cases) {
    const t = npyToTensor(array);
    assertEquals(t.dtype, tdtype, array.dtype);
    assertEquals(t.shape, array.shape, array.dtype);
    const values = await t.data();
    t.dispose();
    // float64 → float32 rounds each value; the rest are exact.
    const expected = Array.from(array.data, (v) => Math.fround(v));
    assertEquals(Array.from(values), expected, array.dtype);
  }
});

Deno.test("tensorToNpy() reads tensors back and refuses values the dtype cannot hold", async () => {
  await tf.setBackend("cpu");
  const t = tf.tensor([[0.5, -1], [2, 300]]);
  const f32 = tensorToNpy(t);
  assertEquals(f32.dtype, "float32");
  assertEquals(f32.shape, [2, 2]);
  assertEquals(f32.data, new Float32Array([0.5, -1, 2, 300]));
  assertEquals(
    tensorToNpy(t, "float64").data,
    new Float64Array([0.5, -1, 2, 300]),
  );
  assertThrows(
    () => tensorToNpy(t, "int32"),
    Error,
    'Cannot convert tensor to .npy "int32": value 0.5 at flat index 0',
  );
  const ints = tf.tensor([0, 255, 3], [3], "int32");
  assertEquals(tensorToNpy(ints).data, new Int32Array([0, 255, 3]));
  assertEquals(tensorToNpy(ints, "uint8").data, new Uint8Array([0, 255, 3]));
  const big = tf.tensor([256], [1], "int32");
  assertThrows(
    () => tensorToNpy(big, "uint8"),
    Error,
    "value 256 at flat index 0 is not an integer in [0, 255]",
  );
  const s = tf.scalar(3.25);
  assertEquals(tensorToNpy(s).shape, []);
  tf.dispose([t, ints, big, s]);
});
