import { ANALYSES } from "../../lib/experiment/analyses.ts";
import { ExperimentConfigError } from "../../lib/experiment/config_error.ts";
import { loadExperiment, parseExperiment } from "../../lib/experiment/load.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
} from "../_assert.ts";

/** A valid experiment; each bad case below changes one line of it. */
const GOOD = `name: tiny
description: A tiny test
seed: 3
data:
  target: (x1^2 + x2)/2
  box: [[-1, 1], [-1, 1]]
  sampling: grid
  n: 16
network:
  layers: [Linear_2_16, Sine, Linear_16_1]
  init: siren
train:
  epochs: 20
  lr: 0.01
analyses:
  - type: expand
    points: [[0, 0], [0.5, 0.5]]
claims:
  - name: x2 at 0
    value: /analyses/expand/points/0/coefficients/x2
    expected: 0.5
    tolerance: 0.05
profiles:
  ci:
    train: { epochs: 5 }
    analyses: { 0: { order: 3 } }
`;

function change(from: string, to: string): string {
  if (!GOOD.includes(from)) throw new Error(`fixture lacks ${from}`);
  return GOOD.replace(from, to);
}

/** Loads `text` as bad.yaml and returns the single problem line. */
function problemOf(text: string): string {
  const err = assertThrows(
    () => parseExperiment(text, { file: "bad.yaml" }),
    ExperimentConfigError,
  ) as ExperimentConfigError;
  assert(
    err.message.startsWith('Cannot load experiment "bad.yaml": '),
    err.message,
  );
  assertEquals(err.problems.length, 1, err.message);
  return err.message.split("\n")[1].trim();
}

Deno.test("parseExperiment() resolves a valid file with its defaults", () => {
  const exp = parseExperiment(GOOD, { file: "x/tiny.yaml" });
  assertEquals(exp.name, "tiny");
  assertEquals(exp.profile, null);
  assertEquals(exp.profiles, ["ci"]);
  assertEquals(exp.config.train?.epochs, 20);
  assertEquals(exp.config.train?.optimizer, "adam");
  assertEquals(exp.config.analyses[0].id, "expand");
  assertEquals(exp.config.network, {
    layers: [
      { type: "Linear", in: 2, out: 16 },
      { type: "Sine", w0: 1 },
      { type: "Linear", in: 16, out: 1 },
    ],
    init: "siren",
  });
});

Deno.test("parseExperiment() deep-merges a profile and applies --seed", () => {
  const exp = parseExperiment(GOOD, {
    file: "tiny.yaml",
    profile: "ci",
    seed: 11,
  });
  assertEquals(exp.config.train?.epochs, 5);
  assertEquals(exp.config.train?.lr, 0.01, "untouched fields stay");
  assertEquals(
    (exp.config.analyses[0] as unknown as { order: number }).order,
    3,
  );
  assertEquals(exp.config.seed, 11);
  assertEquals(exp.where(["train", "epochs"]), "tiny.yaml:25:22");
  assertEquals(exp.where(["train", "lr"]), "tiny.yaml:14:7");
});

Deno.test("parseExperiment() names the file's default name and an unknown profile", () => {
  const text = GOOD.replace("name: tiny\n", "");
  assertEquals(parseExperiment(text, { file: "dir/other.yaml" }).name, "other");
  const err = assertThrows(() =>
    parseExperiment(GOOD, { file: "tiny.yaml", profile: "full" })
  );
  assertEquals(
    err.message,
    'Cannot use profile "full" of experiment "tiny.yaml": it defines ci',
  );
});

Deno.test("parseExperiment() reports an unknown key with line, column and the known keys", () => {
  const line = problemOf(change("  lr: 0.01", "  rate: 0.01"));
  assertEquals(
    line,
    'bad.yaml:14:3 train.rate: unknown key "rate"; expected one of loss, optimizer, lr, momentum, epochs, batchSize, keepBest, schedule',
  );
});

Deno.test("parseExperiment() reports a wrong type with what it got", () => {
  assertEquals(
    problemOf(change("lr: 0.01", "lr: fast")),
    'bad.yaml:14:7 train.lr: expected number, got "fast"',
  );
  assertEquals(
    problemOf(change("seed: 3", "seed: 2.5")),
    "bad.yaml:3:7 seed: expected int, got number 2.5",
  );
});

