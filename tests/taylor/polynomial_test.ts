import { TaylorPolynomial } from "../../lib/taylor/polynomial.ts";
import type { Term } from "../../lib/taylor/polynomial.ts";
import { multiIndices } from "../../lib/taylor/_multi_index.ts";
import {
  assert,
  assertAlmostEquals,
  assertArrayClose,
  assertEquals,
  assertThrows,
} from "../_assert.ts";

/** Deterministic uniform numbers in [lo, hi) (mulberry32). */
function random(seed: number): (lo?: number, hi?: number) => number {
  let s = seed >>> 0;
  return (lo = 0, hi = 1) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return lo + (hi - lo) * u;
  };
}

/**
 * f(x) = 0.5 + x_1 + 0.6 x_2 x_3 − x_3 x_5 and its derivatives, worked out by
 * hand (0-based below): ∇f = (1, 0.6 x_3, 0.6 x_2 − x_5, 0, −x_3); the
 * Hessian is constant with H[1][2] = H[2][1] = 0.6, H[2][4] = H[4][2] = −1;
 * every third derivative is 0.
 */
function quadratic(x: readonly number[]): number {
  return 0.5 + x[0] + 0.6 * x[1] * x[2] - x[2] * x[4];
}

function quadraticDerivatives(x0: readonly number[], order: number) {
  const d = 5;
  const out: Float64Array[] = [
    Float64Array.of(quadratic(x0)),
    Float64Array.of(1, 0.6 * x0[2], 0.6 * x0[1] - x0[4], 0, -x0[2]),
  ];
  const hessian = new Float64Array(d * d);
  hessian[1 * d + 2] = hessian[2 * d + 1] = 0.6;
  hessian[2 * d + 4] = hessian[4 * d + 2] = -1;
  out.push(hessian);
  for (let k = 3; k <= order; k++) out.push(new Float64Array(d ** k));
  return out.slice(0, order + 1);
}

/**
 * The derivative tensors of exp(a·x) at x0, from the closed form
 * ∂_{i_1}⋯∂_{i_k} exp(a·x) = a_{i_1}⋯a_{i_k} exp(a·x), in C order.
 */
function expDerivatives(
  a: readonly number[],
  x0: readonly number[],
  n: number,
) {
  const value = Math.exp(a.reduce((s, ai, i) => s + ai * x0[i], 0));
  const out: Float64Array[] = [Float64Array.of(value)];
  let previous = Float64Array.of(value);
  for (let k = 1; k <= n; k++) {
    const next = new Float64Array(previous.length * a.length);
    for (let p = 0; p < previous.length; p++) {
      for (let i = 0; i < a.length; i++) {
        next[p * a.length + i] = previous[p] * a[i];
      }
    }
    out.push(next);
    previous = next;
  }
  return out;
}

/** The paper's expansion at (0.5, 0.5) (seed 000, function discovery). */
const SEED_AT_HALF = new TaylorPolynomial([
  { exponents: [0, 0], coefficient: 0.38 },
  { exponents: [1, 0], coefficient: 0.54 },
  { exponents: [0, 1], coefficient: 0.51 },
  { exponents: [2, 0], coefficient: 0.53 },
  { exponents: [1, 1], coefficient: 0.06 },
  { exponents: [0, 2], coefficient: 0.03 },
], { center: [0.5, 0.5] });

Deno.test("fromDerivatives() of a quadratic reproduces it exactly at random points", () => {
  const rnd = random(1);
  const x0 = [0.3, -0.7, 1.2, 0.4, -0.1];
  const p = TaylorPolynomial.fromDerivatives(quadraticDerivatives(x0, 3), {
    center: x0,
  });
  assertEquals(p.order, 3);
  assertEquals(p.terms.length, 56, "C(3 + 5, 5) monomials");
  assertEquals(p.coefficientOf([0, 1, 1, 0, 0]), 0.6, "∂²f/∂x2∂x3 / 1!1!");
  assertEquals(p.coefficientOf([0, 0, 2, 0, 0]), 0, "no x3² term");
  const points = Array.from({ length: 50 }, () => x0.map(() => rnd(-2, 2)));
  const expected = points.map(quadratic);
  // float64 rounding only: the polynomial is f itself
  assertArrayClose(p.evaluate(points), expected, { rtol: 1e-12, atol: 1e-12 });
});

