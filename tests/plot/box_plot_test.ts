import {
  type BoxGroup,
  boxPlot,
  HOPE_MARKERS,
} from "../../lib/plot/box_plot.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { linearAxis, parseSvg, pathPoints } from "./_figure.ts";
import { byName, textOf } from "./_xml.ts";
import { assertSnapshot } from "./_snapshot.ts";

// Samples with hand-computed statistics (quantiles by linear interpolation,
// NumPy's default): 0..8 has q1 = 2, median = 4, q3 = 6.
const groups: BoxGroup[] = [
  {
    label: "x_2",
    values: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    markers: { local: 5, mean: 4, combined: 4.5 },
  },
  {
    label: "x_1^2",
    // q1 = 2, median 3, q3 = 3.25, IQR 1.25: whiskers may reach
    // [0.125, 5.125], so they end at 1 and 3.5, and 20 is an outlier.
    values: [1, 2, 2, 3, 3, 3.5, 20],
    markers: { local: 2.5, mean: 4.93, combined: 3.1 },
  },
  { label: "x_1 x_2", values: [-1, -0.5, 0, 0.5, 1], markers: { local: 0 } },
];

function hopeFigure(): string {
  return boxPlot(groups, {
    title: "Global explanation",
    yLabel: "coefficient",
    xLabel: "monomial",
  });
}

Deno.test("boxPlot() matches its snapshot", async () => {
  await assertSnapshot("box_plot", hopeFigure());
});

Deno.test("boxPlot() draws boxes at the quartiles and the median", () => {
  const root = parseSvg(hopeFigure());
  const y = linearAxis(root, "left");
  const boxes = byName(root, "rect", "box");
  assertEquals(boxes.length, groups.length, "one box per group");
  const medians = byName(root, "path", "median");
  const expected = [[2, 4, 6], [2, 3, 3.25], [-0.5, 0, 0.5]];
  // Tolerance 0.05 px: coordinates are rounded to 0.01 px and the axis map
  // is refitted from rounded tick positions.
  expected.forEach(([q1, med, q3], k) => {
    const top = Number(boxes[k].attrs.y);
    const bottom = top + Number(boxes[k].attrs.height);
    assert(Math.abs(top - y(q3)) < 0.05, `box ${k} top ${top} vs ${y(q3)}`);
    assert(Math.abs(bottom - y(q1)) < 0.05, `box ${k} bottom`);
    const [[, my]] = pathPoints(medians[k].attrs.d).points;
    assert(Math.abs(my - y(med)) < 0.05, `median ${k}: ${my} vs ${y(med)}`);
  });
  const whiskers = byName(root, "path", "whisker");
  const ys = pathPoints(whiskers[1].attrs.d).points.map(([, py]) => py);
  // Whiskers end at the most extreme data within 1.5 IQR: 1 and 3.5.
  assert(Math.abs(Math.max(...ys) - y(1)) < 0.05, "lower whisker at 1");
  assert(Math.abs(Math.min(...ys) - y(3.5)) < 0.05, "upper whisker at 3.5");
  assertEquals(byName(root, "path", "outlier").length, 1, "20 is an outlier");
});

Deno.test("boxPlot() overlays local (red), mean (blue) and combined markers", () => {
  const root = parseSvg(hopeFigure());
  const y = linearAxis(root, "left");
  const local = byName(root, "path", "marker-local");
  const mean = byName(root, "path", "marker-mean");
  const combined = byName(root, "path", "marker-combined");
  assertEquals([local.length, mean.length, combined.length], [3, 2, 2]);
  assertEquals(local[0].attrs.fill, "#d62728");
  assertEquals(mean[0].attrs.fill, "#1f77b4");
  assertEquals(combined[0].attrs.fill, HOPE_MARKERS.combined.color);
  const ty = (e: (typeof local)[0]) =>
    Number(/translate\([-\d.]+ ([-\d.]+)\)/.exec(e.attrs.transform)![1]);
  assert(Math.abs(ty(mean[1]) - y(4.93)) < 0.05, "mean marker at its value");
  const legend = byName(byName(root, "g", "legend")[0], "text").map(textOf);
  assertEquals(legend, ["local", "mean", "combined (value in bold)"]);
});

Deno.test("boxPlot() prints the combined value above each box that has one", () => {
  const root = parseSvg(hopeFigure());
  const values = byName(root, "text", "value").map(textOf);
  assertEquals(values, ["4.50", "3.10"]);
  const labels = byName(byName(root, "g", "categories")[0], "text").map(textOf);
  assertEquals(labels, ["x2", "x12", "x1 x2"]);
  const local = boxPlot(groups, { valueLabel: "local", valueFormat: ".1f" });
  assertEquals(
    byName(parseSvg(local), "text", "value").map(textOf),
    ["5.0", "2.5", "0.0"],
  );
  // the legend says which marker the bold numbers are
  const legend = (svg: string) =>
    byName(byName(parseSvg(svg), "g", "legend")[0], "text").map(textOf);
  assertEquals(legend(local), ["local (value in bold)", "mean", "combined"]);
  assertEquals(legend(boxPlot(groups, { valueLabel: "" })), [
    "local",
    "mean",
    "combined",
  ]);
});

Deno.test("boxPlot() rotates category labels that do not fit", () => {
  const many = Array.from({ length: 12 }, (_, k) => ({
    label: `x_1^${k + 1} x_2^${k + 2} x_3`,
    values: [k, k + 1, k + 2],
  }));
  const root = parseSvg(boxPlot(many, { width: 400 }));
  const labels = byName(byName(root, "g", "categories")[0], "text");
  assertEquals(labels.length, 12);
  for (const l of labels) {
    assert(/^rotate\(-45 /.test(l.attrs.transform ?? ""), "rotated label");
  }
});

Deno.test("boxPlot() rejects bad input with a clear message", () => {
  assertThrows(
    () => boxPlot([], { title: "G" }),
    Error,
    'Cannot draw box plot "G": no groups given',
  );
  assertThrows(
    () => boxPlot([{ label: "a", values: [1], markers: { median: 1 } }]),
    Error,
    'group "a" has marker "median", which is not in markerStyles (local, mean, combined)',
  );
});

Deno.test("boxPlot() widens a figure of few boxes to fit its title and legend", () => {
  const svg = boxPlot(groups.slice(0, 2), {
    title: "Top 2 coefficients at x_0 = (0.5, 0.5), by |local|",
    yLabel: "coefficient of (x − x_0)^α",
  });
  const root = parseSvg(svg);
  const width = Number(root.attrs.width);
  const legend = byName(byName(root, "g", "legend")[0], "text");
  const last = legend[legend.length - 1];
  // 6.2 px per character over-estimates the 11 px legend font
  const end = Number(last.attrs.x) + 6.2 * textOf(last).length;
  assert(end <= width, `legend ends at ${end} px, past the width ${width}`);
  const [title] = byName(root, "text", "title");
  const half = 0.5 * 7.5 * textOf(title).length; // 14 px bold: ~7.2 px
  assert(Number(title.attrs.x) + half <= width, "title fits");
  assert(Number(title.attrs.x) - half >= 0, "title fits on the left");
});
