import { evaluateClaims, resolvePointer } from "../../lib/experiment/claims.ts";
import type { ClaimConfig } from "../../lib/experiment/schema.ts";
import { assertEquals } from "../_assert.ts";

const OUTPUTS = {
  train: { finalLoss: 1e-4 },
  analyses: {
    "a/b": { v: 1 },
    g: {
      local: { "1": 0.001, x2: 0.499, "x1^2": 0.52, x1: -0.03 },
      top: ["x1^2", "x2", "x1"],
      list: [1, 2, 3],
    },
  },
};

function claim(c: Partial<ClaimConfig>): ClaimConfig {
  return { name: "c", value: "/", set: false, ...c } as ClaimConfig;
}

Deno.test("resolvePointer() follows keys, indices and ~1 escapes", () => {
  assertEquals(resolvePointer(OUTPUTS, "/analyses/g/top/1"), "x2");
  assertEquals(resolvePointer(OUTPUTS, "/analyses/a~1b/v"), 1);
  assertEquals(resolvePointer(OUTPUTS, "/analyses/g/local/x1^2"), 0.52);
  assertEquals(resolvePointer(OUTPUTS, "/analyses/g/nope"), undefined);
  assertEquals(resolvePointer(OUTPUTS, "/analyses/g/top/7"), undefined);
});

Deno.test("evaluateClaims() compares with expected ± tolerance, inclusive", () => {
  const [pass, fail] = evaluateClaims([
    claim({ value: "/analyses/g/local/x1", expected: 0, tolerance: 0.03 }),
    claim({ value: "/analyses/g/local/x2", expected: 0.5, tolerance: 0.0009 }),
  ], OUTPUTS);
  assertEquals(pass.verdict, "pass", "|−0.03 − 0| = 0.03 is within 0.03");
  assertEquals(fail.verdict, "fail");
  assertEquals(fail.value, 0.499);
});

Deno.test("evaluateClaims() reduces after excluding keys", () => {
  const outcomes = evaluateClaims([
    claim({
      value: "/analyses/g/local",
      exclude: ["x2", "x1^2"],
      reduce: "maxAbs",
      below: 0.05,
    }),
    claim({ value: "/analyses/g/local", reduce: "maxAbs", below: 0.05 }),
    claim({ value: "/analyses/g/list", reduce: "mean", expected: 2 }),
    claim({ value: "/analyses/g/list", reduce: "count", expected: 3 }),
    claim({ value: "/analyses/g/list", above: 1 }),
    claim({ value: "/analyses/g/list", above: 2 }),
  ], OUTPUTS);
  assertEquals(outcomes.map((o) => o.verdict), [
    "pass",
    "fail",
    "pass",
    "pass",
    "pass",
    "fail",
  ]);
  assertEquals(outcomes[0].value, 0.03);
  assertEquals(outcomes[5].reason, "1 is below 2");
});

Deno.test("evaluateClaims() compares lists in order or as sets", () => {
  const [ordered, set, wrong] = evaluateClaims([
    claim({ value: "/analyses/g/top", expected: ["x1^2", "x2", "x1"] }),
    claim({
      value: "/analyses/g/top",
      expected: ["x1", "x2", "x1^2"],
      set: true,
    }),
    claim({ value: "/analyses/g/top", expected: ["x1", "x2", "x1^2"] }),
  ], OUTPUTS);
  assertEquals([ordered.verdict, set.verdict, wrong.verdict], [
    "pass",
    "pass",
    "fail",
  ]);
  assertEquals(wrong.reason, 'item 0: expected "x1", got "x1^2"');
});

Deno.test("evaluateClaims() fails a claim whose value is missing or not a number", () => {
  const [missing, text] = evaluateClaims([
    claim({ value: "/train/bestLoss", below: 1 }),
    claim({ value: "/analyses/g/top/0", below: 1 }),
  ], OUTPUTS);
  assertEquals(missing.verdict, "fail");
  assertEquals(missing.reason, "no output at /train/bestLoss");
  assertEquals(text.reason, 'expected a number, got "x1^2"');
});

