import {
  createProgress,
  type ProgressEvent,
} from "../../lib/train/progress.ts";
import { assert, assertEquals } from "../_assert.ts";

const base: Omit<ProgressEvent, "kind" | "step"> = {
  epoch: 2,
  epochs: 10,
  steps: 4,
  loss: 0.123456,
  lr: 0.001,
  samplesPerSecond: 1234.4,
  seconds: 3.21,
};

function feed(
  show: (e: ProgressEvent) => void,
  epochEvent: Partial<ProgressEvent> = {},
) {
  for (let step = 1; step <= 4; step++) show({ ...base, kind: "step", step });
  show({ ...base, kind: "epoch", step: 4, ...epochEvent });
}

Deno.test("createProgress() prints one plain line per epoch when not a terminal", () => {
  const out: string[] = [];
  feed(
    createProgress("auto", { isTerminal: false, write: (t) => out.push(t) }),
    {
      valLoss: 0.2,
      valAccuracy: 0.91234,
    },
  );
  assertEquals(out, [
    "epoch  2/10  loss 0.1235  val_loss 0.2  val_acc 91.23%  lr 0.001  1234 samples/s  3.2 s\n",
  ]);
});

Deno.test("createProgress() draws a bar with loss and rate on a terminal", () => {
  const out: string[] = [];
  feed(
    createProgress("auto", {
      isTerminal: true,
      write: (t) => out.push(t),
      interval: 0,
    }),
  );
  assertEquals(out.length, 5);
  assert(
    out[1].startsWith("\r\x1b[Kepoch 2/10 ████████████░░░░░░░░░░░░ 2/4"),
    out[1],
  );
  assert(out[1].endsWith("loss 0.1235  1234 samples/s"), out[1]);
  assert(
    out[4].startsWith("\r\x1b[Kepoch  2/10  loss") && out[4].endsWith("\n"),
  );
});

Deno.test("createProgress() redraws at most once per interval but always at the end", () => {
  const out: string[] = [];
  feed(createProgress("bar", { write: (t) => out.push(t), interval: 60_000 }));
  // step 1 (first draw), step 4 (last step), the epoch line
  assertEquals(out.length, 3);
});

Deno.test("createProgress() is silent with none", () => {
  const out: string[] = [];
  feed(createProgress("none", { write: (t) => out.push(t) }));
  assertEquals(out, []);
});

Deno.test("createProgress() keeps about 20 epoch lines of a long training", () => {
  const out: string[] = [];
  const show = createProgress("lines", { write: (t) => out.push(t) });
  for (let epoch = 1; epoch <= 376; epoch++) {
    show({
      kind: "epoch",
      epoch,
      epochs: 376,
      step: 1,
      steps: 1,
      loss: 0.5,
      lr: 0.1,
      samplesPerSecond: 1000,
      seconds: epoch,
    });
  }
  // First, every 19th (⌈376/20⌉), last.
  assertEquals(out.length, 1 + Math.floor(376 / 19) + 1);
  assert(out[0].startsWith("epoch   1/376"), out[0]);
  assert(out.at(-1)!.startsWith("epoch 376/376"), out.at(-1)!);
});

Deno.test("createProgress() shows numbers with 4 significant digits, in exponent form outside [1e-4, 1e5)", () => {
  const shown = (loss: number) => {
    const out: string[] = [];
    createProgress("lines", { write: (t) => out.push(t) })({
      ...base,
      kind: "epoch",
      step: 4,
      epoch: 1,
      loss,
    });
    // no validation: neither val_loss nor val_acc
    assert(!out[0].includes("val_"), out[0]);
    return out[0].match(/ loss (\S+) /)?.[1];
  };
  assertEquals(
    [1e5, 99990, 123456, 1e-4, 0.00009999, 0, -0.5, -2e-5].map(shown),
    [
      "1.000e+5",
      "99990",
      "1.235e+5",
      "0.0001",
      "9.999e-5",
      "0",
      "-0.5",
      "-2.000e-5",
    ],
  );
});
