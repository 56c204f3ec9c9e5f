// `flakeguard merge A.json B.json … [-o out.json]`: one manifest from the manifests of `jest --shard=i/n` jobs.

import * as fs from 'fs';
import * as path from 'path';
import { readCapped } from '../io/boundedRead';
import { isGzip, ReadProblem } from '../core/boundedParse';
import { FlakeguardError } from '../core/errors';
import { DEFAULT_HISTORY_LIMIT, historyFile, HISTORY_DIR, mergeHistories, parseHistory, type History } from '../core/history';
import { writeHistory } from '../io/historyFile';
import { DEFAULT_MANIFEST } from '../core/outputPaths';
import { mergeManifests, parseManifest, serializeManifest, type Manifest } from '../core/manifest';
import { writeManifest } from '../io/manifestFile';
import type { Command } from './command';
import { parseCommandLine, stringValue, usageError, type CommandLine } from './args';

const USAGE = 'usage: flakeguard merge A.json B.json … [-o out.json | -o -]   (manifests, or flake histories: files or history folders)';
/** `-o -`: the merged manifest goes to stdout (the summary line to stderr), for a pipe. */
const STDOUT = '-';

interface MergeArgs {
  inputs: string[];
  output: string | undefined;
}

const LINE: CommandLine = { name: 'flakeguard merge', usage: USAGE, options: { output: { type: 'string', short: 'o' } }, positionals: Infinity };

function parseMergeArgs(argv: readonly string[]): MergeArgs | 'help' {
  const parsed = parseCommandLine(LINE, argv);
  if (parsed === 'help') return 'help';
  if (parsed.positionals.length === 0) throw usageError(LINE, 'name the manifests to merge');
  return { inputs: parsed.positionals, output: stringValue(parsed.values, 'output') };
}

/** The kinds of input merge accepts, each with its reader: rerun manifests, and flake histories. */
type Input = { kind: 'manifest'; file: string; manifest: Manifest } | { kind: 'history'; file: string; history: History };

function readInput(given: string): Input {
  const file = fs.existsSync(given) && fs.statSync(given).isDirectory() ? historyFile(given) : given;
  let data: Buffer;
  try {
    data = readCapped(file);
  } catch (error) {
    if (error instanceof ReadProblem) throw new FlakeguardError(error.code === 'ENOENT' ? 'NOT_FOUND' : 'BAD_MANIFEST', error.message, file);
    throw error;
  }
  return looksLikeHistory(data) ? { kind: 'history', file, history: parseHistory(data, file) } : { kind: 'manifest', file, manifest: parseManifest(data, file) };
}

/** A history is gzipped, or JSON with `tests` and `runs`; anything else is read (and judged) as a manifest. */
function looksLikeHistory(data: Buffer): boolean {
  if (isGzip(data)) return true;
  try {
    const parsed = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    return Array.isArray(parsed.tests) && Array.isArray(parsed.runs) && !('counts' in parsed);
  } catch {
    return false;
  }
}

function mergeHistoryInputs(inputs: Array<Extract<Input, { kind: 'history' }>>, output: string, cwd: string): number {
  const merged = mergeHistories(
    inputs.map((input) => input.history),
    DEFAULT_HISTORY_LIMIT,
  );
  const file = historyFile(output);
  try {
    writeHistory(file, merged);
  } catch (error) {
    throw new FlakeguardError('UNWRITABLE', `cannot write the merged history (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, file);
  }
  console.log(`flakeguard merge: ${inputs.length} histories → ${path.relative(cwd, file) || file}: ${merged.runs.length} runs, ${merged.tests.length} tests`);
  return 0;
}

async function merge(argv: string[]): Promise<number> {
  const args = parseMergeArgs(argv);
  if (args === 'help') {
    console.log(
      `${USAGE}\n\nMerges the last-run.json of sharded jobs (jest --shard=i/n): counts added, lists united,\nstatus the worst, shard null. Default output: ${DEFAULT_MANIFEST}, ready for \`flakeguard rerun\`.\nFlake histories (history.json.gz, or the folders holding them) merge into one, runs deduplicated by id.\nDefault output: ${HISTORY_DIR}/.`,
    );
    return 0;
  }
  const cwd = process.cwd();
  const inputs = args.inputs.map((file) => readInput(path.resolve(cwd, file)));
  const histories = inputs.filter((input): input is Extract<Input, { kind: 'history' }> => input.kind === 'history');
  if (histories.length > 0 && histories.length < inputs.length) {
    const manifest = inputs.find((input) => input.kind === 'manifest')!;
    throw new FlakeguardError(
      'USAGE',
      `cannot merge a manifest with flake histories (${path.relative(cwd, histories[0]!.file)} is a history); merge each kind on its own`,
      manifest.file,
    );
  }
  if (histories.length > 0) {
    if (args.output === STDOUT) throw new FlakeguardError('USAGE', `a merged flake history is a gzipped file, not for stdout: name a folder with -o; ${USAGE}`);
    return mergeHistoryInputs(histories, path.resolve(cwd, args.output ?? HISTORY_DIR), cwd);
  }
  const manifests = inputs.map((input) => (input as Extract<Input, { kind: 'manifest' }>).manifest);
  const merged = mergeManifests(manifests);
  let shown = 'stdout';
  if (args.output === STDOUT) process.stdout.write(serializeManifest(merged));
  else {
    const output = path.resolve(cwd, args.output ?? DEFAULT_MANIFEST);
    try {
      writeManifest(output, merged);
    } catch (error) {
      throw new FlakeguardError('UNWRITABLE', `cannot write the merged manifest (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, output);
    }
    shown = path.relative(cwd, output) || output;
  }
  const c = merged.counts;
  const summary =
    `flakeguard merge: ${manifests.length} manifests → ${shown}: ${merged.status}; ` +
    `${c.passed} passed, ${c.failed} failed, ${c.flaky} flaky, ${c.fileErrors} file errors, ${c.notRun} not run`;
  // With the manifest on stdout, the summary must not corrupt it.
  if (args.output === STDOUT) console.error(summary);
  else console.log(summary);
  return 0;
}

export const command: Command = {
  summary: 'merge the manifests of sharded runs (for one rerun), or flake histories from CI artifacts',
  run: merge,
};
