import { writeOwnedDir } from "../../lib/io/owned_dir.ts";
import { assert, assertEquals, assertRejects } from "../_assert.ts";

/** A record of ours lists the files it owns, as expansion.json does. */
const OPTIONS = {
  what: "demo",
  record: "demo.json",
  owns: (text: string) => {
    const record = JSON.parse(text);
    return record.format === "demo/1" ? [...record.files, "demo.json"] : null;
  },
};

/** Fills a folder with `files` (name → text) and a record owning them. */
function filler(files: Record<string, string>) {
  return async (tmp: string) => {
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(`${tmp}/${name}`, text);
    }
    await Deno.writeTextFile(
      `${tmp}/demo.json`,
      JSON.stringify({ format: "demo/1", files: Object.keys(files) }),
    );
  };
}

/** Every file below `dir` with its text, hidden ones included. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const entries = [...Deno.readDirSync(dir)].sort((a, b) =>
    a.name < b.name ? -1 : 1
  );
  for (const e of entries) {
    out[e.name] = e.isFile
      ? await Deno.readTextFile(`${dir}/${e.name}`)
      : JSON.stringify(await snapshot(`${dir}/${e.name}`));
  }
  return out;
}

Deno.test("writeOwnedDir() creates a new folder and leaves no temporary one beside it", async () => {
  const root = await Deno.makeTempDir();
  const written = await writeOwnedDir(
    `${root}/a/b`,
    filler({ "x.txt": "1" }),
    OPTIONS,
  );
  assertEquals(written, `${root}/a/b`);
  assertEquals(await snapshot(root), {
    a: JSON.stringify({
      b: JSON.stringify({
        "demo.json": '{"format":"demo/1","files":["x.txt"]}',
        "x.txt": "1",
      }),
    }),
  });
});

Deno.test("writeOwnedDir() refuses a folder of other files and a regular file, touching nothing", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/docs/sub`, { recursive: true });
  await Deno.writeTextFile(`${root}/docs/README.md`, "keep");
  await Deno.writeTextFile(`${root}/docs/sub/x`, "keep too");
  await Deno.writeTextFile(`${root}/file.txt`, "a file");
  const before = await snapshot(root);
  await assertRejects(
    () => writeOwnedDir(`${root}/docs`, filler({ "x.txt": "1" }), OPTIONS),
    `Cannot write demo "${root}/docs": the folder holds files that hope-ts did not write ("README.md", "sub"); choose a new or empty folder, or pass { overwrite: true }`,
  );
  await assertRejects(
    () =>
      writeOwnedDir(`${root}/file.txt`, filler({ "x.txt": "1" }), {
        ...OPTIONS,
        overwrite: true,
      }),
    `Cannot write demo "${root}/file.txt": it is a file, not a folder`,
  );
  // A folder whose record is not ours (another format) is someone else's.
  await Deno.writeTextFile(`${root}/docs/demo.json`, '{"format":"other"}');
  await assertRejects(
    () => writeOwnedDir(`${root}/docs`, filler({ "x.txt": "1" }), OPTIONS),
    "the folder holds files that hope-ts did not write",
  );
  await Deno.remove(`${root}/docs/demo.json`);
  assertEquals(await snapshot(root), before);
});

Deno.test("writeOwnedDir() replaces an earlier write's own files only, removing those it no longer writes", async () => {
  const root = await Deno.makeTempDir();
  const dir = `${root}/out`;
  await writeOwnedDir(
    dir,
    filler({ "d0": "old", "d1": "old", "d2": "old" }),
    OPTIONS,
  );
  await Deno.writeTextFile(`${dir}/notes.txt`, "user");
  await writeOwnedDir(dir, filler({ "d0": "new", "d1": "new" }), OPTIONS);
  assertEquals(await snapshot(dir), {
    d0: "new",
    d1: "new",
    "demo.json": '{"format":"demo/1","files":["d0","d1"]}',
    "notes.txt": "user",
  });
});

Deno.test("writeOwnedDir() with overwrite adds files beside others but never replaces one it did not write", async () => {
  const root = await Deno.makeTempDir();
  await Deno.writeTextFile(`${root}/network.json`, "a user's network");
  await writeOwnedDir(root, filler({ "d0": "ours" }), {
    ...OPTIONS,
    overwrite: true,
  });
  assertEquals(
    await Deno.readTextFile(`${root}/network.json`),
    "a user's network",
  );
  assertEquals(await Deno.readTextFile(`${root}/d0`), "ours");

  const other = await Deno.makeTempDir();
  await Deno.writeTextFile(`${other}/d0`, "the user's d0");
  const before = await snapshot(other);
  await assertRejects(
    () =>
      writeOwnedDir(other, filler({ "d0": "ours" }), {
        ...OPTIONS,
        overwrite: true,
      }),
    `Cannot write demo "${other}": it would replace "d0", which hope-ts did not write`,
  );
  assertEquals(await snapshot(other), before);
});

Deno.test("writeOwnedDir() ignores a record that claims files outside its folder or hidden ones", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/out`);
  await Deno.writeTextFile(`${root}/victim.txt`, "keep");
  await Deno.writeTextFile(`${root}/out/.hidden`, "keep");
  await Deno.writeTextFile(
    `${root}/out/demo.json`,
    JSON.stringify({ format: "demo/1", files: ["../victim.txt", ".hidden"] }),
  );
  await writeOwnedDir(`${root}/out`, filler({ "d0": "new" }), OPTIONS);
  assertEquals(await Deno.readTextFile(`${root}/victim.txt`), "keep");
  assertEquals(await Deno.readTextFile(`${root}/out/.hidden`), "keep");
});

Deno.test("writeOwnedDir() keeps the folder as it was and removes its temporary files when filling fails", async () => {
  const root = await Deno.makeTempDir();
  await writeOwnedDir(root, filler({ "d0": "old" }), OPTIONS);
  const before = await snapshot(root);
  await assertRejects(
    () =>
      writeOwnedDir(root, async (tmp) => {
        await Deno.writeTextFile(`${tmp}/d0`, "half");
        throw new Error("disk full");
      }, OPTIONS),
    `Cannot write demo "${root}": disk full`,
  );
  assertEquals(await snapshot(root), before);
  await assertRejects(
    () =>
      writeOwnedDir(
        `${root}/new`,
        () => Promise.reject(new Error("no")),
        OPTIONS,
      ),
    `Cannot write demo "${root}/new": no`,
  );
  assert(!(await snapshot(root)).new, "no folder appears");
  assertEquals(Object.keys(await snapshot(root)).sort(), ["d0", "demo.json"]);
});
