import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { loadMnist } from "../../lib/data/mnist.ts";
import { assert, assertEquals, assertRejects } from "../_assert.ts";

await useBackend("wasm");

Deno.test("loadMnist() reads 60000 training and 10000 test images with known first labels", async () => {
  const train = await loadMnist({ split: "train" });
  const test = await loadMnist({ split: "test" });
  assertEquals([train.size, test.size], [60000, 10000]);
  assertEquals(train.images.length, 60000 * 28 * 28);
  // The first training digit of MNIST is a 5, the first test digit a 7.
  assertEquals([train.labels[0], test.labels[0]], [5, 7]);
  for (const data of [train, test]) {
    assertEquals(Math.min(...data.labels), 0);
    assertEquals(Math.max(...data.labels), 9);
    // Digits are white on black: both extremes occur.
    let min = 255, max = 0;
    for (const p of data.images) {
      if (p < min) min = p;
      if (p > max) max = p;
    }
    assertEquals([min, max], [0, 255]);
  }
});

Deno.test("loadMnist() batches are NCHW floats in [0, 1] with int32 labels", async () => {
  const test = await loadMnist({ split: "test", subset: 50 });
  const { x, y } = test.batch(new Int32Array([3, 0]));
  assertEquals(x.shape, [2, 1, 28, 28]);
  assertEquals(y.dtype, "int32");
  assertEquals(Array.from(y.dataSync()), [test.labels[3], test.labels[0]]);
  const pixels = x.dataSync();
  assert(pixels.every((v) => v >= 0 && v <= 1), "pixels outside [0, 1]");
  // pixel 14·28 + 14 of sample 0 is image byte / 255
  assertEquals(pixels[784 + 14 * 28 + 14], test.images[14 * 28 + 14] / 255);
  tf.dispose([x, y]);
});

Deno.test("loadMnist() subsets are seeded draws without replacement", async () => {
  const a = await loadMnist({ split: "test", subset: 200, seed: 3 });
  const b = await loadMnist({ split: "test", subset: 200, seed: 3 });
  const c = await loadMnist({ split: "test", subset: 200, seed: 4 });
  assertEquals(a.size, 200);
  assertEquals(a.fileIndices, b.fileIndices);
  assert(a.fileIndices.some((v, i) => v !== c.fileIndices[i]), "seed ignored");
  assertEquals(new Set(a.fileIndices).size, 200);
  const full = await loadMnist({ split: "test" });
  a.fileIndices.forEach((i, k) => {
    if (full.labels[i] !== a.labels[k]) throw new Error(`label ${k} moved`);
  });
  await assertRejects(
    () => loadMnist({ split: "test", subset: 10001 }),
    'Cannot load MNIST "test": subset 10001 is not an integer in [1, 10000]',
  );
});

async function writeIdx(dir: string, name: string, bytes: number[]) {
  await Deno.writeFile(`${dir}/${name}`, new Uint8Array(bytes));
}

// Two 28×28 uint8 images and their labels.
const header = (magic: number[], dims: number[]) => [
  ...magic,
  ...dims.flatMap((
    d,
  ) => [d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255]),
];
const IMAGES = [
  ...header([0, 0, 8, 3], [2, 28, 28]),
  ...new Array(2 * 784).fill(128),
];
const LABELS = [...header([0, 0, 8, 1], [2]), 3, 9];

Deno.test("loadMnist() reads a folder of IDX files, gzipped or not", async () => {
  const dir = await Deno.makeTempDir();
  await writeIdx(dir, "t10k-labels-idx1-ubyte", LABELS);
  const gz = new Blob([new Uint8Array(IMAGES)]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  await Deno.writeFile(
    `${dir}/t10k-images-idx3-ubyte.gz`,
    new Uint8Array(await new Response(gz).arrayBuffer()),
  );
  const data = await loadMnist({ split: "test", dir });
  assertEquals(data.size, 2);
  assertEquals(Array.from(data.labels), [3, 9]);
  assertEquals(data.images[100], 128);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadMnist() names the file and the fault of a bad IDX file", async () => {
  const dir = await Deno.makeTempDir();
  const images = `${dir}/train-images-idx3-ubyte`;
  await writeIdx(dir, "train-labels-idx1-ubyte", LABELS);
  await writeIdx(dir, "train-images-idx3-ubyte", [
    0x50,
    0x4b,
    3,
    4,
    0,
    0,
    0,
    0,
  ]);
  await assertRejects(
    () => loadMnist({ dir }),
    `Cannot read IDX file "${images}": magic number 0x504b0304 does not start with two zero bytes`,
  );
  await writeIdx(dir, "train-images-idx3-ubyte", IMAGES.slice(0, -5));
  await assertRejects(
    () => loadMnist({ dir }),
    `Cannot read IDX file "${images}": header says uint8 [2,28,28] (1584 bytes) but the file has 1579 bytes`,
  );
  await writeIdx(dir, "train-images-idx3-ubyte", [0, 0, 0x0a, 1, 0, 0, 0, 0]);
  await assertRejects(
    () => loadMnist({ dir }),
    `Cannot read IDX file "${images}": unknown type code 0x0a`,
  );
  // A valid IDX file that is not an image file: labels in place of images.
  await writeIdx(dir, "train-images-idx3-ubyte", LABELS);
  await assertRejects(
    () => loadMnist({ dir }),
    'Cannot load MNIST "train": the image file has magic 2049 and shape [2], expected 2051',
  );
  await writeIdx(dir, "train-images-idx3-ubyte", IMAGES);
  await writeIdx(dir, "train-labels-idx1-ubyte", [
    ...header([0, 0, 8, 1], [2]),
    3,
    12,
  ]);
  await assertRejects(
    () => loadMnist({ dir }),
    'Cannot load MNIST "train": label 1 is 12, expected 0–9',
  );
  await Deno.remove(`${dir}/train-labels-idx1-ubyte`);
  await assertRejects(
    () => loadMnist({ dir }),
    `Cannot read IDX file "${dir}/train-labels-idx1-ubyte": No such file`,
  );
  await Deno.remove(dir, { recursive: true });
});
