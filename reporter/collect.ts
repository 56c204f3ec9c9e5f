// Translates Jest's per-file results (and per-attempt test-case results) into core/runRecord's FileRecords.

import * as path from 'path';
import type { AssertionResult, TestCaseResult, TestResult } from '@jest/test-result';
import type { Finding } from '../core/findings';
import type { ManifestFinding, ManifestNotRun } from '../core/manifest';
import type { PlannedTest } from '../io/plannedTests';
import { selectTest, type Selection } from '../core/selection';
import type { FileRecord, FinalStatus, TestRecord } from '../core/runRecord';

/** Takes the first `count` messages of `titles` (attempts are reported in order), forgetting emptied entries. */
function claimAttempts(byTitles: Map<string, string[]>, titles: string, count: number): string[] | undefined {
  const messages = byTitles.get(titles);
  if (!messages) return undefined;
  if (messages.length <= count) {
    byTitles.delete(titles);
    return messages;
  }
  return messages.splice(0, count);
}

export function relativeFile(rootDir: string, file: string): string {
  const relative = path.relative(rootDir, file);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return (outside ? file : relative).split(path.sep).join('/');
}

function finalStatus(status: AssertionResult['status']): FinalStatus {
  if (status === 'passed' || status === 'failed' || status === 'todo') return status;
  return 'skipped'; // pending, skipped, disabled, focused (never final)
}

/** Shared by every test without failed attempts (most of them): one empty array, not 100,000. */
const NO_FAILURES: readonly string[] = Object.freeze([]);

const fileKey = (project: string | null, testPath: string): string => `${project ?? ''}\0${testPath}`;
const titlesKey = (titles: readonly string[]): string => JSON.stringify(titles);

const LINE_COLUMN = /^(\d+):(\d+)/;

/** Finds `<testPath>:line:column` (the first stack frame inside the test file) in failure messages. */
function findFrame(testPath: string, messages: readonly string[]): { line: number; column: number } | null {
  const needle = `${testPath}:`;
  for (const message of messages) {
    for (let at = message.indexOf(needle); at !== -1; at = message.indexOf(needle, at + 1)) {
      const match = LINE_COLUMN.exec(message.slice(at + needle.length, at + needle.length + 24));
      if (match) return { line: Number(match[1]), column: Number(match[2]) };
    }
  }
  return null;
}

/**
 * Everything the reporter learns during a run, kept in core shapes. Owns the per-attempt failure messages
 * (Jest reports each attempt through `onTestCaseResult`; the final result keeps only the last one unless
 * `logErrorsBeforeRetry` is on).
 */
export class RunCollector {
  readonly files: FileRecord[] = [];
  readonly findings: ManifestFinding[] = [];
  private readonly reported = new Set<string>();
  private readonly started = new Map<string, ManifestNotRun>();
  /**
   * Test path → title path → failure message of each failed attempt not yet claimed by a file's result. Keyed by
   * path alone: when projects share a runner, Jest gives per-attempt events the first project's context, so an
   * attempt's project is unknowable. A file's result claims as many messages as its tests' failed attempts, and
   * leaves the rest to the same file in another project.
   */
  private readonly failedAttempts = new Map<string, Map<string, string[]>>();

  constructor(
    private readonly rootDir: string,
    /** The `include` part of a flakeguard selection (rerun): tests it leaves out are not part of this run. */
    private readonly selection: Selection | null,
  ) {}

  fileStarted(project: string | null, testPath: string): void {
    this.started.set(fileKey(project, testPath), { project, file: relativeFile(this.rootDir, testPath) });
  }

  attemptFinished(testPath: string, result: TestCaseResult): void {
    if (result.status !== 'failed') return;
    let byTitles = this.failedAttempts.get(testPath);
    if (!byTitles) this.failedAttempts.set(testPath, (byTitles = new Map()));
    const key = titlesKey([...result.ancestorTitles, result.title]);
    const messages = byTitles.get(key);
    if (messages) messages.push(result.failureMessages.join('\n\n'));
    else byTitles.set(key, [result.failureMessages.join('\n\n')]);
  }

