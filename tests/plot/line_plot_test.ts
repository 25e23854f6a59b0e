import { linePlot, type LineSeries } from "../../lib/plot/line_plot.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { linearAxis, parseSvg, pathPoints, readTicks } from "./_figure.ts";
import { byName, textOf } from "./_xml.ts";
import { assertSnapshot } from "./_snapshot.ts";

const orders = [1, 2, 3, 4, 5];
const accuracy: LineSeries[] = [
  { label: "HOPE", x: orders, y: orders.map((n) => 10 ** -n) },
  { label: "autograd", x: orders, y: orders.map((n) => 4 * 10 ** (-n / 2)) },
  { label: "backward $x_1^2$", x: orders, y: orders.map((n) => 0.3 / n) },
];

function accuracyPlot(): string {
  return linePlot(accuracy, {
    title: "Error of $\\partial^n y$",
    xLabel: "order $n$",
    yLabel: "relative error",
    yScale: "log",
    markers: true,
    dashed: true,
  });
}

Deno.test("linePlot() matches its snapshot", async () => {
  await assertSnapshot("line_plot_log", accuracyPlot());
  const t = [0, 0.5, 1, 1.5, 2];
  await assertSnapshot(
    "line_plot_linear",
    linePlot([
      { label: "sin", x: t, y: t.map(Math.sin) },
      { label: "cos", x: t, y: t.map(Math.cos), dash: "4 2", marker: "square" },
    ], {
      xLabel: "x_1",
      yLabel: "y",
      legend: "right",
      width: 360,
      height: 240,
    }),
  );
});

Deno.test("linePlot() draws one path per series, each with a legend entry", () => {
  const root = parseSvg(accuracyPlot());
  const series = byName(root, "path", "series");
  assertEquals(series.length, accuracy.length, "series paths");
  const strokes = new Set(series.map((p) => p.attrs.stroke));
  assertEquals(strokes.size, accuracy.length, "distinct colours");
  const [legend] = byName(root, "g", "legend");
  const legendText = byName(legend, "text").map(textOf);
  assertEquals(legendText, ["HOPE", "autograd", "backward x12"]);
  // dashed: the first series solid, the others dashed.
  assertEquals(series[0].attrs["stroke-dasharray"], undefined);
  assert(series[1].attrs["stroke-dasharray"] !== undefined, "second dashed");
  assertEquals(byName(root, "g", "markers").length, accuracy.length, "markers");
});

Deno.test("linePlot() labels a log axis with powers of ten only", () => {
  const root = parseSvg(accuracyPlot());
  const ticks = readTicks(root, "left");
  // Data span 10^-5 .. 10^0.3: whole decades 10^-5 .. 10^1.
  assertEquals(
    ticks.map((t) => t.label),
    ["10-5", "10-4", "10-3", "10-2", "10-1", "100", "101"],
  );
  const [axis] = byName(root, "g", "axis-left");
  for (const text of byName(axis, "text")) {
    const [sup] = byName(text, "tspan");
    assert(sup && Number(sup.attrs.dy) < 0, "exponent is raised");
  }
  // Decades are equally spaced (tolerance: 0.02 px from 2-decimal rounding).
  const gaps = ticks.slice(1).map((t, k) => ticks[k].pos - t.pos);
  for (const g of gaps) {
    assert(Math.abs(g - gaps[0]) < 0.02, `decade gap ${g} vs ${gaps[0]}`);
  }
});

Deno.test("linePlot() places points on the log scale (a power law is straight)", () => {
  const root = parseSvg(accuracyPlot());
  const [hope] = byName(root, "path", "series");
  const { points } = pathPoints(hope.attrs.d);
  assertEquals(points.length, orders.length);
  const ticks = readTicks(root, "left");
  const decade = ticks[0].pos - ticks[1].pos;
  // y = 10^-n drops one decade per unit of n (tolerance 0.03 px: rounding).
  for (let k = 1; k < points.length; k++) {
    const drop = points[k][1] - points[k - 1][1];
    assert(Math.abs(drop - decade) < 0.03, `step ${k}: ${drop} vs ${decade}`);
  }
  const x = linearAxis(root, "bottom");
  points.forEach(([px], k) =>
    assert(Math.abs(px - x(orders[k])) < 0.03, `x of point ${k}`)
  );
});

