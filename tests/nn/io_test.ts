import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import { loadNetwork, saveNetwork } from "../../lib/nn/io.ts";
import { Network } from "../../lib/nn/network.ts";
import { writeNpy } from "../../lib/io/npy.ts";
import { assertArrayClose, assertEquals, assertRejects } from "../_assert.ts";

await useBackend("wasm");

async function writeNet(
  dir: string,
  json: unknown,
  files: Record<string, { shape: number[] }> = {},
) {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/network.json`, JSON.stringify(json));
  for (const [name, { shape }] of Object.entries(files)) {
    const size = shape.reduce((a, b) => a * b, 1);
    await writeNpy(`${dir}/${name}`, {
      dtype: "float32",
      shape,
      data: new Float32Array(size).fill(0.5),
    });
  }
}

Deno.test("saveNetwork() then loadNetwork() gives the same outputs bit for bit", async () => {
  const dir = await Deno.makeTempDir();
  const net = Network.create({
    format: "hope-network/1",
    input: [1, 6, 6],
    layers: [
      "Conv2d_1_3_3_1_1",
      "AvgPool2d_2_2",
      "Tanh",
      "Flatten",
      "Linear_27_2",
    ],
  }, { seed: 3 });
  await saveNetwork(net, `${dir}/net`);
  const back = await loadNetwork(`${dir}/net/network.json`);
  assertEquals(back.spec, net.spec);
  const x = tf.randomUniform([4, 1, 6, 6], 0, 1, "float32", 1);
  assertArrayClose(back.forward(x).dataSync(), net.forward(x).dataSync(), {
    rtol: 0,
    atol: 0,
  });
  // Saving again over an existing folder replaces it and leaves no temp.
  await saveNetwork(back, `${dir}/net`);
  const names = [...Deno.readDirSync(dir)].map((e) => e.name);
  assertEquals(names, ["net"]);
});

Deno.test("loadNetwork() names the file and field of a missing weight", async () => {
  const dir = await Deno.makeTempDir();
  await writeNet(dir, {
    format: "hope-network/1",
    input: [2],
    layers: [{ type: "Linear", in: 2, out: 3, weight: "0.weight.npy" }],
  });
  await assertRejects(
    () => loadNetwork(dir),
    `Cannot load network "${dir}/network.json": layers[0].weight: file "${dir}/0.weight.npy" not found`,
  );
});

Deno.test("loadNetwork() names a mis-shaped weight", async () => {
  const dir = await Deno.makeTempDir();
  await writeNet(dir, {
    format: "hope-network/1",
    input: [2],
    layers: [{ type: "Linear", in: 2, out: 3, weight: "w.npy" }],
  }, { "w.npy": { shape: [2, 3] } });
  await assertRejects(
    () => loadNetwork(dir),
    'Cannot build layer 0 "Linear" of ' +
      `${dir}/network.json: weight "w.npy" has shape [2,3], expected [3,2]`,
  );
});

Deno.test("loadNetwork() names an unknown layer type and a wrong field", async () => {
  const dir = await Deno.makeTempDir();
  await writeNet(dir, {
    format: "hope-network/1",
    input: [2],
    layers: [{ type: "Conv3d" }],
  });
  await assertRejects(() => loadNetwork(dir), "layers[0].type");
  await writeNet(dir, {
    format: "hope-network/1",
    input: [2],
    layers: [{ type: "Sine", w0: "thirty" }],
  });
  await assertRejects(() => loadNetwork(dir), "layers[0].w0");
  await assertRejects(
    () => loadNetwork(`${dir}/nowhere`),
    `Cannot load network "${dir}/nowhere/network.json": file not found`,
  );
});

Deno.test("loadNetwork() names a layer whose in does not match", async () => {
  const dir = await Deno.makeTempDir();
  await writeNet(dir, {
    format: "hope-network/1",
    input: [2],
    layers: [
      { type: "Linear", in: 2, out: 3, weight: "a.npy" },
      { type: "Linear", in: 4, out: 1, weight: "b.npy" },
    ],
  }, { "a.npy": { shape: [3, 2] }, "b.npy": { shape: [1, 4] } });
  await assertRejects(
    () => loadNetwork(dir),
    'layer 1 "Linear"',
  );
});

Deno.test("loadNetwork() refuses a NaN or infinite weight, naming the file and the first bad index", async () => {
  const dir = await Deno.makeTempDir();
  await writeNet(dir, {
    format: "hope-network/1",
    input: [2],
    layers: [{ type: "Linear", in: 2, out: 3, weight: "0.weight.npy" }],
  });
  for (const [bad, text] of [[NaN, "NaN"], [-Infinity, "-Infinity"]] as const) {
    const data = new Float32Array(6).fill(0.5);
    data[3] = bad;
    data[5] = NaN;
    await writeNpy(`${dir}/0.weight.npy`, {
      dtype: "float32",
      shape: [3, 2],
      data,
    });
    await assertRejects(
      () => loadNetwork(dir),
      `Cannot load network "${dir}/network.json": layers[0].weight: file "${dir}/0.weight.npy" holds ${text} at flat index 3 ([1, 1]); weights must be finite`,
    );
  }
});

Deno.test("saveNetwork() refuses a folder of other files and a file, and replaces only its own files", async () => {
  const dir = await Deno.makeTempDir();
  const net = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_3", "Tanh", "Linear_3_1"],
  }, { seed: 1 });
  await Deno.writeTextFile(`${dir}/notes.txt`, "mine");
  await assertRejects(
    () => saveNetwork(net, dir),
    `Cannot write network "${dir}": the folder holds files that hope-ts did not write ("notes.txt")`,
  );
  assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["notes.txt"]);
  await assertRejects(
    () => saveNetwork(net, `${dir}/notes.txt`),
    `Cannot write network "${dir}/notes.txt": it is a file, not a folder`,
  );
  assertEquals(await Deno.readTextFile(`${dir}/notes.txt`), "mine");
  // With overwrite the network is added beside the user's file.
  await saveNetwork(net, dir, { overwrite: true });
  assertEquals(await Deno.readTextFile(`${dir}/notes.txt`), "mine");
  // A smaller network saved over it removes the old network's extra weights
  // (they were ours) and keeps the user's file.
  const small = Network.create({
    format: "hope-network/1",
    input: [2],
    layers: ["Linear_2_1"],
  }, { seed: 2 });
  await saveNetwork(small, dir);
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assertEquals(names, [
    "0.bias.npy",
    "0.weight.npy",
    "network.json",
    "notes.txt",
  ]);
  assertEquals((await loadNetwork(dir)).spec, small.spec);
});
