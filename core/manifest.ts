// The rerun manifest (`last-run.json`, schemaVersion 1): its shape, validation, codec and shard merging; reading and
// writing the file is io/manifestFile's.
//
// The format is public: `flakeguard rerun`, `flakeguard merge` and CI scripts read it. This module owns its
// shape; everything else builds a `Manifest` value and hands it here (or to io/manifestFile).

import { InvalidInvocation, validateInvocation, type Invocation } from './invocation';
import { parseJson, ReadProblem } from './boundedParse';
import { FlakeguardError } from './errors';

export const MANIFEST_SCHEMA_VERSION = 1;
export const MANIFEST_TOOL = 'jest-flakeguard';
/** Where the manifest goes: core/outputPaths (re-exported for its readers). */
export { DEFAULT_OUTPUT_DIR, MANIFEST_FILE_NAME } from './outputPaths';

export type RunStatus = 'passed' | 'failed' | 'interrupted';

export interface ManifestCounts {
  /** Passed on the first attempt. */
  passed: number;
  failed: number;
  /** Passed after at least one failed attempt. */
  flaky: number;
  skipped: number;
  todo: number;
  fileErrors: number;
  notRun: number;
}

/** A failed or flaky test. `file` is relative to rootDir with `/`; `titles` is describe titles, then the test's. */
export interface ManifestTest {
  project: string | null;
  file: string;
  titles: string[];
  attempts: number;
  /** Failed: the last failure's first line. Flaky: the first failure's first line. */
  message: string;
}

/** A file that failed to run (syntax error, failing hook outside tests, no tests …). */
export interface ManifestFileError {
  project: string | null;
  file: string;
  message: string;
}

/** A file the run never reached (`--bail`, Ctrl-C). */
export interface ManifestNotRun {
  project: string | null;
  file: string;
}

export interface ManifestFinding {
  /** A check name of the environment (core/findings' CHECK_NAMES); kept open so newer checks still read. */
  check: string;
  project: string | null;
  file: string;
  titles: string[];
  message: string;
  /** `file:line:column` where the leaked thing was created, when known. */
  at: string | null;
  /** How many tests of the file left the same thing at the same line (absent: one). */
  tests?: number;
  /** The first later test the leak reached (absent for what outlived the file, and in older manifests). */
  reached?: string[];
}

export interface Manifest {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  tool: typeof MANIFEST_TOOL;
  status: RunStatus;
  startedAt: string;
  finishedAt: string;
  jestVersion: string;
  /** `i/n` for `jest --shard=i/n`, null otherwise (and after a merge). */
  shard: string | null;
  /** Jest's seed; null after merging runs with different seeds. */
  seed: number | null;
  counts: ManifestCounts;
  failed: ManifestTest[];
  flaky: ManifestTest[];
  fileErrors: ManifestFileError[];
  notRun: ManifestNotRun[];
  findings: ManifestFinding[];
  /** How Jest was invoked (core/invocation), so a rerun repeats it; absent in older manifests and from runCLI. */
  invocation?: Invocation;
}

export const COUNT_KEYS = ['passed', 'failed', 'flaky', 'skipped', 'todo', 'fileErrors', 'notRun'] as const satisfies ReadonlyArray<keyof ManifestCounts>;

export function emptyCounts(): ManifestCounts {
  return { passed: 0, failed: 0, flaky: 0, skipped: 0, todo: 0, fileErrors: 0, notRun: 0 };
}

const STATUS_RANK: Record<RunStatus, number> = { passed: 0, failed: 1, interrupted: 2 };

/** The worse of two run statuses: interrupted over failed over passed. */
export function worstStatus(a: RunStatus, b: RunStatus): RunStatus {
  return STATUS_RANK[a] >= STATUS_RANK[b] ? a : b;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation: every problem is a FlakeguardError naming the file and the first thing wrong.

class Invalid extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function expectString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Invalid(`${where} must be a string`);
  return value;
}

function expectNullableString(value: unknown, where: string): string | null {
  if (value !== null && typeof value !== 'string') throw new Invalid(`${where} must be a string or null`);
  return value;
}

function expectCount(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Invalid(`${where} must be a whole number ≥ 0`);
  return value;
}

function expectTitles(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((title) => typeof title === 'string')) {
    throw new Invalid(`${where} must be a non-empty array of strings`);
  }
  return value as string[];
}

function expectList<T>(value: unknown, where: string, item: (entry: Record<string, unknown>, where: string) => T): T[] {
  if (!Array.isArray(value)) throw new Invalid(`${where} must be an array`);
  return value.map((entry, index) => {
    const at = `${where}[${index}]`;
    if (!isObject(entry)) throw new Invalid(`${at} must be an object`);
    return item(entry, at);
  });
}

