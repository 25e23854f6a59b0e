/**
 * Paths typed on the command line are the user's: they resolve against the
 * folder the command was typed in, not the project root where `deno task`
 * runs its tasks (Deno records the former in `INIT_CWD`).
 *
 * @module
 */

import { resolve } from "node:path";

/**
 * Resolves a user-given path against the caller's working directory:
 * `INIT_CWD` when set (under `deno task`), else the process's.
 *
 * @param path A path as the user typed it, relative or absolute.
 * @returns The absolute path.
 * @example
 * ```ts
 * import { resolveUserPath } from "./cli_path.ts";
 * Deno.env.set("INIT_CWD", "/home/me/project/sub");
 * if (resolveUserPath("out") !== "/home/me/project/sub/out") throw new Error();
 * if (resolveUserPath("/tmp/x") !== "/tmp/x") throw new Error();
 * Deno.env.delete("INIT_CWD");
 * ```
 */
export function resolveUserPath(path: string): string {
  return resolve(callerDirectory(), path);
}

/** `INIT_CWD`, or the process's folder when unset or unreadable. */
function callerDirectory(): string {
  try {
    return Deno.env.get("INIT_CWD") || Deno.cwd();
  } catch {
    return Deno.cwd();
  }
}
