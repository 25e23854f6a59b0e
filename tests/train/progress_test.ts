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
