/**
 * The `index.html` of a run: one self-contained page (no scripts, no
 * network) with the description, the claims table (green for pass, red for
 * fail), every figure (linked SVG files next to the page), the key arrays
 * as tables, the stage timings and the manifest.
 *
 * @module
 */

import type { Manifest } from "./manifest.ts";
import type { FigureRecord, TableRecord } from "./run_files.ts";

/** What the page shows besides the manifest. */
export interface ReportContent {
  /** Figures, in order; `path` is relative to the page. */
  figures: readonly FigureRecord[];
  /** Tables, in order. */
  tables: readonly TableRecord[];
}

/**
 * The heading of the training section (its table and figures), the first
 * section of the page.
 */
export const TRAIN_SECTION = "Training";

/** Tables longer than this show their first rows and say how many are left. */
const MAX_ROWS = 60;

/**
 * Renders the page.
 *
 * @param manifest The run's manifest.
 * @param content Figures and tables.
 * @returns The HTML document.
 * @example
 * ```ts
 * import { renderReport } from "./report.ts";
 * import type { Manifest } from "./manifest.ts";
 * const manifest = {
 *   name: "demo", description: "A <test>", status: "passed", run: "r", seed: 0,
 *   profile: null, claims: [], stages: [], gitCommit: "unknown", backend: null,
 * } as unknown as Manifest;
 * const html = renderReport(manifest, { figures: [], tables: [] });
 * if (!html.includes("A &lt;test&gt;")) throw new Error("not escaped");
 * ```
 */
