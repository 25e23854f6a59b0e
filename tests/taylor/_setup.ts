/**
 * Setup shared by the Taylor tests: small seeded networks, the committed
 * float64 fixtures of `tests/fixtures/taylor/`, and per-order relative
 * errors with an assertion that prints the whole error profile.
 *
 * @module
 */

import { readNpy } from "../../lib/io/npy.ts";
import { loadNetwork } from "../../lib/nn/io.ts";
import { Network } from "../../lib/nn/network.ts";
import type { LayerSpec } from "../../lib/nn/spec.ts";
import { assert, relativeError } from "../_assert.ts";
import type { Series } from "./_jet64.ts";

/** The folder of the committed float64 fixtures (ends with `/`). */
export const FIXTURES =
  new URL("../fixtures/taylor/", import.meta.url).pathname;

/** A network from compact layer strings, with seeded default weights. */
export function net(
  input: number[],
  layers: (string | LayerSpec)[],
  seed = 1,
): Network {
  return Network.create({ format: "hope-network/1", input, layers }, { seed });
}

/** `k!` in floating point. */
export function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}

/** One fixture: network, point, and the float64 derivatives `d0 … dN`. */
export interface Fixture {
  network: Network;
  /** The expansion point (float32 values, as stored). */
  x0: number[];
  /** `exact[k]`: the derivatives of order `k`, flat, in the `dk.npy` layout. */
  exact: Float64Array[];
  /** `shapes[k]`: the shape of `dk.npy`. */
  shapes: number[][];
  /** The highest order `N` stored. */
  order: number;
  /** Which partials the fixture holds. */
  mixed: "all" | "none";
}

/** Loads `tests/fixtures/taylor/<name>/` (orders 0 … `meta.order`). */
export async function fixture(name: string): Promise<Fixture> {
  const dir = FIXTURES + name;
  const meta = JSON.parse(await Deno.readTextFile(`${dir}/meta.json`));
  const x0 = Array.from((await readNpy(`${dir}/x0.npy`)).data as Float32Array);
  const exact: Float64Array[] = [];
  const shapes: number[][] = [];
  for (let k = 0; k <= meta.order; k++) {
    const array = await readNpy(`${dir}/d${k}.npy`);
    exact.push(Float64Array.from(array.data as Float64Array));
    shapes.push(array.shape);
  }
  return {
    network: await loadNetwork(dir),
    x0,
    exact,
    shapes,
    order: meta.order as number,
    mixed: meta.mixed as "all" | "none",
  };
}

/** Per-order relative errors (max norm) of `actual` against `expected`. */
export function errors(
  actual: Float64Array[],
  expected: Float64Array[],
): number[] {
  return expected.map((e, k) => relativeError(actual[k], e));
}

/** Per-order max-norm relative error between two lists of series. */
export function perOrderError(got: Series[], want: Series[]): number[] {
  return want[0].map((_, k) =>
    relativeError(got.map((s) => s[k]), want.map((s) => s[k]))
  );
}

/** Fails with the whole error profile when an order is above `tol`. */
export function assertAllBelow(errs: number[], tol: number, what: string) {
  const worst = Math.max(...errs);
  assert(
    worst <= tol,
    `${what}: per-order relative errors [${
      errs.map((e) => e.toExponential(1))
    }] exceed ${tol}`,
  );
}
