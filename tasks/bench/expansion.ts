/**
 * Benchmark: time, peak memory and exact error of the three ways of
 * computing a network's derivatives (`taylor`, `hope`, `autograd`) on the
 * HOPE paper's demo networks, next to the reference PyTorch HOPE code's
 * timings measured on this machine (`tests/fixtures/taylor/
 * reference_timings.json`, when present).
 *
 * Run: `deno task bench expansion`, or this file directly.
 *
 * @module
 */

import { cpuUsage } from "node:process";
import { backendInfo, useBackend } from "../../lib/backend.ts";
import { tf } from "../../lib/deps.ts";
import { createRng } from "../../lib/random.ts";
import { autogradDerivatives } from "../../lib/taylor/autograd.ts";
import { hopeDerivatives } from "../../lib/taylor/hope.ts";
import { referenceDerivatives } from "../../lib/taylor/reference64.ts";
import { taylorDerivatives } from "../../lib/taylor/taylor_mode.ts";
import type { DerivativeSet, Method } from "../../lib/taylor/types.ts";
import { relativeError } from "../../lib/relative_error.ts";
import {
  DEMO_KEYS,
  type DemoKey,
  type DemoNetwork,
  demoNetworks,
} from "./_demo_networks.ts";
import { peakTensorBytes } from "./_peak_bytes.ts";
import { formatTable } from "./_table.ts";

/** Options of {@linkcode benchExpansion}. */
export interface BenchExpansionOptions {
  /**
   * Which networks, in table order.
   * @default ["mlp1d", "conv2d", "discovery", "mnist"]
   */
  networks?: DemoKey[];
  /**
   * Which methods, in table order.
   * @default ["taylor", "hope", "autograd"]
   */
  methods?: Method[];
  /**
   * Timed calls after the warm-up call (the median counts); none when the
   * warm-up took 2 s or more, whose time then counts.
   * @default 5
   */
  repeats?: number;
  /**
   * Fresh processes whose first expansion is timed (the 2-D conv net at
   * order 8, as a one-shot `deno task expand` pays it); 0 skips them.
   * @default 3
   */
  firstCalls?: number;
  /**
   * Seconds: `autograd` stops climbing the orders of a network once one
   * order took longer.
   * @default 10
   */
  cap?: number;
  /**
   * Inputs at which an unmixed expansion with more inputs (MNIST's 784
   * pixels) is checked against the float64 reference (about 0.7 s per
   * input for the MNIST net at order 10).
   * @default 16
   */
  sample?: number;
  /**
   * The reference timings file; missing means no reference columns.
   * @default "tests/fixtures/taylor/reference_timings.json"
   */
  referenceTimings?: string | URL;
}

/** One line of the table: a measured or skipped call, or a reference run. */
interface Row {
  network: DemoNetwork;
  order: number;
  /** Our method, or a reference run's label. */
  method: string;
  /** Wall seconds (median), undefined when skipped. */
  seconds?: number;
  /** Process CPU seconds (user + system) of the same calls (median). */
  cpuSeconds?: number;
  runs?: number;
  /** Peak tfjs tensor bytes above those held before the call. */
  peakBytes?: number;
  /** The exact-error cell. */
  error?: string;
  skipped?: string;
  /** A reference PyTorch run (no speed-up against itself). */
  reference?: boolean;
}

/** A run of the reference PyTorch HOPE code, as the timings file has it. */
interface ReferenceRun {
  order: number;
  seconds: number;
  firstCall?: number;
  calls: number;
  autograd64?: number;
  maxError?: number;
}

const COMPUTE: Record<
  Method,
  (demo: DemoNetwork, order: number) => DerivativeSet[]
> = {
  taylor: (demo, order) =>
    taylorDerivatives(demo.network, [demo.point], { order, mixed: demo.mixed }),
  hope: (demo, order) =>
    hopeDerivatives(demo.network, [demo.point], { order, mixed: demo.mixed }),
  autograd: (demo, order) =>
    autogradDerivatives(demo.network, [demo.point], {
      order,
      mixed: demo.mixed,
    }),
};

/** Reference derivatives of one network at its point. */
interface ExactReference {
  /**
   * `derivatives[k]`, k = 0 … order: the full `dk.npy` layout, or for a
   * sample only the entries at `indices`.
   */
  derivatives: Float64Array[];
  /** For a sample: the flat entries of `dk.npy` that `derivatives` holds. */
  indices?: number[];
  /** Seconds the reference took. */
  seconds: number;
  /** How it was computed, for the notes under the table. */
  how: string;
}

