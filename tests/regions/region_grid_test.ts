import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { regionGrid } from "../../lib/regions/region_grid.ts";
import { Network } from "../../lib/nn/network.ts";
import {
  assert,
  assertArrayClose,
  assertEquals,
  assertThrows,
} from "../_assert.ts";
import {
  handNetwork,
  handPiecewise,
  NOTEBOOK_XOR,
  QUADRANTS,
  randomNetwork,
} from "./_nets.ts";

await useBackend("wasm");

Deno.test("regionGrid() finds the four quadrants of relu(x) + relu(y)", () => {
  const grid = regionGrid(handNetwork(QUADRANTS), { resolution: [4, 4] });
  assertEquals(grid.count, 4);
  assertEquals([grid.rows, grid.cols], [4, 4]);
  // xs = ys = −1, −1/3, 1/3, 1: row i is y = ys[i]; first appearance order
  assertEquals(
    Array.from(grid.regionIds),
    [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3],
  );
  assertEquals(grid.regions.map((r) => Array.from(r.pattern)), [
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ]);
  assertEquals(grid.regions.map((r) => r.pointCount), [4, 4, 4, 4]);
  // region (x > 0, y > 0): y = x1 + x2, parameters [1, 1, 0]
  assertEquals(Array.from(grid.regions[3].parameters), [1, 1, 0]);
});

Deno.test("regionGrid() gives the notebook's three XOR regions and their affine maps", () => {
  const grid = regionGrid(handPiecewise(NOTEBOOK_XOR));
  assertEquals(grid.count, 3);
  assertEquals(grid.rows * grid.cols, 101 * 101);
  const byKey = Object.fromEntries(
    grid.regions.map((r) => [Array.from(r.pattern).join(""), r.parameters]),
  );
  // the notebook's figure: −1, 2x + 2y + 1, −2x − 2y + 1 (exact in float64)
  assertEquals(Array.from(byKey["00"]), [0, 0, -1]);
  assertEquals(Array.from(byKey["10"]), [2, 2, 1]);
  assertEquals(Array.from(byKey["11"]), [-2, -2, 1]);
});

Deno.test("regionGrid() outputs match the network on every grid point", () => {
  const net = randomNetwork([20], { seed: 5 });
  const grid = regionGrid(net, { resolution: 31, box: [[-2, 1], [0, 3]] });
  assertEquals(grid.xs[0], -2);
  assertEquals(grid.ys[30], 3);
  const ref = net.forward(
    tf.tensor2d(Float32Array.from(grid.points), [31 * 31, 2]),
  );
  // float32 forward pass against the exact float64 affine maps
  assertArrayClose(grid.outputs, ref.dataSync(), { rtol: 1e-5, atol: 1e-5 });
  ref.dispose();
  // every point's parameters are its region's
  for (let p = 0; p < 31 * 31; p += 37) {
    const r = grid.regions[grid.regionIds[p]];
    assertEquals(
      Array.from(grid.parameters.subarray(3 * p, 3 * p + 3)),
      Array.from(r.parameters),
    );
  }
  assertEquals(
    grid.regions.reduce((n, r) => n + r.pointCount, 0),
    31 * 31,
  );
  assert(grid.count > 4, `only ${grid.count} regions for width 20`);
});

Deno.test("regionGrid() rejects bad boxes, resolutions and inputs", () => {
  const net = handPiecewise(QUADRANTS);
  assertThrows(
    () => regionGrid(net, { box: [[1, -1], [0, 1]] }),
    Error,
    'Cannot compute linear regions on box "[[1,-1],[0,1]]": expected [[x_min, x_max], [y_min, y_max]] with finite bounds, min < max',
  );
  assertThrows(
    () => regionGrid(net, { resolution: 1 }),
    Error,
    'Cannot compute linear regions on a grid of resolution "1": expected integers ≥ 2',
  );
  const net3 = Network.create({
    format: "hope-network/1",
    input: [3],
    layers: ["Linear_3_2", "ReLU", "Linear_2_1"],
  });
  assertThrows(
    () => regionGrid(net3),
    Error,
    'Cannot compute linear regions of input dimension "3": the input must be 2-D',
  );
});
