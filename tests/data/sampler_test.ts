import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import {
  gridPoints,
  targetData,
  uniformPoints,
} from "../../lib/data/sampler.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";

await useBackend("wasm");

Deno.test("gridPoints() covers the box with both ends, last axis fastest", () => {
  const p = gridPoints([[-1, 1], [0, 10], [5, 5]], { n: [3, 11, 1] });
  assertEquals(p.shape, [33, 3]);
  assertEquals(Array.from(p.data.subarray(0, 3)), [-1, 0, 5]);
  assertEquals(Array.from(p.data.subarray(3, 6)), [-1, 1, 5]);
  assertEquals(Array.from(p.data.subarray(32 * 3)), [1, 10, 5]);
  // The 12th point starts the second value of axis 0.
  assertEquals(Array.from(p.data.subarray(11 * 3, 12 * 3)), [0, 0, 5]);
  assertEquals(gridPoints([[0, 1], [0, 1]], { n: 4 }).shape, [16, 2]);
});

Deno.test("uniformPoints() stays in the box and is seeded", () => {
  const box = [[-2, -1], [3, 7]] as const;
  const a = uniformPoints(box, { n: 500, seed: 9 });
  const b = uniformPoints(box, { n: 500, seed: 9 });
  const c = uniformPoints(box, { n: 500, seed: 10 });
  assertEquals(a.shape, [500, 2]);
  assertEquals(a.data, b.data);
  assert(a.data.some((v, i) => v !== c.data[i]), "seed ignored");
  const xs = a.data.filter((_, i) => i % 2 === 0);
  const ys = a.data.filter((_, i) => i % 2 === 1);
  assert(xs.every((v) => v >= -2 && v <= -1), "x outside [-2, -1]");
  assert(ys.every((v) => v >= 3 && v <= 7), "y outside [3, 7]");
  // 500 uniform draws: the mean of x lies within 0.05 of −1.5 (≈ 4 σ).
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  assert(Math.abs(mean + 1.5) < 0.05, `mean ${mean}`);
});

Deno.test("gridPoints() and uniformPoints() reject bad boxes and counts", () => {
  assertThrows(
    () => gridPoints([[1, 0]], { n: 3 }),
    Error,
    'Cannot sample box "[[1,0]]"',
  );
  assertThrows(
    () => gridPoints([[0, 1], [0, 1]], { n: [3] }),
    Error,
    'Cannot sample grid size "3": 1 counts for a 2-dimensional box',
  );
  assertThrows(
    () => uniformPoints([[0, 1]], { n: 2.5 }),
    Error,
    'Cannot sample point count "2.5": expected an integer ≥ 0',
  );
});

Deno.test("targetData() evaluates the target at the float32 points", () => {
  const points = uniformPoints([[0, 1], [0, 1]], { n: 20, seed: 2 });
  const data = targetData(points, ([x, y]) => [x * y, x - y]);
  assertEquals([data.size, data.inputShape, data.targetShape], [20, [2], [2]]);
  const { x, y } = data.batch(new Int32Array([7]));
  const [px, py] = points.data.subarray(14, 16);
  assertEquals(Array.from(x.dataSync()), [px, py]);
  assertEquals(
    Array.from(y.dataSync()),
    [Math.fround(px * py), Math.fround(px - py)],
  );
  tf.dispose([x, y]);
  assertThrows(
    () => targetData(gridPoints([[-1, 1]], { n: 3 }), ([v]) => Math.log(v)),
    Error,
    'Cannot evaluate target at "[-1]": got NaN, expected 1 finite number(s)',
  );
});
