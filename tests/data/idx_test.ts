import { parseIdx } from "../../lib/data/idx.ts";
import { assertEquals, assertThrows } from "../_assert.ts";

/** An IDX file written independently with DataView, big-endian. */
function idx(code: number, shape: number[], values: number[]): Uint8Array {
  const size = { 8: 1, 9: 1, 11: 2, 12: 4, 13: 4, 14: 8 }[code]!;
  const bytes = new Uint8Array(4 + 4 * shape.length + size * values.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, (code << 8) | shape.length);
  shape.forEach((n, i) => view.setUint32(4 + 4 * i, n));
  const at = 4 + 4 * shape.length;
  values.forEach((v, i) => {
    const o = at + size * i;
    if (code === 8) view.setUint8(o, v);
    if (code === 9) view.setInt8(o, v);
    if (code === 11) view.setInt16(o, v);
    if (code === 12) view.setInt32(o, v);
    if (code === 13) view.setFloat32(o, v);
    if (code === 14) view.setFloat64(o, v);
  });
  return bytes;
}

Deno.test("parseIdx() decodes every IDX type big-endian", () => {
  const values = [-3, 1, 100, -120, 7, 0];
  const cases = [
    [8, "uint8", [3, 1, 100, 200, 7, 0]],
    [9, "int8", values],
    [11, "int16", [-300, 1, 30000, -120, 7, 0]],
    [12, "int32", [-3e6, 1, 100, -120, 7, 2e9]],
    [13, "float32", [-0.5, 1.25, 100, -120, 7, 0]],
    [14, "float64", [Math.PI, 1, 100, -120, 7, 1e-300]],
  ] as const;
  for (const [code, dtype, vals] of cases) {
    const a = parseIdx(idx(code, [2, 3], [...vals]));
    assertEquals([a.dtype, a.shape, a.magic], [dtype, [2, 3], (code << 8) | 2]);
    assertEquals(Array.from(a.data), [...vals], dtype);
  }
  assertEquals(parseIdx(idx(8, [], [42])).shape, []);
});

Deno.test("parseIdx() rejects short headers and wrong sizes", () => {
  assertThrows(
    () => parseIdx(new Uint8Array([0, 0]), { source: "a.idx" }),
    Error,
    'Cannot read IDX file "a.idx": 2 bytes is too short for a header',
  );
  assertThrows(
    () => parseIdx(new Uint8Array([0, 0, 8, 2, 0, 0, 0]), { source: "b" }),
    Error,
    'Cannot read IDX file "b": truncated header: rank 2 needs 12 bytes',
  );
  const long = new Uint8Array([...idx(8, [2], [1, 2]), 0]);
  assertThrows(
    () => parseIdx(long, { source: "c" }),
    Error,
    'Cannot read IDX file "c": header says uint8 [2] (10 bytes) but the file has 11 bytes',
  );
});