Deno.test("fromDerivatives() accepts Float32Array derivatives and number[] alike", () => {
  const x0 = [0.5, 0.5, 0.5, 0.5, 0.5];
  const d64 = quadraticDerivatives(x0, 2);
  const p64 = TaylorPolynomial.fromDerivatives(d64, { center: x0 });
  const p32 = TaylorPolynomial.fromDerivatives(
    d64.map((a) => new Float32Array(a)),
    { center: x0 },
  );
  const pArr = TaylorPolynomial.fromDerivatives(d64.map((a) => [...a]), {
    center: x0,
  });
  assertEquals(pArr.toJSON(), p64.toJSON());
  // float32 storage of 0.6 etc.: agreement to float32 precision
  for (const t of p64.terms) {
    assertAlmostEquals(p32.coefficientOf(t.exponents), t.coefficient, 1e-7);
  }
});

Deno.test("fromDerivatives() of exp(a·x) converges to exp as the order grows", () => {
  const a = [0.7, -0.4, 0.3];
  const x0 = [0.1, 0.2, -0.3];
  const z = [[0.6, -0.2, 0.1], [-0.3, 0.5, 0.2], [0.1, 0.2, -0.3]];
  const exact = z.map((x) =>
    Math.exp(a.reduce((s, ai, i) => s + ai * x[i], 0))
  );
  let previousError = Infinity;
  for (let n = 1; n <= 12; n++) {
    const p = TaylorPolynomial.fromDerivatives(expDerivatives(a, x0, n), {
      center: x0,
    });
    const got = p.evaluate(z);
    for (let j = 0; j < z.length; j++) {
      // Lagrange remainder of exp along the segment: |t|^(n+1)/(n+1)!·e^max
      // with t = a·(z − x0); plus 1e-14 for float64 rounding.
      const t = a.reduce((s, ai, i) => s + ai * (z[j][i] - x0[i]), 0);
      const top = Math.max(exact[j], exact[j] / Math.exp(t));
      let bound = (top * Math.abs(t) ** (n + 1)) / factorial(n + 1);
      bound += 1e-14;
      assert(
        Math.abs(got[j] - exact[j]) <= bound,
        `order ${n}, point ${j}: error ${
          Math.abs(got[j] - exact[j])
        } > bound ${bound}`,
      );
    }
    const error = Math.abs(got[0] - exact[0]);
    assert(
      n === 12 || error < previousError,
      `error must shrink at order ${n}`,
    );
    previousError = error;
  }
  assert(previousError < 1e-12, `order 12 error ${previousError} ≥ 1e-12`);
});

function factorial(k: number): number {
  return k <= 1 ? 1 : k * factorial(k - 1);
}

