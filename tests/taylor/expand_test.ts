import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { Network } from "../../lib/nn/network.ts";
import { expand, expandMany } from "../../lib/taylor/expand.ts";
import { saveExpansion } from "../../lib/taylor/save_expansion.ts";
import {
  assert,
  assertArrayClose,
  assertEquals,
  assertRejects,
} from "../_assert.ts";

await useBackend("wasm");

function mlp(layers: string[], seed: number): Network {
  return Network.create({ format: "hope-network/1", input: [2], layers }, {
    seed,
  });
}

Deno.test("expand() returns derivatives in dk.npy layout with polynomial, time and backend", async () => {
  const net = mlp(["Linear_2_8", "Tanh", "Linear_8_3"], 1);
  const e = await expand(net, [0.25, -0.5], { order: 3, output: 2 });
  assertEquals([e.method, e.mode, e.order, e.output], ["taylor", "all", 3, 2]);
  assertEquals(e.point, [0.25, -0.5]);
  assertEquals(e.shapes, [[], [2], [2, 2], [2, 2, 2]]);
  assertEquals(e.derivatives.map((d) => d.length), [1, 2, 4, 8]);
  assertEquals(e.backend, "wasm");
  assert(Number.isFinite(e.seconds) && e.seconds >= 0, `seconds ${e.seconds}`);
  assertEquals(e.piecewiseLinear, false);
  const y = net.forward(tf.tensor2d([[0.25, -0.5]]));
  // the value is y(x0) in float32
  assertArrayClose(e.derivatives[0], [y.dataSync()[2]], { rtol: 1e-6 });
  y.dispose();
  net.dispose();
});

Deno.test("expand() gives a polynomial that reproduces the network near the point", async () => {
  const net = mlp([
    "Linear_2_16",
    "Sine",
    "Linear_16_16",
    "Tanh",
    "Linear_16_1",
  ], 2);
  const x0 = [0.1, 0.3];
  const e = await expand(net, x0, { order: 6 });
  const near = [[0.12, 0.29], [0.08, 0.33], [0.1, 0.3]];
  const approx = e.polynomial.evaluate(near);
  const exact = net.forward(tf.tensor2d(near));
  // truncation error O(|h|^7) with |h| ≤ 0.04, plus float32 rounding
  assertArrayClose(approx, exact.dataSync(), { rtol: 1e-5, atol: 1e-6 });
  exact.dispose();
  net.dispose();
});

Deno.test("expand() dispatches to the hope and autograd methods", async () => {
  // one hidden non-linear layer: all three methods are exact here
  const net = mlp(["Linear_2_6", "Sine", "Linear_6_1"], 3);
  const taylor = await expand(net, [0.2, 0.4], { order: 3 });
  for (const method of ["hope", "autograd"] as const) {
    const other = await expand(net, [0.2, 0.4], { order: 3, method });
    assertEquals(other.method, method);
    assertEquals([other.exact, other.inexactReason], [true, undefined]);
    for (let k = 0; k <= 3; k++) {
      // float32 methods against each other
      assertArrayClose(other.derivatives[k], taylor.derivatives[k], {
        rtol: 1e-4,
        atol: 1e-5,
        msg: `${method} order ${k}`,
      });
    }
  }
  net.dispose();
});

Deno.test("expand() flags method hope as inexact on two hidden layers, and saveExpansion() records it", async () => {
  const net = mlp(
    ["Linear_2_6", "Sine", "Linear_6_6", "Sine", "Linear_6_1"],
    3,
  );
  const taylor = await expand(net, [0.2, 0.4], { order: 3 });
  assertEquals([taylor.exact, taylor.inexactReason], [true, undefined]);
  const hope = await expand(net, [0.2, 0.4], { order: 3, method: "hope" });
  assertEquals(hope.exact, false);
  assert(
    hope.inexactReason?.startsWith(
      "layer 3 (Sine) comes after 2 mixing layers",
    ),
    hope.inexactReason,
  );
  const dir = await Deno.makeTempDir();
  const record = await saveExpansion(hope, `${dir}/e`);
  const written = JSON.parse(
    await Deno.readTextFile(`${dir}/e/expansion.json`),
  );
  for (const r of [record, written]) {
    assertEquals([r.exact, r.inexactReason], [false, hope.inexactReason]);
  }
  await Deno.remove(dir, { recursive: true });
  net.dispose();
});

Deno.test("expandMany() equals expand() at each point", async () => {
  const net = mlp(["Linear_2_8", "Sigmoid", "Linear_8_1"], 4);
  const points = [[0, 0], [0.5, -0.5], [1, 2]];
  const many = await expandMany(net, points, { order: 4, mixed: "none" });
  assertEquals(many.length, 3);
  for (const [i, p] of points.entries()) {
    const one = await expand(net, p, { order: 4, mixed: "none" });
    assertEquals(many[i].point, p);
    for (let k = 0; k <= 4; k++) {
      // batching changes float32 rounding only
      assertArrayClose(many[i].derivatives[k], one.derivatives[k], {
        rtol: 1e-5,
        atol: 1e-7,
      });
    }
  }
  net.dispose();
});

Deno.test("expand() with directions builds a polynomial in the step sizes", async () => {
  const net = mlp(["Linear_2_8", "Tanh", "Linear_8_1"], 5);
  const directions = [[1, 0], [1, 1]];
  const e = await expand(net, [0.3, 0.3], {
    order: 4,
    mixed: "directions",
    directions,
  });
  assertEquals(e.directions, directions);
  assertEquals(e.shapes[1], [2]);
  assertEquals(e.polynomial.dim, 2);
  // y(x0 + t·(1, 1)) ≈ the polynomial at (0, t)
  const t = 0.01;
  const [approx] = e.polynomial.evaluate([[0, t]]);
  const exact = net.forward(tf.tensor2d([[0.3 + t, 0.3 + t]]));
  assertArrayClose([approx], exact.dataSync(), { rtol: 1e-5, atol: 1e-6 });
  exact.dispose();
  net.dispose();
});

Deno.test("expand() rejects an unknown method", async () => {
  const net = mlp(["Linear_2_2"], 6);
  await assertRejects(
    () => expand(net, [0, 0], { order: 2, method: "magic" as "taylor" }),
    'Cannot expand with method "magic": expected "taylor", "hope" or "autograd"',
  );
  net.dispose();
});
