import { loadExperiment } from "../../lib/experiment/load.ts";
import { runExperiment } from "../../lib/experiment/runner.ts";
import { assert, assertEquals } from "../_assert.ts";

const FIXTURE = new URL("./fixtures/untrained.yaml", import.meta.url).pathname;

/** Debian's chromium, or null when it is not installed. */
function chromiumPath(): string | null {
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      const out = new Deno.Command(name, {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      }).outputSync();
      if (out.success) return name;
    } catch {
      // not this one
    }
  }
  return null;
}

const CHROMIUM = chromiumPath();

/**
 * Opens `page` in headless Chromium with a script (added to a copy of the
 * page, never to the run) that reports, after every image loaded or failed,
 * how many `<img>` the page has and which did not render (naturalWidth 0).
 */
async function renderedImages(
  page: string,
): Promise<{ images: number; broken: string[] }> {
  const probe = page.replace(/index\.html$/, "_probe.html");
  const html = await Deno.readTextFile(page);
  await Deno.writeTextFile(
    probe,
    html.replace(
      "</body>",
      `<script>
window.addEventListener("load", () => {
  const images = [...document.images];
  const broken = images.filter((i) => !(i.complete && i.naturalWidth > 0))
    .map((i) => i.getAttribute("src"));
  const out = document.createElement("pre");
  out.textContent = "PROBE:" + JSON.stringify({ images: images.length, broken });
  document.body.appendChild(out);
});
</script></body>`,
    ),
  );
  const profile = await Deno.makeTempDir();
  try {
    const out = await new Deno.Command(CHROMIUM!, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${profile}`,
        "--virtual-time-budget=5000",
        "--dump-dom",
        `file://${probe}`,
      ],
      stdout: "piped",
      stderr: "null",
    }).output();
    const dom = new TextDecoder().decode(out.stdout);
    const m = /PROBE:(\{.*?\})<\/pre>/.exec(dom);
    if (!m) throw new Error(`no probe result in the DOM:\n${dom.slice(-500)}`);
    return JSON.parse(m[1]);
  } finally {
    await Deno.remove(profile, { recursive: true });
    await Deno.remove(probe);
  }
}

async function makeRun(): Promise<string> {
  const out = await Deno.makeTempDir();
  const exp = await loadExperiment(FIXTURE);
  const run = await runExperiment(exp, { out, log: () => {} });
  assertEquals(run.status, "passed", run.manifest.error);
  // a copy, so that the probe page and the corrupted figure stay out of the run
  const copy = await Deno.makeTempDir();
  await new Deno.Command("cp", { args: ["-r", `${run.dir}/.`, copy] })
    .output();
  return copy;
}

Deno.test("renderReport() page lists claims, tables and the manifest", async () => {
  const dir = await makeRun();
  const html = await Deno.readTextFile(`${dir}/index.html`);
  assert(html.includes("A seeded, untrained sine network"), "description");
  assertEquals(html.match(/<tr class="pass">/g)?.length, 2, "two claims pass");
  assert(html.includes("Taylor polynomials"), "the expand table");
  assert(
    html.includes("&quot;format&quot;: &quot;hope-run/1&quot;"),
    "manifest",
  );
  const srcs = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]);
  assertEquals(srcs, [
    "figures/fit.svg",
    "analyses/expand/point0/coefficients.svg",
    "analyses/expand/point1/coefficients.svg",
    "analyses/global/global.svg",
    "analyses/global/global_top.svg",
  ], "the train section first, then the analyses in order");
});

if (CHROMIUM === null) {
  Deno.test({
    name:
      "renderReport() page renders every figure in headless Chromium (skipped: chromium not installed; apt-get install chromium)",
    ignore: true,
    fn() {},
  });
} else {
  Deno.test("renderReport() page renders every figure in headless Chromium", async () => {
    const dir = await makeRun();
    const ok = await renderedImages(`${dir}/index.html`);
    assertEquals(ok, { images: 5, broken: [] });
    // the probe must see a broken figure: corrupt one and look again
    await Deno.writeTextFile(`${dir}/figures/fit.svg`, "<svg><g></svg>");
    const bad = await renderedImages(`${dir}/index.html`);
    assertEquals(bad, { images: 5, broken: ["figures/fit.svg"] });
  });
}
