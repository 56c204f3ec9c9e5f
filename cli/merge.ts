// `flakeguard merge A.json B.json … [-o out.json]`: one manifest from the manifests of `jest --shard=i/n` jobs.

import * as path from 'path';
import { FlakeguardError } from '../core/errors';
import { DEFAULT_OUTPUT_DIR, MANIFEST_FILE_NAME, mergeManifests, readManifest, writeManifest, type Manifest } from '../core/manifest';
import type { Command } from './flakeguard';

const DEFAULT_MANIFEST = path.join(DEFAULT_OUTPUT_DIR, MANIFEST_FILE_NAME);
const USAGE = 'usage: flakeguard merge A.json B.json … [-o out.json]';

interface MergeArgs {
  inputs: string[];
  output: string;
}

function parseArgs(argv: readonly string[]): MergeArgs | 'help' {
  const args: MergeArgs = { inputs: [], output: DEFAULT_MANIFEST };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '-o' || arg === '--output') {
      const value = argv[++i];
      if (!value) throw new FlakeguardError('USAGE', `${arg} needs a path; ${USAGE}`);
      args.output = value;
    } else if (arg.startsWith('--output=')) args.output = arg.slice('--output='.length);
    else if (arg.startsWith('-') && arg !== '-') throw new FlakeguardError('USAGE', `unknown option "${arg}"; ${USAGE}`);
    else args.inputs.push(arg);
  }
  if (args.inputs.length === 0) throw new FlakeguardError('USAGE', `name the manifests to merge; ${USAGE}`);
  return args;
}

/**
 * The kinds of input merge accepts, each with its reader. Today: manifests. A new kind (e.g. history files)
 * adds a reader here and a branch in `merge` that writes its own output.
 */
type Input = { kind: 'manifest'; file: string; manifest: Manifest };

function readInput(file: string): Input {
  return { kind: 'manifest', file, manifest: readManifest(file) };
}

async function merge(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args === 'help') {
    console.log(`${USAGE}\n\nMerges the last-run.json of sharded jobs (jest --shard=i/n): counts added, lists united,\nstatus the worst, shard null. Default output: ${DEFAULT_MANIFEST}, ready for \`flakeguard rerun\`.`);
    return 0;
  }
  const cwd = process.cwd();
  const inputs = args.inputs.map((file) => readInput(path.resolve(cwd, file)));
  const output = path.resolve(cwd, args.output);
  const merged = mergeManifests(inputs.map((input) => input.manifest));
  try {
    writeManifest(output, merged);
  } catch (error) {
    throw new FlakeguardError('UNWRITABLE', `cannot write the merged manifest (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, output);
  }
  const c = merged.counts;
  console.log(
    `flakeguard merge: ${inputs.length} manifests → ${path.relative(cwd, output) || output}: ${merged.status}; ` +
      `${c.passed} passed, ${c.failed} failed, ${c.flaky} flaky, ${c.fileErrors} file errors, ${c.notRun} not run`,
  );
  return 0;
}

export const command: Command = {
  summary: 'merge the manifests of sharded runs into one (for one rerun after a sharded CI)',
  run: merge,
};
