import { multiStepLR } from "../../lib/train/schedule.ts";
import { assertEquals, assertThrows } from "../_assert.ts";

Deno.test("multiStepLR() decays by gamma at each milestone like PyTorch's MultiStepLR", () => {
  // torch MultiStepLR(milestones=[3, 5], gamma=0.1) from lr 0.1, epochs 0..6.
  const lr = multiStepLR(0.1, { type: "multistep", milestones: [3, 5] });
  assertEquals(
    [0, 1, 2, 3, 4, 5, 6].map(lr),
    [0.1, 0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1, 0.1 * 0.1 * 0.1],
  );
  const half = multiStepLR(2, {
    type: "multistep",
    milestones: [0],
    gamma: 0.5,
  });
  assertEquals([half(0), half(10)], [1, 1]);
});

Deno.test("multiStepLR() rejects unordered milestones and bad gamma", () => {
  assertThrows(
    () => multiStepLR(1, { type: "multistep", milestones: [5, 3] }),
    Error,
    'Cannot use schedule "multistep": milestones [5,3] must be increasing non-negative integers',
  );
  // Strictly increasing, whole and non-negative: each way to miss it.
  for (const milestones of [[3, 3], [1.5], [-1], [2, 4.5]]) {
    assertThrows(
      () => multiStepLR(1, { type: "multistep", milestones }),
      Error,
      `Cannot use schedule "multistep": milestones [${milestones}] must be increasing non-negative integers`,
    );
  }
  assertThrows(
    () => multiStepLR(1, { type: "multistep", milestones: [1], gamma: 0 }),
    Error,
    'Cannot use schedule "multistep": gamma = 0, expected a positive number',
  );
});
