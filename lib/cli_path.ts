/**
 * Resolving paths typed on a command line. `deno task` runs its command in
 * the project folder, so `Deno.cwd()` is the project, not the folder the user
 * typed the command in; Deno passes that folder as `INIT_CWD`.
 *
 * @module
 */

import { resolve } from "node:path";

/**
 * Resolves a path the user typed against the folder they typed it in:
 * `INIT_CWD` when set (by `deno task`), otherwise the working directory.
 * Absolute paths are returned normalised and otherwise unchanged.
 *
 * @param path The path as typed (relative or absolute).
 * @returns The absolute path.
 * @throws {Deno.errors.NotCapable} without `--allow-env` (for `INIT_CWD`).
 * @example
 * ```ts
 * import { resolveUserPath } from "./cli_path.ts";
 * const saved = Deno.env.get("INIT_CWD");
 * Deno.env.set("INIT_CWD", "/home/ada/project/sub");
 * try {
 *   if (resolveUserPath("out") !== "/home/ada/project/sub/out") {
 *     throw new Error(resolveUserPath("out"));
 *   }
 *   if (resolveUserPath("/tmp/x/../y") !== "/tmp/y") throw new Error();
 * } finally {
 *   if (saved === undefined) Deno.env.delete("INIT_CWD");
 *   else Deno.env.set("INIT_CWD", saved);
 * }
 * ```
 */
export function resolveUserPath(path: string): string {
  return resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), path);
}
