/**
 * Networks exported from PyTorch (`tests/fixtures/nets/`, made by
 * `tests/fixtures/make_fixtures.py`) give PyTorch's outputs here.
 */
import { useBackend } from "../../lib/backend.ts";
import { loadNetwork } from "../../lib/nn/io.ts";
import { npyToTensor, readNpy } from "../../lib/io/npy.ts";
import { assert } from "../_assert.ts";

const FIXTURES = new URL("../fixtures/nets/", import.meta.url).pathname;

for (const backend of ["wasm", "cpu"] as const) {
  for (const name of ["mlp", "conv", "convpad", "mnist"]) {
    Deno.test(`loadNetwork() reproduces PyTorch's outputs: ${name} on ${backend}`, async () => {
      await useBackend(backend);
      const net = await loadNetwork(`${FIXTURES}${name}`);
      const x = npyToTensor(await readNpy(`${FIXTURES}${name}/x.npy`));
      const expected = await readNpy(`${FIXTURES}${name}/y.npy`);
      const y = net.forward(x);
      assert(
        y.shape.join() === expected.shape.join(),
        `shape [${y.shape}] vs [${expected.shape}]`,
      );
      const got = y.dataSync();
      const scale = Math.max(...Array.from(expected.data, Math.abs));
      let worst = 0;
      for (let i = 0; i < got.length; i++) {
        worst = Math.max(worst, Math.abs(got[i] - expected.data[i]));
      }
      // float32 on both sides: max abs diff ≤ 1e-5 of the output scale.
      assert(
        worst <= 1e-5 * scale,
        `max abs diff ${worst} > 1e-5 × output scale ${scale}`,
      );
      x.dispose();
      y.dispose();
      net.dispose();
    });
  }
}
