import * as fs from 'fs';
import * as path from 'path';
import { type Outcome, type RunOutcomes } from '../core/history';
import { readHistory, recordRun } from '../io/historyFile';
import { copyFixture, REPO, removeFixture, runFlakeguard, runJest, runNode } from './harness';

const API = '__tests__/api.test.js';
const LEGACY = '__tests__/legacy.test.js'; // `@flaky` in its docblock: quarantined by pragma

// Hand-written history, oldest first (P passed, F failed, K flaky):
//   run              1  2  3  4  5  6 | 7 (CI artifact)
//   api > steady     P  P  P  P  P  P | P
//   api > wobbly     P  F  P  K  P  F | P
//   api > broken     F  F  F  F  F  F | F
//   legacy > healed  P  P  P  P  P  P | P
const CODES: Record<string, Outcome> = { P: 'passed', F: 'failed', K: 'flaky' };
function run(n: number, column: string): RunOutcomes {
  const [steady, wobbly, broken, healed] = [...column].map((c) => CODES[c]!);
  return {
    runId: `run-${n}`,
    startedAt: `2026-11-0${n}T12:00:00.000Z`,
    tests: [
      { project: 'stable', file: API, titles: ['api', 'steady'], outcome: steady! },
      { project: 'stable', file: API, titles: ['api', 'wobbly'], outcome: wobbly! },
      { project: 'stable', file: API, titles: ['api', 'broken'], outcome: broken! },
      { project: 'flaky', file: LEGACY, titles: ['healed'], outcome: healed! },
    ],
  };
}
const COLUMNS = ['PPFP', 'PFFP', 'PPFP', 'PKFP', 'PPFP', 'PFFP'];

