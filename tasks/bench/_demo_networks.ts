/**
 * The networks of the expansion benchmark: the HOPE paper's demo networks,
 * built with the reference code's structure and initialisation (its
 * `utils/Network.py`, `demo/expansion/code/net1d.py` and `net2d.py`,
 * `demo/discovery/code/exp1.yaml`) from our own seeded generator, and the
 * paper's MNIST net at a real test image.
 *
 * @module
 */

import { tf } from "../../lib/deps.ts";
import { loadMnist } from "../../lib/data/mnist.ts";
import { MNIST_NET_LAYERS } from "../../lib/nn/mnist_net.ts";
import { Network, type ParameterMap } from "../../lib/nn/network.ts";
import { createRng } from "../../lib/random.ts";

/** The keys of the benchmark's networks, in table order. */
export const DEMO_KEYS = ["mlp1d", "conv2d", "discovery", "mnist"] as const;

/** One of {@linkcode DEMO_KEYS}. */
export type DemoKey = typeof DEMO_KEYS[number];

/** A network of the benchmark with where and how it is expanded. */
export interface DemoNetwork {
  /** Its key. */
  key: DemoKey;
  /** Short name for the table. */
  name: string;
  /** What it is, for the notes under the table. */
  description: string;
  /** The network. */
  network: Network;
  /** The expansion point, flattened (images NCHW). */
  point: number[];
  /** The orders of the table. */
  orders: number[];
  /** Which partials. */
  mixed: "all" | "none";
}

/**
 * The weights of the reference's `sine_init`, `U(±√(6/fan_in)/30)` for every
 * Linear (its `Sine` is `sin(x)`, so the 1/30 sits in the weights), and
 * `first_layer_sine_init`, `U(±1/fan_in)`, for the first one when `first`;
 * biases keep PyTorch's default `U(±1/√fan_in)`.
 */
function sineInitParameters(
  sizes: number[][],
  options: { seed: number; first: boolean },
): ParameterMap {
  const rng = createRng(options.seed);
  const parameters: ParameterMap = new Map();
  sizes.forEach(([index, fanIn, fanOut], i) => {
    const bound = options.first && i === 0
      ? 1 / fanIn
      : Math.sqrt(6 / fanIn) / 30;
    const weight = Float32Array.from(
      { length: fanOut * fanIn },
      () => rng.uniform(-bound, bound),
    );
    const biasBound = 1 / Math.sqrt(fanIn);
    const bias = Float32Array.from(
      { length: fanOut },
      () => rng.uniform(-biasBound, biasBound),
    );
    parameters.set(`${index}.weight.npy`, tf.tensor2d(weight, [fanOut, fanIn]));
    parameters.set(`${index}.bias.npy`, tf.tensor1d(bias));
  });
  return parameters;
}

/** Builds a network from parameters and frees the parameter tensors. */
function withParameters(
  layers: string[],
  input: number[],
  parameters: ParameterMap,
): Network {
  const network = Network.create({
    format: "hope-network/1",
    input,
    layers,
  }, { parameters });
  for (const t of parameters.values()) t.dispose();
  return network;
}

/**
 * `MLP(input=1, hidden=1024, output=1, layer=5, act='Sine',
 * output_act=True)` of `net1d.py`: five Linear layers, each followed by
 * `sin`, the output one included.
 */
function mlp1d(): DemoNetwork {
  const layers = ["Linear_1_1024", "Sine"];
  for (let i = 0; i < 3; i++) layers.push("Linear_1024_1024", "Sine");
  layers.push("Linear_1024_1", "Sine");
  const sizes = [[0, 1, 1024], [2, 1024, 1024], [4, 1024, 1024], [
    6,
    1024,
    1024,
  ], [8, 1024, 1]];
  return {
    key: "mlp1d",
    name: "1-D sine MLP",
    description:
      "1-D sine MLP: Linear 1→1024, Sine, 3 × (Linear 1024→1024, Sine), Linear 1024→1, Sine (net1d.py: MLP(layer=5, output_act=True)); sine_init weights, first layer U(±1), PyTorch-default biases; x0 = 0",
    network: withParameters(
      layers,
      [1],
      sineInitParameters(sizes, { seed: 42, first: true }),
    ),
    point: [0],
    orders: [2, 4, 6, 8, 10],
    mixed: "all",
  };
}

