/**
 * Training progress display: a live bar with loss and rate on a terminal,
 * one plain line per epoch otherwise (logs, CI), or nothing.
 *
 * @module
 */

/** What the trainer reports after each step and each epoch. */
export interface ProgressEvent {
  /** `"step"` after every optimisation step, `"epoch"` after each epoch. */
  kind: "step" | "epoch";
  /** 1-based epoch. */
  epoch: number;
  /** Number of epochs. */
  epochs: number;
  /** 1-based step within the epoch. */
  step: number;
  /** Steps per epoch. */
  steps: number;
  /** Mean training loss of the epoch so far. */
  loss: number;
  /** Learning rate of the epoch. */
  lr: number;
  /** Training samples per second in this epoch so far. */
  samplesPerSecond: number;
  /** Validation loss (epoch events with validation data). */
  valLoss?: number;
  /** Validation accuracy in [0, 1] (epoch events, classification). */
  valAccuracy?: number;
  /** Seconds since training started. */
  seconds: number;
}

/**
 * How progress is shown: `"auto"` is `"bar"` when stdout is a terminal and
 * `"lines"` when not; `"none"` is silent.
 */
export type ProgressMode = "auto" | "bar" | "lines" | "none";

/** Options of {@linkcode createProgress}. */
export interface ProgressOptions {
  /**
   * Where text goes.
   * @default writes to stdout
   */
  write?: (text: string) => void;
  /**
   * Whether the output is a terminal, for `"auto"`.
   * @default Deno.stdout.isTerminal()
   */
  isTerminal?: boolean;
  /**
   * Minimum milliseconds between two redraws of the bar.
   * @default 100
   */
  interval?: number;
}

const encoder = new TextEncoder();

/** Formats a number with 4 significant digits, e.g. `0.01234`, `1.235e+5`. */
function num(v: number): string {
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-4)
    ? v.toExponential(3)
    : String(Number(v.toPrecision(4)));
}

/** The summary of an epoch, as the plain line and the bar's last state. */
function epochLine(e: ProgressEvent): string {
  const width = String(e.epochs).length;
  const parts = [
    `epoch ${String(e.epoch).padStart(width)}/${e.epochs}`,
    `loss ${num(e.loss)}`,
  ];
  if (e.valLoss !== undefined) parts.push(`val_loss ${num(e.valLoss)}`);
  if (e.valAccuracy !== undefined) {
    parts.push(`val_acc ${(100 * e.valAccuracy).toFixed(2)}%`);
  }
  parts.push(
    `lr ${num(e.lr)}`,
    `${Math.round(e.samplesPerSecond)} samples/s`,
    `${e.seconds.toFixed(1)} s`,
  );
  return parts.join("  ");
}

/**
 * Whether an epoch gets a permanent line: the first, the last, and about 20
 * in between, so that long trainings stay quiet in logs.
 */
function isReported(e: ProgressEvent): boolean {
  const every = Math.max(1, Math.ceil(e.epochs / 20));
  return e.epoch === 1 || e.epoch === e.epochs || e.epoch % every === 0;
}

/**
 * Creates a progress display that consumes trainer events. Both displays
 * keep a line for the first and last epochs and about 20 in between.
 *
 * @param mode `"auto"`, `"bar"`, `"lines"` or `"none"`.
 * @param options Output sink, terminal detection, redraw interval.
 * @returns A function to call with each event.
 * @example
 * ```ts
 * import { createProgress } from "./progress.ts";
 * const out: string[] = [];
 * const show = createProgress("lines", { write: (t) => out.push(t) });
 * const e = { epoch: 1, epochs: 2, step: 4, steps: 4, loss: 0.5, lr: 0.1,
 *   samplesPerSecond: 1000, seconds: 0.2 };
 * show({ kind: "step", ...e });
 * show({ kind: "epoch", ...e });
 * if (out.length !== 1 || !out[0].startsWith("epoch 1/2  loss 0.5")) {
 *   throw new Error(out.join());
 * }
 * ```
 */
export function createProgress(
  mode: ProgressMode,
  options: ProgressOptions = {},
): (event: ProgressEvent) => void {
  const write = options.write ??
    ((text: string) => Deno.stdout.writeSync(encoder.encode(text)));
  const resolved = mode === "auto"
    ? (options.isTerminal ?? Deno.stdout.isTerminal()) ? "bar" : "lines"
    : mode;
  if (resolved === "none") return () => {};
  if (resolved === "lines") {
    return (e) => {
      if (e.kind === "epoch" && isReported(e)) write(epochLine(e) + "\n");
    };
  }
  const interval = options.interval ?? 100;
  let last = -Infinity;
  return (e) => {
    if (e.kind === "epoch") {
      if (isReported(e)) write(`\r\x1b[K${epochLine(e)}\n`);
      last = -Infinity;
      return;
    }
    const now = performance.now();
    if (now - last < interval && e.step < e.steps) return;
    last = now;
    const cells = 24;
    const filled = Math.round(cells * e.step / e.steps);
    const bar = "█".repeat(filled) + "░".repeat(cells - filled);
    write(
      `\r\x1b[Kepoch ${e.epoch}/${e.epochs} ${bar} ${e.step}/${e.steps}  loss ${
        num(e.loss)
      }  ${Math.round(e.samplesPerSecond)} samples/s`,
    );
  };
}
