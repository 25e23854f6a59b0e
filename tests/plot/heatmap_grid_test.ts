import { d3chromatic } from "../../lib/deps.ts";
import { heatmapGrid, type HeatmapPanel } from "../../lib/plot/heatmap_grid.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { parseSvg } from "./_figure.ts";
import { byName, textOf, type XmlElement } from "./_xml.ts";
import { assertSnapshot } from "./_snapshot.ts";

/**
 * A d3 colour (`rgb(r, g, b)`, or `#rrggbb` from the viridis family) as
 * `#rrggbb`, written independently of lib/plot.
 */
function toHex(rgb: string): string {
  if (rgb.startsWith("#")) return rgb;
  const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
  return "#" + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
}

// The scale ends, straight from d3-scale-chromatic: the diverging map runs
// blue (−max) → red (+max), RdBu reversed; greys run white → black.
const DIV_MAX = toHex(d3chromatic.interpolateRdBu(0));
const DIV_MIN = toHex(d3chromatic.interpolateRdBu(1));
const DIV_ZERO = toHex(d3chromatic.interpolateRdBu(0.5));
const GREY_MAX = toHex(d3chromatic.interpolateGreys(1));

const image = (k: number): HeatmapPanel => ({
  data: [[0, k / 4, 0], [k / 4, 1, k / 4], [0, k / 4, 0]],
  colormap: "greys",
});
const signed = (s: number): HeatmapPanel => ({
  data: { data: [-2 * s, 0, 1 * s, 0.5 * s, 0, -1 * s], shape: [2, 3] },
});

function digits(): string {
  return heatmapGrid(
    [[image(1), signed(1), signed(1e-3)], [image(3), signed(0.5), null]],
    {
      title: "Heat maps",
      rowTitles: ["digit 1", "digit 3"],
      colTitles: ["image", "HOPE $\\partial y/\\partial x_i$", "perturbation"],
    },
  );
}

/** Fill colours of the cells of each map, row by row (`<rect>` order). */
function mapFills(root: XmlElement): string[][] {
  return byName(root, "g", "map").map((g) =>
    byName(g, "rect").map((r) => r.attrs.fill)
  );
}

Deno.test("heatmapGrid() matches its snapshot", async () => {
  await assertSnapshot("heatmap_grid", digits());
});

Deno.test("heatmapGrid() draws one rect per array cell in each map", () => {
  const root = parseSvg(digits());
  const maps = byName(root, "g", "map");
  assertEquals(maps.length, 5, "five non-empty panels");
  assertEquals(
    maps.map((g) => byName(g, "rect").length),
    [9, 6, 6, 9, 6],
    "rows × cols rects",
  );
  // Image orientation: row 0 at the top, cell (i, j) at x = j, y = i.
  const cells = byName(maps[1], "rect");
  assertEquals([cells[4].attrs.x, cells[4].attrs.y], ["1", "1"]);
});

Deno.test("heatmapGrid() colours the extremes with the scale's end colours", () => {
  const root = parseSvg(digits());
  const [img1, hope1, pert1, img3, hope2] = mapFills(root);
  assertEquals(img1[4], GREY_MAX, "max of the image is black");
  assertEquals(img3[4], GREY_MAX);
  // Column normalisation: HOPE column spans ±2 over both rows.
  assertEquals(hope1[0], DIV_MIN, "−2 is the diverging minimum");
  assertEquals(hope1[1], DIV_ZERO, "0 is the centre colour");
  assertEquals(hope2[0], toHex(d3chromatic.interpolateRdBu(0.75)), "−1 of ±2");
  // The perturbation column has its own (tiny) scale.
  assertEquals(pert1[0], DIV_MIN);
  assertEquals(
    pert1[2],
    toHex(d3chromatic.interpolateRdBu(0.25)),
    "+1e-3 of ±2e-3",
  );
});

Deno.test("heatmapGrid() normalize 'panel' scales every map to its own max", () => {
  const svg = heatmapGrid([[signed(1)], [signed(0.5)]], { normalize: "panel" });
  const [a, b] = mapFills(parseSvg(svg));
  assertEquals(a, b, "same pattern, same colours");
  assertEquals(a[0], DIV_MIN);
  const grid = heatmapGrid([[signed(1)], [signed(0.5)]], { normalize: "grid" });
  const [, c] = mapFills(parseSvg(grid));
  assertEquals(c[0], toHex(d3chromatic.interpolateRdBu(0.75)), "shared scale");
  const ticks = byName(parseSvg(svg), "g", "colorbar")
    .map((g) => byName(g, "text").map(textOf));
  assertEquals(ticks, [["−max", "0", "max"]]);
});

Deno.test("heatmapGrid() titles rows and columns and adds a colour bar per column", () => {
  const root = parseSvg(digits());
  assertEquals(
    byName(root, "text", "col-title").map(textOf),
    ["image", "HOPE ∂y/∂xi", "perturbation"],
  );
  assertEquals(byName(root, "text", "row-title").map(textOf), [
    "digit 1",
    "digit 3",
  ]);
  const bars = byName(root, "g", "colorbar");
  assertEquals(bars.length, 3);
  for (const b of bars) {
    assertEquals(byName(byName(b, "g", "strips")[0], "rect").length, 64);
  }
  // The ±2e-3 column factors out 10^-3 and labels the ends ±2.
  const labels = byName(bars[2], "text").map(textOf);
  assertEquals(labels, ["−2", "0", "2", "×10−3"]);
});

Deno.test("heatmapGrid() honours an explicit domain and clamps beyond it", () => {
  const svg = heatmapGrid([[{ data: [[-5, 0.5, 5]], domain: [-1, 1] }]]);
  const [fills] = mapFills(parseSvg(svg));
  assertEquals(fills, [
    DIV_MIN,
    toHex(d3chromatic.interpolateRdBu(0.25)),
    DIV_MAX,
  ]);
});

Deno.test("heatmapGrid() rejects bad arrays with a clear message", () => {
  assertThrows(
    () => heatmapGrid([], { title: "G" }),
    Error,
    'Cannot draw heat map grid "G": no panels given',
  );
  assertThrows(
    () => heatmapGrid([[null, { data: [[1, 2], [3]] }]]),
    Error,
    'Cannot draw heat map "0, 1": row 1 has 1 values, row 0 has 2',
  );
  assertThrows(
    () => heatmapGrid([[{ data: { data: [1, 2, 3], shape: [2, 2] } }]]),
    Error,
    'Cannot draw heat map "0, 0": shape [2, 2] needs 4 values, got 3',
  );
  assert(
    heatmapGrid([[{ data: [[NaN, 1]] }]]).includes('fill="#bdbdbd"'),
    "NaN cells are grey",
  );
});
