import { applyLinearMap, fitLinearMap } from "../../lib/regions/linear_map.ts";
import { createRng } from "../../lib/random.ts";
import {
  assertAlmostEquals,
  assertArrayClose,
  assertEquals,
  assertThrows,
} from "../_assert.ts";

function matrix(
  rows: number,
  cols: number,
  f: (r: number, c: number) => number,
) {
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) data[r * cols + c] = f(r, c);
  }
  return { rows, cols, data };
}

Deno.test("fitLinearMap() recovers a known affine relation exactly", () => {
  const rng = createRng(1);
  const x = matrix(50, 3, () => rng.uniform(-2, 2));
  const b = [[1, -2], [0.5, 3], [-1, 0.25]];
  const c = [0.7, -1.1];
  const y = matrix(
    50,
    2,
    (r, k) =>
      c[k] + [0, 1, 2].reduce((s, i) => s + x.data[r * 3 + i] * b[i][k], 0),
  );
  const fit = fitLinearMap(x, y);
  // a noise-free relation: recovered to float64 rounding
  assertArrayClose(fit.coefficients, b.flat(), { rtol: 0, atol: 1e-12 });
  assertArrayClose(fit.intercept, c, { rtol: 0, atol: 1e-12 });
  assertEquals(fit.rank, 3);
  assertAlmostEquals(fit.score, 1, 1e-12);
  assertArrayClose(applyLinearMap(fit, x).data, y.data, {
    rtol: 0,
    atol: 1e-12,
  });
});

Deno.test("fitLinearMap() gives the minimum-norm solution for rank-deficient inputs", () => {
  // two identical input columns and one constant one: y = 4x + 1 has the
  // minimum-norm solution B = [2, 2, 0] (NumPy's lstsq gives the same)
  const rng = createRng(2);
  const x = matrix(30, 3, (_r, c) => c === 2 ? 5 : 0);
  for (let r = 0; r < 30; r++) {
    const v = rng.uniform(-1, 1);
    x.data[3 * r] = v;
    x.data[3 * r + 1] = v;
  }
  const y = matrix(30, 1, (r) => 4 * x.data[3 * r] + 1);
  const fit = fitLinearMap(x, y);
  assertEquals(fit.rank, 1);
  assertArrayClose(fit.coefficients, [2, 2, 0], { rtol: 0, atol: 1e-10 });
  assertArrayClose(fit.intercept, [1], { rtol: 0, atol: 1e-10 });
});

Deno.test("fitLinearMap() reports R² per output like scikit-learn", () => {
  // y0 = x exactly; y1 = x² on x = −1, 0, 1: best line is constant 2/3,
  // R² = 0; y2 constant and fitted exactly: R² = 1
  const x = matrix(3, 1, (r) => r - 1);
  const y = matrix(3, 3, (r, k) => [r - 1, (r - 1) ** 2, 7][k]);
  const fit = fitLinearMap(x, y);
  assertArrayClose(fit.r2, [1, 0, 1], { rtol: 0, atol: 1e-12 });
  assertAlmostEquals(fit.score, 2 / 3, 1e-12);
});

Deno.test("fitLinearMap() and applyLinearMap() check their shapes", () => {
  const x = matrix(3, 2, () => 1);
  assertThrows(
    () => fitLinearMap(x, matrix(4, 1, () => 1)),
    Error,
    'Cannot fit a linear map "3 vs 4 rows": both sides need the same number of rows, at least 2',
  );
  const fit = fitLinearMap(x, matrix(3, 1, () => 1));
  assertThrows(
    () => applyLinearMap(fit, matrix(1, 3, () => 1)),
    Error,
    'Cannot apply a linear map "3 columns": the map takes 2',
  );
});
