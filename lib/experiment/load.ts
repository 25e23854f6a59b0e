/**
 * Loading and validating an experiment file: YAML with positions, the zod
 * schema, profiles merged in, and the checks that span fields (the target
 * expression against the box, analysis ids, claim paths, project paths).
 * Every problem found is reported at once, each with file, line, column,
 * field path and what was expected.
 *
 * @module
 */

import { isAbsolute, relative, resolve } from "node:path";
import type { z } from "../deps.ts";
import { ANALYSES } from "./analyses.ts";
import { ExperimentConfigError, type Problem } from "./config_error.ts";
import { compileExpression, ExpressionError } from "./expression.ts";
import { type ExperimentConfig, experimentSchema } from "./schema.ts";
import { formatPath, isMapping, mergeProfile } from "./_profile.ts";
import { type FieldPath, parseYamlSource, type YamlSource } from "./_source.ts";
import { KNOWN_KEYS } from "./_zod.ts";
import { EXPERIMENT_NAME_PATTERN, EXPERIMENT_NAME_RULE } from "./run_folder.ts";

/** A validated experiment, ready to run. */
export interface Experiment {
  /** Its name (the `name` field, else the file name without `.yaml`). */
  name: string;
  /** The file it came from. */
  file: string;
  /** The profile applied, or null. */
  profile: string | null;
  /** The profiles the file defines. */
  profiles: string[];
  /** The resolved configuration (profile merged, seed override applied). */
  config: ExperimentConfig;
  /**
   * Where a field of the resolved configuration is written in the file, as
   * `file:line:column` (inside the profile when the profile set it).
   *
   * @param path The field.
   * @returns The place.
   */
  where(path: readonly (string | number)[]): string;
}

/** Options of {@linkcode loadExperiment} and {@linkcode parseExperiment}. */
export interface LoadOptions {
  /**
   * Profile to apply (`ci`, `full`, …); none when absent.
   * @default undefined
   */
  profile?: string;
  /**
   * Replaces the file's `seed`.
   * @default undefined
   */
  seed?: number;
  /**
   * The project folder: paths in the file are relative to it and must stay
   * inside it.
   * @default Deno.cwd()
   */
  root?: string;
}

/**
 * Reads and validates an experiment file.
 *
 * @param file Path of the YAML file.
 * @param options Profile, seed override, project root.
 * @returns The experiment.
 * @throws {ExperimentConfigError} `Cannot load experiment "<file>": …` with
 *   every problem, each as `file:line:column field: what was expected`.
 * @throws {Error} `Cannot read experiment "<file>": <why>` when the file
 *   cannot be read, `Cannot use profile "<name>" …` for a profile the file
 *   does not define.
 * @example
 * ```ts
 * import { loadExperiment } from "./load.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/t.yaml`, [
 *   "data: { target: x1 * x2, box: [[-1, 1], [-1, 1]], n: 16 }",
 *   "network: { layers: [Linear_2_8, Tanh, Linear_8_1] }",
 *   "train: { epochs: 2 }",
 *   "profiles: { ci: { train: { epochs: 1 } } }",
 * ].join("\n"));
 * const exp = await loadExperiment(`${dir}/t.yaml`, { profile: "ci", root: dir });
 * if (exp.name !== "t" || exp.config.train?.epochs !== 1) throw new Error();
 * ```
 */
export async function loadExperiment(
  file: string,
  options: LoadOptions = {},
): Promise<Experiment> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (err) {
    const why = err instanceof Deno.errors.NotFound
      ? "no such file"
      : (err as Error).message;
    throw new Error(`Cannot read experiment "${file}": ${why}`);
  }
  return parseExperiment(text, { ...options, file });
}