Deno.test("linePlot() breaks a line at values a log axis cannot show", () => {
  const svg = linePlot([
    { label: "a", x: [1, 2, 3, 4, 5], y: [1, 0.1, 0, 0.01, 0.001] },
  ], { yScale: "log", legend: "none" });
  const root = parseSvg(svg);
  const [path] = byName(root, "path", "series");
  const { points, moves } = pathPoints(path.attrs.d);
  assertEquals(moves, 2, "two pieces");
  assertEquals(points.length, 4, "the zero is left out");
  assertEquals(byName(root, "g", "legend").length, 0, "legend: none");
});

Deno.test("linePlot() output is deterministic and ids differ between figures", () => {
  const a = accuracyPlot();
  assertEquals(a, accuracyPlot());
  const idOf = (svg: string) => /<clipPath id="([^"]+)"/.exec(svg)?.[1];
  const other = linePlot([{ label: "b", x: [0, 1], y: [1, 2] }]);
  assert(idOf(a) !== undefined && idOf(a) !== idOf(other), "distinct clip ids");
  assert(a.includes(`clip-path="url(#${idOf(a)})"`), "series use the clip");
});

Deno.test("linePlot() escapes text and keeps the XML well-formed", () => {
  const svg = linePlot([{ label: 'a < b & "c"', x: [0, 1], y: [0, 1] }], {
    title: "R&D <test>",
  });
  const root = parseSvg(svg);
  assertEquals(textOf(byName(root, "title")[0]), "R&D <test>");
  const [legend] = byName(root, "g", "legend");
  assertEquals(textOf(byName(legend, "text")[0]), 'a < b & "c"');
});

Deno.test("linePlot() rejects bad series with a clear message", () => {
  assertThrows(
    () => linePlot([], { title: "T" }),
    Error,
    'Cannot draw line plot "T": no series given',
  );
  assertThrows(
    () => linePlot([{ label: "s", x: [1, 2], y: [1] }], { title: "T" }),
    Error,
    'Cannot draw line plot "T": series "s" has 2 x values and 1 y values',
  );
  assertThrows(
    () => linePlot([{ label: "s", x: [1, 2], y: [0, -1] }], { yScale: "log" }),
    Error,
    "the log y axis needs positive values, the series have none",
  );
});

Deno.test("linePlot() thins dense series but keeps their ends", () => {
  const x = Array.from({ length: 10000 }, (_, i) => i / 9999);
  const y = x.map((v) => v * v);
  const root = parseSvg(linePlot([{ label: "dense", x, y }], { width: 400 }));
  const [path] = byName(root, "path", "series");
  const { points } = pathPoints(path.attrs.d);
  // The frame is under 400 px wide: consecutive points at least 0.25 px
  // apart leave a few thousand at most.
  assert(points.length < 2500, `${points.length} points drawn`);
  const px = linearAxis(root, "bottom");
  const py = linearAxis(root, "left");
  const [first, last] = [points[0], points[points.length - 1]];
  // Tolerance 0.05 px: rounding of positions to 0.01 px.
  assert(
    Math.abs(first[0] - px(0)) < 0.05 && Math.abs(first[1] - py(0)) < 0.05,
  );
  assert(Math.abs(last[0] - px(1)) < 0.05 && Math.abs(last[1] - py(1)) < 0.05);
  for (let k = 1; k < points.length - 1; k++) {
    const step = Math.hypot(
      points[k][0] - points[k - 1][0],
      points[k][1] - points[k - 1][1],
    );
    // 0.25 px less up to 0.01 px of rounding.
    assert(step >= 0.24, `step ${k} is ${step} px`);
  }
});

Deno.test("linePlot() integerX puts x ticks at integers only, labelled as integers", () => {
  const epochs = [1, 2, 3];
  const root = parseSvg(
    linePlot([{ label: "loss", x: epochs, y: [0.5, 0.2, 0.1] }], {
      integerX: true,
    }),
  );
  assertEquals(readTicks(root, "bottom").map((t) => t.label), ["1", "2", "3"]);
  const plain = parseSvg(
    linePlot([{ label: "loss", x: epochs, y: [0.5, 0.2, 0.1] }]),
  );
  assert(readTicks(plain, "bottom").length > 3, "fractional ticks by default");
});
