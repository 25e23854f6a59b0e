/**
 * Checks shared by the masked inputs and outputs.
 *
 * @module
 */

/** The most players: `2^16 = 65536` masked inputs. */
export const MAX_PLAYERS = 16;

/** Players and baseline, checked against the input size. */
export interface ResolvedPlayers {
  /** Feature indices of each player. */
  players: number[][];
  /** The value of every feature when its player is absent. */
  baseline: Float32Array;
  /** The masked value of features that belong to no player. */
  rest: Float32Array;
}

/**
 * Validates `players` and `baseline` for an input of `d` features.
 *
 * @param input The input, flattened.
 * @param options As given by the caller.
 * @returns The resolved players, baseline and rest values.
 */
export function resolvePlayers(
  input: ArrayLike<number>,
  options: {
    players?: readonly (readonly number[])[];
    baseline?: number | ArrayLike<number>;
    rest?: "input" | "baseline";
  },
): ResolvedPlayers {
  const d = input.length;
  const players = (options.players ?? Array.from({ length: d }, (_, i) => [i]))
    .map((p) => [...p]);
  const n = players.length;
  if (n > MAX_PLAYERS || n < 1) {
    throw new Error(
      `Cannot compute interactions "n = ${n}": ${
        n < 1 ? "at least 1 player" : `at most ${MAX_PLAYERS} players`
      } (2^n forward passes)`,
    );
  }
  const owner = new Int32Array(d).fill(-1);
  players.forEach((features, i) => {
    for (const f of features) {
      if (!Number.isInteger(f) || f < 0 || f >= d) {
        throw new Error(
          `Cannot use player ${i} "${f}": feature indices must be integers in 0 … ${
            d - 1
          }`,
        );
      }
      if (owner[f] >= 0) {
        throw new Error(
          `Cannot use player ${i} "${f}": feature ${f} already belongs to player ${
            owner[f]
          }`,
        );
      }
      owner[f] = i;
    }
  });
  const b = options.baseline ?? 0;
  if (typeof b !== "number" && b.length !== d) {
    throw new Error(
      `Cannot use baseline of length "${b.length}": the input has ${d} features`,
    );
  }
  const baseline = typeof b === "number"
    ? new Float32Array(d).fill(b)
    : Float32Array.from(b);
  const rest = (options.rest ?? "input") === "input"
    ? Float32Array.from(input)
    : baseline;
  return { players, baseline, rest };
}
