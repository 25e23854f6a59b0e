import {
  binomial,
  countMultiIndices,
  factorial,
  factorialOf,
  flatIndexOfTuple,
  multiIndices,
  multiIndicesOfDegree,
  multinomial,
  tupleOfMultiIndex,
} from "../../lib/taylor/_multi_index.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";

Deno.test("multiIndicesOfDegree() lists each monomial once, in graded order", () => {
  assertEquals(multiIndicesOfDegree(3, 2), [
    [2, 0, 0],
    [1, 1, 0],
    [1, 0, 1],
    [0, 2, 0],
    [0, 1, 1],
    [0, 0, 2],
  ]);
  assertEquals(multiIndicesOfDegree(1, 4), [[4]]);
  assertEquals(multiIndicesOfDegree(0, 0), [[]]);
  assertEquals(multiIndicesOfDegree(0, 2), []);
  // independent reference: filter every vector of {0..k}^d by its degree
  const d = 4;
  const k = 3;
  const brute: string[] = [];
  for (let code = 0; code < (k + 1) ** d; code++) {
    const alpha = Array.from(
      { length: d },
      (_, i) => Math.floor(code / (k + 1) ** (d - 1 - i)) % (k + 1),
    );
    if (alpha.reduce((s, a) => s + a, 0) === k) brute.push(alpha.join());
  }
  // brute force enumerates ascending lexicographically; graded order is the reverse
  assertEquals(
    multiIndicesOfDegree(d, k).map((a) => a.join()),
    brute.reverse(),
  );
});

Deno.test("multiIndices() has C(n + d, d) entries, degree ascending", () => {
  for (const [d, n] of [[1, 5], [2, 8], [3, 4], [5, 3]]) {
    const all = multiIndices(d, n);
    assertEquals(all.length, countMultiIndices(d, n), `d=${d}, n=${n}`);
    const degrees = all.map((a) => a.reduce((s, e) => s + e, 0));
    assert(
      degrees.every((g, i) => i === 0 || g >= degrees[i - 1]),
      "degree ascending",
    );
    assertEquals(
      new Set(all.map((a) => a.join())).size,
      all.length,
      "no duplicates",
    );
  }
  assertEquals(countMultiIndices(784, 2), 308505);
});

Deno.test("multinomial() counts the ordered tuples of each monomial", () => {
  // Σ_{|α|=k} k!/α! = d^k: every ordered tuple of [d]^k names one monomial
  for (const [d, k] of [[2, 5], [3, 4], [4, 3]]) {
    const total = multiIndicesOfDegree(d, k).reduce(
      (s, a) => s + multinomial(a),
      0,
    );
    assertEquals(total, d ** k, `d=${d}, k=${k}`);
  }
  assertEquals(multinomial([2, 1, 1]), 12);
  assertEquals(multinomial([]), 1);
});

Deno.test("factorial() and factorialOf() are float64 and overflow to Infinity", () => {
  assertEquals(factorial(0), 1);
  assertEquals(factorial(10), 3628800);
  assertEquals(factorial(20), 2432902008176640000);
  assertEquals(factorial(171), Infinity);
  assertEquals(factorialOf([3, 0, 2]), 12);
  assertThrows(
    () => factorial(-1),
    RangeError,
    'Cannot take the factorial of "-1"',
  );
  assertThrows(() => factorialOf([1.5]), RangeError, 'factorial of "1.5"');
});

Deno.test("binomial() matches Pascal's triangle", () => {
  let row = [1];
  for (let n = 0; n <= 40; n++) {
    for (let k = 0; k <= n; k++) {
      assertEquals(binomial(n, k), row[k], `C(${n},${k})`);
    }
    row = [1, ...row.slice(1).map((v, i) => v + row[i]), 1];
  }
  assertEquals(binomial(5, -1), 0);
  assertEquals(binomial(5, 6), 0);
  assertThrows(
    () => binomial(-2, 1),
    RangeError,
    'Cannot take the binomial coefficient "C(-2, 1)"',
  );
});

Deno.test("flatIndexOfTuple() follows C order and tupleOfMultiIndex() sorts variables", () => {
  // C order: the last axis moves fastest
  let flat = 0;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      for (let k = 0; k < 3; k++) {
        assertEquals(flatIndexOfTuple([i, j, k], 3), flat++);
      }
    }
  }
  assertEquals(flatIndexOfTuple([], 5), 0);
  assertThrows(
    () => flatIndexOfTuple([0, 3], 3),
    RangeError,
    'Cannot index tuple "(0,3)": entry 3 is outside [0, 3)',
  );
  assertEquals(tupleOfMultiIndex([0, 2, 1]), [1, 1, 2]);
  assertEquals(tupleOfMultiIndex([0, 0]), []);
  assertThrows(
    () => tupleOfMultiIndex([1, -1]),
    RangeError,
    'Cannot read multi-index "[1,-1]"',
  );
});
