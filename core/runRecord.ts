// One run's results in flakeguard's own shapes (no Jest types), how a test's outcome is classified, and the
// manifest, JUnit report and CI output are all functions of this record.

import type { Invocation } from './invocation';
import type { NotFoundReason } from './rerunPlan';
import { stripAnsi } from './safeText';
import { emptyCounts, MANIFEST_SCHEMA_VERSION, MANIFEST_TOOL, type Manifest, type ManifestFinding, type ManifestNotRun, type RunStatus } from './manifest';

/** How Jest reported a test in the end; `skipped` covers Jest's pending/skipped/disabled. */
export type FinalStatus = 'passed' | 'failed' | 'skipped' | 'todo';

export interface TestRecord {
  /** Describe titles, then the test's own title. */
  titles: string[];
  status: FinalStatus;
  /** How many times the test ran (Jest's `invocations`); 1 without retries, 0 when it never ran. */
  attempts: number;
  durationMs: number | null;
  /** Failure messages of the last attempt (empty unless it failed). */
  failures: readonly string[];
  /** One message per failed attempt before the last (retries), oldest first; may be shorter than attempts − 1. */
  earlierFailures: readonly string[];
  /** Where the failure points in the test file, when known. */
  line: number | null;
  column: number | null;
}

export interface FileRecord {
  project: string | null;
  /** Relative to rootDir, `/` separators. */
  file: string;
  durationMs: number | null;
  tests: TestRecord[];
  /** Why the file failed to run (or failed outside its tests); null when it ran. */
  error: string | null;
  /**
   * Title paths a rerun's selection left out. Not part of this run's results (the manifest and JUnit ignore
   * them), but the flake history records them as skipped, so it still knows the file's whole test list.
   */
  unselected?: string[][];
}

export interface RunRecord {
  startedAt: string;
  finishedAt: string;
  jestVersion: string;
  shard: string | null;
  seed: number | null;
  /** Interrupted (Ctrl-C, watch change) rather than finished or bailed. */
  interrupted: boolean;
  /** Jest saw failures our records do not list (e.g. obsolete snapshots with --ci). */
  otherFailure: boolean;
  files: FileRecord[];
  notRun: ManifestNotRun[];
  findings: ManifestFinding[];
  /** What a rerun named and did not find (core/rerunPlan's targetsNotFound): failed, never forgotten. */
  notFound?: NotFoundRecord[];
  /** How Jest was invoked (core/invocation); null when it cannot be said. */
  invocation?: Invocation | null;
}

/** A test (titles) or a whole file (titles null) a rerun was asked for and did not find. */
export interface NotFoundRecord {
  project: string | null;
  /** Relative to rootDir, `/` separators (as the manifest spelled it). */
  file: string;
  titles: string[] | null;
  /** Why it was not found (core/rerunPlan). */
  why: NotFoundReason;
}

const REFRESH = 'run the full suite to refresh the manifest';
export const NOT_FOUND_MESSAGE = `not found in the rerun: renamed, removed or skipped? ${REFRESH}`;
export const FILE_GONE_MESSAGE = `not found in the rerun: the file is gone; ${REFRESH}`;
export const FILE_NOT_RUN_MESSAGE = `not found in the rerun: Jest did not run the file in this project (testMatch, testPathIgnorePatterns, roots, projects); ${REFRESH}`;
export const REFUSED_FILE_MESSAGE = `not found in the rerun: refused, the file is outside rootDir; ${REFRESH}`;
export const REFUSED_PROJECT_MESSAGE = `not found in the rerun: refused, no such project in the Jest config; ${REFRESH}`;

const NOT_FOUND_MESSAGES: Record<NotFoundReason, string> = {
  'test-missing': NOT_FOUND_MESSAGE,
  'file-gone': FILE_GONE_MESSAGE,
  'file-not-run': FILE_NOT_RUN_MESSAGE,
  'outside-root': REFUSED_FILE_MESSAGE,
  'unknown-project': REFUSED_PROJECT_MESSAGE,
};

export type Outcome = 'passed' | 'flaky' | 'failed' | 'skipped' | 'todo';

/** Flaky = passed after at least one failed attempt; every other status is taken as Jest reported it. */
export function classifyOutcome(test: Pick<TestRecord, 'status' | 'attempts'>): Outcome {
  if (test.status === 'passed') return test.attempts > 1 ? 'flaky' : 'passed';
  return test.status;
}

/** The first non-blank line of a message, without colour codes or surrounding spaces. */
export function firstLine(text: string | undefined | null): string {
  if (!text) return '';
  const clean = stripAnsi(text);
  for (const line of clean.split('\n')) {
    const trimmed = line.trim();
    if (trimmed) return trimmed;
  }
  return '';
}

/**
 * The files as the flake history should see them: tests a rerun's selection left out count as skipped, so the
 * history still knows the file's whole test list (the latest titles of a file decide what a prune keeps).
 */
export function filesForHistory(
  files: readonly FileRecord[],
): Array<Pick<FileRecord, 'project' | 'file'> & { tests: Array<Pick<TestRecord, 'titles' | 'status' | 'attempts'>> }> {
  return files.map((file) =>
    file.unselected ? { ...file, tests: [...file.tests, ...file.unselected.map((titles) => ({ titles, status: 'skipped' as const, attempts: 0 }))] } : file,
  );
}

export function runStatus(run: Pick<RunRecord, 'interrupted' | 'otherFailure'>, manifestCounts: Manifest['counts']): RunStatus {
  if (run.interrupted) return 'interrupted';
  const failed = manifestCounts.failed + manifestCounts.fileErrors + manifestCounts.notRun > 0 || run.otherFailure;
  return failed ? 'failed' : 'passed';
}

/** The manifest of a run: one pass over the records, keeping only what a rerun needs (failed, flaky, …). */
export function buildManifest(run: RunRecord): Manifest {
  const counts = emptyCounts();
  const manifest: Manifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    tool: MANIFEST_TOOL,
    status: 'passed',
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    jestVersion: run.jestVersion,
    shard: run.shard,
    seed: run.seed,
    counts,
    failed: [],
    flaky: [],
    fileErrors: [],
    notRun: run.notRun.slice(),
    findings: run.findings.slice(),
    ...(run.invocation ? { invocation: run.invocation } : {}),
  };
  for (const file of run.files) {
    if (file.error !== null) manifest.fileErrors.push({ project: file.project, file: file.file, message: firstLine(file.error) || 'the test file failed to run' });
    for (const test of file.tests) {
      const outcome = classifyOutcome(test);
      counts[outcome]++;
      if (outcome === 'failed') {
        const last = test.failures[test.failures.length - 1] ?? test.failures[0];
        manifest.failed.push({ project: file.project, file: file.file, titles: test.titles, attempts: Math.max(test.attempts, 1), message: firstLine(last) });
      } else if (outcome === 'flaky') {
        manifest.flaky.push({ project: file.project, file: file.file, titles: test.titles, attempts: test.attempts, message: firstLine(test.earlierFailures[0]) });
      }
    }
  }
  // A rerun's next rerun tries them again, until a full run writes a manifest without them.
  for (const missing of run.notFound ?? []) {
    const message = NOT_FOUND_MESSAGES[missing.why];
    if (missing.titles === null) manifest.fileErrors.push({ project: missing.project, file: missing.file, message });
    else {
      manifest.failed.push({ project: missing.project, file: missing.file, titles: missing.titles, attempts: 0, message });
      counts.failed++;
    }
  }
  counts.fileErrors = manifest.fileErrors.length;
  counts.notRun = manifest.notRun.length;
  manifest.status = runStatus(run, counts);
  return manifest;
}
