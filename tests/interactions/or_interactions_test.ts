import {
  orInteractions,
  orOutputs,
} from "../../lib/interactions/or_interactions.ts";
import { createRng } from "../../lib/random.ts";
import { assertArrayClose, assertThrows } from "../_assert.ts";

const parity = (s: number) => {
  let p = 0;
  for (let d = s; d; d &= d - 1) p ^= 1;
  return p;
};

Deno.test("orInteractions() equals the paper's definition summed plainly, n = 1 … 7", () => {
  const rng = createRng(6);
  for (let n = 1; n <= 7; n++) {
    const size = 2 ** n;
    const v = Float64Array.from({ length: size }, () => rng.normal());
    // I_or(∅) = v(∅); I_or(S) = −Σ_{T⊆S} (−1)^{|S|−|T|} v(N∖T)
    const brute = new Float64Array(size);
    brute[0] = v[0];
    for (let s = 1; s < size; s++) {
      for (let t = 0; t < size; t++) {
        if ((t & s) !== t) continue;
        brute[s] -= (parity(s ^ t) ? -1 : 1) * v[(size - 1) ^ t];
      }
    }
    assertArrayClose(orInteractions(v), brute, {
      rtol: 0,
      atol: 1e-11,
      msg: `n = ${n}`,
    });
  }
});

Deno.test("orOutputs() sums I_or(∅) and every I_or(T) with T ∩ S ≠ ∅, and inverts orInteractions()", () => {
  const rng = createRng(7);
  const n = 6;
  const size = 2 ** n;
  const I = Float64Array.from({ length: size }, () => rng.normal());
  const brute = new Float64Array(size);
  for (let s = 0; s < size; s++) {
    brute[s] = I[0];
    for (let t = 1; t < size; t++) if (t & s) brute[s] += I[t];
  }
  // sums of ≤ 64 terms of size ~1
  assertArrayClose(orOutputs(I), brute, { rtol: 0, atol: 1e-12 });
  assertArrayClose(orInteractions(orOutputs(I)), I, { rtol: 0, atol: 1e-12 });
  const ints = Float64Array.from({ length: size }, (_, s) => (s * 37) % 11 - 5);
  assertArrayClose(orOutputs(orInteractions(ints)), ints, {
    rtol: 0,
    atol: 0,
  });
});

Deno.test("orInteractions() of an OR of players is one interaction", () => {
  // v(S) = 2 when player 0, 2 or 3 is present (n = 4), else 0
  const v = Float64Array.from({ length: 16 }, (_, s) => (s & 0b1101 ? 2 : 0));
  const expected = new Float64Array(16);
  expected[0b1101] = 2;
  assertArrayClose(orInteractions(v), expected, { rtol: 0, atol: 0 });
});

Deno.test("orInteractions() needs 2^n values", () => {
  assertThrows(
    () => orInteractions([1, 2, 3, 4, 5]),
    Error,
    'Cannot compute OR interactions of length "5"',
  );
  assertThrows(() => orOutputs([1, 2, 3]), Error, "Cannot sum OR interactions");
});
