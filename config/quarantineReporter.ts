// A reporter `withFlakeguard` adds: after Jest's summary, what the quarantine did in this run (tests skipped in
// `stable` with their reason), what is wrong with it (expired entries, entries naming tests that are gone), and
// `failOnFlaky`. An expired entry or a flaky test under `failOnFlaky` fails the run (through `getLastError`).

import * as fs from 'fs';
import * as path from 'path';
import type { AggregatedResult, Test, TestResult } from '@jest/test-result';
import type { Config } from '@jest/types';
import { oneLine } from '../core/errors';
import { danglingEntries, describeDangling, type Quarantine, type QuarantineEntry } from '../core/quarantine';
import { readQuarantine } from '../io/quarantineFile';
import type { QuarantineReporterOptions } from '../core/projectOptions';
import { inline } from '../core/safeText';
import { printAfterJestSummary } from '../reporter/afterSummary';

/** Lines of one kind shown before "… and N more". */
const SHOWN = 10;

export default class QuarantineReporter {
  private readonly options: QuarantineReporterOptions;
  private quarantine: Quarantine = { schemaVersion: 1, entries: [] };
  /** The entries by file: a run with 100,000 entries looks each test up in its file's few, not in all. */
  private byFile = new Map<string, QuarantineEntry[]>();
  /** rootDir-relative file → every title path Jest reported for it in this run (skipped ones included). */
  private titles = new Map<string, string[][]>();
  /** One line per entry naming a file that does not exist (read at the run's start, not carried in the config). */
  private missingFiles: string[] = [];
  private skipped: string[] = [];
  private flakyFailing: string[] = [];
  private error: Error | undefined;

  constructor(_globalConfig: Config.GlobalConfig, options: QuarantineReporterOptions) {
    this.options = options;
  }

  onRunStart(): void {
    this.titles = new Map();
    this.skipped = [];
    this.flakyFailing = [];
    this.missingFiles = [];
    this.error = undefined;
    try {
      this.quarantine = readQuarantine(this.options.quarantineFile);
      this.byFile = new Map();
      for (const entry of this.quarantine.entries) {
        const list = this.byFile.get(entry.file);
        if (list) list.push(entry);
        else this.byFile.set(entry.file, [entry]);
      }
      const onDisk = new Map<string, boolean>();
      const exists = (file: string): boolean => {
        if (!onDisk.has(file)) onDisk.set(file, fs.existsSync(path.join(this.options.rootDir, ...file.split('/'))));
        return onDisk.get(file)!;
      };
      this.missingFiles = danglingEntries(this.quarantine, { fileExists: exists, titlesOf: () => undefined }).map(describeDangling);
    } catch (error) {
      // The config helper read it a moment ago; a file broken since is for the next run's config to report.
      process.stderr.write(`flakeguard: ${inline(oneLine(error))}\n`);
    }
  }

  onTestFileResult(_test: Test, result: TestResult): void {
    const project = result.displayName?.name ?? null;
    const file = path.relative(this.options.rootDir, result.testFilePath).split(path.sep).join('/');
    // A file that failed to load (or was cut short) lists no tests: that says nothing about which tests exist, so
    // it must not make its test-level entries look gone.
    const knowsTitles = !result.testExecError && result.testResults.length > 0;
    const titles = this.titles.get(file) ?? [];
    if (knowsTitles) this.titles.set(file, titles);
    for (const assertion of result.testResults) {
      const titlePath = [...assertion.ancestorTitles, assertion.title];
      titles.push(titlePath);
      if (assertion.status === 'passed' && (assertion.invocations ?? 1) > 1 && project !== null && this.options.failOnFlaky.includes(project)) {
        this.flakyFailing.push(`${inline([file, ...titlePath].join(' > '))} passed only on attempt ${assertion.invocations}`);
      }
      if (project === 'stable' && (assertion.status === 'pending' || assertion.status === 'skipped')) {
        const entry = this.entryFor(file, titlePath);
        if (entry) this.skipped.push(`${inline([file, ...titlePath].join(' > '))} — ${describeEntry(entry)}`);
      }
    }
  }

  onRunComplete(_contexts: unknown, _aggregated: AggregatedResult): void {
    const gone = danglingEntries(
      { schemaVersion: 1, entries: this.quarantine.entries.filter((e) => e.titles) },
      { fileExists: () => true, titlesOf: (file) => this.titles.get(file) },
    ).map(describeDangling);
    const lines = [
      ...limit(this.skipped.map((line) => `  skipped (quarantined): ${line}`)),
      ...limit([...this.missingFiles, ...gone].map((line) => `  ! ${line}`)),
      ...limit(this.options.expired.map((line) => `  ✕ ${line}`)),
      ...limit(this.flakyFailing.map((line) => `  ✕ failOnFlaky: ${line}`)),
    ];
    if (lines.length > 0) printAfterJestSummary(`flakeguard quarantine:\n${lines.join('\n')}\n`);
    const reasons = [
      this.options.expired.length > 0 ? `${this.options.expired.length} expired quarantine entr${this.options.expired.length === 1 ? 'y' : 'ies'}` : '',
      this.flakyFailing.length > 0 ? `${this.flakyFailing.length} flaky test(s) with failOnFlaky` : '',
    ].filter(Boolean);
    if (reasons.length > 0) this.error = new Error(`jest-flakeguard: the run fails: ${reasons.join(', ')}`);
  }

  getLastError(): Error | undefined {
    return this.error;
  }

  private entryFor(file: string, titles: string[]): QuarantineEntry | undefined {
    return this.byFile.get(file)?.find((e) => !e.titles || (e.titles.length === titles.length && e.titles.every((t, i) => t === titles[i])));
  }
}

function describeEntry(entry: QuarantineEntry): string {
  const details = [entry.owner ? `owner ${inline(entry.owner)}` : '', entry.expires ? `until ${entry.expires}` : ''].filter(Boolean);
  return `${inline(entry.reason)}${details.length ? ` (${details.join(', ')})` : ''}`;
}

function limit(lines: string[]): string[] {
  return lines.length <= SHOWN ? lines : [...lines.slice(0, SHOWN), `  … and ${lines.length - SHOWN} more`];
}
