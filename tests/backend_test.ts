import { assert, assertEquals } from "./_assert.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const BACKEND = new URL("../lib/backend.ts", import.meta.url).href;

/**
 * Runs a small script importing lib/backend.ts in a fresh `deno run` with
 * the given flags and config, from `cwd`; returns its exit code and output.
 */
async function runScript(
  code: string,
  { flags, config, cwd }: { flags: string[]; config: string; cwd: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `${cwd}/script.ts`;
  await Deno.writeTextFile(script, code);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...flags, "--no-prompt", "--config", config, script],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
  };
}

Deno.test("useBackend() without --allow-read starts on cpu saying why, and refuses wasm naming the permission", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "hope-backend-" });
  try {
    const r = await runScript(
      `import { tf } from "${new URL("../lib/deps.ts", import.meta.url).href}";
import { useBackend } from "${BACKEND}";
console.log("backend " + tf.getBackend());
try {
  await useBackend("wasm");
} catch (error) {
  console.log((error as Error).message);
}`,
      { flags: [], config: `${ROOT}deno.json`, cwd },
    );
    assertEquals(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assertEquals(lines[0], "backend cpu");
    assert(
      /^Cannot use backend "wasm": it needs read access to \S+tfjs-backend-wasm\S+ to load its \.wasm files; run deno with --allow-read \(or -A\)/
        .test(lines[1]),
      lines[1],
    );
    // One line on stderr says why, and the wasm loader's own failure does
    // not follow it.
    assert(
      r.stderr.includes(
        "hope-ts: running on the cpu backend: the default wasm backend needs read access to",
      ) && r.stderr.includes("--allow-read"),
      r.stderr,
    );
    assert(!r.stderr.includes("Aborted("), r.stderr);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("useBackend('tensorflow') without the native package refuses before any download and leaves deno.lock unchanged", async () => {
  // A copy of the project's deno.json and deno.lock: what a run may change.
  const cwd = await Deno.makeTempDir({ prefix: "hope-backend-" });
  try {
    const lock = await Deno.readFile(`${ROOT}deno.lock`);
    await Deno.copyFile(`${ROOT}deno.json`, `${cwd}/deno.json`);
    await Deno.writeFile(`${cwd}/deno.lock`, lock);
    const r = await runScript(
      `import { useBackend } from "${BACKEND}";
try {
  await useBackend("tensorflow");
  console.log("loaded");
} catch (error) {
  console.log((error as Error).message);
}`,
      { flags: ["-A"], config: `${cwd}/deno.json`, cwd },
    );
    assertEquals(r.code, 0, r.stderr);
    const message = r.stdout.trim();
    assert(
      message.startsWith(
        'Cannot use backend "tensorflow": neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed in this project, and hope-ts does not install them at run time; to install it, add "nodeModulesDir": "auto" to deno.json and run `deno install --allow-scripts=npm:@tensorflow/tfjs-node npm:@tensorflow/tfjs-node@4.22.0`',
      ),
      message,
    );
    assertEquals(await Deno.readFile(`${cwd}/deno.lock`), lock);
    await Deno.stat(`${cwd}/node_modules`).then(
      () => assert(false, "no node_modules folder is created"),
      () => {},
    );
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
