import { maskedOutputs } from "../../lib/interactions/masked_outputs.ts";
import {
  mobiusTransform,
  zetaTransform,
} from "../../lib/interactions/mobius.ts";
import { createRng } from "../../lib/random.ts";
import { assertArrayClose, assertThrows } from "../_assert.ts";

/** I(S) = Σ_{T ⊆ S} (−1)^{|S|−|T|} v(T), summed plainly over all pairs. */
function bruteMobius(v: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  for (let s = 0; s < v.length; s++) {
    for (let t = 0; t < v.length; t++) {
      if ((t & s) !== t) continue;
      let parity = 0;
      for (let d = s ^ t; d; d &= d - 1) parity ^= 1;
      out[s] += (parity ? -1 : 1) * v[t];
    }
  }
  return out;
}

Deno.test("mobiusTransform() equals the brute-force sum on random set functions, n = 0 … 8", () => {
  const rng = createRng(3);
  for (let n = 0; n <= 8; n++) {
    const v = Float64Array.from({ length: 2 ** n }, () => rng.normal());
    // at most 256 terms of size ~1 per entry: rounding well below 1e-11
    assertArrayClose(mobiusTransform(v), bruteMobius(v), {
      rtol: 0,
      atol: 1e-11,
      msg: `n = ${n}`,
    });
  }
});

Deno.test("zetaTransform() inverts mobiusTransform() exactly on integers and to 1e-12 on floats", () => {
  const rng = createRng(4);
  for (const n of [1, 5, 8, 12]) {
    const ints = Float64Array.from(
      { length: 2 ** n },
      () => Math.round(rng.uniform(-1000, 1000)),
    );
    // integer sums stay exact in float64 (atol 0; −0 equals 0)
    const exact = { rtol: 0, atol: 0 };
    assertArrayClose(zetaTransform(mobiusTransform(ints)), ints, exact);
    assertArrayClose(mobiusTransform(zetaTransform(ints)), ints, exact);
    const v = Float64Array.from({ length: 2 ** n }, () => rng.normal());
    assertArrayClose(zetaTransform(mobiusTransform(v)), v, {
      rtol: 0,
      atol: 1e-12 * 2 ** (n / 2),
    });
  }
});

Deno.test("mobiusTransform() of a multilinear polynomial at input 1, baseline 0 gives its coefficients", async () => {
  // f(x) = Σ_S c_S ∏_{i∈S} x_i on 6 variables with random coefficients
  const n = 6;
  const rng = createRng(5);
  const c = Float64Array.from({ length: 2 ** n }, () => rng.uniform(-2, 2));
  const f = (x: Float32Array, { rows }: { rows: number }) =>
    Promise.resolve(Float64Array.from({ length: rows }, (_, r) => {
      let y = 0;
      for (let s = 0; s < 2 ** n; s++) {
        let term = c[s];
        for (let i = 0; i < n; i++) if ((s >> i) & 1) term *= x[r * n + i];
        y += term;
      }
      return y;
    }));
  const v = await maskedOutputs(f, new Array(n).fill(1), { batchSize: 10 });
  assertArrayClose(mobiusTransform(v), c, { rtol: 0, atol: 1e-12 });
  // at a general input x, I(S) = c_S ∏_{i∈S} x_i
  const x = [0.5, -1.5, 2, 0.25, -0.75, 1.25];
  const vx = await maskedOutputs(f, x);
  const expected = c.map((cs, s) =>
    x.reduce((p, xi, i) => ((s >> i) & 1 ? p * xi : p), cs)
  );
  assertArrayClose(mobiusTransform(vx), expected, { rtol: 0, atol: 1e-12 });
});

Deno.test("mobiusTransform() and zetaTransform() need 2^n values", () => {
  assertThrows(
    () => mobiusTransform([1, 2, 3]),
    Error,
    'Cannot compute the Möbius transform of length "3": expected one value per subset, 2^n values',
  );
  assertThrows(
    () => zetaTransform([]),
    Error,
    'Cannot compute the zeta transform of length "0"',
  );
});
