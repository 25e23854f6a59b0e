/**
 * In-place butterflies over the subset lattice of `n` players (subset `s`
 * holds player `i` when bit `i` of `s` is set). Each is O(n · 2^n).
 *
 * @module
 */

/**
 * Subset-sum (zeta) or subset-difference (Möbius) over every subset:
 * `a[S] ← Σ_{T ⊆ S} (±1)^{|S|−|T|} a[T]`.
 *
 * @param a Values on the `2^n` subsets; overwritten.
 * @param sign `+1` for the zeta transform, `−1` for the Möbius transform.
 */
export function subsetButterfly(a: Float64Array, sign: 1 | -1): void {
  const size = a.length;
  for (let bit = 1; bit < size; bit <<= 1) {
    for (let block = 0; block < size; block += 2 * bit) {
      for (let s = block; s < block + bit; s++) a[s + bit] += sign * a[s];
    }
  }
}

/**
 * The transpose of {@linkcode subsetButterfly}: sums over supersets,
 * `a[T] ← Σ_{S ⊇ T} (±1)^{|S|−|T|} a[S]`.
 *
 * @param a Values on the `2^n` subsets; overwritten.
 * @param sign `+1` or `−1` as in {@linkcode subsetButterfly}.
 */
export function supersetButterfly(a: Float64Array, sign: 1 | -1): void {
  const size = a.length;
  for (let bit = 1; bit < size; bit <<= 1) {
    for (let block = 0; block < size; block += 2 * bit) {
      for (let s = block; s < block + bit; s++) a[s] += sign * a[s + bit];
    }
  }
}

/**
 * The number of players `n` of an array of `2^n` subset values.
 *
 * @param length The array length.
 * @param what The computation, for the error message.
 * @returns `n`.
 */
export function playerCount(length: number, what: string): number {
  const n = Math.log2(length);
  if (!Number.isInteger(n) || n > 30) {
    throw new Error(
      `Cannot ${what} of length "${length}": expected one value per subset, 2^n values`,
    );
  }
  return n;
}

/**
 * `Sᵀ g` for the map `S` that sums OR interactions into outputs,
 * `(S I)(A) = I(∅) + Σ_{T ∩ A ≠ ∅} I(T)`:
 * `(Sᵀ g)(T) = Σ_{A ∩ T ≠ ∅} g(A) = Σ_A g(A) − Σ_{A ⊆ N∖T} g(A)` for
 * `T ≠ ∅`, and `Σ_A g(A)` for `T = ∅`.
 *
 * @param g Values on the `2^n` subsets.
 * @returns A new array.
 */
export function orOutputsTranspose(g: Float64Array): Float64Array {
  const full = g.length - 1;
  let total = 0;
  for (const x of g) total += x;
  const within = g.slice();
  subsetButterfly(within, 1);
  const out = new Float64Array(g.length);
  out[0] = total;
  for (let t = 1; t < g.length; t++) out[t] = total - within[full ^ t];
  return out;
}