  /** `project` comes from the Test: a file that failed to load has no displayName in its result. */
  fileFinished(project: string | null, result: TestResult, findings: readonly Finding[]): void {
    const testPath = result.testFilePath;
    this.reported.add(fileKey(project, testPath));
    const file = relativeFile(this.rootDir, testPath);
    const tests: TestRecord[] = [];
    let unselected: string[][] | undefined;
    let failedTests = 0;
    const attemptsOf = this.failedAttempts.get(testPath);
    for (const assertion of result.testResults) {
      const titles = [...assertion.ancestorTitles, assertion.title];
      const status = finalStatus(assertion.status);
      if ((status === 'skipped' || status === 'todo') && this.notSelected(testPath, titles)) {
        // The history leaves todo tests out anyway.
        if (status === 'skipped') (unselected ??= []).push(titles);
        continue;
      }
      if (status === 'failed') failedTests++;
      // Only a test that ran more than once (or failed) can have failed attempts: skip the lookup for the rest.
      const invocations = assertion.invocations ?? 1;
      const retried = status === 'failed' || invocations > 1;
      const attempts = retried && attemptsOf ? claimAttempts(attemptsOf, titlesKey(titles), status === 'failed' ? invocations : invocations - 1) : undefined;
      // The last attempt's failure is the final result's own; the ones before it are the retries'.
      let earlierFailures: readonly string[] = attempts ? (status === 'failed' ? attempts.slice(0, -1) : attempts) : NO_FAILURES;
      if (earlierFailures.length === 0 && assertion.retryReasons?.length) earlierFailures = assertion.retryReasons.slice();
      const failures = assertion.failureMessages;
      const where = findFrame(testPath, status === 'failed' ? failures : earlierFailures) ?? assertion.location ?? null;
      tests.push({
        titles,
        status,
        attempts: assertion.invocations ?? (status === 'passed' || status === 'failed' ? 1 : 0),
        durationMs: assertion.duration ?? null,
        failures,
        earlierFailures,
        line: where?.line ?? null,
        column: where?.column ?? null,
      });
    }
    // A file that did not run, or failed outside its tests (a throwing afterAll), is a file error.
    let error: string | null = null;
    if (result.testExecError) error = result.testExecError.message || result.failureMessage || 'the test file failed to run';
    else if (result.failureMessage && failedTests === 0) error = result.failureMessage;
    const duration = result.perfStats ? result.perfStats.end - result.perfStats.start : null;
    if (attemptsOf?.size === 0) this.failedAttempts.delete(testPath);
    const record: FileRecord = { project, file, durationMs: duration && duration > 0 ? duration : null, tests, error };
    if (unselected) record.unselected = unselected;
    this.files.push(record);
    for (const finding of findings) {
      this.findings.push({
        check: finding.check,
        project: finding.project,
        file: relativeFile(this.rootDir, finding.file),
        titles: finding.titles,
        message: finding.message,
        at: finding.at,
        ...(finding.tests && finding.tests > 1 ? { tests: finding.tests } : {}),
        ...(finding.reached ? { reached: finding.reached } : {}),
      });
    }
  }

  /**
   * Files that were planned (or started) and never reported. `planned` comes from the flakeguard runner; without
   * it only files that started and never finished can be named.
   */
  notRun(planned: readonly PlannedTest[] | undefined): ManifestNotRun[] {
    const missing = new Map<string, ManifestNotRun>();
    for (const test of planned ?? []) {
      const key = fileKey(test.project, test.path);
      if (!this.reported.has(key)) missing.set(key, { project: test.project, file: relativeFile(this.rootDir, test.path) });
    }
    for (const [key, entry] of this.started) if (!this.reported.has(key)) missing.set(key, entry);
    return [...missing.values()];
  }

  get reportedFiles(): number {
    return this.reported.size;
  }

  private notSelected(testPath: string, titles: readonly string[]): boolean {
    if (!this.selection?.include) return false;
    return !selectTest({ schemaVersion: 1, include: this.selection.include }, testPath, titles).run;
  }
}
