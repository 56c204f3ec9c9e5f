// What each subcommand module exports as `command`: cli/flakeguard loads them by name, and they import this
// rather than cli/flakeguard, so the dispatcher and its subcommands do not import each other.

export interface Command {
  /** One line for `flakeguard --help`. */
  summary: string;
  /** Runs the command (its --help included: cli/args); resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}
