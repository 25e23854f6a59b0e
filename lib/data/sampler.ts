/**
 * Samples of a target function on a box, for the discovery experiments:
 * points on a grid or drawn uniformly (seeded), and the target evaluated at
 * them as a regression data source.
 *
 * @module
 */

import { createRng } from "../random.ts";
import { arrayDataSource, type DataSource } from "./data_source.ts";

/** An axis-aligned box: `[low, high]` for each input dimension. */
export type Box = readonly (readonly [number, number])[];

/** `N` points in `d` dimensions, row-major. */
export interface Points {
  /** Coordinates, point after point. */
  data: Float32Array;
  /** `[N, d]`. */
  shape: [number, number];
}

function checkBox(box: Box): void {
  if (
    box.length === 0 ||
    !box.every(([lo, hi]) =>
      Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi
    )
  ) {
    throw new Error(
      `Cannot sample box "${
        JSON.stringify(box)
      }": expected one [low, high] pair of finite numbers with low ≤ high per dimension`,
    );
  }
}

function checkCount(what: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) {
    throw new Error(
      `Cannot sample ${what} "${n}": expected an integer ≥ ${min}`,
    );
  }
}

/**
 * The points of a regular grid with both ends of every axis included
 * (`n` values per axis, like `linspace`). The last axis varies fastest, so a
 * 2-D grid reshapes to `[n0, n1]` with `x0` along the rows.
 *
 * @param box The box.
 * @param options `n`: points per axis, one number for all or one per axis
 *   (1 gives the box's midpoint).
 * @returns `Π n_i` points.
 * @throws {Error} `Cannot sample box "<box>": ...` or
 *   `Cannot sample grid size "<n>": ...` on bad input.
 * @example
 * ```ts
 * import { gridPoints } from "./sampler.ts";
 * const p = gridPoints([[0, 1], [-1, 1]], { n: [2, 3] });
 * if (p.shape.join() !== "6,2" || p.data.join() !== "0,-1,0,0,0,1,1,-1,1,0,1,1") {
 *   throw new Error(p.data.join());
 * }
 * ```
 */
export function gridPoints(
  box: Box,
  options: { n: number | readonly number[] },
): Points {
  checkBox(box);
  const d = box.length;
  const counts = typeof options.n === "number"
    ? new Array<number>(d).fill(options.n)
    : [...options.n];
  if (counts.length !== d) {
    throw new Error(
      `Cannot sample grid size "${options.n}": ${counts.length} counts for a ${d}-dimensional box`,
    );
  }
  counts.forEach((n) => checkCount("grid size", n, 1));
  const axes = counts.map((n, i) => {
    const [lo, hi] = box[i];
    return Array.from(
      { length: n },
      (_, k) => n === 1 ? (lo + hi) / 2 : lo + (hi - lo) * k / (n - 1),
    );
  });
  const total = counts.reduce((a, b) => a * b, 1);
  const data = new Float32Array(total * d);
  for (let p = 0; p < total; p++) {
    let rest = p;
    for (let i = d - 1; i >= 0; i--) {
      data[p * d + i] = axes[i][rest % counts[i]];
      rest = Math.floor(rest / counts[i]);
    }
  }
  return { data, shape: [total, d] };
}

/**
 * Points drawn independently and uniformly in the box, from a seeded
 * generator (the same on every backend and machine).
 *
 * @param box The box.
 * @param options `n`: number of points; `seed` (@default 0).
 * @returns `n` points.
 * @throws {Error} `Cannot sample box "<box>": ...` or
 *   `Cannot sample point count "<n>": ...` on bad input.
 * @example
 * ```ts
 * import { uniformPoints } from "./sampler.ts";
 * const p = uniformPoints([[2, 3]], { n: 100, seed: 1 });
 * if (!p.data.every((v) => v >= 2 && v <= 3)) throw new Error();
 * ```
 */
export function uniformPoints(
  box: Box,
  options: { n: number; seed?: number },
): Points {
  checkBox(box);
  checkCount("point count", options.n, 0);
  const rng = createRng(options.seed ?? 0);
  const d = box.length;
  const data = new Float32Array(options.n * d);
  for (let k = 0; k < data.length; k++) {
    const [lo, hi] = box[k % d];
    data[k] = rng.uniform(lo, hi);
  }
  return { data, shape: [options.n, d] };
}

/**
 * Evaluates a target function at points and returns the pairs as a
 * regression data source (inputs `[d]`, targets `[m]`).
 *
 * @param points The inputs; the target sees their float32 values, the same
 *   the network will see.
 * @param target `f(x)`, returning a number (`m = 1`) or `m` numbers.
 * @returns The data source.
 * @throws {Error} `Cannot evaluate target at "<point>": <why>` when `f`
 *   returns a non-finite value or a different number of outputs.
 * @example
 * ```ts
 * import { gridPoints, targetData } from "./sampler.ts";
 * import { tf } from "../deps.ts";
 * await tf.ready();
 * const data = targetData(gridPoints([[0, 1]], { n: 3 }), ([x]) => x * x);
 * const { y } = data.batch(new Int32Array([2]));
 * if (y.dataSync()[0] !== 1 || data.targetShape[0] !== 1) throw new Error();
 * ```
 */
export function targetData(
  points: Points,
  target: (x: number[]) => number | readonly number[],
): DataSource {
  const [n, d] = points.shape;
  let m = -1;
  let values = new Float32Array(0);
  for (let p = 0; p < n; p++) {
    const x = Array.from(points.data.subarray(p * d, (p + 1) * d));
    const raw = target(x);
    const out = typeof raw === "number" ? [raw] : raw;
    if (m < 0) {
      m = out.length;
      values = new Float32Array(n * m);
    }
    if (out.length !== m || !out.every(Number.isFinite)) {
      throw new Error(
        `Cannot evaluate target at "[${x}]": got ${
          typeof raw === "number" ? raw : `[${raw}]`
        }, expected ${m} finite number(s)`,
      );
    }
    values.set(out, p * m);
  }
  return arrayDataSource(
    { data: points.data, shape: [n, d] },
    { data: values, shape: [n, Math.max(m, 1)] },
  );
}
