// `flakeguard hunt` on a fixture with planted flaky tests among clean ones: each planted case is classed right with
// its culprit named, no clean test is classed flaky, a recorded run replays, --changed hunts only changed files.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { type HuntReport, type HuntTest } from '../core/huntReport';
import { readHuntReport } from '../io/huntReportFile';
import { copyFixture, removeFixture, runFlakeguard } from './harness';

const HUNT_TIMEOUT = 900_000;

function find(report: HuntReport, file: string, title: string): HuntTest {
  const test = report.tests.find((t) => t.file === `__tests__/${file}` && t.titles[t.titles.length - 1] === title);
  if (!test) throw new Error(`no ${file} > ${title} in the hunt report`);
  return test;
}

describe('flakeguard hunt on planted flaky tests', () => {
  let dir: string;
  let report: HuntReport;
  let status: number | null;

  beforeAll(async () => {
    dir = copyFixture('hunt');
    // --stress-workers 0: the timing fixture simulates contention from FLAKEGUARD_STRESS, so no busy processes are
    // needed on a shared machine (bench/hunt.js measures real contention).
    // --rate 0.3: a clean test is settled after 9 passing runs (the seed decides the rest, so the spec is repeatable).
    const args = [
      'hunt',
      '--shuffle',
      '--stress',
      'cpu',
      '--stress-workers',
      '0',
      '--seed',
      '1',
      '--runs',
      '20',
      '--rate',
      '0.3',
      '--cacheDirectory',
      path.join(dir, '.jest-cache'),
    ];
    const result = await runFlakeguard(dir, args, {}, HUNT_TIMEOUT);
    status = result.status;
    if (!fs.existsSync(path.join(dir, '.flakeguard', 'hunt.json'))) throw new Error(`no hunt.json (exit ${result.status})\n${result.stderr}`);
    report = readHuntReport(path.join(dir, '.flakeguard', 'hunt.json'));
  }, HUNT_TIMEOUT);

  afterAll(() => removeFixture(dir));

  it('stops once every test is settled and exits 1 because it found flaky tests', () => {
    expect(status).toBe(1);
    expect(report.stopReason).toBe('settled');
    expect(report.runs.length).toBe(9);
    expect(report.runs.filter((run) => run.stressed).length).toBe(Math.floor(report.runs.length / 2));
    expect(new Set(report.runs.map((run) => run.seed)).size).toBe(report.runs.length);
  });

  it('names the polluter of an order-dependent victim in the same file, and proves the leaked spy', () => {
    const victim = find(report, 'greeting.test.js', 'greets in English');
    expect(victim).toMatchObject({ class: 'order-dependent', role: 'victim', culprits: [{ file: '__tests__/greeting.test.js', titles: ['greeting', 'greets in French'] }] });
    expect(victim.failures).toBeGreaterThan(0);
    expect(victim.interval.low).toBeLessThanOrEqual(victim.flakeRate);
    expect(victim.interval.high).toBeGreaterThanOrEqual(victim.flakeRate);
    expect(report.proven).toEqual([
      expect.objectContaining({
        check: 'unrestored-spy',
        leaker: { file: '__tests__/greeting.test.js', titles: ['greeting', 'greets in French'] },
        affected: { file: '__tests__/greeting.test.js', titles: ['greeting', 'greets in English'] },
        effect: 'fails',
      }),
    ]);
  });

  it('names the state-setter of a brittle test', () => {
    expect(find(report, 'rates.test.js', 'converts with the warmed rates')).toMatchObject({
      class: 'order-dependent',
      role: 'brittle',
      culprits: [{ file: '__tests__/rates.test.js', titles: ['warms the rate cache'] }],
    });
  });

  it('names a polluter in another file of the same process (a core-module stub)', () => {
    expect(find(report, 'host-report.test.js', 'reports the real host name')).toMatchObject({
      class: 'order-dependent',
      role: 'victim',
      culprits: [{ file: '__tests__/host-stub.test.js', titles: ['labels uploads with a stubbed host name'] }],
    });
  });

  it('classes the contention-only failure timing-sensitive and the seeded flake non-order-dependent', () => {
    const timing = find(report, 'deadline.test.js', 'finishes the batch before its deadline');
    expect(timing).toMatchObject({ class: 'timing-sensitive', culprits: [], calm: { failures: 0 } });
    expect(timing.stressed.failures).toBe(timing.stressed.runs);
    expect(find(report, 'lottery.test.js', 'draws a winning ticket')).toMatchObject({ class: 'non-order-dependent', culprits: [] });
  });

  it('never classes a clean test flaky: every other test is clean and settled', () => {
    const flaky = report.tests.filter((test) => test.class !== 'clean').map((test) => `${test.file} > ${test.titles.join(' > ')}`);
    expect(flaky.sort()).toEqual([
      '__tests__/deadline.test.js > finishes the batch before its deadline',
      '__tests__/greeting.test.js > greeting > greets in English',
      '__tests__/host-report.test.js > reports the real host name',
      '__tests__/lottery.test.js > draws a winning ticket',
      '__tests__/rates.test.js > converts with the warmed rates',
    ]);
    const clean = report.tests.filter((test) => test.class === 'clean');
    expect(clean.length).toBe(43);
    for (const test of clean) expect(test).toMatchObject({ failures: 0, settled: true, probes: 0 });
  });

  it(
    'replays a recorded run: the same seed, order and stress fail the same tests',
    async () => {
      const run = report.runs.find((r) => r.failed.length >= 2)!;
      const result = await runFlakeguard(
        dir,
        ['hunt', '--replay', String(run.run), '--stress-workers', '0', '--cacheDirectory', path.join(dir, '.jest-cache')],
        {},
        HUNT_TIMEOUT,
      );
      expect(result.status).toBe(1);
      const failedLines = result.stdout.split('\n').filter((line) => line.startsWith('  failed  '));
      expect(failedLines.map((line) => line.slice('  failed  '.length)).sort()).toEqual(run.failed.map((t) => `${t.file} > ${t.titles.join(' > ')}`).sort());
    },
    HUNT_TIMEOUT,
  );

  it('quarantines what it found with the class as the reason (quarantine add --from-hunt)', async () => {
    const result = await runFlakeguard(dir, ['quarantine', 'add', '--from-hunt', '--owner', 'ana']);
    expect(result.status).toBe(0);
    const quarantine = JSON.parse(fs.readFileSync(path.join(dir, '.flakeguard', 'quarantine.json'), 'utf8')) as {
      entries: Array<{ file: string; titles: string[]; reason: string; owner: string }>;
    };
    const reasons = Object.fromEntries(quarantine.entries.map((entry) => [entry.titles.join(' > '), entry.reason]));
    expect(quarantine.entries).toHaveLength(5);
    expect(quarantine.entries.every((entry) => entry.owner === 'ana')).toBe(true);
    expect(reasons['greeting > greets in English']).toMatch(/^hunt: order-dependent \(victim\): fails after __tests__\/greeting.test.js > greeting > greets in French; /);
    expect(reasons['converts with the warmed rates']).toMatch(/^hunt: order-dependent \(brittle\): passes only after __tests__\/rates.test.js > warms the rate cache; /);
    expect(reasons['finishes the batch before its deadline']).toMatch(/^hunt: timing-sensitive: /);
    expect(reasons['draws a winning ticket']).toMatch(/^hunt: non-order-dependent: /);
  });
});

