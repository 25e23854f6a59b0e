import {
  mathLabelWidth,
  mathText,
  mathToUnicode,
  parseMathLabel,
} from "../../lib/plot/_math_label.ts";
import { assert, assertEquals } from "../_assert.ts";
import { parseXml, textOf } from "./_xml.ts";

Deno.test("parseMathLabel() splits base text, subscripts and superscripts", () => {
  assertEquals(parseMathLabel("x_1^2 x_2"), [
    { text: "x", script: 0 },
    { text: "1", script: -1 },
    { text: "2", script: 1 },
    { text: " x", script: 0 },
    { text: "2", script: -1 },
  ]);
  assertEquals(parseMathLabel("10^{-3}"), [
    { text: "10", script: 0 },
    { text: "-3", script: 1 },
  ]);
  // Commands become symbols; one space after a command name is swallowed.
  assertEquals(parseMathLabel("\\partial y/\\partial x"), [
    { text: "∂y/∂x", script: 0 },
  ]);
  assertEquals(parseMathLabel("a\\_b \\$"), [{ text: "a_b $", script: 0 }]);
});

Deno.test("parseMathLabel() reads only $…$ as math when dollars are present", () => {
  assertEquals(parseMathLabel("file_name $x_1$"), [
    { text: "file_name x", script: 0 },
    { text: "1", script: -1 },
  ]);
  assertEquals(parseMathLabel("x₁²"), [{ text: "x₁²", script: 0 }]);
});

Deno.test("mathToUnicode() converts scripts it can and keeps the rest", () => {
  assertEquals(mathToUnicode("x_1^2 x_2"), "x₁² x₂");
  assertEquals(mathToUnicode("10^{-3}"), "10⁻³");
  assertEquals(mathToUnicode("x_{ab}"), "x_{ab}");
  assertEquals(mathToUnicode("plain"), "plain");
});

Deno.test("mathText() shifts scripts with dy and returns to the baseline", () => {
  const svg = mathText("x_1^2 y", 10, 20, { size: 10 });
  const el = parseXml(svg);
  assertEquals(textOf(el), "x12 y");
  const dys = [...svg.matchAll(/dy="([-\d.]+)"/g)].map((m) => Number(m[1]));
  assertEquals(dys.length, 3);
  // Net shift back to the baseline (tolerance 1e-9: sums of 2-decimal values).
  assert(Math.abs(dys.reduce((a, b) => a + b, 0)) < 1e-9, "ends on baseline");
  assert(dys[0] > 0 && dys[1] < 0, "subscript down, superscript up");
  assertEquals(
    mathText("a < b", 0, 0, { size: 10 }),
    '<text x="0" y="0" font-size="10">a &lt; b</text>',
  );
});

Deno.test("mathLabelWidth() counts scripts smaller than base text", () => {
  const base = mathLabelWidth("x", 10);
  const sub = mathLabelWidth("x_x", 10);
  assert(sub > base && sub < 2 * base, `x_x width ${sub} vs x ${base}`);
});
