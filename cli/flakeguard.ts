#!/usr/bin/env node
// The `flakeguard` command: dispatches to one module per subcommand; a FlakeguardError is one line and exit 2.

import { FlakeguardError, oneLine } from '../core/errors';
import { inline } from '../core/safeText';

export interface Command {
  /** One line for `flakeguard --help`. */
  summary: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Command> = {
  lanes: () => require('./lanes').command as Command,
  rerun: () => require('./rerun').command as Command,
  merge: () => require('./merge').command as Command,
  quarantine: () => require('./quarantine').command as Command,
  report: () => require('./report').command as Command,
  lint: () => require('./lint').command as Command,
  hunt: () => require('./hunt').command as Command,
};

function load(name: string): Command | undefined {
  try {
    return COMMANDS[name]?.();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

function usage(): string {
  const lines = ['usage: flakeguard <command> [options]', '', 'commands:'];
  for (const name of Object.keys(COMMANDS)) {
    const command = load(name);
    if (command) lines.push(`  ${name.padEnd(12)}${command.summary}`);
  }
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name] ? load(name) : undefined;
  if (!command) {
    console.error(`flakeguard: unknown command "${inline(name)}"\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    // Messages quote data (a file's name, an entry's field): one line whatever it holds (core/safeText).
    console.error(`flakeguard ${name}: ${inline(error instanceof FlakeguardError ? error.message : oneLine(error))}`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`flakeguard: ${oneLine(error)}`);
      process.exitCode = 2;
    },
  );
}
