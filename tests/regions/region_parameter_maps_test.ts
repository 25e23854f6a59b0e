import { regionGrid } from "../../lib/regions/region_grid.ts";
import { regionParameterMaps } from "../../lib/regions/region_parameter_maps.ts";
import {
  assertAlmostEquals,
  assertArrayClose,
  assertEquals,
  assertThrows,
} from "../_assert.ts";
import { handPiecewise, NOTEBOOK_XOR } from "./_nets.ts";

Deno.test("regionParameterMaps() recovers a known linear relation in both directions", () => {
  // network 2 = 3 · network 1 + 0.5: parameters2 = 3 · parameters1 + [0, 0, 0.5]
  const net1 = handPiecewise(NOTEBOOK_XOR);
  const net2 = handPiecewise([
    NOTEBOOK_XOR[0],
    { weight: [[6, -12]], bias: [-2.5] },
  ]);
  const g1 = regionGrid(net1, { resolution: 41 });
  const g2 = regionGrid(net2, { resolution: 41 });
  const { forward, backward } = regionParameterMaps(g1, g2);
  // the three parameter vectors span a 2-D affine set, so the map is the
  // minimum-norm one that sends each region to its image exactly
  for (let r = 0; r < g1.count; r++) {
    const expected = Array.from(g1.regions[r].parameters).map((v, i) =>
      3 * v + (i === 2 ? 0.5 : 0)
    );
    assertArrayClose(
      forward.mappedRegions.data.subarray(3 * r, 3 * r + 3),
      expected,
      { rtol: 0, atol: 1e-9 },
    );
  }
  assertAlmostEquals(forward.map.score, 1, 1e-12);
  assertAlmostEquals(backward.map.score, 1, 1e-12);
  assertEquals(forward.signAgreement, 1);
  assertEquals(backward.signAgreement, 1);
  // the mapped surface is network 2's
  assertArrayClose(forward.mappedOutputs, g2.outputs, { rtol: 0, atol: 1e-9 });
  assertArrayClose(backward.mappedOutputs, g1.outputs, { rtol: 0, atol: 1e-9 });
});

Deno.test("regionParameterMaps() needs grids on the same points", () => {
  const net = handPiecewise(NOTEBOOK_XOR);
  assertThrows(
    () =>
      regionParameterMaps(
        regionGrid(net, { resolution: 5 }),
        regionGrid(net, { resolution: 6 }),
      ),
    Error,
    'Cannot map region parameters "5×5 vs 6×6": both grids need the same points and output dimension',
  );
});
