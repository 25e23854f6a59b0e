/**
 * Convex polygons in the plane and their split by a line: the only geometry
 * the exact enumeration of linear regions needs (inside one region every
 * later neuron is affine in the input, so each neuron cuts a convex cell by
 * a straight line).
 *
 * @module
 */

/** A convex polygon as `[x, y]` vertices in order. */
export type Polygon = [number, number][];

/**
 * Signed area (shoelace formula), positive for counter-clockwise vertices.
 *
 * @param poly The polygon.
 * @returns The signed area.
 */
export function signedArea(poly: Polygon): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x0, y0] = poly[i];
    const [x1, y1] = poly[(i + 1) % poly.length];
    s += x0 * y1 - x1 * y0;
  }
  return s / 2;
}

/**
 * Splits a convex polygon by the line `a·v + c = 0` into the parts where
 * `a·v + c > 0` and `≤ 0` (Sutherland–Hodgman against one half-plane).
 *
 * Values with `|a·v + c| ≤ tol` count as on the line, so that a vertex the
 * line passes through (up to rounding) goes to both parts instead of leaving
 * a sliver; a part that is only on the line is returned as `null`.
 *
 * @param poly The convex polygon.
 * @param line `[a_x, a_y, c]`, and the tolerance on `a·v + c`.
 * @returns The positive and non-positive parts (`null` when empty).
 */
export function splitPolygon(
  poly: Polygon,
  line: { a: [number, number]; c: number; tol: number },
): { positive: Polygon | null; negative: Polygon | null } {
  const { a, c, tol } = line;
  const s = poly.map(([x, y]) => {
    const v = a[0] * x + a[1] * y + c;
    return Math.abs(v) <= tol ? 0 : v;
  });
  const max = Math.max(...s);
  const min = Math.min(...s);
  if (max <= 0) return { positive: null, negative: poly };
  if (min >= 0) return { positive: poly, negative: null };
  const positive: Polygon = [];
  const negative: Polygon = [];
  for (let i = 0; i < poly.length; i++) {
    const j = (i + 1) % poly.length;
    const p = poly[i];
    if (s[i] >= 0) positive.push(p);
    if (s[i] <= 0) negative.push(p);
    if ((s[i] > 0 && s[j] < 0) || (s[i] < 0 && s[j] > 0)) {
      const t = s[i] / (s[i] - s[j]);
      const q = poly[j];
      const cut: [number, number] = [
        p[0] + t * (q[0] - p[0]),
        p[1] + t * (q[1] - p[1]),
      ];
      positive.push(cut);
      negative.push([cut[0], cut[1]]);
    }
  }
  return { positive, negative };
}
