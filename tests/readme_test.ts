import { assert } from "./_assert.ts";

const ROOT = new URL("../", import.meta.url);
const DOCS = ["README.md", "docs/figures/README.md"];

/** Relative link and image targets of a Markdown file (no URLs, no anchors). */
function relativeTargets(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1].split("#")[0])
    .filter((t) => t !== "" && !/^[a-z]+:/.test(t));
}

Deno.test("README links: every relative link and image of the READMEs exists", async () => {
  for (const doc of DOCS) {
    const url = new URL(doc, ROOT);
    const targets = relativeTargets(await Deno.readTextFile(url));
    assert(targets.length > 0, `${doc} links to nothing`);
    for (const target of targets) {
      const path = new URL(target, url);
      const found = await Deno.stat(path).then(() => true, () => false);
      assert(found, `${doc} links to ${target}, which does not exist`);
    }
  }
});

Deno.test("README commands: every `deno task` names a task of deno.json, every experiment a YAML file", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", ROOT));
  const tasks = Object.keys(
    JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))).tasks,
  );
  const uses = [
    ...readme.matchAll(
      /deno(?:@[\d.]+)? task ([a-z][a-z-]*)(?: ([a-z0-9_]+))?/g,
    ),
  ];
  assert(uses.length >= 10, `only ${uses.length} task commands found`);
  for (const [command, task, first] of uses) {
    assert(
      tasks.includes(task),
      `"${command}": no task "${task}" in deno.json`,
    );
    if (task !== "experiment" || !first || ["list", "all"].includes(first)) {
      continue;
    }
    const file = new URL(`experiments/${first}.yaml`, ROOT);
    const found = await Deno.stat(file).then(() => true, () => false);
    assert(found, `"${command}": no experiments/${first}.yaml`);
  }
});
