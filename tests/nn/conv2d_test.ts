import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { conv2d } from "../../lib/nn/conv2d.ts";
import { createRng } from "../../lib/random.ts";
import { assertArrayClose } from "../_assert.ts";

/** Seeded normal tensor, identical on every backend. */
function normal(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => rng.normal()),
    shape,
  );
}

interface Case {
  x: number[];
  w: number[];
  s: number | [number, number];
}

// Strides 1, 2 and per axis; the last two cases leave rows or columns of x
// that no window reaches, which exercises the cropped filter gradient.
const CASES: Case[] = [
  { x: [3, 9, 8, 2], w: [3, 2, 2, 4], s: 1 },
  { x: [2, 9, 9, 3], w: [3, 3, 3, 2], s: 2 },
  { x: [2, 10, 11, 1], w: [3, 3, 1, 3], s: 2 },
  { x: [1, 7, 9, 2], w: [3, 2, 2, 2], s: [2, 3] },
];

/** Value, dL/dx and dL/dW of L = Σ y·r for a fixed random r. */
function gradients(
  c: Case,
  op: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D,
): Float32Array[] {
  return tf.tidy(() => {
    const x = normal(c.x, 1) as tf.Tensor4D;
    const w = normal(c.w, 2) as tf.Tensor4D;
    const y = op(x, w);
    const r = normal(y.shape, 3);
    const [dx, dw] = tf.grads((a, b) =>
      tf.sum(tf.mul(op(a as tf.Tensor4D, b as tf.Tensor4D), r))
    )([x, w]);
    return [y, dx, dw].map((t) => t.dataSync() as Float32Array);
  });
}

const native = (
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  s: number | [number, number],
) => tf.conv2d(x, w, s, "valid");

// Tolerance: float32 sums of at most a few hundred products of O(1) terms:
// rtol 1e-5 with atol 1e-4.
const TOL = { rtol: 1e-5, atol: 1e-4 };

Deno.test("conv2d() value and gradients match tf.conv2d's native gradients on cpu", async () => {
  await useBackend("cpu");
  for (const c of CASES) {
    const want = gradients(c, (x, w) => native(x, w, c.s));
    const got = gradients(c, (x, w) => conv2d(x, w, { strides: c.s }));
    ["value", "dL/dx", "dL/dW"].forEach((what, i) =>
      assertArrayClose(got[i], want[i], { ...TOL, msg: `${what} ${c.x}` })
    );
  }
});

Deno.test("conv2d() gradients on wasm match the cpu reference", async () => {
  await useBackend("cpu");
  const want = CASES.map((c) => gradients(c, (x, w) => native(x, w, c.s)));
  await useBackend("wasm");
  CASES.forEach((c, k) => {
    const got = gradients(c, (x, w) => conv2d(x, w, { strides: c.s }));
    ["value", "dL/dx", "dL/dW"].forEach((what, i) =>
      assertArrayClose(got[i], want[k][i], { ...TOL, msg: `${what} ${c.x}` })
    );
  });
});

Deno.test("conv2d() second input derivatives through sin match the native op", async () => {
  await useBackend("cpu");
  const c = CASES[1];
  const second = (op: (x: tf.Tensor4D) => tf.Tensor) =>
    tf.tidy(() => {
      const x = normal(c.x, 4) as tf.Tensor4D;
      // d/dx of Σ (dL/dx)², L = Σ sin(conv(x)): needs the gradient's
      // gradient (sin, as nested tf.grad through tanh fails in tfjs itself).
      const inner = tf.grad((a) => tf.sum(tf.sin(op(a as tf.Tensor4D))));
      const outer = tf.grad((a) => tf.sum(tf.square(inner(a))));
      return outer(x).dataSync() as Float32Array;
    });
  const w = normal(c.w, 5) as tf.Tensor4D;
  const want = second((x) => native(x, w, c.s));
  const got = second((x) => conv2d(x, w, { strides: c.s }));
  assertArrayClose(got, want, { ...TOL, msg: "second derivative" });
  w.dispose();
});
