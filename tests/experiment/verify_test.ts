import { hashFiles } from "../../lib/experiment/manifest.ts";
import { checkFiles, compareRuns } from "../../lib/experiment/verify.ts";
import type { Manifest } from "../../lib/experiment/manifest.ts";
import { assertEquals } from "../_assert.ts";

/** A run folder with the given files (text), in a new temporary folder. */
async function folder(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(`${dir}/${path}`.replace(/\/[^/]*$/, ""), {
      recursive: true,
    });
    await Deno.writeTextFile(`${dir}/${path}`, text);
  }
  return dir;
}

const MANIFEST = {
  name: "demo",
  run: "20250101T000000Z-00000000",
  started: "2025-01-01T00:00:00.000Z",
  finished: "2025-01-01T00:00:01.000Z",
  gitCommit: "a".repeat(40),
  gitDirty: false,
  versions: { hope: "0.1.0", deno: "2.9.6" },
  backend: { name: "wasm", threads: 2 },
  files: [],
  stages: [{ name: "data", seconds: 0.5 }],
  claims: [{ name: "c", value: 6, verdict: "pass" }],
  outputs: { train: { loss: 0.25, seconds: 3, samplesPerSecond: 1000 } },
};

Deno.test("compareRuns() lets only the run context and timings differ, and names every other field", async () => {
  const recorded = await folder({
    "manifest.json": JSON.stringify(MANIFEST),
    "a/x.npy": "same",
    "a/e.json": JSON.stringify({ order: 3, hopeSeconds: 1 }),
    "index.html": "<p>run 1</p>",
    "gone.svg": "<svg/>",
  });
  const context = {
    ...MANIFEST,
    run: "20250102T000000Z-00000000-2",
    started: "2025-01-02T00:00:00.000Z",
    finished: "2025-01-02T00:00:02.000Z",
    gitCommit: "b".repeat(40),
    backend: { name: "wasm", threads: 4 },
    files: [{ path: "a/x.npy", bytes: 4, sha256: "0".repeat(64) }],
    stages: [{ name: "data", seconds: 0.7 }],
    outputs: { train: { loss: 0.25, seconds: 4, samplesPerSecond: 900 } },
  };
  const same = await folder({
    "manifest.json": JSON.stringify(context),
    "a/x.npy": "same",
    "a/e.json": JSON.stringify({ order: 3, hopeSeconds: 2 }),
    "index.html": "<p>run 2</p>",
    "new.svg": "<svg/>",
  });
  const ok = await compareRuns(recorded, same);
  assertEquals(ok.different, []);
  assertEquals(ok.identical, ["a/x.npy"]);
  assertEquals(ok.equivalent, ["a/e.json", "manifest.json"]);
  assertEquals(ok.skipped, ["index.html"]);
  assertEquals(ok.missing, ["gone.svg"]);
  assertEquals(ok.extra, ["new.svg"]);
  assertEquals(ok.notes, [
    `/gitCommit was "${"a".repeat(40)}", re-run "${"b".repeat(40)}"`,
    "/backend/threads was 2, re-run 4",
  ]);

  const edited = await folder({
    "manifest.json": JSON.stringify({
      ...context,
      stages: [{ name: "train", seconds: 0.7 }],
      claims: [{ name: "c", value: 7, verdict: "pass" }],
      outputs: { train: { loss: 0.5, seconds: 4 } },
      status: "passed",
    }),
    "a/x.npy": "else",
    "a/e.json": JSON.stringify({ order: 4, hopeSeconds: 2 }),
  });
  const bad = await compareRuns(recorded, edited);
  assertEquals(bad.different, [
    "a/e.json /order: recorded 3, re-run 4",
    "a/x.npy",
    "manifest.json /claims/0/value: recorded 6, re-run 7",
    "manifest.json /outputs/train/loss: recorded 0.25, re-run 0.5",
    'manifest.json /stages/0/name: recorded "data", re-run "train"',
    'manifest.json /status: recorded (absent), re-run "passed"',
  ]);
});

Deno.test("checkFiles() names edited, missing and unlisted files, and a manifest without hashes", async () => {
  const dir = await folder({ "a.npy": "1", "b/c.json": "{}", "d.svg": "" });
  const manifest = { files: await hashFiles(dir) } as unknown as Manifest;
  assertEquals(await checkFiles(dir, manifest), []);
  await Deno.writeTextFile(`${dir}/a.npy`, "2");
  await Deno.remove(`${dir}/d.svg`);
  await Deno.writeTextFile(`${dir}/extra.txt`, "");
  const lines = await checkFiles(dir, manifest);
  assertEquals(lines.length, 3, lines.join("\n"));
  assertEquals(
    lines[0].replace(/[0-9a-f]{12}…/g, "H"),
    "a.npy (sha-256 H; manifest.json lists H)",
  );
  assertEquals(lines.slice(1), [
    "d.svg (absent; manifest.json lists it)",
    "extra.txt (not listed in manifest.json)",
  ]);
  const old = {
    files: [{ path: "a.npy", bytes: 1 }],
  } as unknown as Manifest;
  assertEquals(await checkFiles(dir, old), [
    "manifest.json (no sha-256 list of the files: written by an older hope-ts, or edited)",
  ]);
});
