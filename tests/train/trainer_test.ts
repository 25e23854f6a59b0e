import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { arrayDataSource } from "../../lib/data/data_source.ts";
import { loadMnist } from "../../lib/data/mnist.ts";
import { MNIST_NET_LAYERS } from "../../lib/nn/mnist_net.ts";
import { Network } from "../../lib/nn/network.ts";
import type { ProgressEvent } from "../../lib/train/progress.ts";
import { train } from "../../lib/train/trainer.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  AssertionError,
  assertRejects,
} from "../_assert.ts";

await useBackend("wasm");

/** The MNIST net of the paper's experiments. */
const MNIST_NET = {
  format: "hope-network/1" as const,
  input: [1, 28, 28],
  layers: [...MNIST_NET_LAYERS],
};

/** Every parameter's bytes, in order. */
function weightBytes(net: Network): Uint8Array[] {
  return net.parameters().map((p) =>
    new Uint8Array((p.dataSync() as Float32Array).slice().buffer)
  );
}

/** y = 2x + 1 on [−1, 1], optionally with extra targets appended. */
function line(n: number, f = (x: number) => 2 * x + 1) {
  const x = Float32Array.from({ length: n }, (_, i) => -1 + 2 * i / (n - 1));
  return arrayDataSource(
    { data: x, shape: [n, 1] },
    { data: x.map(f), shape: [n, 1] },
  );
}

function mlp(seed: number): Network {
  return Network.create({
    format: "hope-network/1",
    input: [1],
    layers: ["Linear_1_8", "Tanh", "Linear_8_1"],
  }, { seed });
}

Deno.test("train() with one seed gives bit-identical weights on wasm (MNIST conv net)", async () => {
  const data = await loadMnist({ subset: 128, seed: 5 });
  const run = async (seed: number) => {
    const net = Network.create(MNIST_NET, { seed: 1 });
    await train(net, data, {
      loss: "cross_entropy",
      optimizer: { type: "sgd", lr: 0.05, momentum: 0.9 },
      epochs: 2,
      batchSize: 32,
      seed,
      progress: "none",
    });
    const bytes = weightBytes(net);
    net.dispose();
    return bytes;
  };
  const [a, b, c] = [await run(7), await run(7), await run(8)];
  assertEquals(a, b, "same seed");
  assert(
    a.some((w, i) => w.some((v, k) => v !== c[i][k])),
    "another seed (another batch order) gave the same weights",
  );
});

Deno.test("train() fits the MNIST conv net on wasm: the loss falls", async () => {
  const data = await loadMnist({ subset: 384, seed: 1 });
  const validation = await loadMnist({ split: "test", subset: 200, seed: 1 });
  const net = Network.create(MNIST_NET, { seed: 1 });
  const result = await train(net, data, {
    loss: "cross_entropy",
    optimizer: { type: "adam", lr: 0.01 },
    epochs: 3,
    batchSize: 64,
    validation,
    progress: "none",
  });
  const [first, , last] = result.history;
  // Chance level is log 10 ≈ 2.30; three epochs on 384 images reach < 0.8.
  assert(last.loss < 0.6 * first.loss, `loss ${first.loss} → ${last.loss}`);
  assert(
    last.valLoss! < first.valLoss!,
    `val loss ${first.valLoss} → ${last.valLoss}`,
  );
  assert(last.valAccuracy! > 0.6, `val accuracy ${last.valAccuracy}`);
  assertEquals(result.steps, 3 * 6);
  assert(result.samplesPerSecond > 0 && result.seconds > 0);
  net.dispose();
});

Deno.test("train() stops with the step and learning rate when the loss is NaN", async () => {
  const x = new Float32Array([0, 1, 2, 3]);
  const data = arrayDataSource(
    { data: x, shape: [4, 1] },
    { data: new Float32Array([0, 1, NaN, 3]), shape: [4, 1] },
  );
  const net = mlp(1);
  const before = weightBytes(net);
  await assertRejects(
    () =>
      train(net, data, {
        loss: "mse",
        optimizer: { type: "sgd", lr: 0.1 },
        epochs: 3,
        batchSize: 4,
        progress: "none",
      }),
    "Cannot train network: loss became NaN at epoch 1, step 1 (lr 0.1): ",
  );
  assertEquals(weightBytes(net), before, "the failing step must not update");
});

Deno.test("train() names epoch, step and lr when a too-large rate diverges", async () => {
  const net = mlp(2);
  const error = await assertRejects(() =>
    train(net, line(32, (x) => 1000 * x), {
      loss: "mse",
      optimizer: { type: "sgd", lr: 10 },
      epochs: 50,
      batchSize: 8,
      progress: "none",
    })
  );
  const pattern =
    /^Cannot train network: loss became (NaN|Infinity) at epoch \d+, step [1-4] \(lr 10\): .*try lowering the learning rate$/;
  if (!pattern.test(error.message)) throw new AssertionError(error.message);
});

