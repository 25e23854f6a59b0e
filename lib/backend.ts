/**
 * Choosing the tfjs backend: `wasm` (the default), `cpu`, or `tensorflow`
 * (the native `@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`, when
 * the user has one installed).
 *
 * @module
 */

import { tf, tfcpu, tfwasm, wasmReadDenied } from "./deps.ts";

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

/** How to install the native binding so that Deno runs its install script. */
const NATIVE_INSTALL =
  'to install it, add "nodeModulesDir": "auto" to deno.json and run `deno install --allow-scripts=npm:@tensorflow/tfjs-node npm:@tensorflow/tfjs-node@4.22.0` (Deno runs the package\'s install script, which downloads libtensorflow, about 300 MB, only with a node_modules folder and --allow-scripts; for the GPU build the same with @tensorflow/tfjs-node-gpu and CUDA 11.2), or use --backend wasm';

let nativePackage: string | undefined;

/**
 * Whether a package is installed in the project: Deno resolves an `npm:`
 * specifier to a file only when the project's lock file already records it
 * (otherwise `import.meta.resolve` returns the specifier unchanged).
 * Importing one that is not would download it and add it to `deno.lock` at
 * run time.
 */
function isInstalled(specifier: string): boolean {
  return !import.meta.resolve(specifier).startsWith("npm:");
}

/**
 * Loads the native TensorFlow binding, only if it is installed: the
 * specifiers are built at run time so that Deno never installs them on its
 * own, which would download libtensorflow and rewrite the lock file.
 */
async function loadNative(): Promise<string> {
  const installed = NATIVE_PACKAGES.map(String).filter(isInstalled);
  if (installed.length === 0) {
    throw new Error(
      `Cannot use backend "tensorflow": neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed in this project, and hope-ts does not install them at run time; ${NATIVE_INSTALL}.`,
    );
  }
  const reasons: string[] = [];
  // A second binding re-registers every kernel with one warning each: mute
  // them, the outcome is reported below.
  const warn = console.warn;
  console.warn = () => {};
  try {
    for (const specifier of installed) {
      try {
        await import(specifier);
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
    `Cannot use backend "tensorflow": the installed binding could not be loaded (${
      reasons.join("; ")
    }); its libtensorflow may be missing if its install script did not run: ${NATIVE_INSTALL}.`,
  );
}

/**
 * Switches tfjs to a backend and waits until it is ready. Never falls back
 * silently: a backend that cannot start is an error.
 *
 * @param name The backend; default from {@linkcode resolveBackendName}.
 * @returns What now runs the tensors.
 * @throws {Error} `Cannot use backend "<name>": ...` when it cannot start:
 *   `wasm` without read access to its `.wasm` files (the message names
 *   `--allow-read`), `tensorflow` when no native binding is installed (the
 *   message gives the install steps; nothing is downloaded and `deno.lock`
 *   is left alone).
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
  const denied = name === "wasm" ? wasmReadDenied() : undefined;
  if (denied !== undefined && tf.getBackend() !== "wasm") {
    throw new Error(
      `Cannot use backend "wasm": it needs read access to ${denied} to load its .wasm files; run deno with --allow-read (or -A), or use backend "cpu"`,
    );
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