Deno.test('fromDerivatives() with mixed "none" keeps only pure powers', () => {
  const a = [0.7, -0.4, 0.3];
  const x0 = [0.1, 0.2, -0.3];
  const n = 6;
  const full = expDerivatives(a, x0, n);
  const e0 = full[0][0];
  // ∂^k f/∂x_i^k = a_i^k exp(a·x0): the diagonal of the full tensor
  const pure = full.map((_, k) =>
    k === 0 ? Float64Array.of(e0) : Float64Array.from(a, (ai) => ai ** k * e0)
  );
  const p = TaylorPolynomial.fromDerivatives(pure, {
    center: x0,
    mixed: "none",
  });
  assertEquals(p.terms.length, 1 + n * a.length, "1 + n·d terms");
  for (const t of p.terms) {
    const nonzero = t.exponents.filter((e) => e > 0).length;
    assert(nonzero <= 1, `mixed term ${JSON.stringify(t.exponents)}`);
  }
  // Without mixed terms p(x0 + h) = e0·(1 + Σ_i Σ_{k=1..n} (a_i h_i)^k / k!)
  const h = [0.3, -0.2, 0.5];
  let expected = 1;
  for (let i = 0; i < a.length; i++) {
    for (let k = 1; k <= n; k++) expected += (a[i] * h[i]) ** k / factorial(k);
  }
  expected *= e0;
  const [got] = p.evaluate([x0.map((v, i) => v + h[i])]);
  assertAlmostEquals(got, expected, 1e-13, "sum of univariate series");
  // re-centring keeps the structure: still no mixed terms
  for (const t of p.recenter([0, 0, 0]).terms) {
    assert(
      t.exponents.filter((e) => e > 0).length <= 1,
      "mixed after recenter",
    );
  }
});

function randomPolynomial(seed: number, dim: number, order: number) {
  const rnd = random(seed);
  const center = Array.from({ length: dim }, () => rnd(-1, 1));
  const tensors = [Float64Array.of(rnd(-1, 1))];
  for (let k = 1; k <= order; k++) {
    // a symmetric tensor: the value depends on the sorted tuple only
    const values = new Map<string, number>();
    const t = new Float64Array(dim ** k);
    for (let flat = 0; flat < t.length; flat++) {
      const tuple: number[] = [];
      for (let r = flat, j = 0; j < k; j++, r = Math.floor(r / dim)) {
        tuple.push(r % dim);
      }
      const key = tuple.sort().join();
      if (!values.has(key)) values.set(key, rnd(-1, 1));
      t[flat] = values.get(key)!;
    }
    tensors.push(t);
  }
  return TaylorPolynomial.fromDerivatives(tensors, { center });
}

Deno.test("recenter() gives the same values at random points (1e-12 relative)", () => {
  const rnd = random(7);
  const p = randomPolynomial(3, 3, 5);
  const x1 = [0.8, -0.6, 0.25];
  const q = p.recenter(x1);
  assertEquals(q.center, x1);
  assertEquals(q.order, 5);
  const z = Array.from(
    { length: 40 },
    () => [rnd(-2, 2), rnd(-2, 2), rnd(-2, 2)],
  );
  // relative to Σ|c_α (z − x0)^α|, the scale of the float64 rounding
  const scale = new TaylorPolynomial(
    p.terms.map((t) => ({ ...t, coefficient: Math.abs(t.coefficient) })),
    { center: p.center },
  );
  const sizes = scale.evaluate(
    z.map((row) => row.map((v, i) => p.center[i] + Math.abs(v - p.center[i]))),
  );
  const got = q.evaluate(z);
  const expected = p.evaluate(z);
  z.forEach((_, j) => {
    assertAlmostEquals(got[j], expected[j], 1e-12 * Math.max(1, sizes[j]));
  });
});

Deno.test("recenter() there and back returns the original coefficients", () => {
  const p = randomPolynomial(11, 3, 4);
  const back = p.recenter([1.5, -0.5, 0]).recenter([...p.center]);
  assertEquals(back.terms.length, p.terms.length);
  for (const t of p.terms) {
    assertAlmostEquals(back.coefficientOf(t.exponents), t.coefficient, 1e-12);
  }
  assertEquals(back.center, p.center);
});