/** The next float64 above `x` (x > 0), for boundary tests of inclusive bounds. */
function nextUp(x: number): number {
  const f = new Float64Array([x]);
  new BigInt64Array(f.buffer)[0] += 1n;
  return f[0];
}

/** The next float64 below `x` (x > 0). */
function nextDown(x: number): number {
  const f = new Float64Array([x]);
  new BigInt64Array(f.buffer)[0] -= 1n;
  return f[0];
}

/** The verdicts and reasons of `claims` on the single output `value`. */
function judge(value: unknown, ...claims: Partial<ClaimConfig>[]) {
  return evaluateClaims(
    claims.map((c) => claim({ value: "/v", ...c })),
    { v: value },
  ).map((o) => o.reason ?? o.verdict);
}

Deno.test("evaluateClaims() below and above are inclusive, to the last bit", () => {
  const b = 0.1;
  assertEquals(judge(b, { below: b }, { above: b }), ["pass", "pass"]);
  assertEquals(judge(nextUp(b), { below: b }, { above: b }), [
    `${nextUp(b)} is above ${b}`,
    "pass",
  ]);
  assertEquals(judge(nextDown(b), { below: b }, { above: b }), [
    "pass",
    `${nextDown(b)} is below ${b}`,
  ]);
  assertEquals(judge([b, nextDown(b), nextUp(b)], { below: b }), [
    `${nextUp(b)} is above ${b}`,
  ]);
  assertEquals(judge(0.5, { above: 0.1, below: 1 }), ["pass"]);
});

Deno.test("evaluateClaims() expected ± tolerance is inclusive, to the last bit, for numbers and list items", () => {
  // 0.25 and 0.75 are exact in binary, so |0.75 − 0.5| is exactly 0.25.
  const t = 0.25;
  assertEquals(judge(0.75, { expected: 0.5, tolerance: t }), ["pass"]);
  assertEquals(judge(0.75, { expected: 0.5, tolerance: nextDown(t) }), [
    `|0.75 − 0.5| = 0.25 > ${nextDown(t)}`,
  ]);
  assertEquals(judge(0.5, { expected: 0.5 }), ["pass"], "tolerance 0");
  assertEquals(judge(nextUp(0.5), { expected: 0.5 }), [
    `|${nextUp(0.5)} − 0.5| = ${nextUp(0.5) - 0.5} > 0`,
  ]);
  assertEquals(judge([1, 0.75], { expected: [1, 0.5], tolerance: t }), [
    "pass",
  ]);
  assertEquals(
    judge([1, 0.75], { expected: [1, 0.5], tolerance: nextDown(t) }),
    [`item 1: |0.75 − 0.5| = 0.25 > ${nextDown(t)}`],
  );
});

Deno.test("evaluateClaims() compares text exactly and says what differs", () => {
  assertEquals(judge("x1", { expected: "x1" }), ["pass"]);
  assertEquals(judge("x1 ", { expected: "x1" }), [
    'expected "x1", got "x1 "',
  ]);
  assertEquals(judge("0.5", { expected: 0.5 }), [
    'expected a number, got "0.5"',
  ]);
  assertEquals(judge(0.5, { expected: "0.5" }), ['expected "0.5", got 0.5']);
});

Deno.test("evaluateClaims() lists: the shape is checked before the items", () => {
  assertEquals(judge(1, { expected: [1] }), ["expected a list, got 1"]);
  assertEquals(judge([1, 2], { expected: [1] }), [
    "expected 1 items, got 2",
  ]);
  assertEquals(judge([1], { expected: [1, 2], set: true }), [
    "expected 2 items, got 1",
  ]);
  assertEquals(judge([2, 1], { expected: [1, 2] }), [
    "item 0: |2 − 1| = 1 > 0",
  ]);
  assertEquals(judge([], { expected: [] }), ["pass"]);
});

Deno.test("evaluateClaims() sets sort numbers by value, not as text", () => {
  // As text "1.9999" < "10" but "10" < "2": a text sort pairs 1.9999 with 10.
  assertEquals(
    judge([10, 1.9999], { expected: [2, 10], tolerance: 0.001, set: true }),
    ["pass"],
  );
  assertEquals(judge([3, 1, 2], { expected: [2, 3, 1], set: true }), [
    "pass",
  ]);
  assertEquals(judge([3, 1, 1], { expected: [1, 3, 3], set: true }), [
    "as sets: |1 − 3| = 2 > 0",
  ]);
  assertEquals(judge(["b", "a"], { expected: ["a", "c"], set: true }), [
    'as sets: expected "c", got "b"',
  ]);
});