describe('flakeguard report', () => {
  let dir: string;
  const options = ['--threshold', '0.5', '--min-runs', '5', '--release-after', '5'];

  beforeAll(() => {
    dir = copyFixture('history-basic');
    COLUMNS.forEach((column, i) => recordRun(path.join(dir, '.flakeguard', 'history'), run(i + 1, column)));
    // A CI artifact: the same run 6 (copied along) and a new run 7.
    const artifact = path.join(dir, 'artifact');
    recordRun(artifact, run(6, COLUMNS[5]!));
    recordRun(artifact, run(7, 'PPFP'));
  });
  afterAll(() => removeFixture(dir));

  test('--json: the numbers of every test, checked by hand', async () => {
    const result = await runFlakeguard(dir, ['report', '--json', ...options]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ runs: 6, tests: 4, firstRun: '2026-11-01T12:00:00.000Z', lastRun: '2026-11-06T12:00:00.000Z' });
    const byName = Object.fromEntries(
      report.stats.map((s: { titles: string[] } & Record<string, unknown>) => [
        s.titles.join(' > '),
        [s.project, s.runs, s.failures, s.flakyPasses, s.flips, s.flakeRate, s.flipRate, s.greenStreak],
      ]),
    );
    //                      project runs fails flaky flips flakeRate flipRate streak
    expect(byName).toEqual({
      'api > steady': [null, 6, 0, 0, 0, 0, 0, 6],
      // G R G G G R: flips at 1→2, 2→3, 5→6 over 5 transitions
      'api > wobbly': [null, 6, 2, 1, 3, 1 / 6, 3 / 5, 0],
      'api > broken': [null, 6, 6, 0, 0, 0, 0, 0],
      healed: [null, 6, 0, 0, 0, 0, 0, 6],
    });
    expect(report.top).toEqual([{ project: null, file: API, titles: ['api', 'wobbly'] }]);
    expect(report.quarantineCandidates).toEqual([{ project: null, file: API, titles: ['api', 'wobbly'], flakiness: 0.6, runs: 6 }]);
    // `healed` is quarantined by its @flaky pragma and green on the first try 6 times in a row.
    expect(report.releaseCandidates).toEqual([{ project: null, file: LEGACY, titles: ['healed'], greenStreak: 6 }]);
  });

  test('a test in quarantine.json is no quarantine candidate, and may be a release candidate', async () => {
    const copy = copyFixture('history-basic');
    try {
      fs.cpSync(path.join(dir, '.flakeguard'), path.join(copy, '.flakeguard'), { recursive: true });
      const entries = [
        { file: API, titles: ['api', 'wobbly'], reason: 'r', added: '2026-11-01' },
        { file: API, titles: ['api', 'steady'], reason: 'r', added: '2026-11-01' },
      ];
      fs.writeFileSync(path.join(copy, '.flakeguard', 'quarantine.json'), JSON.stringify({ schemaVersion: 1, entries }));
      const report = JSON.parse((await runFlakeguard(copy, ['report', '--json', ...options])).stdout);
      expect(report.quarantineCandidates).toEqual([]);
      expect(report.releaseCandidates.map((s: { titles: string[] }) => s.titles.join(' > '))).toEqual(['api > steady', 'healed']);
    } finally {
      removeFixture(copy);
    }
  });

  test('merges CI artifacts: a run found twice counts once', async () => {
    const result = await runFlakeguard(dir, ['report', '--json', '--history', '.flakeguard/history', '--history', 'artifact', ...options]);
    const report = JSON.parse(result.stdout);
    expect(report.runs).toBe(7);
    const wobbly = report.stats.find((s: { titles: string[] }) => s.titles[1] === 'wobbly');
    // P F P K P F P: 4 flips over 6 transitions
    expect([wobbly.runs, wobbly.flips, wobbly.flipRate]).toEqual([7, 4, 4 / 6]);
  });

  test('text: the flakiest tests and the commands to quarantine or release', async () => {
    const result = await runFlakeguard(dir, ['report', ...options]);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('6 runs (2026-11-01T12:00:00.000Z … 2026-11-06T12:00:00.000Z), 4 tests ran — .flakeguard/history/history.json.gz');
    expect(lines.slice(2, 4)).toEqual([
      'runs  failed  flaky  flake rate  flip rate  test',
      '   6       2      1         17%        60%  __tests__/api.test.js > api > wobbly',
    ]);
    expect(result.stdout).toContain(
      "  - __tests__/api.test.js > api > wobbly — 60%\n    npx flakeguard quarantine add __tests__/api.test.js --test 'api > wobbly' --reason 'flaky: 60% over the last 50 runs'\n",
    );
    expect(result.stdout).toContain('  - __tests__/legacy.test.js > healed\n    npx flakeguard quarantine remove __tests__/legacy.test.js --test healed\n');
  });

  test('--markdown: a table for a CI step summary', async () => {
    const result = await runFlakeguard(dir, ['report', '--markdown', ...options]);
    expect(result.stdout).toContain('| test | runs | failed | flaky | flake rate | flip rate |\n| --- | ---: | ---: | ---: | ---: | ---: |\n');
    expect(result.stdout).toContain('| `__tests__/api.test.js > api > wobbly` | 6 | 2 | 1 | 17% | 60% |');
  });

  test('no history yet is said, exit 0; a corrupt one is one line, exit 2', async () => {
    const empty = await runFlakeguard(dir, ['report', '--history', 'nowhere']);
    expect([empty.status, empty.stdout]).toEqual([0, 'no flake history yet in nowhere/history.json.gz: the reporter records one run per jest run\n']);
    fs.mkdirSync(path.join(dir, 'bad'));
    fs.writeFileSync(path.join(dir, 'bad', 'history.json.gz'), '{"schemaVersion": 9}');
    const bad = await runFlakeguard(dir, ['report', '--history', 'bad']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      `flakeguard report: ${path.join(dir, 'bad', 'history.json.gz')}: schemaVersion must be 1, found 9 (not a jest-flakeguard history; delete it to start over)\n`,
    );
  });
});

