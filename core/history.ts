// Owns the format of the flake history under `.flakeguard/history/`: the last N runs' outcomes per test, compact and
// mergeable (reading, writing and recording under a lock is io/historyFile's).
//
// Format (`history.json.gz`, gzipped JSON, schemaVersion 1): an interned test table and, per run, ONE string with
// one character per test of the table ('P' passed first try, 'K' flaky — passed after a retry, 'F' failed,
// 'S' skipped, '.' not in that run; trailing '.' omitted). 10,000 tests × 200 runs is 2 MB of characters that
// gzip to a few kilobytes when a suite is mostly green, and parse in milliseconds.

import * as path from 'path';
import * as zlib from 'zlib';
import { gunzipCapped, isGzip, parseJson, ReadProblem } from './boundedParse';
import { FlakeguardError } from './errors';
import { baseProject } from './quarantine';
import { DEFAULT_OUTPUT_DIR, HISTORY_DIR_NAME } from './outputPaths';

/** The default history folder, relative to rootDir (core/outputPaths). */
export const HISTORY_DIR = `${DEFAULT_OUTPUT_DIR}/${HISTORY_DIR_NAME}`;
export const HISTORY_FILE = 'history.json.gz';
export const DEFAULT_HISTORY_LIMIT = 200;

export type Outcome = 'passed' | 'failed' | 'flaky' | 'skipped';

/** One run's outcomes, as the reporter hands them over. */
export interface RunOutcomes {
  /** Unique per run (e.g. a UUID, or CI job id + attempt); merging deduplicates on it. */
  runId: string;
  /** ISO time; merged histories are ordered by it. */
  startedAt: string;
  tests: Array<{
    /** displayName or null; `stable`/`flaky` halves are recorded as one project (see `baseProject`). */
    project: string | null;
    /** rootDir-relative, `/` separators. */
    file: string;
    titles: string[];
    outcome: Outcome;
  }>;
}

export interface HistoryTest {
  project: string | null;
  file: string;
  titles: string[];
  /**
   * The second, third … test of one file and project with this very title path (a loop, an `it.each` whose title
   * names no parameter): 2, 3 …; absent for the first. Two such tests are two histories, never one.
   */
  occurrence?: number;
}

export interface HistoryRun {
  id: string;
  startedAt: string;
  /** Character i is the outcome of `tests[i]`: see OUTCOME_CODE; shorter strings mean '.' for the rest. */
  outcomes: string;
}

export interface History {
  schemaVersion: 1;
  tests: HistoryTest[];
  /** Oldest first. */
  runs: HistoryRun[];
}

export const OUTCOME_CODE: Record<Outcome, string> = { passed: 'P', failed: 'F', flaky: 'K', skipped: 'S' };
export const NOT_RUN = '.';
/** When one run reports a test twice (both halves of a split project), the worst outcome stands. */
const SEVERITY: Record<string, number> = { '.': 0, S: 1, P: 2, K: 3, F: 4 };

export function emptyHistory(): History {
  return { schemaVersion: 1, tests: [], runs: [] };
}

const testKey = (project: string | null, file: string, titles: readonly string[], occurrence: number): string => JSON.stringify([project, file, titles, occurrence]);

/** Builds a test table, reusing indexes of tests already in it. */
class TestTable {
  readonly tests: HistoryTest[] = [];
  private readonly index = new Map<string, number>();

  indexOf(project: string | null, file: string, titles: string[], occurrence = 1): number {
    const key = testKey(project, file, titles, occurrence);
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.tests.length;
      this.tests.push(occurrence > 1 ? { project, file, titles, occurrence } : { project, file, titles });
      this.index.set(key, i);
    }
    return i;
  }
}

/**
 * Appends one run, keeps the last `limit` runs, and drops tests no kept run mentions. A run id already in the
 * history is the same run seen again (another shard of one CI run, a second project's reporter): its tests are
 * added to that run, the worst outcome standing where both name a test.
 */
export function appendRun(history: History, run: RunOutcomes, limit = DEFAULT_HISTORY_LIMIT): History {
  const table = new TestTable();
  const codes: string[] = [];
  // Counted per reported project: the `stable` and `flaky` halves' first test of a title path is one test (the
  // worst outcome stands), while a second test of that title path in one file and project is another.
  const seen = new Map<string, number>();
  for (const test of run.tests) {
    const same = JSON.stringify([test.project, test.file, test.titles]);
    const occurrence = (seen.get(same) ?? 0) + 1;
    seen.set(same, occurrence);
    const i = table.indexOf(baseProject(test.project), test.file, test.titles, occurrence);
    const code = OUTCOME_CODE[test.outcome];
    if (code === undefined) throw new FlakeguardError('BAD_HISTORY', `unknown outcome "${String(test.outcome)}" for ${test.file}`);
    codes[i] = worst(codes[i], code);
  }
  const latest: History = {
    schemaVersion: 1,
    tests: table.tests,
    runs: [{ id: run.runId, startedAt: run.startedAt, outcomes: codes.join('') }],
  };
  return mergeHistories([history, latest], limit);
}