Deno.test("recenter() of a polynomial's expansion gives its exact coefficients at x1", () => {
  const x0 = [0.3, -0.7, 1.2, 0.4, -0.1];
  const x1 = [-1, 0.5, 0.25, 2, 0.75];
  const moved = TaylorPolynomial.fromDerivatives(quadraticDerivatives(x0, 3), {
    center: x0,
  }).recenter(x1);
  const direct = TaylorPolynomial.fromDerivatives(quadraticDerivatives(x1, 3), {
    center: x1,
  });
  assertEquals(
    moved.terms.map((t) => t.exponents),
    direct.terms.map((t) => t.exponents),
  );
  moved.terms.forEach((t, j) => {
    // float64 rounding of sums of a few O(1) products
    assertAlmostEquals(t.coefficient, direct.terms[j].coefficient, 1e-14);
  });
});

Deno.test("toPowersOfX() of the seed's expansion at (0.5, 0.5) gives its plain form", () => {
  const plain = SEED_AT_HALF.toPowersOfX();
  assertEquals(plain.center, [0, 0]);
  // the seed prints 0.01 − 0.02 x1 + 0.45 x2 + 0.53 x1² + 0.06 x1x2 + 0.03 x2²
  const printed: [number[], number][] = [
    [[0, 0], 0.01],
    [[1, 0], -0.02],
    [[0, 1], 0.45],
    [[2, 0], 0.53],
    [[1, 1], 0.06],
    [[0, 2], 0.03],
  ];
  for (const [exponents, value] of printed) {
    // ±0.01: the seed's numbers are rounded to 2 decimals
    assertAlmostEquals(
      plain.coefficientOf(exponents),
      value,
      0.01,
      `${exponents}`,
    );
  }
  assertEquals(
    plain.toString(),
    "y = 0.01 - 0.02 x_1 + 0.45 x_2 + 0.53 x_1^2 + 0.06 x_1 x_2 + 0.03 x_2^2",
  );
  assertEquals(
    plain.prune({ threshold: 0.1 }).toString(),
    "y = 0.45 x_2 + 0.53 x_1^2",
  );
});

Deno.test("toPowersOfX() of the seed's expansion at (−0.5, −0.5) gives its plain form", () => {
  const p = new TaylorPolynomial([
    { exponents: [0, 0], coefficient: -0.13 },
    { exponents: [1, 0], coefficient: -0.51 },
    { exponents: [0, 1], coefficient: 0.49 },
    { exponents: [2, 0], coefficient: 0.5 },
    { exponents: [1, 1], coefficient: -0.07 },
    { exponents: [0, 2], coefficient: 0.02 },
  ], { center: [-0.5, -0.5] });
  assertEquals(
    p.toString(),
    "y = -0.13 - 0.51 (x_1 + 0.5) + 0.49 (x_2 + 0.5) + 0.50 (x_1 + 0.5)^2 - 0.07 (x_1 + 0.5) (x_2 + 0.5) + 0.02 (x_2 + 0.5)^2",
  );
  const plain = p.toPowersOfX();
  // the seed prints −0.03 − 0.05 x1 + 0.48 x2 + 0.50 x1² − 0.07 x1x2 + 0.02 x2² (±0.01)
  assertAlmostEquals(plain.coefficientOf([1, 0]), -0.05, 0.01);
  assertAlmostEquals(plain.coefficientOf([0, 1]), 0.48, 0.01);
  assertAlmostEquals(plain.coefficientOf([2, 0]), 0.5, 1e-15);
  assertAlmostEquals(plain.coefficientOf([1, 1]), -0.07, 1e-15);
  assertAlmostEquals(plain.coefficientOf([0, 2]), 0.02, 1e-15);
  assertAlmostEquals(plain.coefficientOf([0, 0]), -0.03, 0.01);
  // from the rounded inputs the x2 slope is 0.475 exactly in decimals (a
  // float64 just below it), so it prints 0.47 where the seed printed 0.48
  assertAlmostEquals(plain.coefficientOf([0, 1]), 0.475, 1e-15);
});