/**
 * The float64 derivatives (`lib/taylor/reference64.ts`) of a benchmark
 * network at its point, up to `order`, in its mode; an unmixed expansion
 * with more than `sample` inputs is checked at a seeded sample of them.
 */
function exactReference(
  demo: DemoNetwork,
  options: { order: number; sample: number },
): ExactReference {
  const { order, sample } = options;
  const start = performance.now();
  const seconds = () => (performance.now() - start) / 1000;
  const d = demo.point.length;
  if (demo.mixed === "all") {
    return {
      derivatives: referenceDerivatives(demo.network, demo.point, {
        order,
        mixed: "all",
      }),
      seconds: seconds(),
      how:
        "float64 forward Taylor mode over every monomial (lib/taylor/reference64.ts)",
    };
  }
  const indices = createRng(1).shuffle(Array.from({ length: d }, (_, i) => i))
    .slice(0, Math.min(sample, d)).sort((a, b) => a - b);
  const derivatives = referenceDerivatives(demo.network, demo.point, {
    order,
    mixed: "directions",
    directions: indices.map((i) => {
      const v = new Array(d).fill(0);
      v[i] = 1;
      return v;
    }),
  });
  derivatives[0] = derivatives[0].slice(0, 1);
  const sampled = indices.length < d;
  return {
    derivatives,
    indices: sampled ? indices : undefined,
    seconds: seconds(),
    how: sampled
      ? `float64 series along e_i (lib/taylor/reference64.ts) at ${indices.length} of ${d} inputs, a seeded sample`
      : "float64 series along each e_i (lib/taylor/reference64.ts)",
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Max per-order relative error (orders 0 … order) against the reference, as
 * `"3.1e-6 (k=4)"` with the worst order, and `†` when the reference checks
 * a sample of the entries.
 */
function exactError(set: DerivativeSet, reference: ExactReference): string {
  let error = -1;
  let worstOrder = 0;
  for (let k = 0; k <= set.order; k++) {
    const ours = set.derivatives[k];
    const picked = reference.indices && k > 0
      ? Float64Array.from(reference.indices, (i) => ours[i])
      : ours;
    const e = relativeError(picked, reference.derivatives[k]);
    if (!(e <= error)) {
      error = e;
      worstOrder = k;
    }
  }
  return `${error.toExponential(1)} (k=${worstOrder})${
    reference.indices ? " †" : ""
  }`;
}

/**
 * One warm-up call, which also gives the peak memory and the result to
 * check; then `repeats` timed calls, or none when the warm-up took 2 s or
 * more (its time counts: a JIT warm-up is negligible there).
 */
function measure(
  compute: () => DerivativeSet[],
  repeats: number,
): {
  seconds: number;
  cpuSeconds: number;
  runs: number;
  peakBytes: number;
  set: DerivativeSet;
} {
  const timed = <T>(fn: () => T) => {
    const cpu = cpuUsage();
    const start = performance.now();
    const result = fn();
    const used = cpuUsage(cpu);
    return {
      result,
      seconds: (performance.now() - start) / 1000,
      cpuSeconds: (used.user + used.system) / 1e6,
    };
  };
  const first = timed(() => peakTensorBytes(compute));
  const { result, peakBytes } = first.result;
  if (first.seconds >= 2) {
    return { ...first, runs: 1, peakBytes, set: result[0] };
  }
  const calls = Array.from({ length: repeats }, () => timed(compute));
  return {
    seconds: median(calls.map((c) => c.seconds)),
    cpuSeconds: median(calls.map((c) => c.cpuSeconds)),
    runs: repeats,
    peakBytes,
    set: result[0],
  };
}

/** Reads the reference PyTorch timings, keyed by our network keys. */
async function readReferenceTimings(
  path: string | URL,
): Promise<{ runs: Map<DemoKey, ReferenceRun[]>; note: string } | undefined> {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(await Deno.readTextFile(path));
  } catch {
    return undefined;
  }
  const runs = new Map<DemoKey, ReferenceRun[]>();
  const num = (v: unknown) => typeof v === "number" ? v : undefined;
  for (const run of (doc.runs ?? []) as Record<string, unknown>[]) {
    const name = String(run.network ?? "");
    const key: DemoKey | undefined = /^1-D/.test(name)
      ? "mlp1d"
      : /^2-D/.test(name)
      ? "conv2d"
      : /MNIST/i.test(name)
      ? "mnist"
      : /discovery/i.test(name)
      ? "discovery"
      : undefined;
    const later = Array.isArray(run.seconds_later_calls)
      ? (run.seconds_later_calls as number[])
      : [];
    const first = num(run.seconds_first_call);
    const order = num(run.order);
    if (!key || order === undefined || (!later.length && first === undefined)) {
      continue;
    }
    const errors = Array.isArray(run.relative_error_vs_float64_nested_autograd)
      ? (run.relative_error_vs_float64_nested_autograd as number[])
      : [];
    runs.set(key, [...(runs.get(key) ?? []), {
      order,
      seconds: later.length ? median(later) : first!,
      firstCall: first,
      calls: later.length || 1,
      autograd64: num(run.float64_nested_autograd_seconds),
      maxError: errors.length ? Math.max(...errors) : undefined,
    }]);
  }
  const cpu = doc.cpu as Record<string, unknown> | undefined;
  const versions = doc.versions as Record<string, unknown> | undefined;
  const note = `reference: PyTorch HOPE (hopegrad) ${
    versions?.torch ? `torch ${versions.torch}` : ""
  }${cpu?.model ? `, ${cpu.model}` : ""}${
    cpu?.torch_threads ? `, ${cpu.torch_threads} threads` : ""
  }; "PyTorch hope (ref)" = the reference's hopegrad() on its own seed-42 weights (same structure and init distributions as ours; the time does not depend on the values), median of its later calls; its first call, which also builds the chain-rule tables, is in the targets; ‡ its own error vs float64 nested autograd, max over orders; "PyTorch autograd f64 (ref)" = that float64 nested autograd, once`;
  return { runs, note };
}

/**
 * Measures `taylor`, `hope` and `autograd` on the paper's demo networks
 * (1-D sine MLP 1024 × 5 at orders 2 … 10, the 2-D conv net at orders
 * 2 … 8 with all mixed partials, a 4-input discovery MLP at order 4, the
 * MNIST net at order 10 over all 784 pixels) and prints the time, peak
 * tfjs memory and exact error of each, with the reference PyTorch HOPE
 * timings and the issue's targets.
 *
 * Nested autograd is exponential in the order: it climbs each network's
 * orders (a single-order network's from 1) and stops once an order took
 * longer than `cap`.
 *
 * @param options Networks, methods, repeats, cap, reference sample size.
 * @returns When the table is printed.
 * @throws {Error} `Cannot use backend "wasm": …` when wasm cannot start;
 *   `Cannot load MNIST …` when the MNIST net is asked for without its data.
 * @example
 * ```ts
 * import { benchExpansion } from "./expansion.ts";
 * const lines: string[] = [];
 * const log = console.log;
 * console.log = (line: string) => lines.push(line);
 * try {
 *   await benchExpansion({
 *     networks: ["discovery"],
 *     methods: ["taylor", "hope"],
 *     repeats: 1,
 *   });
 * } finally {
 *   console.log = log;
 * }
 * const row = lines.find((l) => l.includes("discovery MLP") && l.includes("taylor"));
 * if (!row) throw new Error(lines.join("\n"));
 * ```
 */
export async function benchExpansion(
  options: BenchExpansionOptions = {},
): Promise<void> {
  const keys = options.networks ?? [...DEMO_KEYS];
  const methods = options.methods ?? ["taylor", "hope", "autograd"];
  const repeats = options.repeats ?? 5;
  const cap = options.cap ?? 10;
  const load = Deno.loadavg().map((l) => l.toFixed(1)).join(", ");
  const previous = tf.getBackend();
  await useBackend("wasm");
  const info = backendInfo();
  const timings = await readReferenceTimings(
    options.referenceTimings ??
      new URL(
        "../../tests/fixtures/taylor/reference_timings.json",
        import.meta.url,
      ),
  );
  const rows: Row[] = [];
  const notes: string[] = [];
  const demos = await demoNetworks(keys);
  for (const demo of demos) {
    const top = Math.max(...demo.orders);
    const reference = exactReference(demo, {
      order: top,
      sample: options.sample ?? 16,
    });
    notes.push(
      `${demo.description}. Exact error vs ${reference.how} (${
        reference.seconds.toFixed(1)
      } s).`,
    );
    for (const method of methods) {
      const orders = method === "autograd" && demo.orders.length === 1
        ? Array.from({ length: top }, (_, i) => i + 1)
        : demo.orders;
      let slow = false;
      for (const order of orders) {
        if (slow) {
          rows.push({
            network: demo,
            order,
            method,
            skipped: `skipped (> ${cap} s)`,
          });
          continue;
        }
        const m = measure(() => COMPUTE[method](demo, order), repeats);
        rows.push({
          network: demo,
          order,
          method,
          seconds: m.seconds,
          cpuSeconds: m.cpuSeconds,
          runs: m.runs,
          peakBytes: m.peakBytes,
          error: exactError(m.set, reference),
        });
        if (method === "autograd" && m.seconds > cap) slow = true;
      }
    }
    rows.push(...referenceRows(demo, timings?.runs.get(demo.key) ?? []));
    demo.network.dispose();
  }
  if (previous) await tf.setBackend(previous);
  printTable(rows, { threads: info.threads });
  const firstCalls = keys.includes("conv2d")
    ? await freshFirstCalls("conv2d", 8, options.firstCalls ?? 3)
    : [];
  printTargets(rows, timings?.runs, firstCalls);
  console.log("\nNotes:");
  for (const n of notes) console.log(`- ${n}`);
  console.log(
    `- time: median of ${repeats} calls after one warm-up call (runs = 1: the warm-up took ≥ 2 s and is the time), derivative computation only (taylorDerivatives / hopeDerivatives / autogradDerivatives, results read back to JS); wasm backend, ${info.threads} thread${
      info.threads === 1 ? "" : "s"
    }, tfjs ${info.tfjsVersion}. cpu s: this process's user + system CPU seconds over the same calls (median), which other jobs on the machine do not inflate; load average at the start: ${load}.`,
  );
  console.log(
    "- peak MiB: the largest tf.memory().numBytes after any kernel of the warm-up call, minus its value before the call: tfjs tensor memory above the resident weights, not the JS heap. It is what tf.profile(...).peakBytes computes, read by a hook on the engine's kernel entry because tf.profile overflows the stack past ~10^5 kernels (nested autograd).",
  );
  console.log(
    "- exact error: per-order relative error in max norm, max|ours − ref| / max|ref|, maximised over orders 0 … n; (k) is the worst order.",
  );
  console.log(
    "- autograd: orders visited in turn; a single-order network's from 1, so the growth shows; skipped once an order took more than the cap.",
  );
  if (timings) console.log(`- ${timings.note}.`);
  else {
    console.log(
      "- no reference timings file (tests/fixtures/taylor/reference_timings.json): reference columns empty.",
    );
  }
}

function fmtSeconds(s: number): string {
  return s >= 10 ? s.toFixed(1) : s >= 0.1 ? s.toFixed(3) : s.toFixed(4);
}

/** Table lines for the reference PyTorch runs of a network. */
function referenceRows(demo: DemoNetwork, runs: ReferenceRun[]): Row[] {
  return runs.flatMap((r) => [
    {
      network: demo,
      order: r.order,
      method: "PyTorch hope (ref)",
      seconds: r.seconds,
      runs: r.calls,
      error: r.maxError === undefined ? "" : `${r.maxError.toExponential(1)} ‡`,
      reference: true,
    },
    ...(r.autograd64 === undefined ? [] : [{
      network: demo,
      order: r.order,
      method: "PyTorch autograd f64 (ref)",
      seconds: r.autograd64,
      runs: 1,
      error: "",
      reference: true,
    }]),
  ]);
}

function printTable(rows: Row[], setup: { threads: number }): void {
  const header = [
    "network",
    "order",
    "method",
    "time s",
    "cpu s",
    "runs",
    "peak MiB",
    "exact error",
    "vs ref hope",
  ];
  const cells = rows.map((r) => {
    const ref = rows.find((t) =>
      t.reference && t.network === r.network && t.order === r.order &&
      t.method.startsWith("PyTorch hope")
    );
    return [
      r.network.name,
      String(r.order),
      r.method,
      r.skipped ?? fmtSeconds(r.seconds!),
      r.cpuSeconds === undefined ? "" : fmtSeconds(r.cpuSeconds),
      r.runs === undefined ? "" : String(r.runs),
      r.peakBytes === undefined ? "" : (r.peakBytes / 2 ** 20).toFixed(1),
      r.error ?? "",
      ref && !r.reference && r.seconds !== undefined
        ? `${(ref.seconds! / r.seconds).toFixed(1)}×`
        : "",
    ];
  });
  console.log(
    `\nExpansion: derivatives of the paper's demo networks by three methods (wasm, ${setup.threads} thread${
      setup.threads === 1 ? "" : "s"
    })\n`,
  );
  const lines = formatTable(header, cells, { textColumns: 3, markdown: true });
  for (const line of lines) console.log(line);
}

/** One "faster than the reference" target line. */
function speedTarget(
  what: string,
  ours: Row | undefined,
  options: { ref?: ReferenceRun; factor: number; paper: number },
): string {
  if (!ours) return `- ${what}: not measured`;
  const t = ours.seconds!;
  const { ref, factor, paper } = options;
  const ratio = (seconds: number) => `${(seconds / t).toFixed(1)}×`;
  const versus = ref
    ? `reference ${fmtSeconds(ref.seconds)} s here → ${ratio(ref.seconds)}, ${
      ref.seconds / t >= factor ? "met" : "NOT met"
    } (its first call: ${fmtSeconds(ref.firstCall ?? ref.seconds)} s → ${
      ratio(ref.firstCall ?? ref.seconds)
    })`
    : "no reference timing on this machine";
  return `- ${what}: taylor ${
    fmtSeconds(t)
  } s; ${versus}; the issue's ${paper} s (paper's machine) → ${ratio(paper)}`;
}

/**
 * The derivative seconds of the first expansion of a fresh process (this
 * file run with `--first-call KEY ORDER`), `runs` times: what a one-shot
 * `deno task expand` pays, JIT and kernel set-up included.
 */
async function freshFirstCalls(
  key: DemoKey,
  order: number,
  runs: number,
): Promise<number[]> {
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL(import.meta.url).pathname,
        "--first-call",
        key,
        String(order),
      ],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (out.success) {
      seconds.push(Number(new TextDecoder().decode(out.stdout).trim()));
    }
  }
  return seconds;
}