/**
 * Several histories (e.g. CI artifacts) as one, ordered by time, the last `limit` runs kept. Runs are
 * deduplicated by id: the same run found in two histories is one run, its outcomes united (worst wins), so a
 * run copied into every shard's history counts once and the shards of one CI run (one id) make one run.
 */
export function mergeHistories(histories: readonly History[], limit = DEFAULT_HISTORY_LIMIT): History {
  const table = new TestTable();
  const byId = new Map<string, { id: string; startedAt: string; outcomes: string; codes: string[] | null }>();
  for (const history of histories) {
    const remap = history.tests.map((t) => table.indexOf(t.project, t.file, t.titles, t.occurrence));
    // The first history keeps its numbering (unless it repeats a test): its strings are reused as they are.
    const identity = remap.every((to, from) => to === from);
    for (const run of history.runs) {
      let merged = byId.get(run.id);
      if (!merged && identity) {
        byId.set(run.id, { id: run.id, startedAt: run.startedAt, outcomes: run.outcomes, codes: null });
        continue;
      }
      if (!merged) {
        merged = { id: run.id, startedAt: run.startedAt, outcomes: '', codes: [] };
        byId.set(run.id, merged);
      } else if (merged.codes === null) {
        merged.codes = [...merged.outcomes];
      }
      if (run.startedAt < merged.startedAt) merged.startedAt = run.startedAt;
      const codes = merged.codes!;
      for (let i = 0; i < run.outcomes.length; i++) {
        const code = run.outcomes[i]!;
        if (code !== NOT_RUN) codes[remap[i]!] = worst(codes[remap[i]!], code);
      }
    }
  }
  const runs: HistoryRun[] = [...byId.values()].map(({ id, startedAt, outcomes, codes }) => ({
    id,
    startedAt,
    outcomes: codes === null ? outcomes : Array.from({ length: codes.length }, (_, i) => codes[i] ?? NOT_RUN).join(''),
  }));
  runs.sort(byTime);
  return compact({ schemaVersion: 1, tests: table.tests, runs: runs.slice(Math.max(0, runs.length - limit)) });
}

function worst(a: string | undefined, b: string): string {
  return a === undefined || SEVERITY[b]! > SEVERITY[a]! ? b : a;
}

/**
 * A run id for the reporter: on GitHub Actions the workflow run and attempt, so the shards of one CI run merge
 * into one run; elsewhere unique per process and time.
 */
export function defaultRunId(startedAt: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.GITHUB_RUN_ID) return `gh-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
  return `${startedAt}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * A run's outcomes from the reporter's per-file records (`core/runRecord` FileRecord shape): a test that passed
 * after retries is flaky; todo tests never run and are left out; files that failed to load have no tests here.
 */
export function runOutcomesFromFiles(
  runId: string,
  startedAt: string,
  files: ReadonlyArray<{
    project: string | null;
    file: string;
    tests: ReadonlyArray<{ titles: string[]; status: 'passed' | 'failed' | 'skipped' | 'todo'; attempts: number }>;
  }>,
): RunOutcomes {
  const tests: RunOutcomes['tests'] = [];
  for (const file of files) {
    for (const test of file.tests) {
      if (test.status === 'todo') continue;
      const outcome: Outcome = test.status === 'passed' && test.attempts > 1 ? 'flaky' : test.status;
      tests.push({ project: file.project, file: file.file, titles: test.titles, outcome });
    }
  }
  return { runId, startedAt, tests };
}

function byTime(a: HistoryRun, b: HistoryRun): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Drops tests no kept run mentions, renumbering the outcome strings; trailing '.' trimmed. */
function compact(history: History): History {
  const used = new Uint8Array(history.tests.length);
  for (const run of history.runs) {
    for (let i = 0; i < run.outcomes.length; i++) if (run.outcomes.charCodeAt(i) !== 46) used[i] = 1;
  }
  if (used.every((u) => u === 1)) return { ...history, runs: history.runs.map((r) => ({ ...r, outcomes: trimEnd(r.outcomes) })) };
  const remap = new Int32Array(history.tests.length).fill(-1);
  const tests: HistoryTest[] = [];
  history.tests.forEach((test, i) => {
    if (used[i]) remap[i] = tests.push(test) - 1;
  });
  const runs = history.runs.map((run) => {
    const codes: string[] = [];
    for (let i = 0; i < run.outcomes.length; i++) {
      if (remap[i]! >= 0) codes[remap[i]!] = run.outcomes[i]!;
    }
    return { ...run, outcomes: trimEnd(Array.from({ length: codes.length }, (_, i) => codes[i] ?? NOT_RUN).join('')) };
  });
  return { schemaVersion: 1, tests, runs };
}

