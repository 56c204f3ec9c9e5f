// Flake statistics over a history (core/history): per-test rates, the flakiest tests, and what to quarantine or release.
//
// Definitions (a test "ran" in a run when its outcome was passed, flaky or failed; skipped and absent do not count):
// - flakeRate   = flaky passes / runs ran (passed only after a retry)
// - failureRate = failures / runs ran (failed every attempt)
// - flips       = changes between pass (passed or flaky) and fail across consecutive runs the test ran in;
//   flipRate    = flips / (runs ran − 1), 0 below two runs
// - flakiness   = max(flakeRate, flipRate): a test retried into green and a test alternating red/green
//   without retries are both flaky; a test that always fails is broken, not flaky (flakiness 0).

import type { History, HistoryTest } from './history';

export interface TestStats extends HistoryTest {
  /** Runs in which the test ran (not skipped, not absent). */
  runs: number;
  passes: number;
  failures: number;
  flakyPasses: number;
  skipped: number;
  flips: number;
  flakeRate: number;
  failureRate: number;
  flipRate: number;
  flakiness: number;
  /** Ran outcomes since the last that was not 'passed first try', newest last: the green streak. */
  greenStreak: number;
  /** Time of the newest run the test ran in, null if it never ran. */
  lastRan: string | null;
}

/** Whether a test is quarantined now (by quarantine.json or `@flaky`). */
export type IsQuarantined = (test: HistoryTest) => boolean;

export interface StatsOptions {
  /** Only the newest `window` runs of the history count; default all. */
  window?: number;
}

/** Statistics of every test of `history` (same order as `history.tests`). */
export function computeStats(history: History, options: StatsOptions = {}): TestStats[] {
  const runs = options.window === undefined ? history.runs : history.runs.slice(Math.max(0, history.runs.length - options.window));
  const n = history.tests.length;
  const passes = new Int32Array(n);
  const failures = new Int32Array(n);
  const flaky = new Int32Array(n);
  const skipped = new Int32Array(n);
  const flips = new Int32Array(n);
  const streak = new Int32Array(n);
  /** 0: never ran, 1: last ran green, 2: last ran red. */
  const last = new Uint8Array(n);
  const lastRan: Array<string | null> = new Array<string | null>(n).fill(null);
  for (const run of runs) {
    const outcomes = run.outcomes;
    for (let i = 0; i < outcomes.length; i++) {
      const code = outcomes.charCodeAt(i);
      let state: number;
      if (code === 80 /* P */) {
        passes[i]!++;
        streak[i]!++;
        state = 1;
      } else if (code === 75 /* K */) {
        flaky[i]!++;
        streak[i] = 0;
        state = 1;
      } else if (code === 70 /* F */) {
        failures[i]!++;
        streak[i] = 0;
        state = 2;
      } else {
        if (code === 83 /* S */) skipped[i]!++;
        continue;
      }
      if (last[i] !== 0 && last[i] !== state) flips[i]!++;
      last[i] = state;
      lastRan[i] = run.startedAt;
    }
  }
  return history.tests.map((test, i) => {
    const ran = passes[i]! + failures[i]! + flaky[i]!;
    const flakeRate = ran ? flaky[i]! / ran : 0;
    const flipRate = ran > 1 ? flips[i]! / (ran - 1) : 0;
    // Fields spelled out: an object spread here is ten times slower over 10,000 tests.
    return {
      project: test.project,
      file: test.file,
      titles: test.titles,
      runs: ran,
      passes: passes[i]!,
      failures: failures[i]!,
      flakyPasses: flaky[i]!,
      skipped: skipped[i]!,
      flips: flips[i]!,
      flakeRate,
      failureRate: ran ? failures[i]! / ran : 0,
      flipRate,
      flakiness: Math.max(flakeRate, flipRate),
      greenStreak: streak[i]!,
      lastRan: lastRan[i]!,
    };
  });
}

/** The `n` flakiest tests with any flakiness: flakiness, then flaky passes, then failures, then name. */
export function topFlakiest(stats: readonly TestStats[], n: number): TestStats[] {
  return stats
    .filter((s) => s.flakiness > 0)
    .sort(byFlakiness)
    .slice(0, n);
}

export interface CandidateOptions {
  /** Newest runs considered for quarantine candidates; default 50. */
  window?: number;
  /** Flakiness over the window at or above which a test should be quarantined; default 0.1. */
  threshold?: number;
  /** Runs a test must have run in within the window to be judged; default 5. */
  minRuns?: number;
  /** Consecutive green-first-try runs (newest) that release a quarantined test; default 20. */
  releaseAfter?: number;
}

export const DEFAULT_CANDIDATE_OPTIONS: Required<CandidateOptions> = { window: 50, threshold: 0.1, minRuns: 5, releaseAfter: 20 };

/** Tests not quarantined whose flakiness over the newest `window` runs is at or above `threshold`, flakiest first. */
export function quarantineCandidates(history: History, isQuarantined: IsQuarantined, options: CandidateOptions = {}): TestStats[] {
  const { window, threshold, minRuns } = { ...DEFAULT_CANDIDATE_OPTIONS, ...options };
  return computeStats(history, { window })
    .filter((s) => s.runs >= minRuns && s.flakiness >= threshold && !isQuarantined(s))
    .sort(byFlakiness);
}

/** Quarantined tests whose newest `releaseAfter` runs all passed on the first try. */
export function releaseCandidates(stats: readonly TestStats[], isQuarantined: IsQuarantined, options: CandidateOptions = {}): TestStats[] {
  const { releaseAfter } = { ...DEFAULT_CANDIDATE_OPTIONS, ...options };
  return stats.filter((s) => s.greenStreak >= releaseAfter && isQuarantined(s)).sort(compareNames);
}

export interface FlakeReport {
  runs: number;
  tests: number;
  firstRun: string | null;
  lastRun: string | null;
  options: Required<CandidateOptions> & { top: number };
  top: TestStats[];
  quarantineCandidates: TestStats[];
  releaseCandidates: TestStats[];
  /** Every test that ran at least once. */
  stats: TestStats[];
}

/** Everything `flakeguard report` prints. */
export function buildReport(history: History, isQuarantined: IsQuarantined, options: CandidateOptions & { top?: number } = {}): FlakeReport {
  const resolved = { ...DEFAULT_CANDIDATE_OPTIONS, ...options, top: options.top ?? 20 };
  const stats = computeStats(history).filter((s) => s.runs > 0);
  return {
    runs: history.runs.length,
    tests: history.tests.length,
    firstRun: history.runs[0]?.startedAt ?? null,
    lastRun: history.runs[history.runs.length - 1]?.startedAt ?? null,
    options: resolved,
    top: topFlakiest(stats, resolved.top),
    quarantineCandidates: quarantineCandidates(history, isQuarantined, resolved),
    releaseCandidates: releaseCandidates(stats, isQuarantined, resolved),
    stats,
  };
}

/** `test/a.test.ts > suite > test`, prefixed by `[project]` when there is one. */
export function testName(test: HistoryTest): string {
  const name = [test.file, ...test.titles].join(' > ') + (test.occurrence ? ` (#${test.occurrence})` : '');
  return test.project === null ? name : `[${test.project}] ${name}`;
}

function byFlakiness(a: TestStats, b: TestStats): number {
  return b.flakiness - a.flakiness || b.flakyPasses - a.flakyPasses || b.failures - a.failures || compareNames(a, b);
}

function compareNames(a: HistoryTest, b: HistoryTest): number {
  const na = testName(a);
  const nb = testName(b);
  return na < nb ? -1 : na > nb ? 1 : 0;
}