Deno.test("toString() renders the seed's forms exactly", () => {
  assertEquals(
    SEED_AT_HALF.toString(),
    "y = 0.38 + 0.54 (x_1 - 0.5) + 0.51 (x_2 - 0.5) + 0.53 (x_1 - 0.5)^2 + 0.06 (x_1 - 0.5) (x_2 - 0.5) + 0.03 (x_2 - 0.5)^2",
  );
  // at the origin, with terms that round to ±0.00 (the seed's first line)
  const atOrigin = new TaylorPolynomial([
    { exponents: [0, 0], coefficient: -0.0071 },
    { exponents: [1, 0], coefficient: 0.0012 },
    { exponents: [0, 1], coefficient: 0.5123 },
    { exponents: [2, 0], coefficient: 0.5512 },
    { exponents: [1, 1], coefficient: -0.0031 },
    { exponents: [0, 2], coefficient: 0.0287 },
  ], { center: [0, 0] });
  assertEquals(
    atOrigin.toString(),
    "y = -0.01 + 0.00 x_1 + 0.51 x_2 + 0.55 x_1^2 - 0.00 x_1 x_2 + 0.03 x_2^2",
  );
  assertEquals(
    atOrigin.round(2).toString(),
    "y = -0.01 + 0.51 x_2 + 0.55 x_1^2 + 0.03 x_2^2",
    "rounded-away terms are exact zeros and are skipped",
  );
  assertEquals(
    atOrigin.toString({
      digits: 3,
      variable: "z",
      output: "f",
      sort: "magnitude",
    }),
    "f = 0.551 z_1^2 + 0.512 z_2 + 0.029 z_2^2 - 0.007 - 0.003 z_1 z_2 + 0.001 z_1",
  );
  assertEquals(
    atOrigin.prune({ threshold: 0.1 }).toString(),
    "y = 0.51 x_2 + 0.55 x_1^2",
  );
});

Deno.test("toString() writes the zero polynomial as y = 0 and one-term signs plainly", () => {
  assertEquals(
    new TaylorPolynomial([], { center: [0, 0] }).toString(),
    "y = 0",
  );
  assertEquals(
    new TaylorPolynomial([{ exponents: [1], coefficient: 0 }], { center: [1] })
      .toLatex(),
    "y = 0",
  );
  assertEquals(
    new TaylorPolynomial([{ exponents: [3], coefficient: -2 }], { center: [0] })
      .toString(),
    "y = -2.00 x_1^3",
  );
  assertEquals(
    new TaylorPolynomial([{ exponents: [0], coefficient: 7 }], {
      center: [0.1 + 0.2],
    })
      .toString({ digits: 0 }),
    "y = 7",
  );
  assertEquals(
    new TaylorPolynomial([{ exponents: [1], coefficient: 1 }], {
      center: [0.1 + 0.2],
    })
      .toString(),
    "y = 1.00 (x_1 - 0.3)",
    "centers print at six significant digits",
  );
});

Deno.test("toString() widens the decimals when every shown term would read 0.00", () => {
  const tiny = new TaylorPolynomial([
    { exponents: [0, 0], coefficient: 8.58147e-6 },
    { exponents: [1, 0], coefficient: -5.54121e-7 },
    { exponents: [1, 1], coefficient: 3e-9 },
  ], { center: [0, 0] });
  // the largest, 8.58147e-6, gets two significant digits (7 decimals); the
  // others share its decimals
  assertEquals(
    tiny.toString(),
    "y = 0.0000086 - 0.0000006 x_1 + 0.0000000 x_1 x_2",
  );
  assertEquals(
    tiny.toLatex({ digits: 3 }),
    "y = 0.00000858 - 0.00000055 x_{1} + 0.00000000 x_{1} x_{2}",
  );
  assertEquals(
    tiny.toString({ digits: 0 }),
    "y = 0.000009 - 0.000001 x_1 + 0.000000 x_1 x_2",
    "digits 0 still shows one significant digit",
  );
  // a term that rounds to 0.00 beside a larger one keeps the paper's form
  const mixed = new TaylorPolynomial([
    { exponents: [1], coefficient: 0.51 },
    { exponents: [2], coefficient: -0.002 },
  ], { center: [0] });
  assertEquals(mixed.toString(), "y = 0.51 x_1 - 0.00 x_1^2");
  assertEquals(
    new TaylorPolynomial([{ exponents: [1], coefficient: 1e-300 }], {
      center: [0],
    }).toString(),
    "y = 1.0e-300 x_1",
    "past 20 decimals, exponent form",
  );
});