test('Jest processes recording at the same time lose no run', async () => {
  const dir = copyFixture('history-basic');
  try {
    const script = path.join(dir, 'record.js');
    fs.writeFileSync(
      script,
      `const { recordRun } = require(${JSON.stringify(path.join(REPO, 'dist', 'io', 'historyFile.js'))});
const [writer] = process.argv.slice(2);
for (let i = 0; i < 10; i++) {
  recordRun('.flakeguard/history', {
    runId: writer + '-' + i,
    startedAt: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString(),
    tests: [{ project: null, file: 'w' + writer + '.test.js', titles: ['t' + i], outcome: 'passed' }],
  });
}
`,
    );
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((writer) => runNode(script, [writer], dir)));
    expect(results.map((r) => [r.status, r.stderr])).toEqual(Array(4).fill([0, '']));
    const history = readHistory(path.join(dir, '.flakeguard', 'history'));
    expect(history.runs).toHaveLength(40);
    expect(history.tests).toHaveLength(40);
    expect(fs.readdirSync(path.join(dir, '.flakeguard', 'history'))).toEqual(['history.json.gz']);
  } finally {
    removeFixture(dir);
  }
});

describe('the README CI recipe: a stable job and a flaky job per workflow run, their histories merged', () => {
  const QUARANTINE = { schemaVersion: 1, entries: [{ file: '__tests__/app.test.js', titles: ['wobbly'], reason: 'races', added: '2026-11-01' }] };
  const jobs: Record<'stable' | 'flaky', string> = { stable: '', flaky: '' };
  let cache: string;
  let report: {
    runs: number;
    stats: Array<{ titles: string[]; runs: number }>;
    quarantineCandidates: Array<{ titles: string[] }>;
    releaseCandidates: Array<{ titles: string[] }>;
  };

  beforeAll(async () => {
    // Each job has its own checkout; the cache carries the merged history from one workflow run to the next.
    for (const job of ['stable', 'flaky'] as const) {
      jobs[job] = copyFixture('history-flakeguard');
      fs.mkdirSync(path.join(jobs[job], '.flakeguard'));
      fs.writeFileSync(path.join(jobs[job], '.flakeguard', 'quarantine.json'), JSON.stringify(QUARANTINE));
    }
    cache = path.join(jobs.stable, 'cache');
    for (let workflowRun = 1; workflowRun <= 3; workflowRun++) {
      for (const job of ['stable', 'flaky'] as const) {
        const history = path.join(jobs[job], '.flakeguard', 'history');
        fs.rmSync(history, { recursive: true, force: true });
        if (fs.existsSync(cache)) fs.cpSync(cache, history, { recursive: true }); // actions/cache/restore
        // GITHUB_RUN_ID: every job of one workflow run records the same run id.
        await runJest(jobs[job], ['--ci', '--selectProjects', job], { RUN_NO: String(workflowRun), GITHUB_RUN_ID: `9${workflowRun}` });
      }
      const merged = await runFlakeguard(jobs.stable, ['merge', '.flakeguard/history', path.join(jobs.flaky, '.flakeguard', 'history'), '-o', 'cache']);
      expect(merged.status).toBe(0);
    }
    const result = await runFlakeguard(jobs.stable, ['report', '--json', '--history', 'cache', '--window', '3', '--min-runs', '3', '--release-after', '3']);
    expect(result.status).toBe(0);
    report = JSON.parse(result.stdout) as typeof report;
  });
  afterAll(() => Object.values(jobs).forEach(removeFixture));

  test("three workflow runs make three runs, each with both jobs' tests", () => {
    expect(report.runs).toBe(3);
    expect(Object.fromEntries(report.stats.map((s) => [s.titles.join(' > '), s.runs]))).toEqual({ steady: 3, flips: 3, wobbly: 3, 'legacy call': 3 });
  });

  test("the stable job's history gives the quarantine candidates, the flaky job's the release candidates", () => {
    expect(report.quarantineCandidates.map((s) => s.titles.join(' > '))).toEqual(['flips']);
    expect(report.releaseCandidates.map((s) => s.titles.join(' > '))).toEqual(['legacy call']);
  });
});
