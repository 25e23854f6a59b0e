import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { arrayDataSource } from "../../lib/data/data_source.ts";
import { assertEquals, assertThrows } from "../_assert.ts";

await useBackend("wasm");

Deno.test("arrayDataSource() gathers rows in the given order, keeping dtypes", () => {
  const data = arrayDataSource(
    { data: Float32Array.from({ length: 24 }, (_, i) => i), shape: [4, 2, 3] },
    { data: new Int32Array([7, 8, 9, 6]), shape: [4] },
  );
  assertEquals([data.size, data.inputShape, data.targetShape], [4, [2, 3], []]);
  const { x, y } = data.batch(new Int32Array([3, 1, 3]));
  assertEquals(x.shape, [3, 2, 3]);
  assertEquals(Array.from(x.dataSync().subarray(0, 7)), [
    18,
    19,
    20,
    21,
    22,
    23,
    6,
  ]);
  assertEquals([y.dtype, Array.from(y.dataSync())], ["int32", [6, 8, 6]]);
  tf.dispose([x, y]);
});

Deno.test("arrayDataSource() rejects mismatched shapes and indices", () => {
  assertThrows(
    () =>
      arrayDataSource(
        { data: new Float32Array(6), shape: [3, 3] },
        { data: new Float32Array(3), shape: [3] },
      ),
    Error,
    'Cannot build data source "inputs": shape [3,3] does not fit 6 values',
  );
  assertThrows(
    () =>
      arrayDataSource(
        { data: new Float32Array(6), shape: [3, 2] },
        { data: new Float32Array(2), shape: [2] },
      ),
    Error,
    'Cannot build data source "targets": 2 samples but the inputs have 3',
  );
  const data = arrayDataSource(
    { data: new Float32Array(2), shape: [2, 1] },
    { data: new Float32Array(2), shape: [2, 1] },
  );
  assertThrows(
    () => data.batch(new Int32Array([2])),
    Error,
    'Cannot gather sample "2": the data source has 2 samples',
  );
});
