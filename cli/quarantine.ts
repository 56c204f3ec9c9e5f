// `flakeguard quarantine add|list|remove|prune`: edits `.flakeguard/quarantine.json` (through core/quarantine).

import * as fs from 'fs';
import * as path from 'path';
import { FlakeguardError } from '../core/errors';
import { computeStats, type TestStats } from '../core/flakeStats';
import { HISTORY_DIR, latestTitlesByFile, mergeHistories, type History } from '../core/history';
import { readHistory } from '../io/historyFile';
import {
  addEntry,
  danglingEntries,
  danglingProblem,
  entryName,
  expiredEntries,
  isoDay,
  QUARANTINE_FILE,
  removeEntry,
  resolveExpires,
  type Quarantine,
  type QuarantineEntry,
} from '../core/quarantine';
import { readQuarantine, writeQuarantine } from '../io/quarantineFile';
import { inline } from '../core/safeText';
import { findFlakyPragmaFiles } from '../config/index';
import { commandLineRootDir } from '../config/projectRoot';
import { huntReason } from '../core/huntReport';
import { readHuntReport } from '../io/huntReportFile';
import { outputPaths } from '../core/outputPaths';
import type { Command } from './command';
import { parseCommandLine, stringValue, type OptionSpecs, type Values } from './args';

const COMMON_HELP = `common options: --root DIR (default: Jest's rootDir, found from the current directory as Jest finds its config), --file PATH (default: <root>/${QUARANTINE_FILE})`;

/** Each subcommand's usage line; together they are `flakeguard quarantine --help`. */
const SUB_USAGE = {
  add: `flakeguard quarantine add <file> [--test "suite > test"] --reason TEXT [--owner NAME] [--issue URL] [--expires 30d|YYYY-MM-DD|never]
  flakeguard quarantine add --from-hunt [--owner NAME] [--issue URL] [--expires …]   (what .flakeguard/hunt.json found, its class as the reason)`,
  list: 'flakeguard quarantine list [--json]',
  remove: 'flakeguard quarantine remove <file> [--test "suite > test"]',
  prune: 'flakeguard quarantine prune [--history DIR] [--release-after N] [--dry-run]',
} as const;

type Sub = keyof typeof SUB_USAGE;

const USAGE = `usage: flakeguard quarantine add|list|remove|prune [options]   (flakeguard quarantine <sub> --help)\n${Object.values(SUB_USAGE)
  .map((usage) => `  ${usage}`)
  .join('\n')}\n${COMMON_HELP}`;

/** Default loan: an entry without --expires is due back in 30 days. */
const DEFAULT_EXPIRES = '30d';

interface Context {
  root: string;
  file: string;
  today: string;
}

export const command: Command = {
  summary: 'quarantine tests: add, list, remove, prune entries of .flakeguard/quarantine.json',
  async run(argv) {
    const [sub, ...rest] = argv;
    if (!sub) {
      console.error(USAGE);
      return 2;
    }
    if (sub === '--help' || sub === '-h' || sub === 'help') {
      console.log(USAGE);
      return 0;
    }
    switch (sub) {
      case 'add':
        return add(rest);
      case 'list':
        return list(rest);
      case 'remove':
        return remove(rest);
      case 'prune':
        return prune(rest);
      default:
        throw new FlakeguardError('USAGE', `unknown subcommand ${JSON.stringify(inline(sub))} (add, list, remove, prune; see flakeguard quarantine --help)`);
    }
  },
};

const COMMON: OptionSpecs = { root: { type: 'string' }, file: { type: 'string' } };

interface SubLine {
  values: Values;
  positionals: string[];
  context: Context;
}

/** One subcommand's command line (cli/args); `'help'` when it asked for its own usage, which is printed here. */
function parse(sub: Sub, argv: string[], options: OptionSpecs, positionals: number): SubLine | 'help' {
  const line = { name: `flakeguard quarantine ${sub}`, usage: `usage: ${SUB_USAGE[sub]}`, options: { ...COMMON, ...options }, positionals };
  const parsed = parseCommandLine(line, argv);
  if (parsed === 'help') {
    console.log(`${line.usage}\n${COMMON_HELP}`);
    return 'help';
  }
  const root = stringValue(parsed.values, 'root');
  const file = stringValue(parsed.values, 'file');
  const rootDir = root ? path.resolve(root) : commandLineRootDir(process.cwd());
  const context: Context = { root: rootDir, file: file ? path.resolve(file) : path.join(rootDir, QUARANTINE_FILE), today: isoDay(new Date()) };
  return { values: parsed.values, positionals: parsed.positionals, context };
}

