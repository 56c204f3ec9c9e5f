#!/usr/bin/env node
// The `flakeguard` command: dispatches to one module per subcommand; --help, --version; a FlakeguardError is one
// line and exit 2.

import * as fs from 'fs';
import * as path from 'path';
import { FlakeguardError, oneLine } from '../core/errors';
import { inline } from '../core/safeText';
import type { Command } from './command';
import { err } from './style';

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
  const lines = ['usage: flakeguard <command> [options]   (flakeguard <command> --help for its options)', '', 'commands:'];
  for (const name of Object.keys(COMMANDS)) {
    const command = load(name);
    if (command) lines.push(`  ${name.padEnd(12)}${command.summary}`);
  }
  lines.push('', 'options:', '  --help, -h      this text', '  --version, -v   the version of jest-flakeguard');
  return lines.join('\n');
}

/** This package's version, from its own package.json (two levels up in dist/, one in the sources). */
export function version(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'jest-flakeguard' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here
    }
  }
  return 'unknown';
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    // Asked for nothing: usage is an error message here, for a human to read, not output.
    console.error(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest[0] && COMMANDS[rest[0]]) return main([rest[0], '--help']);
    console.log(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(version());
    return 0;
  }
  const command = COMMANDS[name] ? load(name) : undefined;
  if (!command) {
    console.error(`${err.red('flakeguard:')} unknown command ${JSON.stringify(inline(name))}\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    // Messages quote data (a file's name, an entry's field): one line whatever it holds (core/safeText).
    console.error(`${err.red(`flakeguard ${name}:`)} ${inline(error instanceof FlakeguardError ? error.message : oneLine(error))}`);
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