export function renderReport(
  manifest: Manifest,
  content: ReportContent,
): string {
  // training first (it comes first in a run), then the analyses in order
  const sections = [
    ...new Set([
      TRAIN_SECTION,
      ...content.tables.map((t) => t.section),
      ...content.figures.map((f) => f.section),
    ]),
  ].filter((s) =>
    content.figures.some((f) => f.section === s) ||
    content.tables.some((t) => t.section === s)
  );
  const body = [
    `<h1>${esc(manifest.name)} <span class="status ${esc(manifest.status)}">${
      esc(manifest.status)
    }</span></h1>`,
    `<p class="description">${esc(manifest.description)}</p>`,
    `<p class="meta">run ${
      esc(manifest.run)
    } · seed ${manifest.seed} · profile ${
      esc(manifest.profile ?? "(none)")
    } · backend ${esc(manifest.backend?.name ?? "?")} (${
      manifest.backend?.threads ?? "?"
    } threads) · commit ${esc(manifest.gitCommit)}</p>`,
    manifest.error ? `<p class="error">Error: ${esc(manifest.error)}</p>` : "",
    claimsTable(manifest),
    ...sections.map((s) => section(s, content)),
    `<h2>Stages</h2>`,
    table({
      columns: ["stage", "seconds"],
      rows: manifest.stages.map((s) => [
        s.failed ? `${s.name} (failed)` : s.name,
        s.seconds.toFixed(3),
      ]),
    }),
    `<h2>Manifest</h2>`,
    `<details><summary>manifest.json</summary><pre>${
      esc(JSON.stringify(manifest, null, 2))
    }</pre></details>`,
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(manifest.name)} · ${esc(manifest.run)}</title>
<style>
body { font-family: "Times New Roman", Times, serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 .status { font-size: 0.5em; padding: 0.2em 0.6em; border-radius: 0.3em; vertical-align: middle; }
.status.passed { background: #c8efc8; } .status.claims-failed, .status.failed { background: #f6c6c6; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.pass td { background: #dff5df; } tr.fail td { background: #fadcdc; }
figure { display: inline-block; margin: 0.5em 1em 1em 0; vertical-align: top; }
figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #555; }
.error { color: #a00; } pre { font-size: 0.8em; overflow-x: auto; }
</style>
</head>
<body>
${body.filter((s) => s !== "").join("\n")}
</body>
</html>
`;
}

function claimsTable(manifest: Manifest): string {
  if (manifest.claims.length === 0) return "<h2>Claims</h2>\n<p>No claims.</p>";
  // the measured values share one format; the targets print as written
  const format = numberFormat(
    manifest.claims.flatMap((c) => [c.value].flat())
      .filter((v): v is number => typeof v === "number"),
  );
  const rows = manifest.claims.map((c) => {
    const target = c.expected !== undefined
      ? `${cell(c.expected, String)}${
        c.tolerance !== undefined ? ` ± ${c.tolerance}` : ""
      }`
      : [
        c.above !== undefined ? `≥ ${c.above}` : "",
        c.below !== undefined ? `≤ ${c.below}` : "",
      ].filter(Boolean).join(", ");
    return `<tr class="${c.verdict}"><td>${esc(c.name)}</td><td><code>${
      esc(c.path)
    }${c.reduce ? ` (${esc(c.reduce)})` : ""}</code></td><td class="num">${
      esc(cell(c.value, format))
    }</td><td>${esc(target)}</td><td>${c.verdict}${
      c.reason ? `: ${esc(c.reason)}` : ""
    }</td></tr>`;
  });
  return `<h2>Claims</h2>
<table class="claims"><thead><tr><th>claim</th><th>value of</th><th>value</th><th>expected</th><th>verdict</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>`;
}

function section(name: string, content: ReportContent): string {
  const figures = content.figures.filter((f) => f.section === name).map((f) =>
    `<figure><img src="${esc(f.path)}" alt="${esc(f.title)}"><figcaption>${
      esc(f.title)
    } (<a href="${esc(f.path)}">${esc(f.path)}</a>)</figcaption></figure>`
  );
  const tables = content.tables.filter((t) => t.section === name).map((t) =>
    `<h3>${esc(t.title)}${
      t.source
        ? ` <small>(<a href="${esc(t.source)}">${esc(t.source)}</a>)</small>`
        : ""
    }</h3>\n${table(t)}`
  );
  return [`<h2>${esc(name)}</h2>`, ...figures, ...tables].join("\n");
}

function table(t: Pick<TableRecord, "columns" | "rows">): string {
  const head = t.columns.map((c) => `<th>${esc(c)}</th>`).join("");
  const shown = t.rows.slice(0, MAX_ROWS);
  const formats = t.columns.map((_, j) =>
    numberFormat(shown.map((r) => r[j]).filter((v) => typeof v === "number"))
  );
  const rows = shown.map((r) =>
    `<tr>${
      r.map((v, j) =>
        typeof v === "number"
          ? `<td class="num">${esc(formats[j](v))}</td>`
          : `<td>${esc(v)}</td>`
      ).join("")
    }</tr>`
  );
  if (t.rows.length > MAX_ROWS) {
    rows.push(
      `<tr><td colspan="${t.columns.length}">… ${
        t.rows.length - MAX_ROWS
      } more rows</td></tr>`,
    );
  }
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${
    rows.join("\n")
  }\n</tbody></table>`;
}

/** Significant digits of every non-integer number in the page's tables. */
const DIGITS = 3;

/**
 * One format for the numbers of a table column: integers as such when all
 * are integers; else {@linkcode DIGITS} significant digits, in positional
 * form (`0.512`, `0.00123`, `12.3`) when every non-zero magnitude lies in
 * [10⁻³, 10⁶), otherwise in exponent form for the whole column (`8.58e-6`,
 * `5.54e-7`), so that a column never mixes the two.
 */
function numberFormat(values: readonly number[]): (v: number) => string {
  const finite = values.filter(Number.isFinite);
  if (finite.every(Number.isInteger)) return String;
  const sizes = finite.filter((v) => v !== 0).map(Math.abs);
  const positional = sizes.every((m) => m >= 1e-3 && m < 1e6);
  return (v) => {
    if (!Number.isFinite(v)) return String(v);
    if (!positional) return v.toExponential(DIGITS - 1);
    if (v === 0) return "0";
    const decimals = DIGITS - 1 - Math.floor(Math.log10(Math.abs(v)));
    return v.toFixed(Math.max(0, decimals));
  };
}

/** A claim's value or target as text, its numbers in `format`. */
function cell(v: unknown, format: (v: number) => string): string {
  if (typeof v === "number") return format(v);
  if (Array.isArray(v)) return `[${v.map((x) => cell(x, format)).join(", ")}]`;
  if (typeof v === "string") return v;
  return JSON.stringify(v) ?? String(v);
}

function esc(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(
    ">",
    "&gt;",
  ).replaceAll('"', "&quot;");
}