/**
 * `test/a.test.ts` (any spelling of a path under root) → rootDir-relative with `/`. A relative path is the shell's
 * (from the current directory), or, when nothing is there, root's: the form `flakeguard report` and `list` print.
 */
function relativeTestFile(root: string, file: string, mustExist: boolean): string {
  const fromCwd = path.resolve(file);
  const fromRoot = path.resolve(root, file);
  const absolute = fs.existsSync(fromCwd) || !fs.existsSync(fromRoot) ? fromCwd : fromRoot;
  const relative = path.relative(root, absolute);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new FlakeguardError('USAGE', `${file} is outside ${root} (use --root)`);
  }
  if (mustExist && !fs.existsSync(absolute)) throw new FlakeguardError('NOT_FOUND', `no test file ${relative} under ${root}`);
  return relative.split(path.sep).join('/');
}

/** `--test "suite > test"` → ['suite', 'test']. */
function parseTitles(test: string | undefined): string[] | undefined {
  if (test === undefined) return undefined;
  const titles = test.split(' > ').map((t) => t.trim());
  if (titles.some((t) => t === '')) throw new FlakeguardError('USAGE', `--test "${test}": name the test as "describe > test"`);
  return titles;
}

function add(argv: string[]): number {
  const line = parse(
    'add',
    argv,
    {
      test: { type: 'string' },
      reason: { type: 'string' },
      owner: { type: 'string' },
      issue: { type: 'string' },
      expires: { type: 'string' },
      'from-hunt': { type: 'boolean' },
    },
    1,
  );
  if (line === 'help') return 0;
  const { values, positionals, context } = line;
  if (values['from-hunt']) return addFromHunt(values, positionals, context);
  if (!positionals[0]) throw new FlakeguardError('USAGE', 'name the test file: flakeguard quarantine add <file> --reason …');
  const reason = (values.reason as string | undefined)?.trim();
  if (!reason) throw new FlakeguardError('USAGE', '--reason is required: say why the test is quarantined (or link the issue)');
  const entry: QuarantineEntry = { file: relativeTestFile(context.root, positionals[0], true), reason, added: context.today };
  const titles = parseTitles(values.test as string | undefined);
  if (titles) entry.titles = titles;
  if (values.owner !== undefined) entry.owner = values.owner as string;
  if (values.issue !== undefined) entry.issue = values.issue as string;
  const expires = (values.expires as string | undefined) ?? DEFAULT_EXPIRES;
  if (expires !== 'never') entry.expires = resolveExpires(expires, context.today);
  if (entry.titles) warnIfUnknownTest(context.root, entry.file, entry.titles);
  const quarantine = readQuarantine(context.file);
  const replaced = quarantine.entries.some((e) => e.file === entry.file && JSON.stringify(e.titles) === JSON.stringify(entry.titles));
  writeQuarantine(context.file, addEntry(quarantine, entry));
  console.log(
    `${replaced ? 'updated' : 'quarantined'} ${entryName(entry)}` +
      `${entry.expires ? ` until ${entry.expires}` : ''}${entry.owner ? ` (owner ${inline(entry.owner)})` : ''}: ` +
      'it runs in the flaky project only (jest --selectProjects flaky)',
  );
  return 0;
}

