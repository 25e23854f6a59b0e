import { d3chromatic } from "../../lib/deps.ts";
import { heatmap } from "../../lib/plot/heatmap.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { linearAxis, parseSvg, readTicks } from "./_figure.ts";
import { byName, textOf } from "./_xml.ts";
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

// z = (x1² + x2)/2 sampled at the centres of a 4 × 5 grid over [-1, 1]²,
// row i along x2 (upwards), column j along x1.
const rows = 4;
const cols = 5;
const z = Array.from(
  { length: rows },
  (_, i) =>
    Array.from({ length: cols }, (_, j) => {
      const x1 = -1 + 2 * (j + 0.5) / cols;
      const x2 = -1 + 2 * (i + 0.5) / rows;
      return (x1 * x1 + x2) / 2;
    }),
);

function surface(): string {
  return heatmap(z, {
    title: "$y = (x_1^2 + x_2)/2$",
    xLabel: "x_1",
    yLabel: "x_2",
    xExtent: [-1, 1],
    yExtent: [-1, 1],
    colorbarLabel: "y",
  });
}

Deno.test("heatmap() matches its snapshot", async () => {
  await assertSnapshot("heatmap", surface());
});

Deno.test("heatmap() draws rows × cols cells, row 0 at the bottom", () => {
  const root = parseSvg(surface());
  const [map] = byName(root, "g", "map");
  const cells = byName(map, "rect");
  assertEquals(cells.length, rows * cols);
  // origin "lower": row 0 is drawn in the last cell row (y = rows - 1).
  assertEquals(cells[0].attrs.y, String(rows - 1));
  assertEquals(cells[cols * (rows - 1)].attrs.y, "0");
  const upper = parseSvg(heatmap(z, { origin: "upper" }));
  assertEquals(byName(byName(upper, "g", "map")[0], "rect")[0].attrs.y, "0");
});

Deno.test("heatmap() colours the max cell with the colour map's end", () => {
  const root = parseSvg(surface());
  const cells = byName(byName(root, "g", "map")[0], "rect");
  const flat = z.flat();
  const max = flat.indexOf(Math.max(...flat));
  const min = flat.indexOf(Math.min(...flat));
  assertEquals(cells[max].attrs.fill, toHex(d3chromatic.interpolateViridis(1)));
  assertEquals(cells[min].attrs.fill, toHex(d3chromatic.interpolateViridis(0)));
  const div = parseSvg(heatmap([[-3, 1, 2]], { colormap: "diverging" }));
  const fills = byName(byName(div, "g", "map")[0], "rect").map((r) =>
    r.attrs.fill
  );
  assertEquals(fills[0], toHex(d3chromatic.interpolateRdBu(1)), "−3 of ±3");
});

Deno.test("heatmap() puts axis ticks in data coordinates over the cells", () => {
  const root = parseSvg(surface());
  const xTicks = readTicks(root, "bottom").map((t) => t.label);
  assertEquals(xTicks, ["-1.0", "-0.5", "0.0", "0.5", "1.0"]);
  const x = linearAxis(root, "bottom");
  const [map] = byName(root, "g", "map");
  const m = /translate\(([-\d.]+) ([-\d.]+)\) scale\(([-\d.]+) /.exec(
    map.attrs.transform,
  )!;
  const left = Number(m[1]);
  const cell = Number(m[3]);
  // Tolerance 0.05 px: rounding of positions to 0.01 px.
  assert(Math.abs(x(-1) - left) < 0.05, "x = -1 at the left edge");
  assert(Math.abs(x(1) - (left + cols * cell)) < 0.05, "x = 1 at the right");
  const bar = byName(root, "g", "colorbar");
  assertEquals(bar.length, 1);
  assert(byName(bar[0], "text").map(textOf).includes("y"), "colour bar title");
});

Deno.test("heatmap() rejects bad arrays with a clear message", () => {
  assertThrows(
    () => heatmap([], { title: "S" }),
    Error,
    'Cannot draw heat map "S": the array is empty',
  );
  assertThrows(
    () => heatmap({ data: [1, 2, 3, 4], shape: [4] }, { title: "S" }),
    Error,
    'Cannot draw heat map "S": shape [4] is not 2-D',
  );
});
