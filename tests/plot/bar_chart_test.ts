import { barChart } from "../../lib/plot/bar_chart.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { linearAxis, parseSvg, readTicks } from "./_figure.ts";
import { byName, textOf } from "./_xml.ts";
import { assertSnapshot } from "./_snapshot.ts";

const terms = [
  { label: "x_2", value: 0.51 },
  { label: "x_1^2", value: 0.55 },
  { label: "x_1 x_2", value: -0.07 },
  { label: "1", value: -0.01 },
  { label: "x_2^2", value: 0.03 },
];

Deno.test("barChart() matches its snapshots", async () => {
  await assertSnapshot(
    "bar_chart_horizontal",
    barChart(terms, { title: "Top coefficients", valueLabel: "coefficient" }),
  );
  await assertSnapshot(
    "bar_chart_vertical",
    barChart(terms, {
      orientation: "vertical",
      sort: "none",
      valueLabel: "coefficient",
      categoryLabel: "monomial",
    }),
  );
});

Deno.test("barChart() sorts by |value|, keeps the top ones and colours by sign", () => {
  const root = parseSvg(barChart(terms, { top: 3 }));
  const bars = byName(root, "rect", "bar");
  assertEquals(bars.length, 3);
  const names = byName(byName(root, "g", "categories")[0], "text").map(textOf);
  assertEquals(names, ["x12", "x2", "x1 x2"]);
  assertEquals(bars.map((b) => b.attrs.fill), [
    "#d6604d",
    "#d6604d",
    "#4393c3",
  ]);
  const values = byName(byName(root, "g", "values")[0], "text").map(textOf);
  assertEquals(values, ["0.55", "0.51", "−0.07"]);
});

Deno.test("barChart() bar lengths are proportional to the values", () => {
  const root = parseSvg(barChart(terms, { sort: "none" }));
  const x = linearAxis(root, "bottom");
  const bars = byName(root, "rect", "bar");
  // Tolerance 0.05 px: positions are rounded to 0.01 px.
  terms.forEach((t, k) => {
    const b = bars[k];
    const left = Number(b.attrs.x);
    const right = left + Number(b.attrs.width);
    const [from, to] = t.value >= 0 ? [left, right] : [right, left];
    assert(Math.abs(from - x(0)) < 0.05, `bar ${k} starts at 0`);
    assert(Math.abs(to - x(t.value)) < 0.05, `bar ${k} ends at its value`);
  });
});

Deno.test("barChart() valueDomain gives charts of different values one scale", () => {
  const shared = { valueDomain: [-0.4, 1.2] as const, width: 440 };
  const small = parseSvg(
    barChart(
      [{ label: "a", value: 0.1 }, { label: "b", value: -0.05 }],
      shared,
    ),
  );
  const large = parseSvg(
    barChart([{ label: "a", value: 1.2 }, { label: "b", value: -0.4 }], shared),
  );
  const labels = (root: ReturnType<typeof parseSvg>) =>
    readTicks(root, "bottom").map((t) => t.label);
  assertEquals(labels(small), labels(large));
  assert(Number(labels(small)[0]) <= -0.4, "the axis reaches -0.4");
  assert(Number(labels(small).at(-1)) >= 1.2, "the axis reaches 1.2");
  assertThrows(
    () => barChart(terms, { title: "B", valueDomain: [0, NaN] }),
    Error,
    'Cannot draw bar chart "B": valueDomain [0, NaN] is not two finite numbers',
  );
});

Deno.test("barChart() vertical bars grow up for positive values", () => {
  const root = parseSvg(
    barChart([{ label: "a", value: 2 }, { label: "b", value: -1 }], {
      orientation: "vertical",
    }),
  );
  const y = linearAxis(root, "left");
  const [a, b] = byName(root, "rect", "bar");
  assert(Math.abs(Number(a.attrs.y) - y(2)) < 0.05, "top of a at 2");
  assert(Math.abs(Number(b.attrs.y) - y(0)) < 0.05, "top of b at 0");
  assert(
    Math.abs(Number(b.attrs.y) + Number(b.attrs.height) - y(-1)) < 0.05,
    "bottom of b at -1",
  );
});

Deno.test("barChart() rejects bad values with a clear message", () => {
  assertThrows(
    () => barChart([], { title: "B" }),
    Error,
    'Cannot draw bar chart "B": no bars given',
  );
  assertThrows(
    () => barChart([{ label: "a", value: NaN }], { title: "B" }),
    Error,
    'Cannot draw bar chart "B": bar "a" has value NaN, which is not finite',
  );
});