Deno.test("toLatex() renders braces for indices and exponents", () => {
  const p = new TaylorPolynomial([
    { exponents: [0, 1], coefficient: 0.5 },
    { exponents: [2, 0], coefficient: 0.51 },
  ], { center: [0, 0] });
  assertEquals(p.toLatex(), "y = 0.50 x_{2} + 0.51 x_{1}^{2}");
  assertEquals(
    SEED_AT_HALF.toLatex(),
    "y = 0.38 + 0.54 (x_{1} - 0.5) + 0.51 (x_{2} - 0.5) + 0.53 (x_{1} - 0.5)^{2} + 0.06 (x_{1} - 0.5) (x_{2} - 0.5) + 0.03 (x_{2} - 0.5)^{2}",
  );
  const big = new TaylorPolynomial([{ exponents: [12], coefficient: -1 }], {
    center: [-2],
  });
  assertEquals(big.toLatex({ digits: 1 }), "y = -1.0 (x_{1} + 2)^{12}");
});

Deno.test("prune() drops zeros and small terms and keeps the largest", () => {
  const p = SEED_AT_HALF.toPowersOfX();
  const kept = p.prune({ keep: 3 });
  assertEquals(kept.order, 2);
  assertEquals(kept.center, [0, 0]);
  assertEquals(kept.terms.map((t) => t.exponents), [[0, 1], [2, 0], [1, 1]]);
  const withZero = new TaylorPolynomial([
    { exponents: [0], coefficient: 0 },
    { exponents: [1], coefficient: 1e-9 },
  ], { center: [0] });
  assertEquals(withZero.prune().terms.length, 1, "exact zeros go by default");
  assertEquals(withZero.prune({ threshold: 1e-8 }).terms.length, 0);
  assertThrows(
    () => p.prune({ threshold: -1 }),
    RangeError,
    'Cannot prune with threshold "-1": it must be a number ≥ 0',
  );
  assertThrows(
    () => p.prune({ keep: 1.5 }),
    RangeError,
    'Cannot prune keeping "1.5" terms',
  );
});

Deno.test("topK() orders by |coefficient|, ties by degree then graded order", () => {
  const p = new TaylorPolynomial([
    { exponents: [0, 2], coefficient: 0.5 },
    { exponents: [2, 0], coefficient: -0.5 },
    { exponents: [0, 1], coefficient: 0.5 },
    { exponents: [1, 0], coefficient: 0.9 },
    { exponents: [0, 0], coefficient: 0 },
    { exponents: [1, 1], coefficient: 0.1 },
  ], { center: [0, 0] });
  const order = (terms: Term[]) => terms.map((t) => t.exponents.join(""));
  assertEquals(order(p.topK(4)), ["10", "01", "20", "02"]);
  assertEquals(
    order(p.topK(10)),
    ["10", "01", "20", "02", "11"],
    "zeros never listed",
  );
  assertEquals(p.topK(0), []);
  assertThrows(() => p.topK(-1), RangeError, 'Cannot take the top "-1" terms');
});

