import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { affine, matMul } from "../../lib/nn/matmul.ts";
import { createRng } from "../../lib/random.ts";
import { assertArrayClose } from "../_assert.ts";

/** Seeded normal matrix, identical on every backend. */
function normal(rows: number, cols: number, seed: number): tf.Tensor2D {
  const rng = createRng(seed);
  return tf.tensor2d(
    Float32Array.from({ length: rows * cols }, () => rng.normal()),
    [rows, cols],
  );
}

// Shapes: square, tall, wide, and a single column (the output layer).
const SHAPES: [number, number, number][] = [[5, 4, 4], [37, 3, 8], [
  2,
  16,
  9,
], [64, 12, 1]];

/** Value, dL/da and dL/db of L = Σ (a·b)·r for a fixed random r. */
function gradients(
  [m, k, n]: [number, number, number],
  op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
): Float32Array[] {
  return tf.tidy(() => {
    const a = normal(m, k, 1);
    const b = normal(k, n, 2);
    const r = normal(m, n, 3);
    const [da, db] = tf.grads((x, y) => tf.sum(tf.mul(op(x, y), r)))([a, b]);
    return [op(a, b), da, db].map((t) => t.dataSync() as Float32Array);
  });
}

const native = (a: tf.Tensor, b: tf.Tensor) =>
  tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);

// Tolerance: float32 sums of at most 64 products of O(1) normals, summed in
// another order: rtol 1e-5 with atol 1e-5.
const TOL = { rtol: 1e-5, atol: 1e-5 };

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`matMul() value and gradients match tf.matMul's own on ${backend}`, async () => {
    await useBackend(backend);
    for (const shape of SHAPES) {
      const want = gradients(shape, native);
      const got = gradients(shape, matMul);
      ["value", "dL/da", "dL/db"].forEach((what, i) =>
        assertArrayClose(got[i], want[i], { ...TOL, msg: `${what} ${shape}` })
      );
    }
  });
}

Deno.test("matMul() second derivatives through sin match tf.matMul's", async () => {
  await useBackend("cpu");
  const second = (op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
    tf.tidy(() => {
      const b = normal(6, 3, 5);
      // d/da of Σ (dL/da)², L = Σ sin(a·b): the gradient's own gradient.
      const inner = tf.grad((a) => tf.sum(tf.sin(op(a, b))));
      const outer = tf.grad((a) => tf.sum(tf.square(inner(a))));
      return outer(normal(4, 6, 4)).dataSync() as Float32Array;
    });
  assertArrayClose(second(matMul), second(native), {
    ...TOL,
    msg: "second derivative",
  });
});

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`affine() value and gradients match tf.add(tf.matMul(x, w), b) on ${backend}`, async () => {
    await useBackend(backend);
    for (const [m, k, n] of SHAPES) {
      const run = (
        op: (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor,
      ) =>
        tf.tidy(() => {
          const x = normal(m, k, 1);
          const w = normal(k, n, 2);
          const b = tf.reshape(normal(1, n, 6), [n]);
          const r = normal(m, n, 3);
          const grads = tf.grads((a, c, d) => tf.sum(tf.mul(op(a, c, d), r)))(
            [x, w, b],
          );
          return [op(x, w, b), ...grads].map((t) =>
            t.dataSync() as Float32Array
          );
        });
      const want = run((x, w, b) =>
        tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b)
      );
      const got = run(affine);
      ["value", "dL/dx", "dL/dw", "dL/db"].forEach((what, i) =>
        assertArrayClose(got[i], want[i], {
          ...TOL,
          msg: `${what} ${[m, k, n]}`,
        })
      );
    }
  });
}