/** `i/n` of `jest --shard=i/n`, or null. */
function expectShard(value: unknown): string | null {
  const shard = expectNullableString(value, 'shard');
  if (shard !== null && !/^\d+\/\d+$/.test(shard)) throw new Invalid('shard must be "i/n" or null');
  return shard;
}

/**
 * A test file as the reporter writes it: non-empty, no NUL byte (no path has one). Whether it lies inside rootDir
 * is for the rerun to judge against Jest's rootDir (core/rerunPlan): the manifest does not know it.
 */
function expectFile(value: unknown, where: string): string {
  const file = expectString(value, where);
  if (file === '' || file.includes('\0')) throw new Invalid(`${where} must be a non-empty path`);
  return file;
}

/** A displayName or null; never empty, never a NUL byte. Whether Jest has such a project is the rerun's to check. */
function expectProject(value: unknown, where: string): string | null {
  const project = expectNullableString(value, where);
  if (project !== null && (project === '' || project.includes('\0'))) throw new Invalid(`${where} must be a non-empty name or null`);
  return project;
}

const testEntry = (entry: Record<string, unknown>, at: string): ManifestTest => ({
  project: expectProject(entry.project, `${at}.project`),
  file: expectFile(entry.file, `${at}.file`),
  titles: expectTitles(entry.titles, `${at}.titles`),
  attempts: expectCount(entry.attempts, `${at}.attempts`),
  message: expectString(entry.message, `${at}.message`),
});

const fileErrorEntry = (entry: Record<string, unknown>, at: string): ManifestFileError => ({
  project: expectProject(entry.project, `${at}.project`),
  file: expectFile(entry.file, `${at}.file`),
  message: expectString(entry.message, `${at}.message`),
});

const notRunEntry = (entry: Record<string, unknown>, at: string): ManifestNotRun => ({
  project: expectProject(entry.project, `${at}.project`),
  file: expectFile(entry.file, `${at}.file`),
});

const findingEntry = (entry: Record<string, unknown>, at: string): ManifestFinding => {
  const finding: ManifestFinding = {
    check: expectString(entry.check, `${at}.check`),
    project: expectNullableString(entry.project, `${at}.project`),
    file: expectString(entry.file, `${at}.file`),
    titles: expectTitles(entry.titles, `${at}.titles`),
    message: expectString(entry.message, `${at}.message`),
    at: expectNullableString(entry.at, `${at}.at`),
  };
  if (entry.tests !== undefined) finding.tests = expectCount(entry.tests, `${at}.tests`);
  if (entry.reached !== undefined) finding.reached = expectTitles(entry.reached, `${at}.reached`);
  return finding;
};

/** Checks that `data` (parsed JSON read from `file`) is a schemaVersion 1 manifest; returns it typed. */
export function validateManifest(data: unknown, file: string): Manifest {
  if (!isObject(data)) throw new FlakeguardError('BAD_MANIFEST', 'not a jest-flakeguard manifest (the JSON is not an object)', file);
  if (data.tool !== MANIFEST_TOOL) {
    const tool = typeof data.tool === 'string' ? `its tool is "${data.tool}"` : 'it has no "tool": "jest-flakeguard"';
    throw new FlakeguardError('BAD_MANIFEST', `not a jest-flakeguard manifest (${tool})`, file);
  }
  if (data.schemaVersion !== MANIFEST_SCHEMA_VERSION) {
    throw new FlakeguardError(
      'BAD_MANIFEST',
      `schemaVersion ${JSON.stringify(data.schemaVersion)} is not supported (this jest-flakeguard reads ${MANIFEST_SCHEMA_VERSION}); run Jest again with this version to write a new one`,
      file,
    );
  }
  try {
    if (data.status !== 'passed' && data.status !== 'failed' && data.status !== 'interrupted') {
      throw new Invalid('status must be "passed", "failed" or "interrupted"');
    }
    if (!isObject(data.counts)) throw new Invalid('counts must be an object');
    const rawCounts = data.counts;
    const counts = emptyCounts();
    for (const key of COUNT_KEYS) counts[key] = expectCount(rawCounts[key], `counts.${key}`);
    if (data.seed !== null && (typeof data.seed !== 'number' || !Number.isInteger(data.seed))) throw new Invalid('seed must be an integer or null');
    return {
      schemaVersion: MANIFEST_SCHEMA_VERSION,
      tool: MANIFEST_TOOL,
      status: data.status,
      startedAt: expectString(data.startedAt, 'startedAt'),
      finishedAt: expectString(data.finishedAt, 'finishedAt'),
      jestVersion: expectString(data.jestVersion, 'jestVersion'),
      shard: expectShard(data.shard),
      seed: data.seed as number | null,
      counts,
      failed: expectList(data.failed, 'failed', testEntry),
      flaky: expectList(data.flaky, 'flaky', testEntry),
      fileErrors: expectList(data.fileErrors, 'fileErrors', fileErrorEntry),
      notRun: expectList(data.notRun, 'notRun', notRunEntry),
      findings: expectList(data.findings, 'findings', findingEntry),
      ...(data.invocation === undefined ? {} : { invocation: validateInvocation(data.invocation) }),
    };
  } catch (error) {
    if (error instanceof Invalid || error instanceof InvalidInvocation) throw new FlakeguardError('BAD_MANIFEST', `invalid manifest: ${error.message}`, file);
    throw error;
  }
}

