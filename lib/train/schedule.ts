/**
 * Learning-rate schedules, per epoch.
 *
 * @module
 */

/** PyTorch's `MultiStepLR`: multiply by `gamma` at each milestone epoch. */
export interface MultiStepLRSpec {
  /** Schedule type. */
  type: "multistep";
  /** Epochs (0-based, increasing) from which the rate is decayed once more. */
  milestones: number[];
  /**
   * Factor applied at each milestone.
   * @default 0.1
   */
  gamma?: number;
}

/** A schedule as written in an experiment file. */
export type ScheduleSpec = MultiStepLRSpec;

/**
 * The learning rate of each epoch under `MultiStepLR`: `lr · γ^k` where `k`
 * counts the milestones `≤ epoch` (epochs 0-based, as PyTorch counts
 * `scheduler.step()` calls).
 *
 * @param lr The initial learning rate.
 * @param spec Milestones and gamma.
 * @returns A function from the 0-based epoch to its learning rate.
 * @throws {Error} `Cannot use schedule "multistep": <why>` when milestones
 *   are not increasing non-negative integers or gamma is not positive.
 * @example
 * ```ts
 * import { multiStepLR } from "./schedule.ts";
 * const lr = multiStepLR(1, { type: "multistep", milestones: [2, 4], gamma: 0.5 });
 * if ([0, 1, 2, 3, 4, 9].map(lr).join() !== "1,1,0.5,0.5,0.25,0.25") {
 *   throw new Error();
 * }
 * ```
 */
export function multiStepLR(
  lr: number,
  spec: MultiStepLRSpec,
): (epoch: number) => number {
  const gamma = spec.gamma ?? 0.1;
  const { milestones } = spec;
  const increasing = Array.isArray(milestones) &&
    milestones.every((m, i) =>
      Number.isInteger(m) && m >= 0 && (i === 0 || m > milestones[i - 1])
    );
  if (!increasing) {
    throw new Error(
      `Cannot use schedule "multistep": milestones [${milestones}] must be increasing non-negative integers`,
    );
  }
  if (!(gamma > 0 && Number.isFinite(gamma))) {
    throw new Error(
      `Cannot use schedule "multistep": gamma = ${gamma}, expected a positive number`,
    );
  }
  return (epoch) => {
    let rate = lr;
    for (const m of milestones) if (m <= epoch) rate *= gamma;
    return rate;
  };
}