/**
 * `CONV(input=2, in_channel=2, out_channel=16, height=32, width=32,
 * pool='Ave', act='Sine')` of `net2d.py`, with its Dropout layers (the
 * identity at evaluation) and PyTorch's default initialisation.
 */
function conv2d(): DemoNetwork {
  const network = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: [
      "Linear_2_2048",
      "Sine",
      "Unflatten_2_32_32",
      "Conv2d_2_16_2_1_0",
      "Dropout2d",
      "Sine",
      "AvgPool2d_2_2",
      "Sine",
      "Flatten",
      "Dropout",
      "Linear_3600_1",
    ],
  }, { seed: 42 });
  return {
    key: "conv2d",
    name: "2-D conv net",
    description:
      "2-D conv net: Linear 2→2·32·32, Sine, Unflatten [2,32,32], Conv2d 2→16 k2, Dropout2d, Sine, AvgPool 2, Sine, Flatten, Dropout, Linear 3600→1 (net2d.py: CONV(pool='Ave')); PyTorch-default init; x0 = (0, 0)",
    network,
    point: [0, 0],
    orders: [2, 3, 4, 5, 6, 7, 8],
    mixed: "all",
  };
}

/** The 4-input network of `exp1.yaml` (`Network` applies `sine_init`). */
function discovery(): DemoNetwork {
  const layers = [
    "Linear_4_64",
    "Sine",
    "Linear_64_64",
    "Sine",
    "Linear_64_64",
    "Sine",
    "Linear_64_1",
  ];
  const sizes = [[0, 4, 64], [2, 64, 64], [4, 64, 64], [6, 64, 1]];
  return {
    key: "discovery",
    name: "discovery MLP",
    description:
      "discovery MLP: 4→64→64→64→1, Sine (exp1.yaml), untrained, sine_init weights, PyTorch-default biases; x0 = (0.5, −0.3, 0.2, 0.8)",
    network: withParameters(
      layers,
      [4],
      sineInitParameters(sizes, { seed: 7, first: false }),
    ),
    point: [0.5, -0.3, 0.2, 0.8],
    orders: [4],
    mixed: "all",
  };
}

/** The paper's MNIST net with one output, at the first test image. */
async function mnist(): Promise<DemoNetwork> {
  const network = Network.create({
    format: "hope-network/1",
    input: [1, 28, 28],
    // One output: the last layer maps 50 → 1 instead of 50 → 10.
    layers: [...MNIST_NET_LAYERS.slice(0, -1), "Linear_50_1"],
  }, { seed: 0 });
  const data = await loadMnist({ split: "test", subset: 1 });
  const point = Array.from(data.images.subarray(0, 784), (v) => v / 255);
  return {
    key: "mnist",
    name: "MNIST net",
    description:
      `MNIST net: Conv2d 1→10 k5, AvgPool 2, Tanh, Conv2d 10→20 k5, AvgPool 2, Tanh, Flatten, Linear 320→50, Tanh, Linear 50→1; PyTorch-default init (seed 0, untrained); x0 = MNIST test image #${
        data.fileIndices[0]
      } (label ${data.labels[0]}), pixels / 255; all 784 unmixed derivatives`,
    network,
    point,
    orders: [10],
    mixed: "none",
  };
}

/**
 * Builds the benchmark's networks.
 *
 * @param keys Which networks, in the order given.
 * @returns The networks with their points, orders and modes.
 * @throws {Error} `Cannot load MNIST …` when the MNIST files are missing.
 * @example
 * ```ts
 * import { demoNetworks } from "./_demo_networks.ts";
 * const [net] = await demoNetworks(["discovery"]);
 * if (net.point.length !== 4 || net.orders[0] !== 4) throw new Error();
 * net.network.dispose();
 * ```
 */
export async function demoNetworks(
  keys: readonly DemoKey[],
): Promise<DemoNetwork[]> {
  const build: Record<DemoKey, () => DemoNetwork | Promise<DemoNetwork>> = {
    mlp1d,
    conv2d,
    discovery,
    mnist,
  };
  const out: DemoNetwork[] = [];
  for (const key of keys) out.push(await build[key]());
  return out;
}
