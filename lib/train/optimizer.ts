/**
 * Optimisers that update `tf.Variable`s in place, with PyTorch's update
 * rules (`torch.optim.SGD`, `Adam`, `Adamax`) so that learning rates and
 * other settings carry over from the reference configs. Written here rather
 * than taken from `tf.train` so that the learning rate can change between
 * epochs and every step is plain, deterministic tensor arithmetic.
 *
 * @module
 */

import { type Tensor, tf, type Variable } from "../deps.ts";

/** Stochastic gradient descent with optional (Nesterov) momentum. */
export interface SgdSpec {
  /** Optimiser type. */
  type: "sgd";
  /** Learning rate. */
  lr: number;
  /**
   * Momentum `μ`: `b ← μ·b + g`, step along `b`.
   * @default 0
   */
  momentum?: number;
  /**
   * Nesterov momentum: step along `g + μ·b`.
   * @default false
   */
  nesterov?: boolean;
  /**
   * L2 penalty added to the gradient, `g ← g + λ·p`.
   * @default 0
   */
  weightDecay?: number;
}

/** Adam and Adamax (the infinity-norm variant of Adam). */
export interface AdamSpec {
  /** Optimiser type. */
  type: "adam" | "adamax";
  /** Learning rate. */
  lr: number;
  /**
   * Decay of the first moment.
   * @default 0.9
   */
  beta1?: number;
  /**
   * Decay of the second moment (Adam) or of the infinity norm (Adamax).
   * @default 0.999
   */
  beta2?: number;
  /**
   * Added to the denominator.
   * @default 1e-8
   */
  eps?: number;
  /**
   * L2 penalty added to the gradient, `g ← g + λ·p`.
   * @default 0
   */
  weightDecay?: number;
}

/** An optimiser and its settings, as written in an experiment file. */
export type OptimizerSpec = SgdSpec | AdamSpec;

/** An optimiser bound to a list of parameters. */
export interface Optimizer {
  /** The learning rate of the next step; a schedule may change it. */
  lr: number;
  /** Steps taken so far. */
  readonly steps: number;
  /**
   * Updates every parameter from its gradient.
   *
   * @param grads One gradient per parameter, in the parameters' order.
   */
  step(grads: readonly Tensor[]): void;
  /**
   * The state a checkpoint saves: steps taken and, per parameter, its
   * buffers (momentum; or first moment and second moment / infinity norm).
   *
   * @returns The step count and the buffers (the optimiser's own variables:
   *   read, do not dispose).
   */
  exportState(): OptimizerState;
  /**
   * Continues from a saved state.
   *
   * @param state From {@linkcode Optimizer.exportState}, same shapes.
   */
  importState(state: OptimizerState): void;
  /** Frees the optimiser's state (moments, momentum buffers). */
  dispose(): void;
}

/** What {@linkcode Optimizer.exportState} returns. */
export interface OptimizerState {
  /** Steps taken (Adam's bias correction depends on it). */
  steps: number;
  /** Per parameter, its buffers. */
  slots: Tensor[][];
}

/**
 * Creates an optimiser for `params`. With `g` the gradient (plus
 * `λ·p` for weight decay), `t` the step number and `η` the learning rate:
 *
 * - sgd: `b ← μ·b + g`; `p ← p − η·(nesterov ? g + μ·b : b)` (`b = g`
 *   when `μ = 0`);
 * - adam: `m ← β1·m + (1−β1)·g`, `v ← β2·v + (1−β2)·g²`,
 *   `p ← p − η/(1−β1^t) · m / (√v / √(1−β2^t) + ε)`;
 * - adamax: `m` as Adam, `u ← max(β2·u, |g| + ε)`,
 *   `p ← p − η/(1−β1^t) · m / u`.
 *
 * @param params The variables to train.
 * @param spec Type and settings.
 * @returns The optimiser.
 * @throws {Error} `Cannot create optimizer "<type>": <why>` for an unknown
 *   type or a setting out of range.
 * @example
 * ```ts
 * import { createOptimizer } from "./optimizer.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * const p = tf.variable(tf.tensor([1, 2]));
 * const opt = createOptimizer([p], { type: "sgd", lr: 0.5 });
 * opt.step([tf.tensor([2, 2])]); // p − 0.5·g
 * if (p.dataSync().join() !== "0,1") throw new Error();
 * ```
 */
