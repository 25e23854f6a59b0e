import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { Basis } from "../../lib/taylor/_series.ts";
import { multiIndicesOfDegree } from "../../lib/taylor/_multi_index.ts";
import { Jet } from "../../lib/taylor/jet.ts";
import { assert, assertAlmostEquals, assertEquals } from "../_assert.ts";
import { compose, mul, type Series } from "./_jet64.ts";
import {
  alongDirection,
  multivariateJet,
  numbers,
  randomCoefficients,
  readJet,
  scoped,
  univariateJet,
} from "./_jets.ts";
import { perOrderError } from "./_setup.ts";

await useBackend("wasm");

function randomSeries(count: number, order: number, seed: number): Series[] {
  const next = numbers(seed);
  return Array.from(
    { length: count },
    () => Array.from({ length: order + 1 }, (_, k) => next() * 0.7 ** k),
  );
}

Deno.test("Basis.rank() follows the graded order of _multi_index.ts", () => {
  for (const d of [1, 2, 3, 5]) {
    const basis = new Basis(d, 5);
    for (let k = 0; k <= 5; k++) {
      const list = multiIndicesOfDegree(d, k);
      assertEquals(basis.counts[k], list.length, `count d=${d} k=${k}`);
      list.forEach((alpha, i) =>
        assertEquals(basis.rank(alpha), i, `rank of [${alpha}]`)
      );
    }
  }
});

Deno.test("Jet.mul() matches a float64 Cauchy product to order 10", () => {
  const a = randomSeries(6, 10, 1);
  const b = randomSeries(6, 10, 2);
  const got = scoped(() =>
    readJet(univariateJet(a).mul(univariateJet(b))).map((f) =>
      f.map((c) => c[0])
    )
  );
  const want = a.map((s, i) => mul(s, b[i]));
  const errors = perOrderError(got, want);
  // float32 storage against float64: 1e-5 relative per order
  assert(errors.every((e) => e <= 1e-5), `errors ${errors}`);
});

Deno.test("Jet.mul() of multivariate jets agrees with the product along directions", () => {
  const vars = 3;
  const order = 5;
  const a = randomCoefficients(vars, order, 4, { seed: 3 });
  const b = randomCoefficients(vars, order, 4, { seed: 4 });
  const got = scoped(() =>
    readJet(multivariateJet(vars, a).mul(multivariateJet(vars, b)))
  );
  const next = numbers(5);
  for (let trial = 0; trial < 4; trial++) {
    const v = [next(), next(), next()];
    const want = a.map((ai, i) =>
      mul(alongDirection(vars, ai, v), alongDirection(vars, b[i], v))
    );
    const have = got.map((gi) => alongDirection(vars, gi, v));
    const errors = perOrderError(have, want);
    // float32 against float64: 1e-5 relative per order
    assert(errors.every((e) => e <= 1e-5), `errors ${errors}`);
  }
});

