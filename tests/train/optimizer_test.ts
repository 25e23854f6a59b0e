import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import {
  createOptimizer,
  type OptimizerSpec,
} from "../../lib/train/optimizer.ts";
import { assertArrayClose, assertEquals, assertThrows } from "../_assert.ts";

await useBackend("wasm");

// The 2-parameter problem f(p) = ½(p0² + 4·p1²), gradient (p0, 4·p1),
// from p = (1, −2).
const CURVATURE = [1, 4];

/** Parameters after each of `steps` steps, run by the optimiser under test. */
function run(spec: OptimizerSpec, steps: number): number[][] {
  const p = tf.variable(tf.tensor([1, -2]));
  const opt = createOptimizer([p], spec);
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const { grads } = tf.variableGrads(
      () => tf.mul(0.5, tf.sum(tf.mul(tf.tensor(CURVATURE), tf.square(p)))),
      [p],
    );
    opt.step([grads[p.name]]);
    tf.dispose(grads);
    out.push(Array.from(p.dataSync()));
  }
  assertEquals(opt.steps, steps);
  opt.dispose();
  p.dispose();
  return out;
}

/** The same updates written out in float64, one scalar at a time. */
function reference(spec: OptimizerSpec, steps: number): number[][] {
  const p = [1, -2];
  const [m, v] = [[0, 0], [0, 0]];
  const out: number[][] = [];
  const wd = spec.weightDecay ?? 0;
  for (let t = 1; t <= steps; t++) {
    for (let i = 0; i < 2; i++) {
      const g = CURVATURE[i] * p[i] + wd * p[i];
      if (spec.type === "sgd") {
        const mu = spec.momentum ?? 0;
        m[i] = mu * m[i] + g;
        p[i] -= spec.lr * (spec.nesterov ? g + mu * m[i] : m[i]);
      } else {
        const b1 = spec.beta1 ?? 0.9, b2 = spec.beta2 ?? 0.999;
        const eps = spec.eps ?? 1e-8;
        m[i] = b1 * m[i] + (1 - b1) * g;
        if (spec.type === "adam") {
          v[i] = b2 * v[i] + (1 - b2) * g * g;
          const denom = Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps;
          p[i] -= spec.lr / (1 - b1 ** t) * m[i] / denom;
        } else {
          v[i] = Math.max(b2 * v[i], Math.abs(g) + eps);
          p[i] -= spec.lr / (1 - b1 ** t) * m[i] / v[i];
        }
      }
    }
    out.push([...p]);
  }
  return out;
}

// float32 arithmetic over a few steps: 1e-5 relative, 1e-6 absolute.
const TOL = { rtol: 1e-5, atol: 1e-6 };

const CASES: [OptimizerSpec, number[][]][] = [
  // b = g = (1, −8); p = (1 − 0.1, −2 + 0.8). Then g = (0.9, −4.8),
  // b = 0.9·(1, −8) + g = (1.8, −12), p = (0.9 − 0.18, −1.2 + 1.2).
  [{ type: "sgd", lr: 0.1, momentum: 0.9 }, [[0.9, -1.2], [0.72, 0]]],
  // Nesterov: step along g + 0.9·b = 1.9·g = (1.9, −15.2).
  [{ type: "sgd", lr: 0.1, momentum: 0.9, nesterov: true }, [[0.81, -0.48]]],
  // Weight decay 0.5: g = (1, −8) + 0.5·(1, −2) = (1.5, −9).
  [{ type: "sgd", lr: 0.1, weightDecay: 0.5 }, [[0.85, -1.1]]],
  // Adam: the first step is lr·sign(g); the second by hand:
  // m = (0.18, −1.48), v = (0.001809, 0.121696), p − 0.1·m̂/√v̂.
  [{ type: "adam", lr: 0.1 }, [[0.9, -1.9], [0.800412, -1.800166]]],
  // Adamax: first step lr·sign(g); then u = max(0.999·|g1|, |g2|) =
  // (0.999, 7.992), p − (0.1/0.19)·m/u.
  [{ type: "adamax", lr: 0.1 }, [[0.9, -1.9], [0.805168, -1.802534]]],
  [{ type: "adam", lr: 0.05, beta1: 0.5, beta2: 0.9, eps: 1e-3 }, []],
];

