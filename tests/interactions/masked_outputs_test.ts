import { maskedOutputs } from "../../lib/interactions/masked_outputs.ts";
import { assertEquals, assertRejects } from "../_assert.ts";

/** f(x) = Σ_i (i + 1)·x_i + x0·x1, with a record of every batch size. */
function model(sizes: number[]) {
  return (x: Float32Array, { rows, cols }: { rows: number; cols: number }) => {
    sizes.push(rows);
    return Promise.resolve(Array.from({ length: rows }, (_, r) => {
      let y = x[r * cols] * x[r * cols + 1];
      for (let i = 0; i < cols; i++) y += (i + 1) * x[r * cols + i];
      return y;
    }));
  };
}

Deno.test("maskedOutputs() gives the same v in any batch size, in subset order", async () => {
  const input = [1, 2, 0.5, -1, 3];
  const sizes: number[] = [];
  const whole = await maskedOutputs(model(sizes), input);
  assertEquals(sizes, [32]);
  const split: number[] = [];
  const batched = await maskedOutputs(model(split), input, { batchSize: 7 });
  assertEquals(split, [7, 7, 7, 7, 4]);
  assertEquals(batched, whole);
  // v({0, 1}) = 1·1 + 2·2 + 1·2; v(N) = 1 + 4 + 1.5 − 4 + 15 + 2
  assertEquals(whole[0b11], 7);
  assertEquals(whole[31], 19.5);
  assertEquals(whole[0], 0);
});

Deno.test("maskedOutputs() checks what the model returns", async () => {
  await assertRejects(
    () => maskedOutputs(() => Promise.resolve([1]), [1, 2]),
    'Cannot compute interactions "1 outputs": the model returned 1 values for a batch of 4 masked inputs',
  );
  await assertRejects(
    () => maskedOutputs(() => Promise.resolve([0, 1, NaN, 3]), [1, 2]),
    'Cannot compute interactions "v(2) = NaN": the model returned a non-finite value',
  );
  await assertRejects(
    () => maskedOutputs(model([]), [1, 2], { batchSize: 0 }),
    'Cannot compute interactions with batch size "0": expected a positive integer',
  );
});
