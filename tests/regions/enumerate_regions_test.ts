import { useBackend } from "../../lib/backend.ts";
import { enumerateRegions } from "../../lib/regions/enumerate_regions.ts";
import { activationPatterns } from "../../lib/regions/activation_patterns.ts";
import { affineMapOfPattern } from "../../lib/regions/affine_map.ts";
import { toPiecewiseLinear } from "../../lib/regions/piecewise_linear.ts";
import { regionGrid } from "../../lib/regions/region_grid.ts";
import {
  assert,
  assertAlmostEquals,
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
import type { RegionEnumeration } from "../../lib/regions/enumerate_regions.ts";
import type { PiecewiseLinearNetwork } from "../../lib/regions/piecewise_linear.ts";

await useBackend("wasm");

function areaByPattern(e: RegionEnumeration): Record<string, number> {
  return Object.fromEntries(
    e.regions.map((r) => [Array.from(r.pattern).join(""), r.area]),
  );
}

/** Independent checks of every region: areas tile the box, the centroid has
 * the region's pattern, and the affine map is the pattern's. */
function checkConsistent(net: PiecewiseLinearNetwork, e: RegionEnumeration) {
  const total = e.regions.reduce((s, r) => s + r.area, 0);
  // areas of a partition of the box, up to float64 rounding
  assertAlmostEquals(total, e.boxArea, 1e-9 * e.boxArea, "areas sum to box");
  const keys = new Set(e.regions.map((r) => r.key));
  assertEquals(keys.size, e.count, "patterns are distinct");
  for (const r of e.regions) {
    const n = r.polygon.length;
    const cx = r.polygon.reduce((s, v) => s + v[0], 0) / n;
    const cy = r.polygon.reduce((s, v) => s + v[1], 0) / n;
    const bits = activationPatterns(net, new Float64Array([cx, cy]));
    assertEquals(Array.from(bits), Array.from(r.pattern), "centroid pattern");
    const map = affineMapOfPattern(net, r.pattern);
    assertArrayClose(r.gradient, map.gradient, { rtol: 1e-9, atol: 1e-12 });
    assertArrayClose(r.bias, map.bias, { rtol: 1e-9, atol: 1e-12 });
  }
}

Deno.test("enumerateRegions() finds the four unit squares of a 2-neuron net", () => {
  const e = enumerateRegions(handNetwork(QUADRANTS));
  assertEquals(e.count, 4);
  assertEquals(e.boxArea, 4);
  const areas = areaByPattern(e);
  assertEquals(Object.keys(areas).sort(), ["00", "01", "10", "11"]);
  // exact: the cuts x = 0 and y = 0 hit the box at representable points
  for (const a of Object.values(areas)) assertEquals(a, 1);
  const ne = e.regions.find((r) => r.key === "c")!; // pattern 11 → 0b1100
  assert(ne.polygon.every(([x, y]) => x >= 0 && y >= 0), "11 is x, y ≥ 0");
  checkConsistent(handPiecewise(QUADRANTS), e);
});

Deno.test("enumerateRegions() finds the notebook's three XOR regions with their areas", () => {
  const net = handPiecewise(NOTEBOOK_XOR);
  const e = enumerateRegions(net);
  // x + y > 0: area 2; x + y < −1: triangle of area 1/2; between: 3/2
  const areas = areaByPattern(e);
  assertEquals(Object.keys(areas).sort(), ["00", "10", "11"]);
  assertAlmostEquals(areas["11"], 2, 1e-12);
  assertAlmostEquals(areas["00"], 0.5, 1e-12);
  assertAlmostEquals(areas["10"], 1.5, 1e-12);
  checkConsistent(net, e);
});

Deno.test("enumerateRegions() ignores a neuron whose line misses the box", () => {
  // z2 = x + 5 > 0 on the whole box: two regions, not four
  const net = handPiecewise([
    { weight: [[0, 1], [1, 0]], bias: [0, 5] },
    { weight: [[1, 1]], bias: [0] },
  ]);
  const e = enumerateRegions(net);
  assertEquals(e.count, 2);
  assertEquals(Object.keys(areaByPattern(e)).sort(), ["01", "11"]);
});

Deno.test("enumerateRegions() on random deep and leaky nets: a partition, and grid ⊆ exact", () => {
  const cases = [
    { widths: [20], activation: "ReLU", seed: 1 },
    { widths: [8, 8], activation: "ReLU", seed: 2 },
    { widths: [6, 5, 4], activation: "LeakyReLU_0.1", seed: 3 },
  ];
  for (const c of cases) {
    const net = toPiecewiseLinear(randomNetwork(c.widths, c));
    const box = [[-1.5, 1], [-1, 2]] as const;
    const e = enumerateRegions(net, { box });
    checkConsistent(net, e);
    const grid = regionGrid(net, { box, resolution: 101 });
    const exact = new Set(e.regions.map((r) => r.key));
    const missing = grid.regions.filter((r) => !exact.has(r.key));
    assertEquals(missing.length, 0, `${c.widths}: grid patterns not exact`);
    assert(
      grid.count <= e.count,
      `${c.widths}: grid ${grid.count} > exact ${e.count}`,
    );
  }
});

Deno.test("enumerateRegions() stops past maxRegions", () => {
  assertThrows(
    () =>
      enumerateRegions(randomNetwork([20], { seed: 1 }), { maxRegions: 10 }),
    Error,
    'Cannot enumerate linear regions of network "2→20→1": more than maxRegions = 10 cells; raise maxRegions or use regionGrid',
  );
});
