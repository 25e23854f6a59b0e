import { monomialLabel } from "../../lib/plot/monomial_label.ts";
import { assertEquals, assertThrows } from "../_assert.ts";

Deno.test("monomialLabel() names monomials in math and Unicode styles", () => {
  assertEquals(monomialLabel([0, 0]), "1");
  assertEquals(monomialLabel([1, 0]), "x_1");
  assertEquals(monomialLabel([2, 1]), "x_1^2 x_2");
  assertEquals(monomialLabel([0, 0, 12]), "x_3^{12}");
  assertEquals(
    monomialLabel([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
    "x_{11}",
  );
  assertEquals(monomialLabel([2, 1], { style: "unicode" }), "x₁²x₂");
  assertEquals(monomialLabel([1, 3], { variable: "z" }), "z_1 z_2^3");
  assertEquals(
    monomialLabel([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], {
      style: "unicode",
    }),
    "x₁₁²",
  );
});

Deno.test("monomialLabel() names the factors of a polynomial in x − x0 by the shifted variable", () => {
  assertEquals(
    monomialLabel([2, 1], { center: [0.5, 0.5] }),
    "(x_1 − 0.5)^2 (x_2 − 0.5)",
  );
  assertEquals(monomialLabel([0, 1], { center: [0.5, -0.25] }), "(x_2 + 0.25)");
  assertEquals(
    monomialLabel([1, 1], { center: [0, 0.1 + 0.2] }),
    "x_1 (x_2 − 0.3)",
  );
  assertEquals(monomialLabel([0, 0], { center: [0.5, 0.5] }), "1");
  assertEquals(
    monomialLabel([2, 1], { center: [0.5, -0.5], style: "unicode" }),
    "(x₁ − 0.5)²(x₂ + 0.5)",
  );
});

Deno.test("monomialLabel() rejects exponents that are not non-negative integers", () => {
  assertThrows(
    () => monomialLabel([1, -1]),
    Error,
    'Cannot name monomial "[1, -1]": exponent -1 of variable 2 is not a non-negative integer',
  );
  assertThrows(() => monomialLabel([0.5]), Error, "exponent 0.5 of variable 1");
});
