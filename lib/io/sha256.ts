/**
 * The SHA-256 of bytes as lowercase hex, the form checkpoints and run
 * manifests record.
 *
 * @module
 */

/**
 * The SHA-256 digest of bytes, or of a text's UTF-8 bytes, as 64 lowercase
 * hex digits.
 *
 * @param data The bytes, or a text, to hash.
 * @returns The digest in hex.
 * @throws {Error} Never for a `Uint8Array`; WebCrypto's own errors pass
 *   through.
 * @example
 * ```ts
 * import { sha256Hex } from "./sha256.ts";
 * const hex = await sha256Hex(new TextEncoder().encode("abc"));
 * const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
 * if (hex !== want) throw new Error(hex);
 * if (await sha256Hex("abc") !== want) throw new Error("text");
 * ```
 */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string"
    ? new TextEncoder().encode(data)
    : data;
  const digest = await crypto.subtle.digest(
    "SHA-256",
    bytes as Uint8Array<ArrayBuffer>,
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}