Deno.test("Jet.mul() is exact on x1·x2·x3", () => {
  const got = scoped(() => {
    const x = Jet.variables(tf.tensor2d([[0.5, -1, 2]]), { order: 4 });
    return readJet(x.select(0).mul(x.select(1)).mul(x.select(2)))[0];
  });
  // (0.5 + a)(−1 + b)(2 + c) in the monomials 1 | a b c | a² ab ac b² bc c² | …
  assertEquals(got[0], [-1]);
  assertEquals(got[1], [-2, 1, -0.5]);
  assertEquals(got[2], [0, 2, -1, 0, 0.5, 0]);
  assertEquals(got[3], [0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
  assert(got[4].every((c) => c === 0), "nothing above degree 3");
});

Deno.test("Jet.compose() matches float64 composition for linear and full jets", () => {
  const c = randomSeries(1, 10, 6)[0];
  const linear = randomSeries(5, 10, 7).map((s) =>
    s.map((x, k) => (k > 1 ? 0 : x))
  );
  const full = randomSeries(5, 10, 8);
  for (const u of [linear, full]) {
    const got = scoped(() => {
      const jet = univariateJet(u);
      const coefficients = c.map((ck) => tf.fill([1, 1, 1, 5], ck));
      return readJet(jet.compose(coefficients)).map((f) => f.map((x) => x[0]));
    });
    const want = u.map((s) => compose(c, s));
    const errors = perOrderError(got, want);
    // float32 against float64: 1e-5 relative per order
    assert(errors.every((e) => e <= 1e-5), `errors ${errors}`);
  }
});

Deno.test("Jet.solve() runs the recurrence k·f_k = Σ j·u_j·g_{k−j} with a scale", () => {
  // f' = −f·u' on u = 0.3 + t gives exp(−u): coefficients e^{−0.3} (−1)^k / k!
  const got = scoped(() => {
    const u = Jet.identity(tf.fill([1, 1, 1, 1], 0.3), 6);
    const [f] = Jet.solve(u, {
      init: [tf.exp(tf.neg(u.value))],
      rhs: (m, f) => [f[0][m]],
      scale: [-1],
    });
    return f.blocks.map((b) => b!.dataSync()[0]);
  });
  let factorial = 1;
  got.forEach((c, k) => {
    if (k > 0) factorial *= k;
    const want = Math.exp(-0.3) * (-1) ** k / factorial;
    assertAlmostEquals(
      c,
      want,
      1e-7 * Math.max(1, Math.abs(want) * 10),
      `k=${k}`,
    );
  });
});

Deno.test("Jet.mapLinear() puts the constant part on the value only", () => {
  const got = scoped(() => {
    const x = Jet.variables(tf.tensor2d([[1, 2]]), { order: 2, mixed: "none" });
    const y = x.mapLinear((v) => tf.mul(v, 3), { bias: tf.scalar(10) });
    return y.blocks.map((b) => (b ? Array.from(b.dataSync()) : null));
  });
  assertEquals(got, [[13, 16], [3, 0, 0, 3], null]);
});

Deno.test("Jet.variables() lays out all, none and directions", () => {
  scoped(() => {
    const points = tf.tensor([[1, 2, 3], [4, 5, 6]]);
    const all = Jet.variables(points, { order: 3 });
    assertEquals(all.blocks[1]!.shape, [3, 2, 1, 3]);
    assertEquals([all.replicas, all.top, all.basis.vars], [1, 1, 3]);
    const none = Jet.variables(points, { order: 3, mixed: "none" });
    assertEquals(none.blocks[1]!.shape, [1, 2, 3, 3]);
    assertEquals(Array.from(none.blocks[1]!.dataSync()), [
      1,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      1,
      1,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      1,
    ]);
    const directions = Jet.variables(points, {
      order: 3,
      mixed: "directions",
      directions: tf.tensor([[1, 1, 0]]),
    });
    assertEquals(directions.blocks[1]!.shape, [1, 2, 1, 3]);
    assertEquals(directions.blocks[2], null);
  });
});

Deno.test("Jet.variables() maps NCHW images to the internal NHWC layout", () => {
  scoped(() => {
    // one point [C=2, H=1, W=2]: external flat index c·2 + w
    const x = Jet.variables(tf.tensor([[[[1, 2]], [[3, 4]]]]), {
      order: 1,
      mixed: "none",
    });
    assertEquals(x.shape, [1, 2, 2]);
    // internal value [h, w, c]
    assertEquals(Array.from(x.value.dataSync()), [1, 3, 2, 4]);
    // replica 1 perturbs external coordinate 1 = (c 0, w 1) = internal 2
    const r1 = Array.from(x.blocks[1]!.dataSync()).slice(4, 8);
    assertEquals(r1, [0, 0, 1, 0]);
  });
});

Deno.test("Jet.select() keeps one feature and top reports the highest block", () => {
  scoped(() => {
    const x = Jet.variables(tf.tensor2d([[1, 2, 3]]), { order: 5 });
    const y = x.select(2);
    assertEquals(y.shape, [1]);
    assertEquals(y.top, 1);
    assertEquals(Array.from(y.blocks[1]!.dataSync()), [0, 0, 1]);
    assertEquals(y.value.dataSync()[0], 3);
  });
});

Deno.test("Jet.dispose() frees every block and skips the empty ones", () => {
  tf.tidy(() => {
    // degree 1 of the input variables; degrees 2 and 3 are empty (null)
    const x = Jet.variables(tf.tensor2d([[0.2, -0.4]]), { order: 3 });
    const held = x.blocks.filter((b) => b !== null);
    assertEquals([held.length, x.blocks.length], [2, 4]);
    x.dispose();
    assert(held.every((b) => b.isDisposed), "a block is still held");
  });
});
