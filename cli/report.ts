// `flakeguard report`: the flake history (core/history) as per-test statistics (core/flakeStats), as text, JSON or markdown.

import * as fs from 'fs';
import * as path from 'path';
import { FlakeguardError } from '../core/errors';
import { buildReport, DEFAULT_CANDIDATE_OPTIONS, testName, type FlakeReport, type TestStats } from '../core/flakeStats';
import { HISTORY_DIR, historyFile, mergeHistories, type History } from '../core/history';
import { readHistory } from '../io/historyFile';
import { PragmaCache } from '../io/pragmaCache';
import { isQuarantinedBy, QUARANTINE_FILE } from '../core/quarantine';
import { readQuarantine } from '../io/quarantineFile';
import { inline, markdownCode } from '../core/safeText';
import { commandLineRootDir } from '../config/projectRoot';
import type { Command } from './command';
import { flag, parseCommandLine, stringValue, stringValues, type CommandLine } from './args';

const USAGE = `usage: flakeguard report [--json | --markdown] [--history DIR]… [--top N] [--all]
    [--window N] [--threshold RATE] [--min-runs N] [--release-after N] [--root DIR] [--quarantine FILE]
  --history DIR      a history directory or file; repeat to merge several (CI artifacts). Default <root>/${HISTORY_DIR}
  --top N            the N flakiest tests (default 20); --all lists every test that ran
  --window N         quarantine candidates are judged on the newest N runs (default ${DEFAULT_CANDIDATE_OPTIONS.window})
  --threshold RATE   flakiness (0–1) that makes a candidate (default ${DEFAULT_CANDIDATE_OPTIONS.threshold})
  --min-runs N       runs within the window a candidate needs (default ${DEFAULT_CANDIDATE_OPTIONS.minRuns})
  --release-after N  green-first-try runs that release a quarantined test (default ${DEFAULT_CANDIDATE_OPTIONS.releaseAfter})
  --root DIR         default Jest's rootDir, found from the current directory as Jest finds its config
  --quarantine FILE  default <root>/${QUARANTINE_FILE}`;

const LINE: CommandLine = {
  name: 'flakeguard report',
  usage: USAGE,
  options: {
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    history: { type: 'string', multiple: true },
    top: { type: 'string' },
    all: { type: 'boolean' },
    window: { type: 'string' },
    threshold: { type: 'string' },
    'min-runs': { type: 'string' },
    'release-after': { type: 'string' },
    root: { type: 'string' },
    quarantine: { type: 'string' },
  },
};

export const command: Command = {
  summary: 'flake history: flake and flip rates, the flakiest tests, what to quarantine or release',
  async run(argv) {
    const parsed = parseCommandLine(LINE, argv);
    if (parsed === 'help') {
      console.log(USAGE);
      return 0;
    }
    const values = {
      json: flag(parsed.values, 'json'),
      markdown: flag(parsed.values, 'markdown'),
      history: stringValues(parsed.values, 'history'),
      top: stringValue(parsed.values, 'top'),
      all: flag(parsed.values, 'all'),
      window: stringValue(parsed.values, 'window'),
      threshold: stringValue(parsed.values, 'threshold'),
      'min-runs': stringValue(parsed.values, 'min-runs'),
      'release-after': stringValue(parsed.values, 'release-after'),
      root: stringValue(parsed.values, 'root'),
      quarantine: stringValue(parsed.values, 'quarantine'),
    };
    if (values.json && values.markdown) throw new FlakeguardError('USAGE', 'choose one of --json and --markdown');
    const root = values.root ? path.resolve(values.root) : commandLineRootDir(process.cwd());
    // Paths given on the command line are the shell's (relative to the current directory); defaults are under root.
    const sources = values.history ? values.history.map((dir) => path.resolve(dir)) : [path.join(root, HISTORY_DIR)];
    const history = loadHistories(sources);
    const quarantine = readQuarantine(values.quarantine ? path.resolve(values.quarantine) : path.join(root, QUARANTINE_FILE));
    const isQuarantined = isQuarantinedBy(quarantine, flakyPragmaFiles(root, history));
    const report = buildReport(history, isQuarantined, {
      top: positiveInteger(values.top, '--top', 20),
      window: positiveInteger(values.window, '--window', DEFAULT_CANDIDATE_OPTIONS.window),
      threshold: rate(values.threshold, DEFAULT_CANDIDATE_OPTIONS.threshold),
      minRuns: positiveInteger(values['min-runs'], '--min-runs', DEFAULT_CANDIDATE_OPTIONS.minRuns),
      releaseAfter: positiveInteger(values['release-after'], '--release-after', DEFAULT_CANDIDATE_OPTIONS.releaseAfter),
    });
    const listed = values.all ? [...report.stats].sort((a, b) => b.flakiness - a.flakiness || (testName(a) < testName(b) ? -1 : 1)) : report.top;
    const where = sources.map((s) => path.relative(root, historyFile(s)) || s).join(', ');
    if (values.json) console.log(JSON.stringify(toJson(report, where), null, 2));
    else if (values.markdown) console.log(markdown(report, listed));
    else console.log(text(report, listed, where));
    return 0;
  },
};

function loadHistories(sources: string[]): History {
  const histories = sources.map((source) => {
    if (!fs.existsSync(historyFile(source)) && sources.length > 1) {
      throw new FlakeguardError('NOT_FOUND', 'no history here (give a history directory or file)', source);
    }
    return readHistory(source);
  });
  return histories.length === 1 ? histories[0]! : mergeHistories(histories, Math.max(...histories.map((h) => h.runs.length)) * histories.length);
}

