// AssemblyScript source of the wasm backend's Sin and Cos kernels
// (docs/wasm_kernels.md). Built into lib/wasm/_trig_wasm.ts by
// `deno task build-wasm`; never edit that file by hand.
//
// The module imports the tfjs wasm backend's own memory and reads and writes
// tensors in place. It has no data segment, no globals and no start
// function, so instantiating it never writes into that memory.

@external("env", "sin")
declare function hostSin(x: f64): f64;
@external("env", "cos")
declare function hostCos(x: f64): f64;

const TWO_OVER_PI: f64 = 0.6366197723675814;
// pi/2 = C1 + C2 + C3 (Cody and Waite): C1 and C2 have 33 significant bits,
// so k * C1 and k * C2 are exact for |k| < 2^20.
const C1: f64 = 1.5707963267341256;
const C2: f64 = 6.077100506303966e-11;
const C3: f64 = 2.0222662487959506e-21;
// Adding 2^52 + 2^51 rounds to an integer and leaves it, two's complement,
// in the low bits of the sum.
const MAGIC: f64 = 6755399441055744.0;
// Beyond this the host's sin and cos reduce the argument (Payne and Hanek).
const LIMIT: f64 = 262144.0;

// sin (shift 0) or cos (shift 1) of two float64 lanes.
// @ts-ignore: decorator
@inline
function trig2(x: v128, shift: i64): v128 {
  const t = f64x2.add(
    f64x2.mul(x, f64x2.splat(TWO_OVER_PI)),
    f64x2.splat(MAGIC),
  );
  const k = f64x2.sub(t, f64x2.splat(MAGIC));
  let r = f64x2.sub(x, f64x2.mul(k, f64x2.splat(C1)));
  r = f64x2.sub(r, f64x2.mul(k, f64x2.splat(C2)));
  r = f64x2.sub(r, f64x2.mul(k, f64x2.splat(C3)));
  const r2 = f64x2.mul(r, r);
  // Taylor series on |r| <= pi/4: truncation below 3e-9, a twentieth of a
  // float32 ulp. sin is r * (1 + ...) so that sin(-0) = -0.
  let s = f64x2.splat(2.7557319223985893e-6);
  s = f64x2.add(f64x2.mul(s, r2), f64x2.splat(-1.984126984126984e-4));
  s = f64x2.add(f64x2.mul(s, r2), f64x2.splat(8.333333333333333e-3));
  s = f64x2.add(f64x2.mul(s, r2), f64x2.splat(-0.16666666666666666));
  s = f64x2.mul(r, f64x2.add(f64x2.splat(1.0), f64x2.mul(s, r2)));
  let c = f64x2.splat(-2.755731922398589e-7);
  c = f64x2.add(f64x2.mul(c, r2), f64x2.splat(2.48015873015873e-5));
  c = f64x2.add(f64x2.mul(c, r2), f64x2.splat(-1.388888888888889e-3));
  c = f64x2.add(f64x2.mul(c, r2), f64x2.splat(0.041666666666666664));
  c = f64x2.add(f64x2.mul(c, r2), f64x2.splat(-0.5));
  c = f64x2.add(f64x2.mul(c, r2), f64x2.splat(1.0));
  // Quadrant q = k + shift: odd q takes the other function, q & 2 the sign.
  const q = i64x2.add(t, i64x2.splat(shift));
  const odd = i64x2.eq(v128.and(q, i64x2.splat(1)), i64x2.splat(1));
  const sign = i64x2.shl(v128.and(q, i64x2.splat(2)), 62);
  let v = v128.xor(v128.bitselect(c, s, odd), sign);
  const huge = f64x2.gt(f64x2.abs(x), f64x2.splat(LIMIT));
  if (v128.any_true(huge)) {
    if (i64x2.extract_lane(huge, 0) != 0) {
      const a = f64x2.extract_lane(x, 0);
      v = f64x2.replace_lane(v, 0, shift == 0 ? hostSin(a) : hostCos(a));
    }
    if (i64x2.extract_lane(huge, 1) != 0) {
      const a = f64x2.extract_lane(x, 1);
      v = f64x2.replace_lane(v, 1, shift == 0 ? hostSin(a) : hostCos(a));
    }
  }
  return v;
}

// Four float32 lanes, each widened to float64 and rounded back once.
// @ts-ignore: decorator
@inline
function trig4(v: v128, shift: i64): v128 {
  const lo = f64x2.promote_low_f32x4(v);
  const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  const a = f32x4.demote_f64x2_zero(trig2(lo, shift));
  const b = f32x4.demote_f64x2_zero(trig2(hi, shift));
  return v128.shuffle<f32>(a, b, 0, 1, 4, 5);
}

function run(x: usize, out: usize, n: i32, shift: i64): void {
  const full = n & ~3;
  for (let i = 0; i < full; i += 4) {
    const offset = <usize>i << 2;
    v128.store(out + offset, trig4(v128.load(x + offset), shift));
  }
  const m = n - full;
  if (m == 0) return;
  // The last one to three elements go through the same four-lane code, so an
  // element's result does not depend on where it lies in the tensor.
  const p = x + (<usize>full << 2);
  const o = out + (<usize>full << 2);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (m > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (m > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  const r = trig4(v, shift);
  store<f32>(o, f32x4.extract_lane(r, 0));
  if (m > 1) store<f32>(o, f32x4.extract_lane(r, 1), 4);
  if (m > 2) store<f32>(o, f32x4.extract_lane(r, 2), 8);
}

/** out[i] = sin(x[i]) for n float32 values at byte offsets x and out. */
export function sin(x: usize, out: usize, n: i32): void {
  run(x, out, n, 0);
}

/** out[i] = cos(x[i]) for n float32 values at byte offsets x and out. */
export function cos(x: usize, out: usize, n: i32): void {
  run(x, out, n, 1);
}
