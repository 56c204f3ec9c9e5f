import { buildReport, computeStats, quarantineCandidates, releaseCandidates, testName, topFlakiest } from './flakeStats';
import type { History } from './history';

// Five runs, oldest first; one column per test (P passed, K flaky, F failed, S skipped, . absent).
//            a:1  a:2  b:1  c:1
// r1          P    F    P    K
// r2          P    P    K    F
// r3          P    F    .    P
// r4          S    P    P    F
// r5          P    F    K    P
const history: History = {
  schemaVersion: 1,
  tests: [
    { project: null, file: 'a', titles: ['1'] },
    { project: null, file: 'a', titles: ['2'] },
    { project: null, file: 'b', titles: ['1'] },
    { project: 'web', file: 'c', titles: ['1'] },
  ],
  runs: [
    { id: 'r1', startedAt: '2026-11-01', outcomes: 'PFPK' },
    { id: 'r2', startedAt: '2026-11-02', outcomes: 'PPKF' },
    { id: 'r3', startedAt: '2026-11-03', outcomes: 'PF.P' },
    { id: 'r4', startedAt: '2026-11-04', outcomes: 'SPPF' },
    { id: 'r5', startedAt: '2026-11-05', outcomes: 'PFKP' },
  ],
};
const pick = ({
  runs,
  passes,
  failures,
  flakyPasses,
  skipped,
  flips,
  flakeRate,
  failureRate,
  flipRate,
  flakiness,
  greenStreak,
  lastRan,
}: ReturnType<typeof computeStats>[number]) => ({ runs, passes, failures, flakyPasses, skipped, flips, flakeRate, failureRate, flipRate, flakiness, greenStreak, lastRan });
const names = (list: Array<{ file: string; titles: string[]; project: string | null }>) => list.map(testName);

describe('computeStats', () => {
  const [a1, a2, b1, c1] = computeStats(history);

  test('a steady test: skipped runs do not count', () => {
    expect(pick(a1!)).toEqual({
      runs: 4,
      passes: 4,
      failures: 0,
      flakyPasses: 0,
      skipped: 1,
      flips: 0,
      flakeRate: 0,
      failureRate: 0,
      flipRate: 0,
      flakiness: 0,
      greenStreak: 4,
      lastRan: '2026-11-05',
    });
  });

  test('alternating without retries: F P F P F is 4 flips in 4 transitions', () => {
    expect(pick(a2!)).toEqual({
      runs: 5,
      passes: 2,
      failures: 3,
      flakyPasses: 0,
      skipped: 0,
      flips: 4,
      flakeRate: 0,
      failureRate: 0.6,
      flipRate: 1,
      flakiness: 1,
      greenStreak: 0,
      lastRan: '2026-11-05',
    });
  });

  test('rescued by retries: a flaky pass counts as green for flips', () => {
    expect(pick(b1!)).toEqual({
      runs: 4,
      passes: 2,
      failures: 0,
      flakyPasses: 2,
      skipped: 0,
      flips: 0,
      flakeRate: 0.5,
      failureRate: 0,
      flipRate: 0,
      flakiness: 0.5,
      greenStreak: 0,
      lastRan: '2026-11-05',
    });
  });

  test('both: K F P F P', () => {
    expect(pick(c1!)).toEqual({
      runs: 5,
      passes: 2,
      failures: 2,
      flakyPasses: 1,
      skipped: 0,
      flips: 4,
      flakeRate: 0.2,
      failureRate: 0.4,
      flipRate: 1,
      flakiness: 1,
      greenStreak: 1,
      lastRan: '2026-11-05',
    });
  });

  test('a window counts only the newest runs', () => {
    const [w1, w2, w3] = computeStats(history, { window: 2 });
    expect([w1!.runs, w1!.skipped, w2!.flips, w2!.flipRate, w3!.flakeRate]).toEqual([1, 1, 1, 1, 0.5]);
  });

  test('always failing is broken, not flaky; never ran has no rates', () => {
    const [broken, never] = computeStats({
      schemaVersion: 1,
      tests: [
        { project: null, file: 'x', titles: ['t'] },
        { project: null, file: 'y', titles: ['t'] },
      ],
      runs: [
        { id: '1', startedAt: 't1', outcomes: 'FS' },
        { id: '2', startedAt: 't2', outcomes: 'F' },
        { id: '3', startedAt: 't3', outcomes: 'F' },
      ],
    });
    expect([broken!.failureRate, broken!.flakiness]).toEqual([1, 0]);
    expect([never!.runs, never!.flakiness, never!.lastRan]).toEqual([0, 0, null]);
  });
});

describe('candidates', () => {
  const stats = computeStats(history);
  const inFile = (file: string) => (test: { file: string }) => test.file === file;

  test('top flakiest: flakiness, then flaky passes, then failures; steady tests left out', () => {
    expect(names(topFlakiest(stats, 10))).toEqual(['[web] c > 1', 'a > 2', 'b > 1']);
    expect(names(topFlakiest(stats, 1))).toEqual(['[web] c > 1']);
  });

  test('quarantine candidates leave out quarantined tests and those with too few runs', () => {
    expect(names(quarantineCandidates(history, inFile('b'), { window: 5, threshold: 0.5, minRuns: 4 }))).toEqual(['[web] c > 1', 'a > 2']);
    expect(names(quarantineCandidates(history, () => false, { window: 5, threshold: 0.5, minRuns: 5 }))).toEqual(['[web] c > 1', 'a > 2']);
    expect(names(quarantineCandidates(history, () => false, { window: 5, threshold: 0.5, minRuns: 4 }))).toEqual(['[web] c > 1', 'a > 2', 'b > 1']);
    // Over the newest two runs b:1 (P K) is flaky at 0.5 with 2 runs.
    expect(names(quarantineCandidates(history, inFile('a'), { window: 2, threshold: 0.5, minRuns: 2 }))).toEqual(['[web] c > 1', 'b > 1']);
  });

  test('release candidates: quarantined and green on the first try for the newest N runs', () => {
    expect(names(releaseCandidates(stats, inFile('a'), { releaseAfter: 4 }))).toEqual(['a > 1']);
    expect(names(releaseCandidates(stats, inFile('a'), { releaseAfter: 5 }))).toEqual([]);
    expect(names(releaseCandidates(stats, inFile('b'), { releaseAfter: 1 }))).toEqual([]);
  });

  test('buildReport puts it together', () => {
    const report = buildReport(history, inFile('a'), { top: 2, releaseAfter: 4, threshold: 0.5, minRuns: 4 });
    expect(report).toMatchObject({ runs: 5, tests: 4, firstRun: '2026-11-01', lastRun: '2026-11-05' });
    expect(names(report.top)).toEqual(['[web] c > 1', 'a > 2']);
    expect(names(report.quarantineCandidates)).toEqual(['[web] c > 1', 'b > 1']);
    expect(names(report.releaseCandidates)).toEqual(['a > 1']);
    expect(report.stats).toHaveLength(4);
  });
});
