/**
 * The layers of the paper's MNIST classifier, shared by the training
 * benchmark, the expansion benchmark and the tests.
 *
 * @module
 */

/**
 * The paper's MNIST net as compact layer strings, for input `[1, 28, 28]`:
 * conv 5×5 (1 → 10) → avg-pool 2 → tanh, conv 5×5 (10 → 20) → avg-pool 2 →
 * tanh, then flatten and 320 → 50 → tanh → 10. The shapes: 28 − 4 = 24,
 * pooled 12; 12 − 4 = 8, pooled 4; 20 · 4 · 4 = 320.
 *
 * Spread it into a spec (`layers: [...MNIST_NET_LAYERS]`); for one output
 * replace the last layer with `"Linear_50_1"`.
 *
 * @example
 * ```ts
 * import { MNIST_NET_LAYERS } from "./mnist_net.ts";
 * import { Network } from "./network.ts";
 * const net = Network.create({
 *   format: "hope-network/1",
 *   input: [1, 28, 28],
 *   layers: [...MNIST_NET_LAYERS],
 * }, { seed: 0 });
 * if (net.outputShape.join() !== "10") throw new Error(`${net.outputShape}`);
 * ```
 */
export const MNIST_NET_LAYERS: readonly string[] = [
  "Conv2d_1_10_5_1_0",
  "AvgPool2d_2_2",
  "Tanh",
  "Conv2d_10_20_5_1_0",
  "AvgPool2d_2_2",
  "Tanh",
  "Flatten",
  "Linear_320_50",
  "Tanh",
  "Linear_50_10",
];
