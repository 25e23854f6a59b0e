import { regionMap } from "../../lib/plot/region_map.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { parseSvg, pathPoints } from "./_figure.ts";
import { byName, textOf } from "./_xml.ts";
import { assertSnapshot } from "./_snapshot.ts";

// Three regions with large, unordered ids (as activation-pattern hashes are).
const ids = [
  [70, 70, 70, 5],
  [70, 70, 5, 5],
  [12, 12, 5, 5],
];

Deno.test("regionMap() matches its snapshot", async () => {
  await assertSnapshot(
    "region_map",
    regionMap(ids, {
      title: "Linear regions",
      xLabel: "x_1",
      yLabel: "x_2",
      xExtent: [-1, 1],
      yExtent: [-1, 1],
    }),
  );
});

Deno.test("regionMap() gives each region one colour and counts the regions", () => {
  const root = parseSvg(regionMap(ids));
  const cells = byName(byName(root, "g", "regions")[0], "rect");
  assertEquals(cells.length, 12, "rows × cols cells");
  const flat = ids.flat();
  const colourOf = new Map<number, string>();
  cells.forEach((c, k) => {
    const seen = colourOf.get(flat[k]);
    if (seen) assertEquals(c.attrs.fill, seen, `cell ${k}`);
    else colourOf.set(flat[k], c.attrs.fill);
  });
  assertEquals(new Set(colourOf.values()).size, 3, "distinct colours");
  assertEquals(textOf(byName(root, "text", "count")[0]), "3 regions");
  // Colours follow the rank of the id, not its value.
  const shifted = parseSvg(regionMap(ids.map((r) => r.map((v) => v + 1000))));
  const fills = (r: typeof root) =>
    byName(byName(r, "g", "regions")[0], "rect").map((c) => c.attrs.fill);
  assertEquals(fills(shifted), fills(root));
});

Deno.test("regionMap() draws boundaries only between different regions", () => {
  const cols = [[0, 1], [0, 1]];
  const root = parseSvg(regionMap(cols, { width: 200, showCount: false }));
  const [b] = byName(root, "path", "boundaries");
  const { points, moves } = pathPoints(b.attrs.d);
  // One vertical line through the middle, merged over both rows.
  assertEquals(moves, 1);
  assertEquals(points[0][0], points[1][0], "vertical");
  const [frame] = byName(root, "rect", "frame");
  const height = Number(frame.attrs.height);
  assert(
    Math.abs(Math.abs(points[1][1] - points[0][1]) - height) < 0.02,
    "spans the full height (tolerance 0.02 px)",
  );
  const single = parseSvg(regionMap([[4, 4], [4, 4]]));
  assertEquals(byName(single, "path", "boundaries").length, 0);
  assertEquals(textOf(byName(single, "text", "count")[0]), "1 region");
});

Deno.test("regionMap() rejects ids that are not integers", () => {
  assertThrows(
    () => regionMap([[0, 1.5]], { title: "R" }),
    Error,
    'Cannot draw region map "R": value 1.5 at [0, 1] is not an integer region id',
  );
});
