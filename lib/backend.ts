/**
 * Choosing the tfjs backend: `wasm` (the default), `cpu`, or `tensorflow`
 * (the native `@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`, when
 * the user has one installed).
 *
 * @module
 */

import { tf, tfcpu, tfwasm } from "./deps.ts";

/** The backends hope-ts can run on. */
export type BackendName = "wasm" | "cpu" | "tensorflow";

/** Every backend name, in order of preference. */
export const BACKENDS: readonly BackendName[] = ["wasm", "cpu", "tensorflow"];

/** What runs the tensors, as reported in manifests and `expansion.json`. */
export interface BackendInfo {
  /** The hope-ts name of the backend. */
  name: BackendName;
  /** tfjs's own name for it (`wasm`, `cpu`, `tensorflow`). */
  tfjsName: string;
  /** Threads the backend computes with. */
  threads: number;
  /** tfjs-core version. */
  tfjsVersion: string;
  /** For `tensorflow`: which package loaded. */
  package?: string;
}

/**
 * The backend to use: the flag if given, else `HOPE_BACKEND`, else `wasm`.
 *
 * @param flag The value of a `--backend` flag, if any.
 * @returns A valid backend name.
 * @throws {Error} `Cannot use backend "<name>": ...` for an unknown name.
 * @example
 * ```ts
 * import { resolveBackendName } from "./backend.ts";
 * if (resolveBackendName("cpu") !== "cpu") throw new Error();
 * ```
 */
export function resolveBackendName(flag?: string): BackendName {
  const fromEnv = Deno.env.get("HOPE_BACKEND");
  const name = flag ?? (fromEnv === "" ? undefined : fromEnv) ?? "wasm";
  if (!(BACKENDS as readonly string[]).includes(name)) {
    const where = flag !== undefined ? "--backend" : "HOPE_BACKEND";
    throw new Error(
      `Cannot use backend "${name}" (from ${where}): unknown; expected one of ${
        BACKENDS.join(", ")
      }`,
    );
  }
  return name as BackendName;
}

const NATIVE_PACKAGES = [
  "npm:@tensorflow/tfjs-node-gpu@4.22.0",
  "npm:@tensorflow/tfjs-node@4.22.0",
];

let nativePackage: string | undefined;

/**
 * Loads the native TensorFlow binding. The specifiers are built at run time
 * so that Deno does not try to install them unless asked: their install
 * step downloads libtensorflow, which most machines cannot do.
 */
async function loadNative(): Promise<string> {
  const reasons: string[] = [];
  // A second binding re-registers every kernel with one warning each: mute
  // them, the outcome is reported below.
  const warn = console.warn;
  console.warn = () => {};
  try {
    for (const specifier of NATIVE_PACKAGES) {
      try {
        await import(String(specifier));
        return specifier;
      } catch (error) {
        reasons.push(
          `${specifier}: ${
            String((error as Error).message ?? error).split("\n")[0].trim()
          }`,
        );
      }
    }
  } finally {
    console.warn = warn;
  }
  throw new Error(
    `Cannot use backend "tensorflow": neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node could be loaded (${
      reasons.join("; ")
    }). Install one so that its native libtensorflow is present (for example \`npm install @tensorflow/tfjs-node@4.22.0\` on a machine that can download libtensorflow, or the -gpu build with CUDA 11.2), or use --backend wasm.`,
  );
}

/**
 * Switches tfjs to a backend and waits until it is ready. Never falls back
 * silently: a backend that cannot start is an error.
 *
 * @param name The backend; default from {@linkcode resolveBackendName}.
 * @returns What now runs the tensors.
 * @throws {Error} `Cannot use backend "<name>": ...` when it cannot start.
 * @example
 * ```ts
 * import { useBackend } from "./backend.ts";
 * const info = await useBackend("cpu");
 * if (info.name !== "cpu" || info.threads !== 1) throw new Error();
 * ```
 */
export async function useBackend(
  name: BackendName = resolveBackendName(),
): Promise<BackendInfo> {
  if (name === "tensorflow" && nativePackage === undefined) {
    nativePackage = await loadNative();
  }
  const tfjsName = name;
  if (tf.getBackend() !== tfjsName || !tf.engine().backend) {
    // The cpu backend greets Node users with an advert for tfjs-node on its
    // first tensor; hope-ts reports its backend itself.
    const warn = console.warn;
    if (name === "cpu") console.warn = () => {};
    const ok = await tf.setBackend(tfjsName).then((done) => {
      if (done) tf.dispose(tf.scalar(0));
      return done;
    }).finally(() => {
      console.warn = warn;
    });
    if (!ok) {
      throw new Error(
        `Cannot use backend "${name}": tfjs could not initialise it`,
      );
    }
  }
  await tf.ready();
  return backendInfo();
}

/**
 * Describes the backend tfjs is using now.
 *
 * @returns Name, thread count and versions.
 */
export function backendInfo(): BackendInfo {
  const tfjsName = tf.getBackend();
  const name = (BACKENDS as readonly string[]).includes(tfjsName)
    ? tfjsName as BackendName
    : "cpu";
  const threads = tfjsName === "wasm"
    ? tfwasm.getThreadsCount()
    : tfjsName === "tensorflow"
    ? navigator.hardwareConcurrency
    : 1;
  return {
    name,
    tfjsName,
    threads,
    tfjsVersion: tf.version_core,
    ...(name === "tensorflow" ? { package: nativePackage } : {}),
  };
}

// The cpu backend registers itself on import; keep the import visible.
void tfcpu.version_cpu;
