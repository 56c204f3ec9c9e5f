// `flakeguard lanes [--json] [jest args…]`: which file goes to which lane, without running anything.

import { spawnSync } from 'child_process';
import * as path from 'path';
import type { Command } from './command';
import { FlakeguardError } from '../core/errors';
import { formatLaneSummary, summarizeLanes } from '../core/lanes';
import { oneLine } from '../core/errors';
import { PragmaCache } from '../io/pragmaCache';
import type { FilePragmas, LaneSpec } from '../core/pragmas';
import { resolveJestBin } from './jestBinary';
import { inline } from '../core/safeText';
import { parseCommandLine, flag, type CommandLine } from './args';
import { progress } from './progress';
import { out } from './style';

const LINE: CommandLine = {
  name: 'flakeguard lanes',
  usage: 'usage: flakeguard lanes [--json] [jest args…]',
  options: { json: { type: 'boolean' } },
  jest: true,
};

const HELP = `${LINE.usage}

Lists which test file runs in which lane (parallel, serial, a resource group) without running anything, then the
split. --json prints it for a machine. Every other argument is Jest's (--config, --selectProjects, a path pattern,
anything after --), as Jest would read it.`;

export interface LaneListing {
  file: string;
  lane: LaneSpec['lane'];
  resources: string[];
}

function listTests(cwd: string, jestArgs: string[]): string[] {
  const run = spawnSync(process.execPath, [resolveJestBin(cwd), '--listTests', '--json', ...jestArgs], { cwd, encoding: 'utf8' });
  if (run.status !== 0) {
    const lines = (run.stderr || run.stdout)
      .split('\n')
      .map((line) => line.replace(/^[\s●]+/, '').trim())
      .filter(Boolean);
    throw new FlakeguardError('USAGE', `jest --listTests failed: ${lines.slice(0, 2).join(' ') || `exit ${run.status}`}`);
  }
  const jsonLine = run.stdout.split('\n').find((line) => line.startsWith('['));
  if (!jsonLine) throw new FlakeguardError('USAGE', 'jest --listTests printed no file list');
  return JSON.parse(jsonLine) as string[];
}

export const command: Command = {
  summary: 'show which test file runs in which lane (--json for a machine)',
  async run(argv) {
    const parsed = parseCommandLine(LINE, argv);
    if (parsed === 'help') {
      console.log(HELP);
      return 0;
    }
    const json = flag(parsed.values, 'json');
    const cwd = process.cwd();
    const waiting = progress();
    waiting.update('flakeguard lanes: asking Jest for its test files…');
    let files: string[];
    try {
      files = listTests(cwd, parsed.jestArgs).sort();
    } finally {
      waiting.done();
    }
    const listing: LaneListing[] = [];
    // Read as the runner reads them (the leading docblock, bounded), never the cache: this is a one-off look.
    const reader = new PragmaCache(undefined);
    for (const file of files) {
      const relative = path.relative(cwd, file).split(path.sep).join('/');
      let pragmas: FilePragmas;
      try {
        pragmas = reader.get(file);
      } catch (error) {
        // As in a run: one line naming the file, and it runs where Jest would run it.
        console.error(`flakeguard: warning: ${inline(`${relative}: cannot read pragmas (${oneLine(error).replace(`${file}: `, '')})`)}`);
        listing.push({ file: relative, lane: 'parallel', resources: [] });
        continue;
      }
      for (const warning of pragmas.warnings) console.error(`flakeguard: warning: ${inline(`${relative}:${warning.line}: ${warning.message}`)}`);
      listing.push({ file: relative, lane: pragmas.spec.lane, resources: pragmas.spec.lane === 'resources' ? pragmas.spec.resources : [] });
    }
    const summary = formatLaneSummary(summarizeLanes(listing.map(toSpec)));
    if (json) {
      console.log(JSON.stringify({ summary, files: listing }, null, 2));
      return 0;
    }
    const width = Math.max(8, ...listing.map((entry) => label(entry).length));
    for (const entry of listing) console.log(`${colourLane(entry, label(entry).padEnd(width))}  ${inline(entry.file)}`);
    console.log(summary);
    return 0;
  },
};

function label(entry: LaneListing): string {
  return entry.lane === 'resources' ? `group ${inline(entry.resources.join(','))}` : entry.lane;
}

/** The lane's word in colour on a terminal: serial stands out, groups are named, parallel is the quiet default. */
function colourLane(entry: LaneListing, text: string): string {
  return entry.lane === 'serial' ? out.yellow(text) : entry.lane === 'resources' ? out.cyan(text) : out.dim(text);
}

function toSpec(entry: LaneListing): LaneSpec {
  return entry.lane === 'resources' ? { lane: 'resources', resources: entry.resources } : { lane: entry.lane };
}
