/**
 * The SHA-256 the run files, run ids and checkpoint records share.
 *
 * @module
 */

/**
 * The SHA-256 of bytes, or of a string's UTF-8 bytes.
 *
 * @param data What to hash.
 * @returns 64 lowercase hex digits, as `sha256sum` prints them.
 * @example
 * ```ts
 * import { sha256Hex } from "./_sha256.ts";
 * const hex = await sha256Hex("abc");
 * if (!hex.startsWith("ba7816bf8f01cfea") || hex.length !== 64) throw new Error(hex);
 * ```
 */
export async function sha256Hex(
  data: Uint8Array<ArrayBuffer> | string,
): Promise<string> {
  const bytes = typeof data === "string"
    ? new TextEncoder().encode(data)
    : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}
