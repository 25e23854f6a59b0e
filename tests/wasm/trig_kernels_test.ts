import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { compileTrig, embed } from "../../tasks/build_wasm.ts";
import { assert, assertEquals } from "../_assert.ts";

await useBackend("wasm");

/**
 * Distance in float32 ulps between two float32 values (NaN equals NaN only;
 * −0 and +0 differ by one step): the index of each value in the ordered list
 * of float32 bit patterns.
 */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) {
    return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  }
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  const order = (i: number) => i < 0 ? -(i & 0x7fffffff) - 1 : i;
  return Math.abs(order(bits[0]) - order(bits[1]));
}

/**
 * Inputs over the whole float32 range: 2^20 seeded random bit patterns
 * (every exponent equally often), the special values, and the float32
 * neighbours of multiples of π/2 (where the argument reduction cancels most)
 * and of the switch to the host's reduction at 2^18.
 */
function inputs(): Float32Array {
  const random = new Uint32Array(1 << 20);
  let seed = 12345;
  for (let i = 0; i < random.length; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    random[i] = seed;
  }
  const special = [
    NaN,
    Infinity,
    -Infinity,
    0,
    -0,
    1.4e-45,
    -1.4e-45,
    1.17549435e-38,
    3.4028234663852886e38,
    -3.4028234663852886e38,
    262144,
    -262144,
    262144.03125,
    262143.984375,
  ];
  const near: number[] = [];
  for (let k = 1; k < 200_000; k = Math.ceil(k * 1.07)) {
    const x = Math.fround(k * Math.PI / 2);
    const up = new Float32Array([x]);
    const bits = new Int32Array(up.buffer);
    for (const d of [-1, 0, 1]) {
      const v = new Int32Array([bits[0] + d]);
      near.push(new Float32Array(v.buffer)[0], -new Float32Array(v.buffer)[0]);
    }
  }
  return Float32Array.from([
    ...new Float32Array(random.buffer),
    ...special,
    ...near,
  ]);
}

const X = inputs();

for (
  const [name, op, exact] of [
    ["sin", tf.sin, Math.sin],
    ["cos", tf.cos, Math.cos],
  ] as const
) {
  Deno.test(`wasm ${name}() is within 1 ulp of the correctly rounded value over the float32 range`, () => {
    // Reference: the float64 Math function rounded to float32 (its error,
    // below 1 ulp of float64, moves the rounded value at most one ulp in
    // rare ties, inside the stated tolerance).
    const got = op(tf.tensor1d(X)).dataSync();
    let worst = 0;
    let at = 0;
    for (let i = 0; i < X.length; i++) {
      const d = ulps(got[i], Math.fround(exact(X[i])));
      if (d > worst) [worst, at] = [d, X[i]];
    }
    assert(worst <= 1, `${name}: ${worst} ulps at x = ${at}`);
  });

  Deno.test(`wasm ${name}() gives the same bits wherever an element lies and keeps signed zeros, NaN and infinities right`, () => {
    const values = [0.5, -0, 1e30, NaN, Infinity, 7.25, -3];
    const whole = op(tf.tensor1d(values)).dataSync();
    for (let n = 1; n <= values.length; n++) {
      for (let start = 0; start + n <= values.length; start++) {
        const part = op(tf.tensor1d(values.slice(start, start + n)))
          .dataSync();
        for (let i = 0; i < n; i++) {
          assert(
            Object.is(part[i], whole[start + i]),
            `${name}: x = ${values[start + i]} at ${i} of ${n}`,
          );
        }
      }
    }
    assert(Number.isNaN(whole[3]) && Number.isNaN(whole[4]));
    if (name === "sin") assert(Object.is(whole[1], -0), "sin(-0) = -0");
  });
}

Deno.test("wasm sin() gradient is cos, through the replaced kernels", () => {
  const x = tf.tensor1d([0.3, -2, 40, 1e6]);
  const g = tf.grad((v) => tf.sin(v).sum())(x).dataSync();
  const want = [0.3, -2, 40, 1e6].map((v) => Math.fround(Math.cos(v)));
  for (let i = 0; i < 4; i++) assert(ulps(g[i], want[i]) <= 1, `${i}: ${g[i]}`);
});

Deno.test("lib/wasm/_trig_wasm.ts is what lib/wasm/assembly/trig.ts compiles to", async () => {
  const text = await Deno.readTextFile(
    new URL("../../lib/wasm/_trig_wasm.ts", import.meta.url),
  );
  assertEquals(text, embed(await compileTrig()));
});