/** Every flaky test the last `flakeguard hunt` found, one entry each, the class (and culprit) as the reason. */
function addFromHunt(values: Record<string, unknown>, positionals: string[], context: Context): number {
  if (positionals.length > 0 || values.test !== undefined || values.reason !== undefined) {
    throw new FlakeguardError('USAGE', '--from-hunt takes the tests and reasons from the hunt report: give no file, --test or --reason');
  }
  const reportFile = outputPaths(context.root).hunt;
  const report = readHuntReport(reportFile);
  const flaky = report.tests.filter((test) => test.class !== 'clean' && test.class !== 'failing');
  for (const test of report.tests.filter((t) => t.class === 'failing')) {
    console.error(`flakeguard quarantine: left out ${entryName(test)}: it failed every run (broken, not flaky): fix it`);
  }
  if (flaky.length === 0) {
    console.log(`nothing to quarantine: the hunt of ${report.startedAt} found no flaky test`);
    return 0;
  }
  const expires = (values.expires as string | undefined) ?? DEFAULT_EXPIRES;
  let quarantine = readQuarantine(context.file);
  for (const test of flaky) {
    const entry: QuarantineEntry = { file: test.file, titles: test.titles, reason: huntReason(test), added: context.today };
    if (values.owner !== undefined) entry.owner = values.owner as string;
    if (values.issue !== undefined) entry.issue = values.issue as string;
    if (expires !== 'never') entry.expires = resolveExpires(expires, context.today);
    quarantine = addEntry(quarantine, entry);
    console.log(`quarantined ${entryName(entry)}${entry.expires ? ` until ${entry.expires}` : ''}\n    ${entry.reason}`);
  }
  writeQuarantine(context.file, quarantine);
  console.log(`${flaky.length} test${flaky.length === 1 ? '' : 's'} from the hunt: they run in the flaky project only (jest --selectProjects flaky)`);
  return 0;
}

function list(argv: string[]): number {
  const line = parse('list', argv, { json: { type: 'boolean' } }, 0);
  if (line === 'help') return 0;
  const { values, context } = line;
  const quarantine = readQuarantine(context.file);
  const expired = new Set(expiredEntries(quarantine, context.today));
  const dangling = new Map(danglingEntries(quarantine, existingOnDisk(context.root)).map((d) => [d.entry, d]));
  // Files quarantined by `@flaky` are part of the quarantine too; no pragma cache on disk for a one-off look.
  const pragmaFiles = [...findFlakyPragmaFiles(context.root, [context.root], undefined)].map(([file, reason]) => ({ file, reason }));
  if (values.json) {
    const entries = quarantine.entries.map((entry) => ({
      ...entry,
      expired: expired.has(entry),
      dangling: dangling.get(entry)?.problem ?? null,
    }));
    console.log(JSON.stringify({ file: context.file, today: context.today, entries, pragmaFiles }, null, 2));
    return 0;
  }
  if (quarantine.entries.length === 0 && pragmaFiles.length === 0) {
    console.log(`nothing quarantined in ${path.relative(process.cwd(), context.file) || context.file}, and no @flaky file`);
    return 0;
  }
  for (const entry of quarantine.entries) {
    const flags = [expired.has(entry) ? 'EXPIRED' : '', dangling.has(entry) ? 'FILE MISSING' : ''].filter(Boolean).join(', ');
    const details = [
      entry.owner ? `owner ${inline(entry.owner)}` : 'no owner',
      `added ${entry.added}`,
      entry.expires ? `expires ${entry.expires}` : 'never expires',
      entry.issue ? inline(entry.issue) : '',
    ].filter(Boolean);
    // Data never starts a line (core/safeText): each line opens with our own marker or word.
    console.log(`- ${flags ? `[${flags}] ` : ''}${entryName(entry)}\n    reason: ${inline(entry.reason)} — ${details.join(', ')}`);
  }
  for (const { file, reason } of pragmaFiles)
    console.log(`- [@flaky] ${inline(file)}\n    reason: ${reason ? inline(reason) : 'none given'} — remove the pragma to release it`);
  const summary = `${quarantine.entries.length} entr${quarantine.entries.length === 1 ? 'y' : 'ies'}`;
  console.log(
    `${summary}${expired.size ? `, ${expired.size} expired` : ''}${dangling.size ? `, ${dangling.size} naming a missing file` : ''}` +
      `${pragmaFiles.length ? `; ${pragmaFiles.length} @flaky file${pragmaFiles.length === 1 ? '' : 's'}` : ''}`,
  );
  return 0;
}

function remove(argv: string[]): number {
  const line = parse('remove', argv, { test: { type: 'string' } }, 1);
  if (line === 'help') return 0;
  const { values, positionals, context } = line;
  if (!positionals[0]) throw new FlakeguardError('USAGE', 'name the test file: flakeguard quarantine remove <file> [--test "suite > test"]');
  const target: Pick<QuarantineEntry, 'file' | 'titles'> = { file: relativeTestFile(context.root, positionals[0], false) };
  const titles = parseTitles(values.test as string | undefined);
  if (titles) target.titles = titles;
  const { quarantine, removed } = removeEntry(readQuarantine(context.file), target);
  if (!removed) throw new FlakeguardError('NOT_FOUND', `no quarantine entry for ${entryName(target)} (see flakeguard quarantine list)`, context.file);
  writeQuarantine(context.file, quarantine);
  console.log(`released ${entryName(target)}: it runs in the stable project again`);
  return 0;
}