Deno.test("parseExperiment() reports a missing required field at its parent", () => {
  assertEquals(
    problemOf(change("  n: 16\n", "")),
    'bad.yaml:5:3 data.n: missing required field "n"; expected number',
  );
});

Deno.test("parseExperiment() reports an unknown analysis type with the known ones", () => {
  assertEquals(
    problemOf(change("type: expand", "type: expnd")),
    'bad.yaml:16:11 analyses[0].type: unknown analysis type "expnd"; expected one of ' +
      Object.keys(ANALYSES).join(", "),
  );
});

Deno.test("parseExperiment() reports an unknown layer, compact or object", () => {
  const compact = problemOf(change("Linear_16_1]", "Lineer_16_1]"));
  assert(
    compact.startsWith(
      'bad.yaml:10:31 network.layers[2]: unknown layer "Lineer_16_1": unknown layer type; expected one of Linear, Conv2d,',
    ),
    compact,
  );
  const object = problemOf(change("Linear_16_1]", "{ type: Conv3d }]"));
  assert(
    object.startsWith(
      'bad.yaml:10:39 network.layers[2].type: unknown layer type "Conv3d"; expected one of Linear,',
    ),
    object,
  );
});

Deno.test("parseExperiment() points into a bad expression", () => {
  assertEquals(
    problemOf(change("(x1^2 + x2)/2", "(x1^2 + * x2)/2")),
    "bad.yaml:5:19 data.target: bad expression: Value expected at character 9",
  );
  assertEquals(
    problemOf(change("(x1^2 + x2)/2", "(x1^2 + x3)/2")),
    'bad.yaml:5:19 data.target: bad expression: variable "x3" needs 3 inputs but the box has 2; use x1 … x2',
  );
  assertEquals(
    problemOf(change("(x1^2 + x2)/2", '"import(x1)"')),
    'bad.yaml:5:12 data.target: bad expression: unknown function "import"; expected one of sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, exp, log, log2, log10, sqrt, abs, sign, pow, min, max',
  );
});

Deno.test("parseExperiment() reports a profile that overrides a field that does not exist", () => {
  assertEquals(
    problemOf(change("train: { epochs: 5 }", "train: { epohcs: 5 }")),
    'bad.yaml:25:14 profiles.ci.train.epohcs: profile "ci" overrides a field that does not exist: unknown key "epohcs"; expected one of loss, optimizer, lr, momentum, epochs, batchSize, keepBest, schedule',
  );
  assertEquals(
    problemOf(change("analyses: { 0:", "analyses: { 4:")),
    "bad.yaml:26:17 profiles.ci.analyses[4]: overrides item 4 of analyses, which does not exist (the list has 1 item)",
  );
});

Deno.test("parseExperiment() checks claim paths against the analysis ids", () => {
  assertEquals(
    problemOf(change("/analyses/expand/", "/analyses/exp/")),
    'bad.yaml:20:12 claims[0].value: no analysis with id "exp"; the ids are expand',
  );
});

Deno.test("parseExperiment() checks points against the input size", () => {
  assertEquals(
    problemOf(change("[[0, 0], [0.5, 0.5]]", "[[0, 0], [0.5]]")),
    "bad.yaml:17:22 analyses[0].points[1]: expected a point of 2 numbers (the input size), got 1",
  );
});

Deno.test("parseExperiment() checks the network input against the data", () => {
  assertEquals(
    problemOf(change("Linear_2_16, Sine", "Linear_3_16, Sine")),
    "bad.yaml:10:12 network.layers[0]: the first layer takes 3 inputs but the data has 2 (box length)",
  );
  assertEquals(
    problemOf(change("  init: siren", "  init: siren\n  input: [3]")),
    "bad.yaml:12:10 network.input: input [3] holds 3 values but the data has 2 (box length)",
  );
});

Deno.test("parseExperiment() reports YAML syntax errors with their place", () => {
  const line = problemOf("a: [1, 2\nb: 3\n");
  assert(/^bad\.yaml:\d+:\d+ invalid YAML: /.test(line), line);
});

Deno.test("parseExperiment() reports every problem at once, in file order", () => {
  const text = change("lr: 0.01", "lr: fast").replace("seed: 3", "seed: x");
  const err = assertThrows(() =>
    parseExperiment(text, { file: "bad.yaml" })
  ) as ExperimentConfigError;
  assertEquals(err.problems.map((p) => p.path), ["seed", "train.lr"]);
  assert(
    err.message.startsWith('Cannot load experiment "bad.yaml": 2 problems'),
  );
});