Deno.test("round() rounds like toFixed and turns -0 into 0", () => {
  const p = new TaylorPolynomial([
    { exponents: [1], coefficient: -0.004 },
    { exponents: [2], coefficient: 0.5349 },
    { exponents: [3], coefficient: 2.5 },
  ], { center: [0] });
  const r = p.round(2);
  assert(Object.is(r.coefficientOf([1]), 0), "-0.004 rounds to +0");
  assertEquals(r.coefficientOf([2]), 0.53);
  assertEquals(p.round(0).coefficientOf([3]), 3);
  assertThrows(() => p.round(-1), RangeError, 'Cannot round to "-1" digits');
  assertThrows(
    () => p.toString({ digits: 2.5 }),
    RangeError,
    'Cannot render to "2.5" digits',
  );
});

Deno.test("toJSON() lists terms largest first and fromJSON() reads it back", () => {
  const json = SEED_AT_HALF.toJSON();
  assertEquals(json.dim, 2);
  assertEquals(json.order, 2);
  assertEquals(json.center, [0.5, 0.5]);
  assertEquals(json.terms.map((t) => t.coefficient), [
    0.54,
    0.53,
    0.51,
    0.38,
    0.06,
    0.03,
  ]);
  assertEquals(json.terms[0], { exponents: [1, 0], coefficient: 0.54 });
  const back = TaylorPolynomial.fromJSON(
    JSON.parse(JSON.stringify(SEED_AT_HALF)),
  );
  assertEquals(back.toJSON(), json);
  assertEquals(back.toString(), SEED_AT_HALF.toString());
  assertThrows(
    () =>
      TaylorPolynomial.fromJSON({ dim: 3, order: 1, center: [0], terms: [] }),
    RangeError,
    "dim does not match the center's length",
  );
  assertThrows(
    () =>
      TaylorPolynomial.fromJSON({ dim: 1, order: 1, center: [0], terms: [{}] }),
    RangeError,
    "terms[0] is not {exponents, coefficient}",
  );
});

Deno.test("evaluate() accepts rows or a flat typed array and checks shapes", () => {
  const p = SEED_AT_HALF;
  const rows = [[0.1, 0.2], [0.9, -0.4], [0.5, 0.5]];
  const byRows = p.evaluate(rows);
  assertEquals(p.evaluate(new Float64Array(rows.flat())), byRows);
  assertEquals(byRows[2], 0.38, "at the center only the constant remains");
  // a plain evaluation of the printed formula as reference
  const [x1, x2] = [0.1 - 0.5, 0.2 - 0.5];
  const hand = 0.38 + 0.54 * x1 + 0.51 * x2 + 0.53 * x1 * x1 + 0.06 * x1 * x2 +
    0.03 * x2 * x2;
  assertAlmostEquals(byRows[0], hand, 1e-15);
  assertThrows(
    () => p.evaluate([[1, 2, 3]]),
    RangeError,
    'Cannot evaluate at point "[1,2,3]": expected 2 coordinates',
  );
  assertThrows(
    () => p.evaluate(new Float32Array(3)),
    RangeError,
    "length is not a multiple of 2",
  );
  assertEquals(p.evaluate([]).length, 0);
});