Deno.test("train() with keepBest restores the weights of the best validation epoch", async () => {
  // Trained towards y = x while validated on y = −x: validation gets worse
  // as training proceeds, so the best epoch is an early one.
  const evaluate = (net: Network) =>
    tf.tidy(() => {
      const x = tf.tensor2d([-1, -0.5, 0, 0.5, 1], [5, 1]);
      return tf.mean(tf.square(tf.add(net.forward(x), x))).dataSync()[0];
    });
  const validation = line(5, (x) => -x);
  const options = {
    loss: "mse" as const,
    optimizer: { type: "sgd" as const, lr: 0.2 },
    epochs: 6,
    batchSize: 4,
    validation,
    progress: "none" as const,
  };
  const kept = mlp(3);
  const best = await train(kept, line(16, (x) => x), {
    ...options,
    keepBest: true,
  });
  assert(best.bestEpoch < 6, `best epoch ${best.bestEpoch}`);
  assertEquals(best.bestLoss, best.history[best.bestEpoch - 1].valLoss);
  // Same batch size (5 ≤ 256) and data: the restored weights give exactly
  // the recorded validation loss, mean over 5 samples.
  assertEquals(Math.fround(evaluate(kept)), Math.fround(best.bestLoss));
  const last = mlp(3);
  const plain = await train(last, line(16, (x) => x), options);
  assertEquals(evaluate(last), plain.history[5].valLoss);
  assert(evaluate(last) > evaluate(kept), "keepBest kept the last weights");
});

Deno.test("train() applies the schedule per epoch and reports progress", async () => {
  const events: ProgressEvent[] = [];
  const result = await train(mlp(4), line(10), {
    loss: "mse",
    optimizer: { type: "adamax", lr: 0.02 },
    schedule: { type: "multistep", milestones: [1, 2], gamma: 0.5 },
    epochs: 3,
    batchSize: 4,
    progress: "none",
    onProgress: (e) => events.push(e),
  });
  assertEquals(result.history.map((h) => h.lr), [0.02, 0.01, 0.005]);
  assertEquals(
    events.map((e) => `${e.kind}${e.epoch}.${e.step}/${e.steps}`).join(" "),
    "step1.1/3 step1.2/3 step1.3/3 epoch1.3/3 step2.1/3 step2.2/3 step2.3/3 epoch2.3/3 step3.1/3 step3.2/3 step3.3/3 epoch3.3/3",
  );
  assertEquals(events.at(-1)!.loss, result.history[2].loss);
  assert(result.history.every((h) => h.valLoss === undefined));
});

Deno.test("train() rejects bad epochs and batch sizes, and empty data", async () => {
  const options = {
    loss: "mse" as const,
    optimizer: { type: "sgd" as const, lr: 0.1 },
    progress: "none" as const,
  };
  await assertRejects(
    () => train(mlp(5), line(4), { ...options, epochs: 0 }),
    "Cannot train network: epochs = 0, expected a positive integer",
  );
  for (const batchSize of [1.5, 0]) {
    await assertRejects(
      () => train(mlp(5), line(4), { ...options, epochs: 1, batchSize }),
      `Cannot train network: batchSize = ${batchSize}, expected a positive integer`,
    );
  }
  const empty = arrayDataSource(
    { data: new Float32Array(0), shape: [0, 1] },
    { data: new Float32Array(0), shape: [0, 1] },
  );
  await assertRejects(
    () => train(mlp(5), empty, { ...options, epochs: 1 }),
    "Cannot train network: the training data is empty",
  );
});

/**
 * A model that does not learn: its output is its input plus 0 · w (for
 * 4-column inputs `[index, logits…]`, the three logits), so every gradient
 * is 0 and every batch's loss is fixed by the data alone; it records the
 * index column of every such batch it sees.
 */
function frozen(seen: number[][]) {
  const w = tf.variable(tf.scalar(0.5));
  return {
    w,
    forward(x: tf.Tensor) {
      if (x.shape[1] !== 4) return tf.add(x, tf.mul(w, 0));
      seen.push(
        Array.from(tf.tidy(() => x.slice([0, 0], [-1, 1]).dataSync())),
      );
      return tf.add(x.slice([0, 1], [-1, 3]), tf.mul(w, 0));
    },
    parameters: () => [w],
  };
}

/** Cross-entropy of one logit row against a label, in float64. */
function crossEntropy(logits: number[], label: number): number {
  const m = Math.max(...logits);
  const sum = logits.reduce((s, z) => s + Math.exp(z - m), 0);
  return -(logits[label] - m - Math.log(sum));
}

/**
 * `n` rows `[i, z0, z1, z2]`: the sample's index, then three logits (small
 * integers), with labels; some rows predict their label, some do not.
 */
function logits(n: number) {
  const next = ((s: number) => () => (s = (s * 69069 + 1) >>> 0) % 5)(n);
  const rows = Array.from({ length: n }, (_, i) => [
    i,
    next(),
    next(),
    next(),
  ]);
  const labels = rows.map((_, i) => (i * 7) % 3);
  return { rows, labels };
}

