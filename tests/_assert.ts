/**
 * Small assertion helpers shared by the tests (Deno std is not reachable
 * here, so we keep our own). Private to `tests/`: append, do not reorder.
 *
 * @module
 */

/** Raised by every helper here, so a failing test reads as an assertion. */
export class AssertionError extends Error {
  /** @param message what differed */
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

function show(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const items = Array.from(value as unknown as ArrayLike<number>);
    const head = items.slice(0, 20).join(", ");
    const more = items.length > 20 ? `, … (${items.length} items)` : "";
    return `${value.constructor.name}[${head}${more}]`;
  }
  try {
    return JSON.stringify(
      value,
      (_k, v) => typeof v === "bigint" ? `${v}n` : v,
    ) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Where two values first differ (a path like `.a[2]`), or null if equal. */
function firstDifference(
  actual: unknown,
  expected: unknown,
  path: string,
): string | null {
  if (Object.is(actual, expected)) return null;
  if (
    typeof actual !== "object" || typeof expected !== "object" ||
    actual === null || expected === null
  ) {
    return `${path || "value"}: ${show(actual)} !== ${show(expected)}`;
  }
  if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) {
    return `${
      path || "value"
    }: ${actual.constructor?.name} vs ${expected.constructor?.name}`;
  }
  if (ArrayBuffer.isView(actual) || Array.isArray(actual)) {
    const a = actual as unknown as ArrayLike<unknown>;
    const e = expected as unknown as ArrayLike<unknown>;
    if (a.length !== e.length) {
      return `${path || "value"}: length ${a.length} !== ${e.length}`;
    }
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], e[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (actual instanceof Map && expected instanceof Map) {
    return firstDifference(
      [...actual.entries()],
      [...expected.entries()],
      path,
    );
  }
  if (actual instanceof Set && expected instanceof Set) {
    return firstDifference([...actual], [...expected], path);
  }
  const ka = Object.keys(actual).sort();
  const ke = Object.keys(expected).sort();
  const keys = firstDifference(ka, ke, `${path}{keys}`);
  if (keys !== null) return keys;
  for (const k of ka) {
    const d = firstDifference(
      (actual as Record<string, unknown>)[k],
      (expected as Record<string, unknown>)[k],
      `${path}.${k}`,
    );
    if (d !== null) return d;
  }
  return null;
}

/**
 * Deep equality (arrays, typed arrays, plain objects, Map, Set; numbers by
 * `Object.is`, so `NaN` equals `NaN` and `0` differs from `-0`).
 */
export function assertEquals(
  actual: unknown,
  expected: unknown,
  msg?: string,
): void {
  const d = firstDifference(actual, expected, "");
  if (d !== null) {
    throw new AssertionError(`${msg ? msg + ": " : ""}not equal at ${d}`);
  }
}

/** Fails unless `condition` is truthy. */
export function assert(condition: unknown, msg = "assertion failed"): void {
  if (!condition) throw new AssertionError(msg);
}

/** `|actual − expected| ≤ tol` (default 1e-7). */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tol = 1e-7,
  msg?: string,
): void {
  const diff = Math.abs(actual - expected);
  if (!(diff <= tol)) {
    throw new AssertionError(
      `${
        msg ? msg + ": " : ""
      }${actual} differs from ${expected} by ${diff} > ${tol}`,
    );
  }
}

function checkError(
  err: unknown,
  ErrorClass: (abstract new (...args: never[]) => Error) | undefined,
  msgIncludes: string | undefined,
): Error {
  if (!(err instanceof Error)) {
    throw new AssertionError(`expected an Error, got ${show(err)}`);
  }
  const got = `${err.name}: ${err.message}`;
  if (ErrorClass && !(err instanceof ErrorClass)) {
    throw new AssertionError(`expected ${ErrorClass.name}, got ${got}`);
  }
  if (msgIncludes !== undefined && !err.message.includes(msgIncludes)) {
    throw new AssertionError(
      `expected error message to include ${show(msgIncludes)}, got ${
        show(err.message)
      }`,
    );
  }
  return err;
}

/**
 * Calls `fn`, which must throw (an instance of `ErrorClass` when given, with
 * a message containing `msgIncludes` when given); returns the error.
 */
export function assertThrows(
  fn: () => unknown,
  ErrorClass?: abstract new (...args: never[]) => Error,
  msgIncludes?: string,
): Error {
  try {
    fn();
  } catch (err) {
    return checkError(err, ErrorClass, msgIncludes);
  }
  throw new AssertionError("expected function to throw");
}

/**
 * Awaits `fn()`, which must reject with an Error whose message contains
 * `msgIncludes` when given; returns the error.
 */
export async function assertRejects(
  fn: () => Promise<unknown>,
  msgIncludes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return checkError(err, undefined, msgIncludes);
  }
  throw new AssertionError("expected promise to reject");
}

/**
 * Element-wise `|a − b| ≤ atol + rtol·|b|` (NumPy's `allclose` rule;
 * defaults rtol 1e-5, atol 1e-8), same length, NaN only where both are NaN.
 */
export function assertArrayClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  options: { rtol?: number; atol?: number; msg?: string } = {},
): void {
  const { rtol = 1e-5, atol = 1e-8, msg } = options;
  const prefix = msg ? msg + ": " : "";
  if (actual.length !== expected.length) {
    throw new AssertionError(
      `${prefix}length ${actual.length} !== ${expected.length}`,
    );
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (Number.isNaN(a) || Number.isNaN(b)) {
      if (Number.isNaN(a) && Number.isNaN(b)) continue;
      worst = i;
      worstExcess = Infinity;
      break;
    }
    if (a === b) continue; // equal infinities
    const excess = Math.abs(a - b) - (atol + rtol * Math.abs(b));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess)) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    throw new AssertionError(
      `${prefix}arrays differ at [${worst}]: ${actual[worst]} vs ${
        expected[worst]
      } (|diff| = ${
        Math.abs(actual[worst] - expected[worst])
      }, rtol ${rtol}, atol ${atol})`,
    );
  }
}

/**
 * The max-norm relative error `max_i |a_i − b_i| / max_i |b_i|` (the
 * absolute error when `b` is all zeros; NaN when any entry is NaN), the
 * measure the engine reports. Written here rather than imported from
 * `lib/relative_error.ts`, so that a wrong measure in the engine cannot
 * also loosen every test that checks the engine with it.
 */
export function relativeError(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
): number {
  if (actual.length !== expected.length) {
    throw new AssertionError(
      `relativeError: length ${actual.length} !== ${expected.length}`,
    );
  }
  const gaps = Array.from(expected, (b, i) => Math.abs(actual[i] - b));
  const sizes = Array.from(expected, Math.abs);
  const largest = (v: number[]) =>
    v.reduce((m, x) => (x > m || Number.isNaN(x) ? x : m), 0);
  const gap = largest(gaps);
  const size = largest(sizes);
  return size === 0 ? gap : gap / size;
}
