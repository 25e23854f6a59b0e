/**
 * Activation patterns as compact map keys.
 *
 * @module
 */

/**
 * A hex string of the bits `bits[start … start + count)` (4 bits per
 * character, first neuron in the highest bit), so that two patterns are equal
 * exactly when their keys are.
 *
 * @param bits 0/1 values.
 * @param range Where the pattern starts and how many bits it has.
 * @returns The key.
 */
export function patternKey(
  bits: Uint8Array,
  range: { start: number; count: number },
): string {
  let key = "";
  const { start, count } = range;
  for (let i = 0; i < count; i += 4) {
    let nibble = 0;
    for (let k = 0; k < 4; k++) {
      nibble = (nibble << 1) | (i + k < count ? bits[start + i + k] : 0);
    }
    key += nibble.toString(16);
  }
  return key;
}