const PRETRAINED = `data: { target: x1, box: [[0, 1]], n: 4 }
network:
  pretrained: PATH
`;

/** What parseExperiment() throws for `pretrained: <path>` in a project at `root`. */
function pretrainedError(path: string, root: string): Error {
  return assertThrows(() =>
    parseExperiment(PRETRAINED.replace("PATH", path), {
      file: "bad.yaml",
      root,
    })
  );
}

Deno.test("parseExperiment() rejects a path outside the project", () => {
  const root = Deno.makeTempDirSync();
  assertEquals(
    problemOf(PRETRAINED.replace("PATH", "../../etc")).replace(
      / "[^"]*"$/,
      "",
    ),
    'bad.yaml:3:15 network.pretrained: path "../../etc" points outside the project folder',
  );
  const err = pretrainedError("/etc", root);
  assert(
    err.message.includes(`points outside the project folder "${root}"`),
    err.message,
  );
});

Deno.test("parseExperiment() rejects a missing pretrained network folder", () => {
  const root = Deno.makeTempDirSync();
  const err = pretrainedError("results/none/latest/network", root);
  assert(
    err.message.includes(
      `bad.yaml:3:15 network.pretrained: no network folder at "results/none/latest/network" (expected ${root}/results/none/latest/network/network.json)`,
    ),
    err.message,
  );
});

Deno.test("loadExperiment() names a file it cannot read", async () => {
  await assertRejects(
    () => loadExperiment("/nonexistent/x.yaml"),
    'Cannot read experiment "/nonexistent/x.yaml": no such file',
  );
});

Deno.test("parseExperiment() rejects a pretrained folder that leaves the project through a symbolic link", () => {
  const root = Deno.makeTempDirSync();
  const elsewhere = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${elsewhere}/network.json`, "{}");
  Deno.symlinkSync(elsewhere, `${root}/net`);
  const err = pretrainedError("net", root);
  assert(
    err.message.includes(
      `bad.yaml:3:15 network.pretrained: path "net" leads outside the project folder "${root}" through a symbolic link ("${root}/net" is really "${
        Deno.realPathSync(elsewhere)
      }")`,
    ),
    err.message,
  );
  // a real folder inside whose weights link outside is refused as well
  Deno.removeSync(`${root}/net`);
  Deno.mkdirSync(`${root}/net`);
  Deno.writeTextFileSync(`${root}/net/network.json`, "{}");
  Deno.writeTextFileSync(`${elsewhere}/w.npy`, "");
  Deno.symlinkSync(`${elsewhere}/w.npy`, `${root}/net/w.npy`);
  const inner = pretrainedError("net", root);
  assert(
    inner.message.includes(`("${root}/net/w.npy" is really`),
    inner.message,
  );
  // a link that stays inside the project (like results/<name>/latest) is fine
  Deno.removeSync(`${root}/net/w.npy`);
  Deno.symlinkSync("net", `${root}/latest`);
  parseExperiment(PRETRAINED.replace("PATH", "latest"), {
    file: "ok.yaml",
    root,
  });
});

Deno.test("parseExperiment() refuses a file name that is no safe folder name when name: is missing", () => {
  const text = GOOD.replace("name: tiny\n", "");
  for (const file of ["/p/experiments/...yaml", "/p/.hidden.yaml", "-x.yml"]) {
    const err = assertThrows(() =>
      parseExperiment(text, { file })
    ) as ExperimentConfigError;
    assertEquals(err.problems.map((p) => p.path), ["name"], file);
    const base = file.split("/").pop()!.replace(/\.ya?ml$/, "");
    assert(
      err.message.includes(
        `name: no "name" field, and the file name "${base}" cannot name the results folder; add a name of letters, digits, _ . - (not starting with . or -)`,
      ),
      err.message,
    );
  }
  assertEquals(parseExperiment(text, { file: "a.b-c_1.yaml" }).name, "a.b-c_1");
  const err = assertThrows(() =>
    parseExperiment(GOOD.replace("name: tiny", "name: .."), { file: "x.yaml" })
  );
  assert(
    err.message.includes("x.yaml:1:7 name: expected a name of letters"),
    err.message,
  );
});