/**
 * Validates experiment YAML text (see {@linkcode loadExperiment}).
 *
 * @param text The YAML.
 * @param options As for {@linkcode loadExperiment}, plus `file`, the name
 *   used in messages and for the default experiment name.
 * @returns The experiment.
 * @throws {ExperimentConfigError} With every problem found.
 * @example
 * ```ts
 * import { parseExperiment } from "./load.ts";
 * try {
 *   parseExperiment("seed: x\n", { file: "bad.yaml" });
 *   throw new Error("accepted");
 * } catch (e) {
 *   if (!String(e).includes('bad.yaml:1:7 seed: expected number, got "x"')) throw e;
 * }
 * ```
 */
export function parseExperiment(
  text: string,
  options: LoadOptions & { file: string },
): Experiment {
  const file = options.file;
  const root = resolve(options.root ?? Deno.cwd());
  const source = parseYamlSource(text, file);
  if (source.problems.length) {
    throw new ExperimentConfigError(file, source.problems);
  }
  const problems = new Problems(source);
  const raw = source.value;
  if (!isMapping(raw)) {
    problems.add([], "expected a mapping (key: value lines) at the top level");
    throw new ExperimentConfigError(file, problems.list);
  }
  const { profiles: rawProfiles, ...base } = raw;
  const profiles: Record<string, Record<string, unknown>> = {};
  if (rawProfiles !== undefined) {
    if (!isMapping(rawProfiles)) {
      problems.add(
        ["profiles"],
        "expected a mapping from profile name (ci, full, …) to overrides",
      );
    } else {
      for (const [name, value] of Object.entries(rawProfiles)) {
        if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
          problems.add(
            ["profiles", name],
            `profile name "${name}" must be letters, digits, _ and -`,
            "key",
          );
        } else if (!isMapping(value)) {
          problems.add(
            ["profiles", name],
            "expected a mapping of fields to override",
          );
        } else if (Object.hasOwn(value, "profiles")) {
          problems.add(
            ["profiles", name, "profiles"],
            "a profile cannot define profiles",
            "key",
          );
        } else {
          profiles[name] = value;
        }
      }
    }
  }
  const defaultName = (file.split(/[\\/]/).pop() ?? file).replace(
    /\.ya?ml$/,
    "",
  );
  const check = (data: Record<string, unknown>, origin: Origin) => {
    const parsed = experimentSchema.safeParse(data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.addIssue(issue, data, origin);
      }
      return undefined;
    }
    const config = parsed.data as ExperimentConfig;
    if (
      config.name === undefined && !EXPERIMENT_NAME_PATTERN.test(defaultName)
    ) {
      problems.add(
        ["name"],
        `no "name" field, and the file name "${defaultName}" cannot name the results folder; add a name of ${EXPERIMENT_NAME_RULE}`,
      );
    }
    config.name ??= defaultName;
    crossCheck(config, { root, origin, problems });
    return config;
  };
  const baseConfig = check(base, (p) => p);
  const resolved: Record<string, ExperimentConfig | undefined> = {};
  const origins: Record<string, Origin> = { "": (p) => p };
  for (const [name, profile] of Object.entries(profiles)) {
    const merged = mergeProfile(base, profile, ["profiles", name]);
    for (const p of merged.problems) problems.add(p.path, p.message, "key");
    problems.profile = name;
    resolved[name] = check(merged.value, merged.origin);
    problems.profile = undefined;
    origins[name] = merged.origin;
  }
  if (problems.list.length) {
    throw new ExperimentConfigError(file, problems.list);
  }
  const chosen = options.profile;
  if (chosen !== undefined && !Object.hasOwn(profiles, chosen)) {
    const defined = Object.keys(profiles);
    throw new Error(
      `Cannot use profile "${chosen}" of experiment "${file}": ${
        defined.length
          ? `it defines ${defined.join(", ")}`
          : "it defines no profiles"
      }`,
    );
  }
  const config = structuredClone(
    chosen === undefined ? baseConfig! : resolved[chosen]!,
  );
  if (options.seed !== undefined) {
    if (!Number.isInteger(options.seed) || options.seed < 0) {
      throw new Error(
        `Cannot use seed "${options.seed}": expected a non-negative integer`,
      );
    }
    config.seed = options.seed;
  }
  const origin = origins[chosen ?? ""];
  return {
    name: config.name,
    file,
    profile: chosen ?? null,
    profiles: Object.keys(profiles),
    config,
    where: (path) => {
      const { line, column } = source.locate(origin(path));
      return `${file}:${line}:${column}`;
    },
  };
}

