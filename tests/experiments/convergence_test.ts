import { withCiRun } from "./_ci_run.ts";
import { readNpy } from "../../lib/io/npy.ts";
import { assert, assertEquals } from "../_assert.ts";

interface Convergence {
  w0: number[];
  region: Record<string, number>;
  regionRatio: number[];
  improvement: Record<string, Record<string, number>>;
  improvementInRegion: Record<string, number>;
  error: Record<string, Record<string, number[]>>;
}

Deno.test("experiments/convergence.yaml ci profile: the error falls with the order inside the region, and the region shrinks as w0 grows", async () => {
  await withCiRun("convergence", async (run) => {
    const c = (run.manifest.outputs.analyses as Record<string, Convergence>)
      .convergence;
    assertEquals(c.w0, [1, 5, 10, 30]);
    const regions = c.w0.map((w) => c.region[`w${w}`]);
    for (let i = 1; i < regions.length; i++) {
      assert(regions[i] < regions[i - 1], `regions ${regions}`);
    }
    // w0 = 1 converges on |x| ≤ 1 at order 16; w0 = 30 only below 0.03
    assert(regions[0] >= 1 && regions[3] < 0.03, `regions ${regions}`);
    // the order-16 error on |x| ≤ 0.01 falls below 1 % for every w0
    for (const w of c.w0) {
      const e = c.error[`w${w}`]["r0.01"];
      assertEquals(e.length, 16);
      assert(e[15] <= 0.01, `w0 = ${w}: ${e[15]}`);
    }
    const dir = `${run.dir}/analyses/convergence`;
    const errors = await readNpy(`${dir}/error_vs_order.npy`);
    assertEquals(errors.shape, [4, 6, 16]);
    const svg = await Deno.readTextFile(`${dir}/error_vs_order_r0.1.svg`);
    assert(svg.startsWith("<svg") && svg.includes("w"), "figure missing");
  });
});
