/** The project folder. */
export const ROOT: string = new URL("../../", import.meta.url).pathname
  .replace(/\/$/, "");

/**
 * A `deno task experiment` process whose output can be waited on (tests
 * that interrupt runs).
 */
export class ExperimentProcess {
  readonly child: Deno.ChildProcess;
  output = "";
  #ended = false;
  readonly #done: Promise<Deno.CommandStatus>;

  /**
   * Starts `deno run -A tasks/experiment.ts` with `args`.
   *
   * @param args The command's arguments.
   * @param env Extra environment variables.
   */
  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}/tasks/experiment.ts`, ...args],
      cwd: ROOT,
      env,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const read = async (stream: ReadableStream<Uint8Array>) => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) {
        this.output += text;
      }
    };
    this.#done = Promise.all([read(this.child.stdout), read(this.child.stderr)])
      .then(() => this.child.status).finally(() => this.#ended = true);
  }

  /** Resolves once the output holds `text`; throws if the process ends first. */
  async waitFor(text: string): Promise<void> {
    while (!this.output.includes(text)) {
      if (this.#ended) throw new Error(`no "${text}" in:\n${this.output}`);
      await new Promise((wake) => setTimeout(wake, 20));
    }
  }

  /** The exit status, once the process ended. */
  status(): Promise<Deno.CommandStatus> {
    return this.#done;
  }
}