Deno.test("createOptimizer() first steps match hand-computed updates", () => {
  for (const [spec, hand] of CASES) {
    const got = run(spec, Math.max(hand.length, 1));
    // The hand values are rounded to 6 decimals.
    hand.forEach((want, t) =>
      assertArrayClose(got[t], want, {
        rtol: 0,
        atol: 2e-6,
        msg: `${JSON.stringify(spec)} step ${t + 1}`,
      })
    );
  }
});

Deno.test("createOptimizer() follows the float64 update rules over 20 steps", () => {
  for (const [spec] of CASES) {
    const got = run(spec, 20);
    const want = reference(spec, 20);
    got.forEach((p, t) =>
      assertArrayClose(p, want[t], {
        ...TOL,
        msg: `${JSON.stringify(spec)} step ${t + 1}`,
      })
    );
  }
});

Deno.test("createOptimizer() uses a changed learning rate from the next step", () => {
  const p = tf.variable(tf.tensor([1]));
  const opt = createOptimizer([p], { type: "sgd", lr: 0.5 });
  opt.step([tf.tensor([1])]);
  opt.lr = 0.25;
  opt.step([tf.tensor([1])]);
  assertEquals(Array.from(p.dataSync()), [0.25]);
  opt.dispose();
});

Deno.test("createOptimizer() rejects unknown types and settings out of range", () => {
  const p = tf.variable(tf.tensor([1]));
  assertThrows(
    // @ts-expect-error: an unknown type, as a YAML file might hold
    () => createOptimizer([p], { type: "rmsprop", lr: 0.1 }),
    Error,
    'Cannot create optimizer "rmsprop": unknown type; expected "sgd", "adam" or "adamax"',
  );
  assertThrows(
    () => createOptimizer([p], { type: "sgd", lr: 0.1, momentum: 1 }),
    Error,
    'Cannot create optimizer "sgd": momentum = 1, expected a number in [0, 1)',
  );
  assertThrows(
    () => createOptimizer([p], { type: "adam", lr: -1 }),
    Error,
    'Cannot create optimizer "adam": lr = -1, expected a positive number',
  );
  assertThrows(
    () => createOptimizer([p], { type: "sgd", lr: 0.1, nesterov: true }),
    Error,
    'Cannot create optimizer "sgd": nesterov needs a momentum > 0',
  );
  // Each bound at its edge: lr and eps must be > 0, weightDecay and the
  // momenta ≥ 0 (0 itself is accepted), and numbers, not text.
  const bad: [Record<string, unknown>, string][] = [
    [{ type: "sgd", lr: 0 }, "lr = 0, expected a positive number"],
    [
      { type: "sgd", lr: Infinity },
      "lr = Infinity, expected a positive number",
    ],
    [
      { type: "sgd", lr: 0.1, weightDecay: -0.01 },
      "weightDecay = -0.01, expected a number ≥ 0",
    ],
    [
      { type: "sgd", lr: 0.1, weightDecay: "1" },
      "weightDecay = 1, expected a number ≥ 0",
    ],
    [
      { type: "sgd", lr: 0.1, momentum: -0.1 },
      "momentum = -0.1, expected a number in [0, 1)",
    ],
    [{ type: "adam", lr: 0.1, eps: 0 }, "eps = 0, expected a positive number"],
    [
      { type: "adamax", lr: 0.1, beta2: 1 },
      "beta2 = 1, expected a number in [0, 1)",
    ],
  ];
  for (const [spec, why] of bad) {
    assertThrows(
      () => createOptimizer([p], spec as unknown as OptimizerSpec),
      Error,
      `Cannot create optimizer "${spec.type}": ${why}`,
    );
  }
  for (
    const spec of [
      { type: "sgd", lr: 0.1, weightDecay: 0, momentum: 0 },
      { type: "adam", lr: 0.1, beta1: 0, beta2: 0 },
    ] as const
  ) {
    createOptimizer([p], spec).dispose();
  }
  p.dispose();
});

Deno.test("createOptimizer() dispose() frees its state: two slots per parameter for adam", () => {
  const params = [tf.variable(tf.tensor([1, 2])), tf.variable(tf.tensor([3]))];
  const before = tf.memory().numTensors;
  const opt = createOptimizer(params, { type: "adam", lr: 0.1 });
  assertEquals(tf.memory().numTensors - before, 4);
  opt.dispose();
  assertEquals(tf.memory().numTensors, before);
  params.forEach((p) => p.dispose());
});