type Origin = (path: FieldPath) => FieldPath;

/** Collects problems, each placed in the file, without duplicates. */
class Problems {
  readonly list: Problem[] = [];
  /** The profile being checked, if any (named in problems outside it). */
  profile: string | undefined;
  readonly #seen = new Set<string>();
  readonly #source: YamlSource;

  constructor(source: YamlSource) {
    this.#source = source;
  }

  add(
    path: FieldPath,
    message: string,
    at: "key" | "value" | { text: number } = "value",
  ): void {
    const pos = typeof at === "object"
      ? this.#source.locateText(path, at.text)
      : this.#source.locate(path, at);
    const key = `${pos.line}:${pos.column}:${formatPath(path)}:${message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    const inProfile = this.profile !== undefined && path[0] === "profiles";
    const suffix = this.profile !== undefined && !inProfile
      ? ` (with profile "${this.profile}")`
      : "";
    const prefix = inProfile && message.startsWith("unknown key")
      ? `profile "${this.profile}" overrides a field that does not exist: `
      : "";
    this.list.push({
      file: this.#source.file,
      ...pos,
      path: formatPath(path),
      message: prefix + message + suffix,
    });
  }

  addIssue(
    issue: z.core.$ZodIssue,
    data: unknown,
    origin: Origin,
  ): void {
    const path = issue.path as (string | number)[];
    const value = valueAt(data, path);
    switch (issue.code) {
      case "unrecognized_keys": {
        const known = issue.message.startsWith(KNOWN_KEYS) ? issue.message : "";
        for (const key of issue.keys) {
          this.add(
            origin([...path, key]),
            `unknown key "${key}"${known ? "; " + known : ""}`,
            "key",
          );
        }
        return;
      }
      case "invalid_type":
        if (value === undefined) {
          const field = path.at(-1);
          this.add(
            origin(path),
            `missing required field${
              field === undefined ? "" : ` "${field}"`
            }; expected ${issue.expected}`,
          );
        } else {
          this.add(
            origin(path),
            `expected ${issue.expected}, got ${describe(value)}`,
          );
        }
        return;
      case "invalid_value":
        this.add(
          origin(path),
          `expected ${issue.values.length === 1 ? "" : "one of "}${
            issue.values.map((v) => JSON.stringify(v)).join(", ")
          }, got ${describe(value)}`,
        );
        return;
      case "too_small":
      case "too_big":
      case "invalid_format":
        this.add(
          origin(path),
          `expected ${
            issue.message.replace(/^[A-Za-z ]+: (expected )?/, "")
          }, got ${describe(value)}`,
        );
        return;
      default:
        this.add(origin(path), issue.message);
    }
  }
}

/** Checks that span fields, after the schema passed. */
function crossCheck(
  config: ExperimentConfig,
  ctx: { root: string; origin: Origin; problems: Problems },
): void {
  const { origin, problems } = ctx;
  let dim: number | undefined;
  if ("target" in config.data) {
    dim = config.data.box.length;
    config.data.box.forEach(([lo, hi], i) => {
      if (!(lo < hi)) {
        problems.add(
          origin(["data", "box", i]),
          `expected [low, high] with low < high, got [${lo}, ${hi}]`,
        );
      }
    });
    try {
      compileExpression(config.data.target, { dim });
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      problems.add(
        origin(["data", "target"]),
        `bad expression: ${err.reason}`,
        { text: Math.max(0, err.index) },
      );
    }
  } else {
    dim = 784;
  }
  if ("pretrained" in config.network) {
    const path = config.network.pretrained;
    const full = resolve(ctx.root, path);
    if (outside(ctx.root, full)) {
      problems.add(
        origin(["network", "pretrained"]),
        `path "${path}" points outside the project folder "${ctx.root}"`,
      );
    } else if (!existsSync(`${full}/network.json`)) {
      problems.add(
        origin(["network", "pretrained"]),
        `no network folder at "${path}" (expected ${full}/network.json)`,
      );
    } else {
      const escape = symlinkOutside(full, ctx.root);
      if (escape !== undefined) {
        problems.add(
          origin(["network", "pretrained"]),
          `path "${path}" leads outside the project folder "${ctx.root}" through a symbolic link ("${escape.path}" is really "${escape.real}")`,
        );
      }
    }
  } else if ("target" in config.data) {
    const first = config.network.layers[0];
    const input = config.network.input;
    const size = input?.reduce((a, b) => a * b, 1);
    if (input && size !== dim) {
      problems.add(
        origin(["network", "input"]),
        `input [${input}] holds ${size} values but the data has ${dim} (box length)`,
      );
    } else if (!input && first.type === "Linear" && first.in !== dim) {
      problems.add(
        origin(["network", "layers", 0]),
        `the first layer takes ${first.in} inputs but the data has ${dim} (box length)`,
      );
    }
  }
  const counts = new Map<string, number>();
  config.analyses.forEach((step, i) => {
    const explicit = step.id !== undefined;
    if (!explicit) {
      const n = (counts.get(step.type) ?? 0) + 1;
      counts.set(step.type, n);
      step.id = n === 1 ? step.type : `${step.type}-${n}`;
    }
    const clash = config.analyses.findIndex((s, j) =>
      j < i && s.id === step.id
    );
    if (clash >= 0) {
      problems.add(
        origin(["analyses", i, explicit ? "id" : "type"]),
        `analysis id "${step.id}" is already used by analyses[${clash}]; give each an "id"`,
      );
    }
    const check = ANALYSES[step.type].check;
    for (const p of check?.(step, { dim: dim! }) ?? []) {
      problems.add(origin(["analyses", i, ...p.path]), p.message);
    }
  });
  const ids = config.analyses.map((s) => s.id);
  config.claims.forEach((claim, i) => {
    const [head, id] = claim.value.split("/").slice(1);
    const roots = ["data", "train", "analyses"];
    if (!roots.includes(head)) {
      problems.add(
        origin(["claims", i, "value"]),
        `path must start with /${roots.join(", /")}, got "${claim.value}"`,
      );
    } else if (head === "analyses" && !ids.includes(id)) {
      problems.add(
        origin(["claims", i, "value"]),
        `no analysis with id "${id}"; the ids are ${
          ids.length ? ids.join(", ") : "(none)"
        }`,
      );
    } else if (head === "train" && !config.train) {
      problems.add(
        origin(["claims", i, "value"]),
        "points into /train but the experiment has no train section",
      );
    }
  });
}

function outside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === ".." || rel.startsWith("../") || isAbsolute(rel);
}

/**
 * The first entry of a network folder (the folder itself, then its files)
 * whose real path, symbolic links followed, leaves the project: the README
 * promises that `pretrained:` reads only inside the project.
 */
function symlinkOutside(
  folder: string,
  root: string,
): { path: string; real: string } | undefined {
  const realRoot = Deno.realPathSync(root);
  const seen = new Set<string>();
  const check = (path: string): { path: string; real: string } | undefined => {
    let real: string;
    try {
      real = Deno.realPathSync(path);
    } catch {
      return undefined; // a dangling link: loading the network names it
    }
    if (outside(realRoot, real)) return { path, real };
    if (seen.has(real) || !Deno.statSync(real).isDirectory) return undefined;
    seen.add(real);
    for (const entry of Deno.readDirSync(real)) {
      const found = check(`${path}/${entry.name}`);
      if (found) return found;
    }
    return undefined;
  };
  return check(folder);
}

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function describe(value: unknown): string {
  if (value === null) return "null (an empty value)";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    return JSON.stringify(value.length > 40 ? value.slice(0, 37) + "…" : value);
  }
  return `${typeof value} ${String(value)}`;
}
