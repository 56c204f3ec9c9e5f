// The flake history from real Jest runs through the reporter, and `flakeguard report`'s numbers on it.
import * as fs from 'fs';
import * as path from 'path';
import { HISTORY_DIR } from '../core/history';
import { readHistory } from '../io/historyFile';
import { copyFixture, removeFixture, runFlakeguard, runJest } from './harness';

describe('four real runs into the history, then flakeguard report', () => {
  let dir: string;
  const statuses: Array<number | null> = [];
  beforeAll(async () => {
    dir = copyFixture('history-runs');
    for (let run = 1; run <= 4; run++) statuses.push((await runJest(dir, ['--ci'], { RUN_NO: String(run) })).status);
  });
  afterAll(() => removeFixture(dir));

  test('odd runs pass, even runs fail (the `flips` test)', () => {
    expect(statuses).toEqual([0, 1, 0, 1]);
  });

  test('per test: runs, failures, flaky passes, flake and flip rates as computed by hand', async () => {
    const report = await runFlakeguard(dir, ['report', '--json']);
    expect(report.status).toBe(0);
    const json = JSON.parse(report.stdout) as { runs: number; stats: Array<Record<string, unknown>> };
    expect(json.runs).toBe(4);
    const byTitle = Object.fromEntries(json.stats.map((s) => [(s.titles as string[]).join(' > '), s]));
    // steady: P P P P
    expect(byTitle.steady).toMatchObject({ runs: 4, passes: 4, failures: 0, flakyPasses: 0, flips: 0, flakeRate: 0, flipRate: 0, flakiness: 0 });
    // flips: P F P F — three changes over three consecutive pairs
    expect(byTitle.flips).toMatchObject({ runs: 4, failures: 2, flakyPasses: 0, flips: 3, flipRate: 1, flakiness: 1 });
    // retried: K K K K — flaky every run, never a failure, so no flip
    expect(byTitle.retried).toMatchObject({ runs: 4, failures: 0, flakyPasses: 4, flips: 0, flakeRate: 1, flakiness: 1 });
    expect(Object.keys(byTitle).sort()).toEqual(['flips', 'retried', 'steady']);
  });
});

describe('withFlakeguard: five real runs of stable and flaky into a history bounded to three', () => {
  const APP = '__tests__/app.test.js';
  let dir: string;
  const statuses: Array<number | null> = [];
  /** Runs in the history after each real run. */
  const kept: number[] = [];
  beforeAll(async () => {
    dir = copyFixture('history-flakeguard');
    fs.mkdirSync(path.join(dir, '.flakeguard'));
    fs.writeFileSync(
      path.join(dir, '.flakeguard', 'quarantine.json'),
      JSON.stringify({ schemaVersion: 1, entries: [{ file: APP, titles: ['wobbly'], reason: 'races', added: '2026-11-01' }] }),
    );
    for (let run = 1; run <= 5; run++) {
      statuses.push((await runJest(dir, ['--ci'], { RUN_NO: String(run) })).status);
      kept.push(readHistory(path.join(dir, HISTORY_DIR)).runs.length);
    }
  });
  afterAll(() => removeFixture(dir));

  test('one history run per Jest run (the reporter listed by its resolved path is not added twice), the last three kept', () => {
    expect(statuses).toEqual([0, 1, 0, 1, 0]);
    expect(kept).toEqual([1, 2, 3, 3, 3]);
  });

  test("the halves are one project; a quarantined test's skip in stable does not hide its flaky pass; test.skip is recorded", () => {
    const history = readHistory(path.join(dir, HISTORY_DIR));
    const codes = Object.fromEntries(
      history.tests.map((t, i) => [`${t.project ?? '-'} ${t.file} > ${t.titles.join(' > ')}`, history.runs.map((r) => r.outcomes[i] ?? '.').join('')]),
    );
    // Runs 3, 4, 5: flips passes in odd runs only; wobbly (quarantined) is skipped in stable and flaky in flaky.
    expect(codes).toEqual({
      [`- ${APP} > steady`]: 'PPP',
      [`- ${APP} > flips`]: 'PFP',
      [`- ${APP} > wobbly`]: 'KKK',
      [`- ${APP} > not yet written`]: 'SSS',
      '- __tests__/legacy.test.js > legacy call': 'PPP',
    });
  });

  test('report: the numbers over the kept runs, the candidates judged on them', async () => {
    const report = await runFlakeguard(dir, ['report', '--json', '--window', '3', '--min-runs', '3', '--release-after', '3']);
    expect(report.status).toBe(0);
    const json = JSON.parse(report.stdout) as {
      runs: number;
      stats: Array<Record<string, unknown>>;
      quarantineCandidates: Array<{ titles: string[] }>;
      releaseCandidates: Array<{ titles: string[] }>;
    };
    expect(json.runs).toBe(3);
    const byTitle = Object.fromEntries(json.stats.map((s) => [(s.titles as string[]).join(' > '), s]));
    expect(byTitle.steady).toMatchObject({ runs: 3, passes: 3, flakiness: 0, greenStreak: 3 });
    // P F P: two changes over two consecutive pairs.
    expect(byTitle.flips).toMatchObject({ runs: 3, failures: 1, flips: 2, flipRate: 1, flakiness: 1 });
    expect(byTitle.wobbly).toMatchObject({ runs: 3, flakyPasses: 3, flakeRate: 1, greenStreak: 0 });
    // Skipped runs do not count as runs: a test that never ran is not in the report's statistics.
    expect(Object.keys(byTitle).sort()).toEqual(['flips', 'legacy call', 'steady', 'wobbly']);
    // wobbly is flaky too, but already quarantined; legacy (@flaky) was green on the first try three times.
    expect(json.quarantineCandidates.map((s) => s.titles.join(' > '))).toEqual(['flips']);
    expect(json.releaseCandidates.map((s) => s.titles.join(' > '))).toEqual(['legacy call']);
  });
});