Deno.test("evaluateClaims() every reduction, on a mapping and on a list", () => {
  const values = { a: 2, b: -5, c: 1 };
  const reduced = (reduce: ClaimConfig["reduce"], v: unknown = values) =>
    evaluateClaims([claim({ value: "/v", reduce, below: 100 })], { v })[0]
      .value;
  assertEquals(reduced("max"), 2);
  assertEquals(reduced("min"), -5);
  assertEquals(reduced("maxAbs"), 5);
  assertEquals(reduced("sum"), -2);
  assertEquals(reduced("mean"), -2 / 3);
  assertEquals(reduced("count"), 3);
  assertEquals(reduced("max", [4, 9, -1]), 9);
  assertEquals(reduced("count", 7), 1, "a single value counts as one");
  assertEquals(reduced("count", "x"), 1);
});

Deno.test("evaluateClaims() reducing nothing: sum and maxAbs are 0, the others fail", () => {
  const on = (reduce: ClaimConfig["reduce"]) =>
    evaluateClaims([claim({ value: "/v", reduce, below: 100 })], {
      v: { x: 1 },
    })[0];
  const excluded = (reduce: ClaimConfig["reduce"]) =>
    evaluateClaims([
      claim({ value: "/v", reduce, exclude: ["x"], below: 100 }),
    ], { v: { x: 1 } })[0];
  assertEquals(on("sum").value, 1);
  assertEquals(excluded("sum").value, 0);
  assertEquals(excluded("maxAbs").value, 0);
  assertEquals(excluded("count").value, 0);
  for (const reduce of ["max", "min", "mean"] as const) {
    const o = excluded(reduce);
    assertEquals(
      [o.verdict, o.reason],
      ["fail", `reduce "${reduce}" of nothing at /v`],
      reduce,
    );
  }
});

Deno.test("evaluateClaims() fails reducing text and excluding from a non-mapping", () => {
  assertEquals(judge({ a: 1, b: "x" }, { reduce: "max", below: 1 }), [
    'reduce "max" needs numbers, got "x"',
  ]);
  for (const v of [[1, 2], 3, null]) {
    assertEquals(judge(v, { exclude: ["a"], below: 5 }), [
      "exclude needs a mapping at /v",
    ], JSON.stringify(v));
  }
  assertEquals(judge(Number.NaN, { below: 1 }), [
    "expected a number, got null",
  ]);
});

Deno.test("evaluateClaims() records the claim's settings, and only those given", () => {
  const [bound, exact] = evaluateClaims([
    claim({ name: "b", value: "/v", reduce: "max", below: 3, above: 1 }),
    claim({ name: "e", value: "/v/0", expected: 2, tolerance: 0.5 }),
  ], { v: [2] });
  assertEquals(bound, {
    name: "b",
    path: "/v",
    value: 2,
    verdict: "pass",
    below: 3,
    above: 1,
    reduce: "max",
  });
  assertEquals(exact, {
    name: "e",
    path: "/v/0",
    value: 2,
    verdict: "pass",
    expected: 2,
    tolerance: 0.5,
  });
});

Deno.test("resolvePointer() reads own keys only and stops at non-objects", () => {
  assertEquals(resolvePointer({ "a~b": 1 }, "/a~0b"), 1);
  assertEquals(resolvePointer({ "a/~1": 2 }, "/a~1~01"), 2);
  assertEquals(resolvePointer({ a: {} }, "/a/toString"), undefined);
  assertEquals(resolvePointer({ a: null }, "/a/b"), undefined);
  assertEquals(resolvePointer({ a: 3 }, "/a/b"), undefined);
  assertEquals(resolvePointer({ a: [5, 6] }, "/a/1"), 6);
  assertEquals(resolvePointer({ a: { "1": 7 } }, "/a/1"), 7);
  assertEquals(resolvePointer({ a: 1 }, ""), { a: 1 });
});
