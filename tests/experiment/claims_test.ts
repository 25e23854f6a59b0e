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