function trimEnd(outcomes: string): string {
  let end = outcomes.length;
  while (end > 0 && outcomes.charCodeAt(end - 1) === 46) end--;
  return end === outcomes.length ? outcomes : outcomes.slice(0, end);
}

// ---- validation and files -----------------------------------------------------------------------------------

/** Checks a parsed history; anything wrong is a FlakeguardError naming `file` and the problem. */
export function validateHistory(value: unknown, file: string): History {
  const fail = (problem: string): never => {
    throw new FlakeguardError('BAD_HISTORY', `${problem} (not a jest-flakeguard history; delete it to start over)`, file);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('not a JSON object');
  const v = value as Record<string, unknown>;
  if (v.schemaVersion !== 1) return fail(`schemaVersion must be 1, found ${JSON.stringify(v.schemaVersion)}`);
  if (!Array.isArray(v.tests) || !Array.isArray(v.runs)) return fail('"tests" and "runs" must be arrays');
  const tests: HistoryTest[] = v.tests.map((raw: unknown, i: number) => {
    if (!Array.isArray(raw) || (raw.length !== 3 && raw.length !== 4)) return fail(`tests[${i}] must be [project, file, titles] or [project, file, titles, occurrence]`);
    const [project, file, titles, occurrence] = raw as unknown[];
    if ((project !== null && typeof project !== 'string') || typeof file !== 'string' || !Array.isArray(titles) || !titles.every((t) => typeof t === 'string')) {
      return fail(`tests[${i}] must be [project, file, titles]`);
    }
    if (raw.length === 4 && !(typeof occurrence === 'number' && Number.isInteger(occurrence) && occurrence >= 2))
      return fail(`tests[${i}]'s occurrence must be a whole number ≥ 2`);
    const test: HistoryTest = { project: project as string | null, file, titles: titles as string[] };
    if (raw.length === 4) test.occurrence = occurrence as number;
    return test;
  });
  const runs: HistoryRun[] = v.runs.map((raw: unknown, i: number) => {
    const r = raw as Record<string, unknown>;
    if (!r || typeof r.id !== 'string' || typeof r.startedAt !== 'string' || typeof r.outcomes !== 'string') {
      return fail(`runs[${i}] must have string id, startedAt and outcomes`);
    }
    if (r.outcomes.length > tests.length || !/^[PFKS.]*$/.test(r.outcomes)) return fail(`runs[${i}].outcomes is not a valid outcome string`);
    return { id: r.id, startedAt: r.startedAt, outcomes: r.outcomes };
  });
  return { schemaVersion: 1, tests, runs };
}

/** The history file of a directory; a path ending in `.json` or `.gz` is taken as the file itself. */
export function historyFile(dirOrFile: string): string {
  return /\.(json|gz)$/.test(dirOrFile) ? dirOrFile : path.join(dirOrFile, HISTORY_FILE);
}

export function serializeHistory(history: History): Buffer {
  const json = JSON.stringify({
    schemaVersion: 1,
    tool: 'jest-flakeguard',
    tests: history.tests.map((t) => (t.occurrence ? [t.project, t.file, t.titles, t.occurrence] : [t.project, t.file, t.titles])),
    runs: history.runs,
  });
  return zlib.gzipSync(json);
}

/** A history from its bytes (gzipped or plain JSON); inflating stops at the cap, so a gzip bomb is one line. */
export function parseHistory(data: Buffer, file: string): History {
  let parsed: unknown;
  try {
    parsed = parseJson((isGzip(data) ? gunzipCapped(data) : data).toString('utf8'));
  } catch (error) {
    if (error instanceof ReadProblem) throw new FlakeguardError('BAD_HISTORY', `${error.message}; delete it to start over`, file);
    throw error;
  }
  return validateHistory(parsed, file);
}

/**
 * For each file, the title paths of the newest run that reported any test of it (skipped ones included, so a
 * file's whole tree is there). What the history knows of which tests still exist.
 */
export function latestTitlesByFile(history: History): Map<string, string[][]> {
  const latest = new Map<string, number>();
  history.runs.forEach((run, r) => {
    for (let i = 0; i < run.outcomes.length; i++) if (run.outcomes.charCodeAt(i) !== 46) latest.set(history.tests[i]!.file, r);
  });
  const titles = new Map<string, string[][]>();
  for (const [file] of latest) titles.set(file, []);
  history.tests.forEach((test, i) => {
    const r = latest.get(test.file)!;
    const code = history.runs[r]!.outcomes[i];
    if (code !== undefined && code !== NOT_RUN) titles.get(test.file)!.push(test.titles);
  });
  return titles;
}
