import { useBackend } from "../../lib/backend.ts";
import { arrayDataSource } from "../../lib/data/data_source.ts";
import { Network } from "../../lib/nn/network.ts";
import { readCheckpoint } from "../../lib/train/checkpoint.ts";
import {
  train,
  TrainingInterrupted,
  type TrainOptions,
} from "../../lib/train/trainer.ts";
import { assert, assertEquals, assertRejects } from "../_assert.ts";

await useBackend("wasm");

/** A sine INR on 2-D points: the discovery experiment in miniature. */
function inr(): Network {
  return Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_16", "Sine", "Linear_16_16", "Sine", "Linear_16_1"],
  }, { seed: 4, init: "siren" });
}

function points(n: number, seed: number) {
  const x = Float32Array.from(
    { length: 2 * n },
    (_, i) => Math.sin(1.7 * i + seed) * 0.9,
  );
  const y = Float32Array.from(
    { length: n },
    (_, i) => (x[2 * i] ** 2 + x[2 * i + 1]) / 2,
  );
  return arrayDataSource({ data: x, shape: [n, 2] }, {
    data: y,
    shape: [n, 1],
  });
}

/** Every parameter's bytes, in order. */
function weightBytes(net: Network): number[][] {
  return net.parameters().map((p) =>
    Array.from(new Uint8Array((p.dataSync() as Float32Array).slice().buffer))
  );
}

/** Settings exercising every piece of state: momentum buffers, Adamax
 * moments, a schedule, validation, the best weights. */
const SETTINGS: TrainOptions[] = [
  {
    loss: "mse",
    optimizer: { type: "adamax", lr: 0.01 },
    epochs: 3,
    batchSize: 7,
    seed: 5,
    progress: "none",
  },
  {
    loss: "mse",
    optimizer: { type: "sgd", lr: 0.05, momentum: 0.9 },
    schedule: { type: "multistep", milestones: [2], gamma: 0.5 },
    epochs: 3,
    batchSize: 8,
    seed: 2,
    validation: points(10, 9),
    keepBest: true,
    progress: "none",
  },
];

for (const [s, settings] of SETTINGS.entries()) {
  // 40 samples: 6 or 5 steps an epoch; stop mid-epoch, after the first
  // step of an epoch, and at an epoch's last step.
  for (const stopAfter of [3, 7, 12]) {
    Deno.test(`train() stopped by its signal after step ${stopAfter} and resumed ends bit-identical to an uninterrupted run (settings ${s})`, async () => {
      const data = points(40, 1);
      const whole = inr();
      const expected = await train(whole, data, settings);
      const dir = await Deno.makeTempDir();
      const first = inr();
      const controller = new AbortController();
      let steps = 0;
      const interrupted = await train(first, data, {
        ...settings,
        signal: controller.signal,
        checkpoint: { dir, everySteps: 2 },
        onProgress: (e) => {
          if (e.kind === "step" && ++steps === stopAfter) controller.abort();
        },
      }).then(() => null, (e) => e);
      assert(interrupted instanceof TrainingInterrupted, String(interrupted));
      assert(
        interrupted.message.includes(`checkpoint "${dir}/step-${stopAfter}"`),
        interrupted.message,
      );
      // A new network in its initial state, as in a new process.
      const second = inr();
      const resumed = await train(second, data, {
        ...settings,
        checkpoint: { dir, resume: true },
      });
      assertEquals(weightBytes(second), weightBytes(whole));
      assertEquals(
        resumed.history.map((h) => [h.epoch, h.lr, h.loss, h.valLoss]),
        expected.history.map((h) => [h.epoch, h.lr, h.loss, h.valLoss]),
      );
      assertEquals(resumed.bestEpoch, expected.bestEpoch);
      assertEquals(resumed.bestLoss, expected.bestLoss);
      // The newest two checkpoints are kept.
      const kept = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assertEquals(kept.length, 2, kept.join());
    });
  }
}

Deno.test("train() refuses to resume a checkpoint made with other settings, naming each difference", async () => {
  const data = points(20, 1);
  const dir = await Deno.makeTempDir();
  const settings = SETTINGS[0];
  await train(inr(), data, {
    ...settings,
    epochs: 1,
    checkpoint: { dir, identity: { backend: "wasm", config: "abc" } },
  });
  await assertRejects(
    () =>
      train(inr(), data, {
        ...settings,
        epochs: 1,
        batchSize: 4,
        checkpoint: {
          dir,
          resume: true,
          identity: { backend: "cpu", config: "abc" },
        },
      }),
    `Cannot resume training from "${dir}/step-3": batchSize differs (checkpoint 7, now 4); backend differs (checkpoint "wasm", now "cpu")`,
  );
  // Allowed to differ when the caller says so (resume --force).
  await train(inr(), data, {
    ...settings,
    epochs: 1,
    checkpoint: {
      dir,
      resume: true,
      identity: { backend: "cpu", config: "abc" },
      allowChanged: ["backend"],
    },
  });
});

Deno.test("readCheckpoint() names a truncated array and the earlier checkpoint it keeps", async () => {
  const dir = await Deno.makeTempDir();
  await train(inr(), points(20, 1), {
    ...SETTINGS[0],
    epochs: 2,
    checkpoint: { dir },
  });
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assertEquals(names, ["step-3", "step-6"]);
  const file = `${dir}/step-6/param-0.npy`;
  const bytes = await Deno.readFile(file);
  await Deno.writeFile(file, bytes.slice(0, bytes.length - 4));
  await assertRejects(
    () => readCheckpoint(dir),
    `Cannot read checkpoint "${dir}/step-6": param-0.npy: its SHA-256 differs from the one in state.json (truncated or altered); the earlier checkpoint "${dir}/step-3" is kept: remove "${dir}/step-6" to continue from it`,
  );
  await Deno.remove(`${dir}/step-6`, { recursive: true });
  assertEquals((await readCheckpoint(dir))?.scalars.step, 3);
});
