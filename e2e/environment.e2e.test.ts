import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, removeFixture, runJest, runJestJson } from './harness';
import { findingsDir, ofFile, readFindings, summary } from './environmentFindings';
import { type Finding } from '../core/findings';
import { FINDINGS_DIR_ENV, takeFindings } from '../io/findingsChannel';

describe('every check: a leaking test and its clean twin (default mode: warn)', () => {
  let dir: string;
  let findings: Finding[];
  let status: number | null;
  let passed: number;

  beforeAll(async () => {
    dir = copyFixture('env-checks');
    const run = await runJestJson(dir, ['--ci']);
    status = run.status;
    passed = run.json.numPassedTests;
    findings = readFindings(dir);
  });
  afterAll(() => removeFixture(dir));

  test('warn mode reports and passes: every test passed, isolation tests included', () => {
    expect(status).toBe(0);
    expect(passed).toBe(44);
  });

  test('exactly the leaking tests have findings: no clean twin does', () => {
    expect(summary(findings)).toEqual(
      [
        'fake-timers-left | fake-timers-left.test.js | leaks › fake timers left on',
        'leaked-env | leaked-env.test.js | leaks › env var deleted and not restored',
        'leaked-env | leaked-env.test.js | leaks › env var set and not restored',
        'leaked-global | leaked-global.test.js | leaks › global added',
        'pending-mock-promise | pending-mock-promise.test.js | leaks › async mock not awaited',
        'pending-timer | pending-timer.test.js | leaks › interval never cleared',
        'pending-timer | pending-timer.test.js | leaks › timeout still pending',
        'unrestored-spy | unrestored-spy.test.js | leaks › getter spy left installed',
        'unrestored-spy | unrestored-spy.test.js | leaks › replaced property left in place',
        'unrestored-spy | unrestored-spy.test.js | leaks › spy left installed',
        'unused-mock-once | unused-mock-once.test.js | leaks › once-implementation never used',
        'unused-mock-once | unused-mock-once.test.js | leaks › queued once-values never consumed',
      ].sort(),
    );
  });

  test('restoreMocks: true makes a spy left installed no finding', () => {
    expect(ofFile(findings, 'restore-mocks.test.js')).toEqual([]);
  });

  test('each finding names the thing and where it was created', () => {
    const line = (f: Finding) => `${f.check}: ${f.message} @ ${f.at}`;
    expect(findings.map(line).sort()).toEqual(
      [
        'fake-timers-left: fake timers switched on and not switched back @ __tests__/fake-timers-left.test.js:3:10',
        'leaked-env: process.env.API_URL set and not restored @ __tests__/leaked-env.test.js:3:25',
        'leaked-env: process.env.HOME deleted and not restored @ __tests__/leaked-env.test.js:6:20',
        'leaked-global: global userCache added and not removed @ __tests__/leaked-global.test.js:3:5',
        'pending-mock-promise: promise returned by slowSave still pending at the end of the test @ __tests__/pending-mock-promise.test.js:3:23',
        'pending-timer: setInterval (1000 ms) still pending at the end of the test @ __tests__/pending-timer.test.js:3:5',
        'pending-timer: setTimeout (60000 ms) still pending at the end of the test @ __tests__/pending-timer.test.js:6:5',
        'unrestored-spy: replaced property api.limit was not restored @ __tests__/unrestored-spy.test.js:8:10',
        'unrestored-spy: spy on api.fetchUser was not restored @ __tests__/unrestored-spy.test.js:5:10',
        'unrestored-spy: spy on api.version (getter) was not restored @ __tests__/unrestored-spy.test.js:11:10',
        'unused-mock-once: mockImplementationOnce queued on log never consumed @ __tests__/unused-mock-once.test.js:9:9',
        'unused-mock-once: mockResolvedValueOnce queued on fetchUser never consumed (×2) @ __tests__/unused-mock-once.test.js:6:15',
      ].sort(),
    );
  });

  test('findings carry the project, the absolute file and the severity', () => {
    for (const finding of findings) {
      expect(finding.project).toBe('checks');
      expect(finding.file.startsWith(dir)).toBe(true);
      expect(finding.severity).toBe('warn');
    }
  });
});

describe('in worker processes, into the directory the reporter names', () => {
  test('the same findings, one file per test file and process, taken by takeFindings', async () => {
    const dir = copyFixture('env-checks');
    try {
      const channel = path.join(dir, 'run-findings');
      const run = await runJestJson(dir, ['--ci', '--maxWorkers=2'], { [FINDINGS_DIR_ENV]: channel });
      expect(run.status).toBe(0);
      expect(fs.existsSync(findingsDir(dir))).toBe(false);
      const names = fs.readdirSync(channel);
      // Files are named <path key>-<pid>-<sequence>.json: two worker processes wrote them.
      expect(new Set(names.map((name) => name.split('-')[1])).size).toBe(2);
      const taken = run.json.testResults.flatMap((result) => takeFindings(channel, result.name));
      expect(taken).toHaveLength(12);
      expect(fs.readdirSync(channel)).toEqual([]);
    } finally {
      removeFixture(dir);
    }
  });
});

describe('isolation: a suite that is order-dependent under jest-environment-node', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyFixture('env-isolation');
  });
  afterAll(() => removeFixture(dir));

  const later = ['real config', 'default user', 'no feature flag', 'no current user', 'real timers'];

  test('under jest-environment-node the first test’s leaks fail every later test', async () => {
    const run = await runJestJson(dir, ['--ci', '--testEnvironment', 'node']);
    const results = run.json.testResults[0].assertionResults;
    expect(results.filter((r) => r.status === 'failed').map((r) => r.title)).toEqual(later);
    expect(readFindings(dir)).toEqual([]);
  });

  test('with isolate: true every test passes and each leak is reported', async () => {
    const config = { testEnvironment: 'jest-flakeguard/environment', transform: {}, testEnvironmentOptions: { flakeguard: { isolate: true } } };
    const run = await runJestJson(dir, ['--ci', '--config', JSON.stringify(config)]);
    expect(run.status).toBe(0);
    expect(run.json.numPassedTests).toBe(6);
    expect(summary(readFindings(dir))).toEqual(
      ['fake-timers-left', 'leaked-env', 'leaked-global', 'unrestored-spy', 'unused-mock-once'].map((check) => `${check} | order.test.js | first test leaks`),
    );
  });
});

describe('isolate: false (the default) reports without undoing', () => {
  test('the later tests fail as under jest-environment-node, and the leaks are reported', async () => {
    const dir = copyFixture('env-isolation');
    try {
      const run = await runJestJson(dir, ['--ci']);
      expect(run.json.numFailedTests).toBe(5);
      expect(
        readFindings(dir)
          .map((f) => f.check)
          .sort(),
      ).toEqual(['fake-timers-left', 'leaked-env', 'leaked-global', 'unrestored-spy', 'unused-mock-once']);
    } finally {
      removeFixture(dir);
    }
  });
});

describe('no findings, no file', () => {
  test('a clean run writes nothing', async () => {
    const dir = copyFixture('env-isolation');
    try {
      const run = await runJest(dir, ['--ci', '-t', 'later tests']);
      expect(run.status).toBe(0);
      expect(readFindings(dir)).toEqual([]);
    } finally {
      removeFixture(dir);
    }
  });
});
