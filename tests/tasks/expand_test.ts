import { main } from "../../tasks/expand.ts";
import { readNpy } from "../../lib/io/npy.ts";
import { assert, assertArrayClose, assertEquals } from "../_assert.ts";

const CONV = new URL("../fixtures/nets/conv", import.meta.url).pathname;
const SINE5 = new URL("../fixtures/taylor/sine5", import.meta.url).pathname;

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

Deno.test("expand --help lists every flag", async () => {
  const r = await run(["--help"]);
  assertEquals(r.code, 0);
  for (
    const flag of [
      "--net",
      "--order",
      "--point",
      "--mixed",
      "--method",
      "--output",
      "--out",
      "--show",
      "--backend",
    ]
  ) {
    assert(r.out.includes(flag), `help mentions ${flag}`);
  }
});

Deno.test("expand writes d0..dN.npy and expansion.json equal to the exact fixture", async () => {
  const dir = await Deno.makeTempDir();
  const x0 = Array.from((await readNpy(`${SINE5}/x0.npy`)).data);
  // The reference form "n0.2" means −0.2.
  const point = x0.map((v) => v < 0 ? `n${-v}` : `${v}`).join(",");
  const r = await run([
    "--net",
    SINE5,
    "--order",
    "3",
    "--point",
    point,
    "--out",
    `${dir}/e`,
  ]);
  assertEquals(r.code, 0, r.err);
  assert(r.out.includes("y = "), r.out);
  const record = JSON.parse(await Deno.readTextFile(`${dir}/e/expansion.json`));
  assertEquals(record.method, "taylor");
  assertEquals(record.mode, "all");
  assertEquals(record.order, 3);
  assertEquals(record.network, SINE5);
  assert(record.seconds > 0 && typeof record.backend === "string");
  assert(record.polynomial.length === record.termCount, "all terms listed");
  const sizes = record.polynomial.map((t: { coefficient: number }) =>
    Math.abs(t.coefficient)
  );
  assertEquals(sizes, [...sizes].sort((a: number, b: number) => b - a));
  for (let k = 0; k <= 3; k++) {
    const got = await readNpy(`${dir}/e/d${k}.npy`);
    const want = await readNpy(`${SINE5}/d${k}.npy`);
    assertEquals(got.dtype, "float64");
    assertEquals(got.shape, want.shape);
    // float32 engine vs float64 exact derivatives: 1e-4 of the order's scale.
    const scale = Math.max(...Array.from(want.data, Math.abs));
    assertArrayClose(got.data, want.data, { atol: 1e-4 * scale, rtol: 0 });
  }
});

Deno.test("expand --method hope warns on screen when the rule is not exact", async () => {
  const dir = await Deno.makeTempDir();
  const args = ["--net", SINE5, "--order", "3", "--point", "0.3,n0.2"];
  const hope = await run([...args, "--method", "hope", "--out", `${dir}/e`]);
  assertEquals(hope.code, 0, hope.err);
  assert(hope.err.startsWith("warning: not exact: layer 3 (Sine)"), hope.err);
  const record = JSON.parse(await Deno.readTextFile(`${dir}/e/expansion.json`));
  assertEquals(record.exact, false);
  const taylor = await run(args);
  assertEquals([taylor.code, taylor.err], [0, ""]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("expand --method autograd refuses an order estimated past its budget, with the estimate", async () => {
  const r = await run([
    "--net",
    SINE5,
    "--order",
    "30",
    "--point",
    "0.3,n0.2",
    "--method",
    "autograd",
  ]);
  assertEquals(r.code, 1);
  assert(
    /^Cannot expand with method "autograd" to order "30": an estimated \S+ s of nested gradients/
      .test(r.err),
    r.err,
  );
});

Deno.test("expand names bad orders, points and modes", async () => {
  const cases: [string[], number, string][] = [
    [["--net", CONV, "--order", "0", "--point", "0,0"], 1, "order"],
    [["--net", CONV, "--order", "50", "--point", "0,0"], 1, "order"],
    [["--net", CONV, "--order", "2", "--point", "0,0,0"], 1, "expected 2"],
    [
      ["--net", CONV, "--order", "2", "--point", "0,x"],
      2,
      '"x" is not a number',
    ],
    [
      ["--net", CONV, "--order", "2", "--point", "0,0", "--mixed", "some"],
      2,
      "expected all or none",
    ],
    [
      ["--net", CONV, "--order", "2.5", "--point", "0,0"],
      2,
      "expected an integer",
    ],
    [["--order", "2", "--point", "0,0"], 2, "Missing --net"],
    [
      ["--net", `${CONV}/nowhere`, "--order", "2", "--point", "0,0"],
      1,
      "file not found",
    ],
  ];
  for (const [args, code, text] of cases) {
    const r = await run(args);
    assertEquals(r.code, code, `${args.join(" ")}: ${r.err}`);
    assert(
      r.err.includes(text),
      `${args.join(" ")}: "${r.err}" lacks "${text}"`,
    );
  }
});

Deno.test("expand --mixed none --show prints unmixed and plain-power forms", async () => {
  const r = await run([
    "--net",
    CONV,
    "--order",
    "4",
    "--point",
    "0.5,n0.5",
    "--mixed",
    "none",
    "--show",
  ]);
  assertEquals(r.code, 0, r.err);
  const lines = r.out.split("\n");
  assert(lines.some((l) => l.includes("(x_1 - 0.5)^4")), r.out);
  assert(!r.out.includes("(x_1 - 0.5) (x_2"), "no mixed terms");
  assert(lines.some((l) => l.includes("x_{1}")), "LaTeX line");
});
