import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { LAYER_TYPES } from "../../lib/nn/network.ts";
import { Jet } from "../../lib/taylor/jet.ts";
import {
  applyTaylorRule,
  type OpSpec,
  TAYLOR_RULES,
} from "../../lib/taylor/rules.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { activate, type Series } from "./_jet64.ts";
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

const ORDER = 10;
// float32 engine against a float64 reference: per-order relative error in
// max norm (acceptance criterion of issue 3).
const TOLERANCE = 1e-4;

/** Values `u0` of the features: both signs, away from 0 (for u^p, 1/u). */
function values(op: OpSpec, count: number): number[] {
  const positive = op.type === "Power" && !Number.isInteger(op.p);
  return Array.from({ length: count }, (_, i) => {
    const t = -1.6 + (3.2 * i) / (count - 1);
    if (positive) return 0.4 + Math.abs(t);
    if (op.type === "Power" || op.type === "Reciprocal") {
      return t < 0 ? t - 0.4 : t + 0.4;
    }
    return t;
  });
}

/** Univariate jets with random coefficients up to `top` (decaying 0.6^k). */
function inputs(op: OpSpec, top: number, seed: number): Series[] {
  const next = numbers(seed);
  return values(op, 9).map((u0) =>
    Array.from(
      { length: ORDER + 1 },
      (_, k) => (k === 0 ? u0 : k <= top ? next() * 0.6 ** k : 0),
    )
  );
}

const SMOOTH: OpSpec[] = [
  { type: "Sine", w0: 1 },
  { type: "Sine", w0: 3 },
  { type: "Tanh" },
  { type: "Sigmoid" },
  { type: "Softplus", beta: 1 },
  { type: "Softplus", beta: 2 },
  { type: "Exp" },
  { type: "GELU", approximate: "none" },
  { type: "GELU", approximate: "tanh" },
  { type: "ELU", alpha: 1 },
  { type: "ELU", alpha: 0.5 },
  { type: "Power", p: 3 },
  { type: "Power", p: 2.5 },
  { type: "Power", p: -2 },
  { type: "Reciprocal" },
];

for (const op of SMOOTH) {
  const name = JSON.stringify(op);
  for (const [kind, top] of [["a linear", 1], ["a full", ORDER]] as const) {
    Deno.test(
      `TAYLOR_RULES.${op.type}() ${name} matches float64 to order ${ORDER} on ${kind} jet`,
      () => {
        const u = inputs(op, top, 11 + top);
        const got = scoped(() =>
          readJet(applyTaylorRule(univariateJet(u), { op })).map((f) =>
            f.map((c) => c[0])
          )
        );
        const want = u.map((s) => activate(op, s));
        const errors = perOrderError(got, want);
        assert(
          errors.every((e) => e <= TOLERANCE),
          `per-order relative errors ${errors.map((e) => e.toExponential(1))}`,
        );
      },
    );
  }
  Deno.test(
    `TAYLOR_RULES.${op.type}() ${name} is right on multivariate jets (checked along directions)`,
    () => {
      const vars = 2;
      const order = 6;
      const u0 = values(op, 5);
      const coefficients = randomCoefficients(vars, order, 5, {
        seed: 21,
        value: (i) => u0[i],
      });
      const got = scoped(() =>
        readJet(applyTaylorRule(multivariateJet(vars, coefficients), { op }))
      );
      const next = numbers(22);
      for (let trial = 0; trial < 3; trial++) {
        const v = [next(), next()];
        const want = coefficients.map((c) =>
          activate(op, alongDirection(vars, c, v))
        );
        const have = got.map((c) => alongDirection(vars, c, v));
        const errors = perOrderError(have, want);
        assert(
          errors.every((e) => e <= TOLERANCE),
          `per-order relative errors ${errors.map((e) => e.toExponential(1))}`,
        );
      }
    },
  );
}

Deno.test("TAYLOR_RULES.ReLU() and LeakyReLU() scale every coefficient by the local slope", () => {
  for (
    const op of [{ type: "ReLU" }, {
      type: "LeakyReLU",
      slope: 0.1,
    }] as OpSpec[]
  ) {
    const u = inputs(op, ORDER, 5);
    const { got, piecewise } = scoped(() => {
      const y = applyTaylorRule(univariateJet(u), { op });
      return {
        got: readJet(y).map((f) => f.map((c) => c[0])),
        piecewise: y.piecewiseLinear,
      };
    });
    assert(piecewise, "marked piecewise linear");
    const want = u.map((s) => activate(op, s));
    assertEquals(perOrderError(got, want).every((e) => e <= 1e-7), true);
  }
});