Deno.test("fromDerivatives() rejects malformed input with clear errors", () => {
  assertThrows(
    () =>
      TaylorPolynomial.fromDerivatives([[1], [1, 2], [1, 2, 3]], {
        center: [0, 0],
      }),
    RangeError,
    'Cannot build a Taylor polynomial from "derivatives[2]": expected 4 values (shape [2,2]), got 3',
  );
  assertThrows(
    () =>
      TaylorPolynomial.fromDerivatives([[1], [1, 2], [1, 2, 3, 4]], {
        center: [0, 0],
        mixed: "none",
      }),
    RangeError,
    'from "derivatives[2]": expected 2 values (shape [2]), got 4',
  );
  assertThrows(
    () => TaylorPolynomial.fromDerivatives([[1], [NaN, 0]], { center: [0, 0] }),
    RangeError,
    'from "derivatives[1]": entry 0 is NaN',
  );
  assertThrows(
    () => TaylorPolynomial.fromDerivatives([], { center: [0] }),
    RangeError,
    'from "derivatives": it is empty',
  );
  assertThrows(
    () =>
      TaylorPolynomial.fromDerivatives([[1]], {
        center: [0],
        mixed: "some" as "all",
      }),
    RangeError,
    'Cannot build a Taylor polynomial with mixed "some"',
  );
  assertThrows(
    () => TaylorPolynomial.fromDerivatives([[1]], { center: [0, Infinity] }),
    RangeError,
    'Cannot build a Taylor polynomial at center "[0,Infinity]": coordinates must be finite numbers',
  );
  assertThrows(
    () => SEED_AT_HALF.recenter([0]),
    RangeError,
    'Cannot re-center a Taylor polynomial at "[0]": expected 2 coordinates',
  );
  assertThrows(
    () =>
      new TaylorPolynomial([{ exponents: [1], coefficient: 1 }], {
        center: [0, 0],
      }),
    RangeError,
    'from term "[1]": expected 2 exponents',
  );
  assertThrows(
    () =>
      new TaylorPolynomial([{ exponents: [3], coefficient: 1 }], {
        center: [0],
        order: 2,
      }),
    RangeError,
    'Cannot build a Taylor polynomial of order "2"',
  );
});

Deno.test("new TaylorPolynomial() merges duplicate monomials and sorts graded", () => {
  const p = new TaylorPolynomial([
    { exponents: [0, 2], coefficient: 1 },
    { exponents: [1, 0], coefficient: 2 },
    { exponents: [0, 2], coefficient: 0.5 },
    { exponents: [2, 0], coefficient: 3 },
  ], { center: [0, 0], order: 4 });
  assertEquals(p.order, 4);
  assertEquals(p.terms.map((t) => [t.exponents, t.coefficient]), [
    [[1, 0], 2],
    [[2, 0], 3],
    [[0, 2], 1.5],
  ]);
  assert(Object.isFrozen(p.terms) && Object.isFrozen(p.terms[0]), "immutable");
});

Deno.test("new TaylorPolynomial() puts shuffled terms in multiIndices() order", () => {
  const rnd = random(5);
  const reference = multiIndices(3, 4);
  const shuffled = reference.map((exponents) => ({ exponents, key: rnd() }))
    .sort((a, b) => a.key - b.key)
    .map(({ exponents }, j) => ({ exponents, coefficient: j + 1 }));
  const p = new TaylorPolynomial(shuffled, { center: [0, 0, 0] });
  assertEquals(p.terms.map((t) => t.exponents), reference);
});

Deno.test("recenter() and evaluate() handle 784 unmixed variables at order 10", () => {
  const rnd = random(9);
  const d = 784;
  const n = 10;
  const derivatives = [Float32Array.of(0.25)];
  for (let k = 1; k <= n; k++) {
    derivatives.push(Float32Array.from({ length: d }, () => rnd(-1, 1)));
  }
  const center = Array.from({ length: d }, () => rnd(0, 1));
  const p = TaylorPolynomial.fromDerivatives(derivatives, {
    center,
    mixed: "none",
  });
  assertEquals(p.terms.length, 1 + n * d);
  const z = Array.from({ length: 3 }, () => center.map(() => rnd(0, 1)));
  // reference: the sum of univariate series, written plainly
  const expected = z.map((x) => {
    let sum = derivatives[0][0];
    for (let i = 0; i < d; i++) {
      for (let k = 1; k <= n; k++) {
        sum += derivatives[k][i] * (x[i] - center[i]) ** k / factorial(k);
      }
    }
    return sum;
  });
  // float64 sums of ~8000 terms of size ≤ 1
  assertArrayClose(p.evaluate(z), expected, { rtol: 1e-12, atol: 1e-12 });
  const plain = p.toPowersOfX();
  assertEquals(plain.terms.length, 1 + n * d, "still only pure powers");
  assertArrayClose(plain.evaluate(z), expected, { rtol: 1e-9, atol: 1e-9 });
});
