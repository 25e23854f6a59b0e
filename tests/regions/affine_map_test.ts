import { useBackend } from "../../lib/backend.ts";
import { affineMapOfPattern } from "../../lib/regions/affine_map.ts";
import { activationPatterns } from "../../lib/regions/activation_patterns.ts";
import { toPiecewiseLinear } from "../../lib/regions/piecewise_linear.ts";
import { taylorDerivatives } from "../../lib/taylor/taylor_mode.ts";
import { createRng } from "../../lib/random.ts";
import { assertArrayClose, assertThrows } from "../_assert.ts";
import { handPiecewise, randomNetwork } from "./_nets.ts";

await useBackend("wasm");

Deno.test("affineMapOfPattern() equals the Taylor engine's first-order expansion", () => {
  const net = randomNetwork([6, 4], { seed: 11 });
  const pl = toPiecewiseLinear(net);
  const rng = createRng(2);
  const points = Array.from({ length: 8 }, () => [
    rng.uniform(-1, 1),
    rng.uniform(-1, 1),
  ]);
  const sets = taylorDerivatives(net, points, { order: 1 });
  points.forEach((x, p) => {
    const bits = activationPatterns(pl, Float64Array.from(x));
    const { gradient, bias } = affineMapOfPattern(pl, bits);
    const value = gradient[0] * x[0] + gradient[1] * x[1] + bias[0];
    // the engine runs in float32: agree to float32 rounding
    assertArrayClose([value], sets[p].derivatives[0], {
      rtol: 1e-5,
      atol: 1e-6,
      msg: `value at ${x}`,
    });
    assertArrayClose(gradient, sets[p].derivatives[1], {
      rtol: 1e-5,
      atol: 1e-6,
      msg: `gradient at ${x}`,
    });
  });
});

Deno.test("affineMapOfPattern() applies the LeakyReLU slope to inactive neurons", () => {
  // y = leaky(x1 − x2) with slope 0.25: gradient (1, −1) or (0.25, −0.25)
  const net = handPiecewise([
    { weight: [[1, -1]], bias: [0.5] },
    { weight: [[1]], bias: [0] },
  ], 0.25);
  const on = affineMapOfPattern(net, [1]);
  const off = affineMapOfPattern(net, [0]);
  // exact in float64 (products of dyadic numbers)
  assertArrayClose(on.gradient, [1, -1], { rtol: 0, atol: 0 });
  assertArrayClose(on.bias, [0.5], { rtol: 0, atol: 0 });
  assertArrayClose(off.gradient, [0.25, -0.25], { rtol: 0, atol: 0 });
  assertArrayClose(off.bias, [0.125], { rtol: 0, atol: 0 });
});

Deno.test("affineMapOfPattern() rejects a pattern that is too short", () => {
  const net = handPiecewise([
    { weight: [[1, 0], [0, 1]], bias: [0, 0] },
    { weight: [[1, 1]], bias: [0] },
  ]);
  assertThrows(
    () => affineMapOfPattern(net, [1, 0, 1], { offset: 2 }),
    Error,
    'Cannot compute the affine map of pattern "1": the network has 2 neurons',
  );
});