Deno.test("TAYLOR_RULES.MaxPool2d() follows the first arg-max of each window", () => {
  // one point, a 1-channel 2×4 image, 2×2 windows with stride 2; the
  // degree-1 part is the identity of the 8 inputs (mixed: "all")
  const image = [3, 1, 5, 5, 0, 2, 4, -1];
  const { value, first, piecewise } = scoped(() => {
    const x = Jet.variables(tf.tensor(image, [1, 1, 2, 4]), { order: 2 });
    const y = applyTaylorRule(x, {
      op: { type: "MaxPool2d", kernel: [2, 2], stride: [2, 2] },
    });
    return {
      value: Array.from(y.value.dataSync()),
      first: Array.from(y.blocks[1]!.dataSync()),
      piecewise: y.piecewiseLinear,
    };
  });
  assertEquals(value, [3, 5]);
  // window 1 picks input 0; window 2 has a tie 5, 5 and picks input 2
  const picked = [0, 2];
  const want: number[] = [];
  for (let i = 0; i < 8; i++) {
    want.push(...picked.map((p) => (p === i ? 1 : 0)));
  }
  assertEquals(first, want);
  assert(piecewise, "marked piecewise linear");
});

Deno.test("TAYLOR_RULES.MaxPool2d() with a tall kernel, a stride unlike it and a row left over picks the first arg-max of each window", () => {
  // A 6×4 image of small integers (many ties), 3×2 windows with stride
  // (2, 1): 2 × 3 windows, the last row in none of them.
  const [h, w, kh, kw, sh, sw] = [6, 4, 3, 2, 2, 1];
  const next = numbers(21);
  const image = Array.from({ length: h * w }, () => Math.round(next() * 3));
  const { value, first, shape } = scoped(() => {
    const x = Jet.variables(tf.tensor(image, [1, 1, h, w]), { order: 1 });
    const y = applyTaylorRule(x, {
      op: { type: "MaxPool2d", kernel: [kh, kw], stride: [sh, sw] },
    });
    return {
      value: Array.from(y.value.dataSync()),
      first: Array.from(y.blocks[1]!.dataSync()),
      shape: y.shape,
    };
  });
  const [oh, ow] = [2, 3];
  assertEquals(shape, [oh, ow, 1]);
  // Written out here: scan each window row by row, keep the first maximum.
  const picked: number[] = [];
  for (let a = 0; a < oh; a++) {
    for (let b = 0; b < ow; b++) {
      let best = -1;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const at = (a * sh + i) * w + b * sw + j;
          if (best < 0 || image[at] > image[best]) best = at;
        }
      }
      picked.push(best);
    }
  }
  assertEquals(value, picked.map((i) => image[i]));
  const want: number[] = [];
  for (let i = 0; i < h * w; i++) {
    want.push(...picked.map((p) => (p === i ? 1 : 0)));
  }
  assertEquals(first, want);
});

Deno.test("TAYLOR_RULES has a rule for every layer type of hope-network/1", () => {
  for (const type of LAYER_TYPES) {
    assert(type in TAYLOR_RULES, `no rule for ${type}`);
  }
  for (const type of ["Exp", "Power", "Reciprocal"]) {
    assert(type in TAYLOR_RULES, `no rule for ${type}`);
  }
});

Deno.test("applyTaylorRule() throws No Taylor rule for an unknown operation", () => {
  tf.tidy(() => {
    const x = Jet.variables(tf.ones([1, 2]), { order: 2 });
    assertThrows(
      () => applyTaylorRule(x, { op: { type: "Cube" } as unknown as OpSpec }),
      Error,
      'No Taylor rule for "Cube"',
    );
    assertThrows(
      () =>
        applyTaylorRule(x, { op: { type: "toString" } as unknown as OpSpec }),
      Error,
      'No Taylor rule for "toString"',
    );
    assertThrows(
      () => applyTaylorRule(x, { op: { type: "Linear", in: 2, out: 1 } }),
      Error,
      'Cannot apply the Taylor rule of "Linear": it needs the built layer',
    );
  });
});