/** `--first-call KEY ORDER`: one taylor expansion, its seconds printed. */
async function firstCall(key: DemoKey, order: number): Promise<void> {
  await useBackend("wasm");
  const [demo] = await demoNetworks([key]);
  const start = performance.now();
  COMPUTE.taylor(demo, order);
  console.log(((performance.now() - start) / 1000).toFixed(4));
}

function printTargets(
  rows: Row[],
  timings: Map<DemoKey, ReferenceRun[]> | undefined,
  firstCalls: number[],
): void {
  const taylor = (key: DemoKey, order: number) =>
    rows.find((r) =>
      r.network.key === key && r.order === order && r.method === "taylor" &&
      r.seconds !== undefined
    );
  const ref = (key: DemoKey, order: number) =>
    timings?.get(key)?.find((t) => t.order === order);
  console.log("\nTargets (issue 3, Performance):");
  console.log(speedTarget(
    "1-D MLP order 10, ≥ 5× faster than the reference HOPE",
    taylor("mlp1d", 10),
    { ref: ref("mlp1d", 10), factor: 5, paper: 0.3 },
  ));
  console.log(speedTarget(
    "2-D conv net order 8, no slower than the reference HOPE",
    taylor("conv2d", 8),
    { ref: ref("conv2d", 8), factor: 1, paper: 0.03 },
  ));
  if (firstCalls.length > 0) {
    const first = ref("conv2d", 8)?.firstCall;
    const ours = median(firstCalls);
    console.log(
      `- 2-D conv net order 8, first call in a fresh process no slower than the reference's first call: taylor ${
        firstCalls.map(fmtSeconds).join(", ")
      } s (median ${fmtSeconds(ours)}); ${
        first === undefined
          ? "no reference first-call timing on this machine"
          : `reference's first call ${fmtSeconds(first)} s → ${
            (first / ours).toFixed(1)
          }×, ${first >= ours ? "met" : "NOT met"}`
      }`,
    );
  }
  const mnist = taylor("mnist", 10);
  console.log(
    mnist
      ? `- MNIST order-10 exact 784-pixel map < 2 s: taylor ${
        fmtSeconds(mnist.seconds!)
      } s, ${mnist.seconds! < 2 ? "met" : "NOT met"}`
      : "- MNIST order-10 exact 784-pixel map < 2 s: not measured",
  );
}

if (import.meta.main) {
  if (Deno.args[0] === "--first-call") {
    await firstCall(Deno.args[1] as DemoKey, Number(Deno.args[2]));
  } else await benchExpansion();
}
