/**
 * A small seeded pseudo-random generator, so that initial weights, data
 * samples and mini-batch orders are bit-identical on every backend (tfjs's own
 * random ops differ between backends).
 *
 * @module
 */

/** A seeded stream of random numbers. */
export interface Rng {
  /**
   * Uniform in `[0, 1)`.
   *
   * @returns The next number.
   */
  next(): number;
  /**
   * Uniform in `[low, high)`.
   *
   * @param low Lower bound.
   * @param high Upper bound.
   * @returns The next number.
   */
  uniform(low: number, high: number): number;
  /**
   * Standard normal (Box–Muller).
   *
   * @returns The next number.
   */
  normal(): number;
  /**
   * Shuffles an array in place (Fisher–Yates) and returns it.
   *
   * @param items The array.
   * @returns The same array, shuffled.
   */
  shuffle<T>(items: T[]): T[];
  /**
   * The generator's state: `createRng(seed, { state })` continues the stream
   * from here (checkpoints save it).
   *
   * @returns The state, a 32-bit unsigned integer.
   */
  state(): number;
}

/** Options of {@linkcode createRng}. */
export interface RngOptions {
  /**
   * Continue from a state returned by {@linkcode Rng.state} (the seed is
   * then ignored).
   * @default the seed's initial state
   */
  state?: number;
}

/**
 * Creates a generator from an integer seed (SplitMix32 mixing, which passes
 * the usual statistical batteries and is a few lines long).
 *
 * @param seed Any integer; the same seed gives the same stream.
 * @param options A state to continue from.
 * @returns The generator.
 * @example
 * ```ts
 * import { createRng } from "./random.ts";
 * const a = createRng(7), b = createRng(7);
 * if (a.next() !== b.next()) throw new Error("not deterministic");
 * const c = createRng(0, { state: a.state() });
 * if (a.next() !== c.next()) throw new Error("state does not continue");
 * ```
 */
export function createRng(seed: number, options: RngOptions = {}): Rng {
  let state = ((options.state ?? seed) | 0) >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  };
  return {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    normal: () => {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
    state: () => state,
  };
}
