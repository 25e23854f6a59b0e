import { RunFolder } from "../../lib/experiment/run_folder.ts";
import { runId } from "../../lib/experiment/run_id.ts";
import { assert, assertEquals, assertRejects } from "../_assert.ts";

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("RunFolder.complete() renames the run into place and moves latest to it", async () => {
  const out = await Deno.makeTempDir();
  const first = await RunFolder.open(out, {
    name: "demo",
    id: await runId({ a: 1 }, {
      date: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
    }),
  });
  assert(first.temp.includes("/demo/.tmp-20250102T030405Z-"), first.temp);
  await first.files.text("x.txt", "one");
  const done1 = await first.complete();
  assertEquals(done1, `${out}/demo/${first.id.id}`);
  assertEquals(await Deno.readLink(`${out}/demo/latest`), first.id.id);

  // a second run with the same id gets a suffix; latest follows it
  const second = await RunFolder.open(out, { name: "demo", id: first.id });
  await second.files.text("x.txt", "two");
  const done2 = await second.complete();
  assertEquals(done2, `${done1}-2`);
  assertEquals(await Deno.readLink(`${out}/demo/latest`), `${first.id.id}-2`);
  assertEquals(await Deno.readTextFile(`${out}/demo/latest/x.txt`), "two");
  assertEquals(
    await Deno.readTextFile(`${done1}/x.txt`),
    "one",
    "earlier run kept",
  );
  assertEquals(await names(`${out}/demo`), [
    first.id.id,
    `${first.id.id}-2`,
    "latest",
  ]);
});

Deno.test("RunFolder.abandon() hides a failed run and leaves latest alone", async () => {
  const out = await Deno.makeTempDir();
  const ok = await RunFolder.open(out, {
    name: "demo",
    id: await runId({ a: 1 }),
  });
  const done = await ok.complete();
  const bad = await RunFolder.open(out, {
    name: "demo",
    id: await runId({ a: 2 }),
  });
  await bad.files.text("partial.txt", "…");
  const where = await bad.abandon();
  assert(where.startsWith(`${out}/demo/.failed-${bad.id.id}-`), where);
  assertEquals(
    await Deno.realPath(`${out}/demo/latest`),
    await Deno.realPath(done),
  );
  const visible = (await names(`${out}/demo`)).filter((n) =>
    !n.startsWith(".")
  );
  assertEquals(visible, [ok.id.id, "latest"]);
});

Deno.test("RunFolder.open() names a results folder it cannot write", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/file`, "not a folder");
  await assertRejects(
    async () =>
      await RunFolder.open(`${dir}/file/results`, {
        name: "demo",
        id: await runId({}),
      }),
    `Cannot create run folder in "${dir}/file/results": `,
  );
});

Deno.test("RunFiles.bytes() names the file of a failing write and refuses paths leaving the run", async () => {
  const out = await Deno.makeTempDir();
  const run = await RunFolder.open(out, {
    name: "demo",
    id: await runId({}),
    writeFile: () =>
      Promise.reject(new Error("No space left on device (os error 28)")),
  });
  await assertRejects(
    () => run.files.text("a/b.json", "{}"),
    `Cannot write "a/b.json" in run folder "${run.temp}": No space left on device (os error 28)`,
  );
  await assertRejects(
    () => run.files.text("../escape.txt", ""),
    "the path leaves the folder",
  );
});

Deno.test("RunFolder.complete() gives prepare the final name, suffix included, so the manifest agrees with the folder", async () => {
  const out = await Deno.makeTempDir();
  const id = await runId({ a: 1 }, { date: new Date(0) });
  const record = (run: RunFolder) => (name: string) =>
    run.files.json("manifest.json", { run: name });
  const done: string[] = [];
  for (let i = 0; i < 3; i++) {
    const run = await RunFolder.open(out, { name: "demo", id });
    done.push(await run.complete({ prepare: record(run) }));
  }
  assertEquals(done.map((d) => d.split("/").pop()), [
    id.id,
    `${id.id}-2`,
    `${id.id}-3`,
  ]);
  for (const dir of done) {
    const manifest = JSON.parse(
      await Deno.readTextFile(`${dir}/manifest.json`),
    );
    assertEquals(manifest.run, dir.split("/").pop(), dir);
  }
});

Deno.test("RunFolder.complete() takes the next name when a concurrent run took its name during prepare", async () => {
  const out = await Deno.makeTempDir();
  const id = await runId({ a: 1 }, { date: new Date(0) });
  const run = await RunFolder.open(out, { name: "demo", id });
  const names: string[] = [];
  const dir = await run.complete({
    prepare: async (name) => {
      names.push(name);
      if (names.length === 1) {
        // another process completes a run of the same id meanwhile
        await Deno.mkdir(`${out}/demo/${name}`);
        await Deno.writeTextFile(`${out}/demo/${name}/x.txt`, "theirs");
      }
      await run.files.json("manifest.json", { run: name });
    },
  });
  assertEquals(names, [id.id, `${id.id}-2`]);
  assertEquals(dir, `${out}/demo/${id.id}-2`);
  assertEquals(
    JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`)).run,
    `${id.id}-2`,
  );
  assertEquals(
    await Deno.readTextFile(`${out}/demo/${id.id}/x.txt`),
    "theirs",
    "the other run is untouched",
  );
});

Deno.test("RunFolder.open() refuses an experiment name that is no safe folder name", async () => {
  const out = await Deno.makeTempDir();
  for (const name of ["..", ".", "", "a/b", ".hidden", "-x"]) {
    await assertRejects(
      async () => await RunFolder.open(out, { name, id: await runId({}) }),
      `Cannot create run folder in "${out}": the experiment name "${name}" must be letters, digits, _ . -`,
    );
  }
  assertEquals(await names(out), [], "nothing was created");
});
