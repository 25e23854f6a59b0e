/**
 * The library version, read from `deno.json` so that it has one source.
 *
 * @module
 */

import config from "../deno.json" with { type: "json" };

/** The hope-ts version, as in `deno.json`. */
export const VERSION: string = config.version;
