import { andOrDecomposition } from "../../lib/interactions/and_or_decomposition.ts";
import { faithfulness } from "../../lib/interactions/faithfulness.ts";
import { mobiusTransform } from "../../lib/interactions/mobius.ts";
import { orInteractions } from "../../lib/interactions/or_interactions.ts";
import { createRng } from "../../lib/random.ts";
import {
  assert,
  assertAlmostEquals,
  assertArrayClose,
  assertThrows,
} from "../_assert.ts";

const l1 = (a: ArrayLike<number>) =>
  Array.from(a).reduce((s, x) => s + Math.abs(x), 0);
const has = (s: number, i: number) => (s >> i) & 1;

Deno.test("andOrDecomposition() finds a planted AND and OR pattern", () => {
  // v = 1.5·[0 ∧ 1 ∧ 5] − 2·[2 ∨ 3 ∨ 7] + 0.5·[4] + 0.3·[8 ∧ 9], n = 10:
  // the sparsest explanation has L1 = 1.5 + 2 + 0.5 + 0.3 = 4.3
  const v = Float64Array.from(
    { length: 1024 },
    (_, s) =>
      (has(s, 0) && has(s, 1) && has(s, 5) ? 1.5 : 0) -
      (has(s, 2) || has(s, 3) || has(s, 7) ? 2 : 0) +
      (has(s, 4) ? 0.5 : 0) + (has(s, 8) && has(s, 9) ? 0.3 : 0),
  );
  const d = andOrDecomposition(v);
  // within the default tolerance 1e-4 of the optimum
  assertAlmostEquals(d.loss, 4.3, 4.3e-4);
  assert(d.lowerBound <= d.loss && d.lowerBound > 4.29, `${d.lowerBound}`);
  assertAlmostEquals(d.and[0b100011], 1.5, 1e-3);
  assertAlmostEquals(d.or[0b10001100], -2, 1e-3);
  assertAlmostEquals(d.and[0b1100000000], 0.3, 1e-3);
  // the single player 4 is both an AND and an OR: together they carry 0.5
  assertAlmostEquals(d.and[0b10000] + d.or[0b10000], 0.5, 1e-3);
  // far below the pure AND (15.1) and the reference code's start
  assert(d.initialLoss > 15, `${d.initialLoss}`);
});

Deno.test("andOrDecomposition() without noise adds back up to every output exactly", () => {
  const rng = createRng(8);
  for (const n of [1, 3, 5]) {
    const v = Float64Array.from({ length: 2 ** n }, () => rng.normal());
    const d = andOrDecomposition(v, { iterations: 2000 });
    const f = faithfulness(v, d);
    // rounding of a few transforms of size-1 values
    assert(f.maxRelativeError < 1e-12, `n = ${n}: ${f.maxRelativeError}`);
    assert(
      d.loss <= Math.min(l1(mobiusTransform(v)), l1(orInteractions(v))) + 1e-12,
      `n = ${n}: not sparser than pure AND / OR`,
    );
    assert(d.lowerBound <= d.loss + 1e-12, `n = ${n}: bound above loss`);
  }
});

Deno.test("andOrDecomposition() keeps its noise within the bound and adds up to v + ε", () => {
  const rng = createRng(9);
  // an AND pattern with small noise on every output
  const v = Float64Array.from(
    { length: 64 },
    (_, s) => (has(s, 0) && has(s, 1) ? 2 : 0) + 0.01 * rng.normal(),
  );
  const d = andOrDecomposition(v, { noise: 0.04 });
  assertAlmostEquals(d.noiseBound, 0.04 * Math.abs(v[63] - v[0]), 1e-15);
  assert(d.noise.every((e) => Math.abs(e) <= d.noiseBound), "noise bound");
  const target = v.map((x, s) => x + d.noise[s]);
  assert(faithfulness(target, d).maxAbsError < 1e-12, "exact on v + ε");
  assert(
    faithfulness(v, d).maxAbsError <= d.noiseBound + 1e-12,
    "within the bound of v",
  );
  // the noise absorbs the jitter (L1 ≈ 1.3 on its own) and may shave the
  // pattern by up to the bound: loss near 2, far below the exact fit's
  const exact = andOrDecomposition(v);
  assert(exact.loss > 3, `exact ${exact.loss}`);
  assert(d.loss < 2.05, `with noise ${d.loss}`);
  // the pattern itself, shaved by at most about twice the bound
  assertAlmostEquals(d.and[0b11], 2, 2 * d.noiseBound);
});

Deno.test("andOrDecomposition() reports the reference code's starting loss and the split", () => {
  const v = Float64Array.from([0, 1, 1, 1]);
  const d = andOrDecomposition(v);
  // γ = ε = 0: v_and = v_or = v/2
  const half = v.map((x) => x / 2);
  assertAlmostEquals(
    d.initialLoss,
    l1(mobiusTransform(half)) + l1(orInteractions(half)),
    1e-15,
  );
  // the optimum is the pure OR: v_or = v, so γ = v_and − v/2 = −v/2
  assertArrayClose(d.split, [-0, -0.5, -0.5, -0.5], { rtol: 0, atol: 1e-9 });
  assertArrayClose(d.or, [0, 0, 0, 1], { rtol: 0, atol: 1e-9 });
});

Deno.test("andOrDecomposition() checks its options", () => {
  assertThrows(
    () => andOrDecomposition([0, 1], { noise: -1 }),
    Error,
    'Cannot decompose with option "noise = -1": expected a number ≥ 0',
  );
  assertThrows(
    () => andOrDecomposition([0, 1], { iterations: 1.5 }),
    Error,
    'Cannot decompose with option "iterations = 1.5"',
  );
  assertThrows(
    () => andOrDecomposition([0, 1, 2]),
    Error,
    'Cannot decompose outputs of length "3"',
  );
});
