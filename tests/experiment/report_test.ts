import { loadExperiment } from "../../lib/experiment/load.ts";
import type { Manifest } from "../../lib/experiment/manifest.ts";
import type { TableRecord, WriteFile } from "../../lib/experiment/run_files.ts";
import { runExperiment } from "../../lib/experiment/runner.ts";
import { renderReport } from "../../lib/experiment/report.ts";
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

/** Runs `yaml` (written to a fresh project) and reads the failed run's page. */
async function failedRun(
  yaml: string,
  options: { writeFile?: WriteFile } = {},
): Promise<
  { file: string; lines: string[]; manifest: Manifest; html: string }
> {
  const root = await Deno.makeTempDir();
  const file = `${root}/f.yaml`;
  await Deno.writeTextFile(file, yaml);
  const lines: string[] = [];
  const run = await runExperiment(await loadExperiment(file, { root }), {
    root,
    out: `${root}/results`,
    log: (l) => lines.push(l),
    writeFile: options.writeFile,
  });
  assertEquals(run.status, "failed");
  const html = await Deno.readTextFile(`${run.dir}/index.html`);
  return { file, lines, manifest: run.manifest, html };
}

Deno.test("renderReport() page of a run out of memory names the stage and the settings to change", async () => {
  const { file, lines, manifest, html } = await failedRun(
    "data: { target: x1, box: [[0, 1], [0, 1], [0, 1], [0, 1]], sampling: grid, n: 10000 }\n" +
      "network: { layers: [Linear_4_1] }\n",
  );
  const error =
    `Cannot run stage "data" (data at ${file}:1:7; settings: n 10000, a grid of 10000^4 = 1.0e+16 points): `;
  assert(manifest.error?.startsWith(error), manifest.error);
  assert(
    manifest.error?.endsWith(
      "It does not fit in memory: make one of these settings smaller",
    ),
    manifest.error,
  );
  assert(lines.includes(`Run failed: ${manifest.error}`), lines.join("\n"));
  assert(html.includes(`Error: ${escape(error)}`), html);
  assert(html.includes("<tr><td>data (failed)</td>"), "the stages table");
});

Deno.test("renderReport() page of a run failed in an analysis names its step and keeps the earlier stages", async () => {
  const { file, manifest, html } = await failedRun(
    "data: { target: x1, box: [[0, 1]], n: 4 }\n" +
      "network: { layers: [Linear_1_1] }\n" +
      "analyses:\n  - type: expand\n    points: [[0]]\n    order: 3\n",
    {
      writeFile: async (path, data) => {
        if (path.includes("/analyses/")) throw new Error("Input/output error");
        await Deno.writeFile(path, data);
      },
    },
  );
  assert(
    manifest.error?.startsWith(
      `Cannot run stage "analysis:expand" (expand step "expand" at ${file}:4:5; settings: order 3, output 0, digits 2): Cannot write "analyses/expand/`,
    ),
    manifest.error,
  );
  const rows = [
    ...html.matchAll(/<tr><td>([^<]+)<\/td><td>[\d.]+<\/td><\/tr>/g),
  ]
    .map((m) => m[1]);
  assertEquals(rows, [
    "data",
    "network",
    "save-network",
    "analysis:expand (failed)",
  ]);
});

function escape(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(
    ">",
    "&gt;",
  ).replaceAll('"', "&quot;");
}

/** The page of a manifest with no claims and the given tables. */
function pageOf(tables: TableRecord[]): string {
  const manifest = {
    name: "demo",
    description: "",
    status: "passed",
    run: "r",
    seed: 0,
    profile: null,
    claims: [],
    stages: [],
    gitCommit: "unknown",
    backend: null,
  } as unknown as Manifest;
  return renderReport(manifest, { figures: [], tables });
}

/** The cells of each row of the page's tables (the stages table included). */
function cells(html: string): string[][] {
  return [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) =>
    [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1])
  );
}

Deno.test("renderReport() gives each table column one number format with three significant digits", () => {
  const html = pageOf([{
    title: "t",
    section: "s",
    columns: ["name", "epoch", "tiny", "plain", "mixed"],
    rows: [
      ["a", 1, 0.00000858147, 0.1 + 0.2, 12],
      ["b", 20, 5.54121e-7, -0.012345, 0.5],
      ["c", 300, 0.30000000000000004, 1234.5, 2.5e-5],
    ],
  }]);
  assertEquals(cells(html).filter((r) => r.length === 5), [
    ["a", "1", "8.58e-6", "0.300", "1.20e+1"],
    ["b", "20", "5.54e-7", "-0.0123", "5.00e-1"],
    ["c", "300", "3.00e-1", "1235", "2.50e-5"],
  ]);
});

Deno.test("renderReport() headings are titles: Training first, then each analysis by its title", async () => {
  const dir = await makeRun();
  const html = await Deno.readTextFile(`${dir}/index.html`);
  const headings = [...html.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1]);
  assertEquals(headings, [
    "Claims",
    "Training",
    "Taylor expansions",
    "Global explanation",
    "Stages",
    "Manifest",
  ]);
  // the tables write terms as the figures do, not x_1^2 or x1^2
  const tables = html.slice(0, html.indexOf("<h2>Manifest</h2>"));
  const body = cells(tables).flat().join("\n");
  assert(body.includes("x₁²"), body);
  assert(!/x_\{?\d|x\d\^|\^\{?\d/.test(body), body);
  // the box plots' captions say how "Top" is ranked and what the bold is
  const captions = [...html.matchAll(/<figcaption>(.*?)<\/figcaption>/g)]
    .map((m) => m[1]);
  const top = captions.find((c) => c.includes("global_top.svg"));
  assert(top?.includes("largest |combined|"), top);
  assert(top?.includes("combined (in bold)"), top);
});
