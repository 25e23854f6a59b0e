/**
 * `deno task bench [suite ...]`: prints benchmark tables. Speed is measured
 * here, never asserted in tests.
 *
 * Suites: `training` (MNIST-net and INR training throughput, wasm vs cpu) and
 * `expansion` (time, memory and exact error of each expansion method on the
 * paper's networks). With no suite, all run.
 *
 * @module
 */

const SUITES: Record<string, () => Promise<void>> = {
  training: async () => (await import("./bench/training.ts")).benchTraining(),
  expansion: async () =>
    (await import("./bench/expansion.ts")).benchExpansion(),
};

const HELP = `Usage: deno task bench [suite ...]

Suites:
  training    training throughput (samples/s) on wasm and cpu: the MNIST
              net and the discovery INR
  expansion   time, peak memory and exact error of taylor / hope / autograd
              on the paper's networks

With no suite, every suite runs.`;

if (import.meta.main) {
  const args = Deno.args;
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    Deno.exit(0);
  }
  const names = args.length ? args : Object.keys(SUITES);
  const unknown = names.filter((n) => !(n in SUITES));
  if (unknown.length) {
    console.error(
      `Cannot run benchmark "${unknown[0]}": unknown suite; expected one of ${
        Object.keys(SUITES).join(", ")
      }`,
    );
    Deno.exit(2);
  }
  for (const name of names) await SUITES[name]();
}