Deno.test("train() reports the sample-weighted mean loss of each epoch, sees every sample once per epoch in batches, and scores validation by its own count", async () => {
  const n = 5;
  const train_ = logits(n);
  const seen: number[][] = [];
  const model = frozen(seen);
  const data = arrayDataSource(
    { data: Float32Array.from(train_.rows.flat()), shape: [n, 4] },
    { data: Int32Array.from(train_.labels), shape: [n] },
  );
  const wantLoss = train_.rows.reduce(
    (s, row, i) => s + crossEntropy(row.slice(1), train_.labels[i]),
    0,
  ) / n;
  const before = tf.memory().numTensors;
  const events: ProgressEvent[] = [];
  // 300 validation samples: a full batch of 256 and a partial one of 44;
  // 512: two full batches. One-hot targets for one, labels for the other.
  for (const [size, oneHot] of [[300, true], [512, false]] as const) {
    const v = logits(size);
    const targets = oneHot
      ? {
        data: Float32Array.from(
          v.labels.flatMap((l) => [0, 1, 2].map((k) => (k === l ? 1 : 0))),
        ),
        shape: [size, 3],
      }
      : { data: Int32Array.from(v.labels), shape: [size] };
    seen.length = 0;
    events.length = 0;
    const started = performance.now();
    const result = await train(model, data, {
      loss: "cross_entropy",
      optimizer: { type: "sgd", lr: 0.1 },
      epochs: 2,
      batchSize: 2,
      keepBest: true,
      progress: "none",
      validation: arrayDataSource(
        { data: Float32Array.from(v.rows.flat()), shape: [size, 4] },
        targets,
      ),
      onProgress: (e) => events.push(e),
    });
    const wall = (performance.now() - started) / 1000;
    // Training: batches of 2, 2 and 1 (the first 5 batches seen; the rest
    // are validation), each epoch a permutation of the 5 samples.
    const batches = seen.filter((b) => b.length <= 2);
    assertEquals(batches.map((b) => b.length), [2, 2, 1, 2, 2, 1]);
    for (const epoch of [batches.slice(0, 3), batches.slice(3)]) {
      assertEquals(epoch.flat().sort(), [0, 1, 2, 3, 4]);
    }
    // The validation data goes through in batches of max(2, 256) = 256.
    const validation = seen.filter((b) => b.length > 2).map((b) => b.length);
    assertEquals(
      validation,
      size === 300 ? [256, 44, 256, 44] : [
        256,
        256,
        256,
        256,
      ],
    );
    // float32 log-softmax of small logits: 1e-6.
    for (const record of result.history) {
      assertAlmostEquals(record.loss, wantLoss, 1e-6, "epoch loss");
    }
    const last = events.filter((e) => e.kind === "step").at(-1)!;
    assertAlmostEquals(last.loss, wantLoss, 1e-6, "last step's running loss");
    const valLoss = v.rows.reduce(
      (s, row, i) => s + crossEntropy(row.slice(1), v.labels[i]),
      0,
    ) / size;
    const correct = v.rows.filter(([, ...z], i) =>
      z.indexOf(Math.max(...z)) === v.labels[i]
    ).length;
    const record = result.history[1];
    // float32 means of up to 256 losses: 1e-5 relative (measured 6e-7).
    assertAlmostEquals(
      record.valLoss!,
      valLoss,
      1e-5 * valLoss,
      "validation loss",
    );
    assertEquals(record.valAccuracy, correct / size, "validation accuracy");
    assert(correct > 0 && correct < size, `${correct} of ${size} right`);
    // Equal losses every epoch: the first of them is the best.
    assertEquals(result.bestEpoch, 1);
    // Timings are parts of the call's wall-clock time.
    assert(result.seconds > 0 && result.seconds <= wall, `${result.seconds}`);
    for (const r of result.history) {
      assert(r.seconds > 0 && r.seconds <= result.seconds, `${r.seconds}`);
    }
    for (const e of events) {
      assert(e.seconds > 0 && e.seconds <= wall, `event at ${e.seconds} s`);
    }
    assert(
      result.samplesPerSecond >= 10 / result.seconds,
      `${result.samplesPerSecond} samples/s: 10 samples in ${result.seconds} s`,
    );
    assert(
      last.samplesPerSecond >= 5 / wall,
      `${last.samplesPerSecond} samples/s`,
    );
  }
  model.w.dispose();
  assertEquals(tf.memory().numTensors, before - 1, "nothing left behind");
});

Deno.test("train() takes one sample in batches of one, and scores no accuracy for mse", async () => {
  const model = frozen([]);
  const one = arrayDataSource(
    { data: new Float32Array([0.5]), shape: [1, 1] },
    { data: new Float32Array([1.5]), shape: [1, 1] },
  );
  const result = await train(model, one, {
    loss: "mse",
    optimizer: { type: "sgd", lr: 0.1 },
    epochs: 1,
    batchSize: 1,
    progress: "none",
    validation: one,
  });
  assertAlmostEquals(result.history[0].loss, 1, 1e-7, "(0.5 − 1.5)²");
  assertEquals(result.history[0].valAccuracy, undefined);
  assertEquals(result.steps, 1);
  model.w.dispose();
});