/** A manifest from the bytes of `file` (already read, within the cap). */
export function parseManifest(data: Buffer, file: string): Manifest {
  let parsed: unknown;
  try {
    parsed = parseJson(data.toString('utf8'));
  } catch (error) {
    if (error instanceof ReadProblem) throw new FlakeguardError('BAD_MANIFEST', error.message, file);
    throw error;
  }
  return validateManifest(parsed, file);
}

export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Merging the manifests of `jest --shard=i/n` jobs.

/** The identity of a test across manifests: project, file and exact title path (never fullName). */
export function testKey(entry: { project: string | null; file: string; titles?: readonly string[] }): string {
  return JSON.stringify([entry.project, entry.file, entry.titles ?? null]);
}

function unite<T>(lists: ReadonlyArray<readonly T[]>, key: (entry: T) => string): T[] {
  const seen = new Set<string>();
  const united: T[] = [];
  for (const list of lists) {
    for (const entry of list) {
      const id = key(entry);
      if (!seen.has(id)) {
        seen.add(id);
        united.push(entry);
      }
    }
  }
  return united;
}

/**
 * One manifest for several runs (the shards of one CI run): counts added, lists united (an entry present in
 * two inputs appears once, and counts of listed kinds follow the lists), status the worst, startedAt the earliest, finishedAt the latest, shard null.
 */
export function mergeManifests(manifests: readonly Manifest[]): Manifest {
  if (manifests.length === 0) throw new FlakeguardError('USAGE', 'nothing to merge: name at least one manifest');
  const counts = emptyCounts();
  for (const manifest of manifests) for (const key of COUNT_KEYS) counts[key] += manifest.counts[key];
  const first = manifests[0]!;
  const failed = unite(
    manifests.map((m) => m.failed),
    testKey,
  );
  const flaky = unite(
    manifests.map((m) => m.flaky),
    testKey,
  );
  const fileErrors = unite(
    manifests.map((m) => m.fileErrors),
    testKey,
  );
  const notRun = unite(
    manifests.map((m) => m.notRun),
    testKey,
  );
  const findings = unite(
    manifests.map((m) => m.findings),
    (f) => JSON.stringify([f.check, f.project, f.file, f.titles, f.message, f.at]),
  );
  // Failed, flaky, file errors and not-run files are listed in full: after de-duplication their counts are the
  // lists' lengths (merging a shard twice does not double them). passed/skipped/todo can only be added.
  counts.failed = failed.length;
  counts.flaky = flaky.length;
  counts.fileErrors = fileErrors.length;
  counts.notRun = notRun.length;
  const seeds = new Set(manifests.map((m) => m.seed));
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    tool: MANIFEST_TOOL,
    status: manifests.reduce<RunStatus>((status, m) => worstStatus(status, m.status), 'passed'),
    startedAt: manifests.reduce((earliest, m) => (m.startedAt < earliest ? m.startedAt : earliest), first.startedAt),
    finishedAt: manifests.reduce((latest, m) => (m.finishedAt > latest ? m.finishedAt : latest), first.finishedAt),
    jestVersion: first.jestVersion,
    shard: null,
    seed: seeds.size === 1 ? first.seed : null,
    counts,
    failed,
    flaky,
    fileErrors,
    notRun,
    findings,
    // Shards of one run were started alike (the shard is not recorded): their invocation is the merged run's.
    ...(sameInvocation(manifests) ? { invocation: first.invocation } : {}),
  };
}

function sameInvocation(manifests: readonly Manifest[]): boolean {
  const first = manifests[0]?.invocation;
  return first !== undefined && manifests.every((m) => m.invocation !== undefined && JSON.stringify(m.invocation) === JSON.stringify(first));
}
