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
      "--force",
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
    [
      ["--net", CONV, "--order", "0", "--point", "0,0"],
      2,
      'Cannot read --order "0": expected an integer from 1 to 30',
    ],
    [["--net", CONV, "--order", "50", "--point", "0,0"], 2, "from 1 to 30"],
    [["--net", CONV, "--order", "1e1", "--point", "0,0"], 2, "an integer"],
    [["--net", CONV, "--order", "0x2", "--point", "0,0"], 2, "an integer"],
    [
      ["--net", CONV, "--order", "2", "--point", "0,0,0"],
      2,
      `Cannot read --point "0,0,0": 3 numbers, expected 2 (the input size of "${CONV}")`,
    ],
    [
      ["--net", CONV, "--order", "2", "--point", "0,x"],
      2,
      '"x" is not a decimal number',
    ],
    [["--net", CONV, "--order", "2", "--point", "0x10,0"], 2, '"0x10"'],
    [["--net", CONV, "--order", "2", "--point", "0,Infinity"], 2, "decimal"],
    [["--net", CONV, "--order", "2", "--point", "0,n-1"], 2, "decimal"],
    [
      ["--net", CONV, "--order", "2", "--point", "0,0", "--output", "1"],
      2,
      "has 1 output (0 to 0)",
    ],
    [
      ["--net", CONV, "--order", "2", "--point", "0,0", "--force"],
      2,
      "Cannot use --force without --out",
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
  const centred = lines.find((l) =>
    l.startsWith("in powers of (x - x0): y = ")
  );
  assert(centred?.includes("(x_1 - 0.5)^4"), r.out);
  assert(!r.out.includes("(x_1 - 0.5) (x_2"), "no mixed terms");
  const plain = lines.find((l) => l.startsWith("in powers of x: y = "));
  assert(plain && !plain.includes("- 0.5)"), r.out);
  assert(lines.find((l) => l.startsWith("LaTeX: "))?.includes("x_{1}"), r.out);
});

Deno.test("expand --out never deletes what it did not write: a folder of other files, a file, the network's own folder", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/docs`);
  await Deno.writeTextFile(`${root}/docs/README.md`, "keep");
  await Deno.writeTextFile(`${root}/file.txt`, "keep");
  await Deno.mkdir(`${root}/net`);
  for (const e of Deno.readDirSync(CONV)) {
    await Deno.copyFile(`${CONV}/${e.name}`, `${root}/net/${e.name}`);
  }
  const netFiles = [...Deno.readDirSync(`${root}/net`)].map((e) => e.name)
    .sort();
  const args = ["--net", `${root}/net`, "--order", "2", "--point", "0,0"];
  for (
    const [out, why] of [
      [
        `${root}/docs`,
        'the folder holds files that hope-ts did not write ("README.md")',
      ],
      [`${root}/file.txt`, "it is a file, not a folder"],
      [`${root}/net`, "the folder holds files that hope-ts did not write"],
    ]
  ) {
    const r = await run([...args, "--out", out]);
    assertEquals(r.code, 1, r.out);
    assert(
      r.err.includes(`Cannot write expansion "${out}": ${why}`),
      r.err,
    );
  }
  assertEquals(await Deno.readTextFile(`${root}/docs/README.md`), "keep");
  assertEquals([...Deno.readDirSync(`${root}/docs`)].length, 1);
  assertEquals(await Deno.readTextFile(`${root}/file.txt`), "keep");
  assertEquals(
    [...Deno.readDirSync(`${root}/net`)].map((e) => e.name).sort(),
    netFiles,
  );
  // --force adds the expansion beside the network; the network still loads.
  const forced = await run([...args, "--out", `${root}/net`, "--force"]);
  assertEquals(forced.code, 0, forced.err);
  const after = [...Deno.readDirSync(`${root}/net`)].map((e) => e.name);
  assert(netFiles.every((f) => after.includes(f)), after.join());
  assert(after.includes("d2.npy") && after.includes("expansion.json"));
  const again = await run([...args, "--order", "1", "--out", `${root}/net`]);
  assertEquals(again.code, 0, again.err);
  assert(!Deno.readDirSync(`${root}/net`).some((e) => e.name === "d2.npy"));
});

Deno.test("expand resolves relative paths against the folder the command was typed in (INIT_CWD)", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/sub/net`, { recursive: true });
  for (const e of Deno.readDirSync(CONV)) {
    await Deno.copyFile(`${CONV}/${e.name}`, `${root}/sub/net/${e.name}`);
  }
  const before = Deno.env.get("INIT_CWD");
  Deno.env.set("INIT_CWD", `${root}/sub`);
  try {
    const r = await run([
      "--net",
      "net",
      "--order",
      "2",
      "--point",
      "0.5,n0.5",
      "--out",
      "e",
    ]);
    assertEquals(r.code, 0, r.err);
    assert(r.out.includes(`wrote ${root}/sub/e/`), r.out);
    const record = JSON.parse(
      await Deno.readTextFile(`${root}/sub/e/expansion.json`),
    );
    assertEquals(record.network, `${root}/sub/net`);
  } finally {
    if (before === undefined) Deno.env.delete("INIT_CWD");
    else Deno.env.set("INIT_CWD", before);
  }
});