export function createOptimizer(
  params: readonly Variable[],
  spec: OptimizerSpec,
): Optimizer {
  const type = (spec as { type: string }).type;
  const fail = (why: string): never => {
    throw new Error(`Cannot create optimizer "${type}": ${why}`);
  };
  const check = (
    name: string,
    value: number,
    ok: (v: number) => boolean,
    range: string,
  ) => {
    if (typeof value !== "number" || !ok(value)) {
      fail(`${name} = ${value}, expected ${range}`);
    }
  };
  check("lr", spec.lr, (v) => v > 0 && Number.isFinite(v), "a positive number");
  const weightDecay = spec.weightDecay ?? 0;
  check("weightDecay", weightDecay, (v) => v >= 0, "a number ≥ 0");
  const unit = (v: number) => v >= 0 && v < 1;
  let update: (p: Variable, g: Tensor, state: Variable[], t: number) => void;
  let slots: number;
  if (spec.type === "sgd") {
    const momentum = spec.momentum ?? 0;
    check("momentum", momentum, unit, "a number in [0, 1)");
    const nesterov = spec.nesterov ?? false;
    if (nesterov && momentum === 0) fail("nesterov needs a momentum > 0");
    slots = momentum > 0 ? 1 : 0;
    update = (p, g, [b]) => {
      let direction = g;
      if (b) {
        b.assign(tf.add(tf.mul(b, momentum), g));
        direction = nesterov ? tf.add(g, tf.mul(b, momentum)) : b;
      }
      p.assign(tf.sub(p, tf.mul(direction, opt.lr)));
    };
  } else if (spec.type === "adam" || spec.type === "adamax") {
    const beta1 = spec.beta1 ?? 0.9;
    const beta2 = spec.beta2 ?? 0.999;
    const eps = spec.eps ?? 1e-8;
    check("beta1", beta1, unit, "a number in [0, 1)");
    check("beta2", beta2, unit, "a number in [0, 1)");
    check("eps", eps, (v) => v > 0, "a positive number");
    slots = 2;
    const adamax = spec.type === "adamax";
    update = (p, g, [m, s], t) => {
      m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
      const stepSize = opt.lr / (1 - beta1 ** t);
      let denominator: Tensor;
      if (adamax) {
        s.assign(tf.maximum(tf.mul(s, beta2), tf.add(tf.abs(g), eps)));
        denominator = s;
      } else {
        s.assign(tf.add(tf.mul(s, beta2), tf.mul(tf.square(g), 1 - beta2)));
        denominator = tf.add(
          tf.div(tf.sqrt(s), Math.sqrt(1 - beta2 ** t)),
          eps,
        );
      }
      p.assign(tf.sub(p, tf.mul(tf.div(m, denominator), stepSize)));
    };
  } else {
    return fail(`unknown type; expected "sgd", "adam" or "adamax"`);
  }
  const state = params.map((p) =>
    Array.from(
      { length: slots },
      () => tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
    )
  );
  let steps = 0;
  const opt: Optimizer = {
    lr: spec.lr,
    get steps() {
      return steps;
    },
    step(grads) {
      steps++;
      tf.tidy(() => {
        params.forEach((p, i) => {
          const g = weightDecay
            ? tf.add(grads[i], tf.mul(p, weightDecay))
            : grads[i];
          update(p, g, state[i], steps);
        });
      });
    },
    exportState: () => ({ steps, slots: state }),
    importState(saved) {
      steps = saved.steps;
      state.forEach((slots, i) =>
        slots.forEach((v, j) => v.assign(saved.slots[i][j]))
      );
    },
    dispose() {
      state.flat().forEach((v) => v.dispose());
    },
  };
  return opt;
}