function prune(argv: string[]): number {
  const line = parse('prune', argv, { history: { type: 'string', multiple: true }, 'release-after': { type: 'string' }, 'dry-run': { type: 'boolean' } }, 0);
  if (line === 'help') return 0;
  const { values, context } = line;
  const releaseAfter = positiveInteger(values['release-after'] as string | undefined, '--release-after', 20);
  const quarantine = readQuarantine(context.file);
  // Paths given on the command line are relative to the current directory, as in any shell command.
  const dirs = (values.history as string[] | undefined) ?? [path.join(context.root, HISTORY_DIR)];
  const histories = dirs.map((dir) => readHistory(path.resolve(dir)));
  const history = histories.length === 1 ? histories[0]! : mergeHistories(histories);

  const titles = latestTitlesByFile(history);
  const disk = existingOnDisk(context.root);
  const gone = danglingEntries(quarantine, { fileExists: disk.fileExists, titlesOf: (file) => titles.get(file) });
  const reasons = new Map<QuarantineEntry, string>(gone.map((d) => [d.entry, danglingProblem(d)]));

  for (const entry of healed(quarantine, history, releaseAfter)) {
    if (!reasons.has(entry)) reasons.set(entry, `healed: passed on the first try in each of its last ${releaseAfter}+ runs since it was added`);
  }
  if (reasons.size === 0) {
    console.log(`nothing to prune: ${quarantine.entries.length} entr${quarantine.entries.length === 1 ? 'y' : 'ies'} still needed`);
    return 0;
  }
  for (const [entry, reason] of reasons) console.log(`${values['dry-run'] ? 'would drop' : 'dropped'} ${entryName(entry)} — ${reason}`);
  if (!values['dry-run']) writeQuarantine(context.file, { schemaVersion: 1, entries: quarantine.entries.filter((e) => !reasons.has(e)) });
  return 0;
}

/**
 * Entries whose tests all passed on the first try in their newest `releaseAfter` runs (a whole file: every test of
 * it), counting only runs from the day after the entry was added: green runs from before the quarantine (or from
 * its first day, when the time of adding is unknown) say nothing about a fix.
 */
function healed(quarantine: Quarantine, history: History, releaseAfter: number): QuarantineEntry[] {
  if (history.runs.length === 0) return [];
  const statsSince = new Map<string, TestStats[]>();
  return quarantine.entries.filter((entry) => {
    let stats = statsSince.get(entry.added);
    if (!stats) {
      stats = computeStats({ ...history, runs: history.runs.filter((run) => run.startedAt.slice(0, 10) > entry.added) });
      statsSince.set(entry.added, stats);
    }
    const tests = stats.filter((s) => s.file === entry.file && (!entry.titles || JSON.stringify(s.titles) === JSON.stringify(entry.titles)));
    return tests.length > 0 && tests.every((s) => s.greenStreak >= releaseAfter);
  });
}

/** A typo in --test would quarantine nothing: say so when the history knows the file's tests and not this one. */
function warnIfUnknownTest(root: string, file: string, titles: string[]): void {
  let known: string[][] | undefined;
  try {
    known = latestTitlesByFile(readHistory(path.join(root, HISTORY_DIR))).get(file);
  } catch {
    return; // an unreadable history is `flakeguard report`'s to complain about
  }
  if (known && !known.some((t) => JSON.stringify(t) === JSON.stringify(titles))) {
    console.error(`flakeguard quarantine: warning: the last run of ${file} had no test "${titles.join(' > ')}" (titles are matched exactly)`);
  }
}

function existingOnDisk(root: string): { fileExists(file: string): boolean; titlesOf(): undefined } {
  return { fileExists: (file) => fs.existsSync(path.join(root, ...file.split('/'))), titlesOf: () => undefined };
}

function positiveInteger(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new FlakeguardError('USAGE', `${flag} ${value}: give a positive whole number`);
  return n;
}
