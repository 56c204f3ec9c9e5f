// The flake history from real Jest runs through the reporter, and `flakeguard report`'s numbers on it.
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