/** Files of the history that still exist and carry `@flaky`: quarantined by pragma. */
function flakyPragmaFiles(root: string, history: History): Set<string> {
  const cache = new PragmaCache(undefined);
  const files = new Set<string>();
  for (const file of new Set(history.tests.map((t) => t.file))) {
    const absolute = path.join(root, ...file.split('/'));
    try {
      if (cache.get(absolute).flaky !== undefined) files.add(file);
    } catch {
      // gone or unreadable: not quarantined by pragma
    }
  }
  return files;
}

const percent = (value: number): string => `${(value * 100).toFixed(value > 0 && value < 0.1 ? 1 : 0)}%`;

const COLUMNS = ['runs', 'failed', 'flaky', 'flake rate', 'flip rate'];

/** A test's name on one line (core/safeText); in the text output it never starts a line. */
const shownName = (s: TestStats): string => inline(testName(s));
const row = (s: TestStats): string[] => [String(s.runs), String(s.failures), String(s.flakyPasses), percent(s.flakeRate), percent(s.flipRate)];

/** Shell quoting for a suggested command line. */
const quote = (value: string): string => (/^[\w./@:-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

function addCommand(s: TestStats, report: FlakeReport): string {
  const reason = `flaky: ${percent(s.flakiness)} over the last ${report.options.window} runs`;
  return `npx flakeguard quarantine add ${quote(s.file)} --test ${quote(s.titles.join(' > '))} --reason ${quote(reason)}`;
}

function removeCommand(s: TestStats): string {
  return `npx flakeguard quarantine remove ${quote(s.file)} --test ${quote(s.titles.join(' > '))}`;
}

function text(report: FlakeReport, listed: TestStats[], where: string): string {
  if (report.runs === 0) return `no flake history yet in ${where}: the reporter records one run per jest run`;
  const lines = [`${report.runs} runs (${report.firstRun} … ${report.lastRun}), ${report.stats.length} tests ran — ${where}`, ''];
  if (listed.length === 0) {
    lines.push('no flaky test: every test that ran either always passed on the first try or always failed');
  } else {
    // The numbers come first and the test's name last: data never starts a line of our output.
    const table = [[...COLUMNS, 'test'], ...listed.map((s) => [...row(s), shownName(s)])];
    const last = COLUMNS.length;
    const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
    lines.push(
      ...table.map((r) =>
        r
          .map((cell, c) => (c === last ? cell : cell.padStart(widths[c]!)))
          .join('  ')
          .trimEnd(),
      ),
    );
  }
  const o = report.options;
  lines.push('', `quarantine candidates (flakiness ≥ ${percent(o.threshold)} over the last ${o.window} runs, at least ${o.minRuns} runs):`);
  if (report.quarantineCandidates.length === 0) lines.push('  none');
  for (const s of report.quarantineCandidates) lines.push(`  - ${shownName(s)} — ${percent(s.flakiness)}`, `    ${inline(addCommand(s, report))}`);
  lines.push('', `release candidates (quarantined, passed on the first try in the last ${o.releaseAfter} runs):`);
  if (report.releaseCandidates.length === 0) lines.push('  none');
  for (const s of report.releaseCandidates) lines.push(`  - ${shownName(s)}`, `    ${inline(removeCommand(s))}`);
  return lines.join('\n');
}

/** Markdown: every name and command is a code span (core/safeText), so nothing in a title renders or splits a row. */
const cell = markdownCode;

function markdown(report: FlakeReport, listed: TestStats[]): string {
  if (report.runs === 0) return '### Flaky tests\n\nNo flake history yet.';
  const o = report.options;
  const lines = [`### Flaky tests`, '', `${report.runs} runs (${report.firstRun} … ${report.lastRun}), ${report.stats.length} tests ran.`, ''];
  if (listed.length === 0) lines.push('No flaky test.');
  else {
    lines.push(`| test | ${COLUMNS.join(' | ')} |`, `| --- | ${COLUMNS.map(() => '---:').join(' | ')} |`);
    for (const s of listed) lines.push(`| ${cell(testName(s))} | ${row(s).join(' | ')} |`);
  }
  lines.push('', `#### Quarantine candidates (flakiness ≥ ${percent(o.threshold)} over the last ${o.window} runs)`, '');
  if (report.quarantineCandidates.length === 0) lines.push('None.');
  for (const s of report.quarantineCandidates) lines.push(`- ${cell(testName(s))} — ${percent(s.flakiness)}: ${cell(addCommand(s, report))}`);
  lines.push('', `#### Release candidates (green on the first try for ${o.releaseAfter} runs)`, '');
  if (report.releaseCandidates.length === 0) lines.push('None.');
  for (const s of report.releaseCandidates) lines.push(`- ${cell(testName(s))}: ${cell(removeCommand(s))}`);
  return lines.join('\n');
}

function toJson(report: FlakeReport, where: string): unknown {
  const name = (s: TestStats) => ({ project: s.project, file: s.file, titles: s.titles });
  return {
    schemaVersion: 1,
    history: where,
    runs: report.runs,
    tests: report.stats.length,
    firstRun: report.firstRun,
    lastRun: report.lastRun,
    options: report.options,
    top: report.top.map(name),
    quarantineCandidates: report.quarantineCandidates.map((s) => ({ ...name(s), flakiness: s.flakiness, runs: s.runs })),
    releaseCandidates: report.releaseCandidates.map((s) => ({ ...name(s), greenStreak: s.greenStreak })),
    stats: report.stats,
  };
}

function positiveInteger(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new FlakeguardError('USAGE', `${flag} ${value}: give a positive whole number`);
  return n;
}

function rate(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1) throw new FlakeguardError('USAGE', `--threshold ${value}: give a rate between 0 and 1 (or a percentage)`);
  return n;
}