describe('flakeguard hunt --changed', () => {
  let dir: string;
  const git = (...args: string[]): void => {
    const result = spawnSync('git', ['-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', ...args], { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  };

  beforeAll(() => {
    dir = copyFixture('hunt');
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'base');
    git('checkout', '-qb', 'feature');
    fs.appendFileSync(path.join(dir, '__tests__', 'text.test.js'), "\ntest('is new', () => expect(1).toBe(1));\n");
    git('commit', '-qam', 'change text tests');
  });

  afterAll(() => removeFixture(dir));

  it(
    'hunts only the test files changed since the base',
    async () => {
      const result = await runFlakeguard(dir, ['hunt', '--changed', 'main', '--runs', '2', '--cacheDirectory', path.join(dir, '.jest-cache')], {}, HUNT_TIMEOUT);
      expect(result.status).toBe(0);
      const report = readHuntReport(path.join(dir, '.flakeguard', 'hunt.json'));
      expect(new Set(report.tests.map((test) => test.file))).toEqual(new Set(['__tests__/text.test.js']));
      expect(report.tests).toHaveLength(13);
      expect(report.options.changed).toBe('main');
    },
    HUNT_TIMEOUT,
  );

  it('refuses a base that is not a git ref, before running anything', async () => {
    fs.rmSync(path.join(dir, '.flakeguard'), { recursive: true, force: true });
    const result = await runFlakeguard(dir, ['hunt', '--changed=--output=/tmp/x'], {});
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--changed "--output=\/tmp\/x": not a git ref/);
    expect(fs.existsSync(path.join(dir, '.flakeguard', 'hunt.json'))).toBe(false);
  });
});

describe('flakeguard hunt with an environment that is not flakeguard’s, and the user’s own -t', () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('hunt')));
  afterAll(() => removeFixture(dir));

  it(
    'selects probe tests by name and still names the cross-file polluter',
    async () => {
      // Jest's node environment ignores flakeguard's selection: probes fall back to an anchored -t of full names,
      // which replaces the user's own -t (the tests probed came from runs under it).
      const args = [
        'hunt',
        'host-',
        '--testEnvironment',
        'node',
        '-t',
        '^(?!.*platform)',
        '--shuffle',
        '--seed',
        '3',
        '--rate',
        '0.5',
        '--cacheDirectory',
        path.join(dir, '.jest-cache'),
      ];
      const result = await runFlakeguard(dir, args, {}, HUNT_TIMEOUT);
      expect(result.status).toBe(1);
      const report = readHuntReport(path.join(dir, '.flakeguard', 'hunt.json'));
      expect(report.tests.map((test) => test.titles[0]).sort()).toEqual(['formats an upload size', 'labels uploads with a stubbed host name', 'reports the real host name']);
      expect(find(report, 'host-report.test.js', 'reports the real host name')).toMatchObject({
        class: 'order-dependent',
        role: 'victim',
        culprits: [{ file: '__tests__/host-stub.test.js', titles: ['labels uploads with a stubbed host name'] }],
      });
    },
    HUNT_TIMEOUT,
  );
});
