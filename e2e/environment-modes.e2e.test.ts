import { copyFixture, removeFixture, runJest, runJestJson, type JestJson } from './harness';
import { readFindings } from './environmentFindings';
import type { Finding } from '../core/findings';

type Assertion = JestJson['testResults'][number]['assertionResults'][number];

function results(json: JestJson, fileEnd: string): Record<string, Assertion> {
  const file = json.testResults.find((result) => result.name.endsWith(fileEnd));
  if (!file) throw new Error(`no result for ${fileEnd}`);
  return Object.fromEntries(file.assertionResults.map((result) => [result.title, result]));
}

const brief = (findings: Finding[], project: string, fileEnd: string): string[] =>
  findings
    .filter((finding) => finding.project === project && finding.file.endsWith(fileEnd))
    .map((finding) => `${finding.check}:${finding.severity}`)
    .sort();

describe('modes: warn, error, off, strict and @flakeguard-allow', () => {
  let dir: string;
  let json: JestJson;
  let findings: Finding[];

  beforeAll(async () => {
    dir = copyFixture('env-modes');
    const run = await runJestJson(dir, ['--ci']);
    json = run.json;
    findings = readFindings(dir);
  });
  afterAll(() => removeFixture(dir));

  test('warn (the default): every leak reported, every test passes', () => {
    const warn = results(json, 'warn/leaky.test.js');
    expect(Object.values(warn).map((r) => r.status)).toEqual(['passed', 'passed', 'passed']);
    expect(brief(findings, 'warn', 'warn/leaky.test.js')).toEqual(['leaked-env:warn', 'pending-timer:warn', 'unrestored-spy:warn']);
  });

  test('error fails the test with the finding as its message; off reports nothing', () => {
    const error = results(json, 'error/leaky.test.js');
    expect(error['leaks env'].status).toBe('failed');
    expect(error['leaks env'].failureMessages.join('\n')).toContain('flakeguard leaked-env: process.env.LEAKED_FLAG set and not restored');
    expect(error['leaks a spy'].status).toBe('passed');
    expect(error['leaks a timer'].status).toBe('passed');
    expect(brief(findings, 'error', 'error/leaky.test.js')).toEqual(['leaked-env:error', 'pending-timer:warn']);
  });

  test('strict turns every check to error; a check named in checks keeps its mode', () => {
    const strict = results(json, 'strict/leaky.test.js');
    expect(strict['leaks env'].status).toBe('failed');
    expect(strict['leaks a spy'].status).toBe('failed');
    expect(strict['leaks a spy'].failureMessages.join('\n')).toContain('flakeguard unrestored-spy: spy on api.load was not restored (at leaks.js:9:10)');
    expect(strict['leaks a timer'].status).toBe('passed');
    expect(brief(findings, 'strict', 'strict/leaky.test.js')).toEqual(['leaked-env:error', 'pending-timer:warn', 'unrestored-spy:error']);
  });

  test('@flakeguard-allow turns the named checks off for its file only', () => {
    const allowed = results(json, 'strict/allowed.test.js');
    expect(Object.values(allowed).map((r) => r.status)).toEqual(['passed', 'passed', 'passed']);
    expect(brief(findings, 'strict', 'strict/allowed.test.js')).toEqual(['pending-timer:warn']);
  });
});

describe("'error' mode: the test whose leak reached the next test fails, once that test shows it", () => {
  test('the leaking test fails in the file’s result, with the finding; the reached test and a key re-set by beforeEach pass', async () => {
    const dir = copyFixture('env-retry');
    try {
      const run = await runJestJson(dir, ['--ci']);
      expect(run.status).toBe(1);
      const file = results(run.json, 'retried.test.js');
      expect(file['leaks an env key'].status).toBe('failed');
      expect(file['leaks an env key'].failureMessages.join('\n')).toContain('flakeguard leaked-env: process.env.LEAKED_KEY set and not restored');
      // Known only after the leaking test was judged: no retry follows for it.
      expect(file['leaks an env key'].invocations).toBe(1);
      expect(['the next test starts with it', 'first', 'second'].map((title) => file[title].status)).toEqual(['passed', 'passed', 'passed']);
      expect(readFindings(dir).map((f) => `${f.check}:${f.severity}:${f.message}:${f.reached?.join(' › ')}`)).toEqual([
        'leaked-env:error:process.env.LEAKED_KEY set and not restored:the next test starts with it',
      ]);
    } finally {
      removeFixture(dir);
    }
  });
});

describe('stale-module: a class loaded twice (jestjs/jest#15258)', () => {
  let dir: string;
  let json: JestJson;
  beforeAll(async () => {
    dir = copyFixture('env-stale');
    json = (await runJestJson(dir, ['--ci'])).json;
  });
  afterAll(() => removeFixture(dir));

  test('toThrow(Class) and toBeInstanceOf failures between same-named classes carry the hint', () => {
    const stale = results(json, 'stale.test.js');
    for (const title of ['toThrow with the class imported before resetModules', 'toBeInstanceOf with the class imported before resetModules']) {
      expect(stale[title].status).toBe('failed');
      expect(stale[title].failureMessages.join('\n')).toContain(
        'flakeguard stale-module: the received ValidationError and the expected ValidationError are two different classes',
      );
    }
  });

  test('no hint for a fresh import or for two different classes', () => {
    const stale = results(json, 'stale.test.js');
    expect(stale['the class required again after resetModules'].status).toBe('passed');
    expect(stale['a plain failure between two different classes'].status).toBe('failed');
    expect(stale['a plain failure between two different classes'].failureMessages.join('\n')).not.toContain('stale-module');
  });

  test('two same-named built-ins from different realms get a cross-realm hint, not the stale-module one', () => {
    const stale = results(json, 'stale.test.js');
    for (const title of ['an fs error is not the sandbox Error', 'an array from vm.runInNewContext is not the sandbox Array']) {
      expect(stale[title].status).toBe('failed');
      const text = stale[title].failureMessages.join('\n');
      expect(text).toContain('Received constructor: ');
      expect(text).not.toContain('stale-module');
      expect(text).toContain('flakeguard cross-realm: the received ');
    }
  });

  test('each is a finding at the failing assertion', () => {
    expect(readFindings(dir).map((f) => `${f.check} ${f.titles[1]} @ ${f.at}`)).toEqual([
      'stale-module toThrow with the class imported before resetModules @ __tests__/stale.test.js:10:32',
      'stale-module toBeInstanceOf with the class imported before resetModules @ __tests__/stale.test.js:14:25',
    ]);
  });
});

// Every message is proved in core/checkOptions.test.ts; here, that Jest shows the environment's error as that one line.
describe('bad options: one line naming the option, no stack trace', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyFixture('env-modes');
  });
  afterAll(() => removeFixture(dir));

  test('an unknown check fails the run with one line, not a stack trace', async () => {
    const config = {
      testEnvironment: 'jest-flakeguard/environment',
      transform: {},
      testEnvironmentOptions: { flakeguard: { checks: { 'leaked-spy': 'error' } } },
      testMatch: ['**/warn/*.test.js'],
    };
    const run = await runJest(dir, ['--ci', '--config', JSON.stringify(config)]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("jest-flakeguard: testEnvironmentOptions.flakeguard.checks: unknown check 'leaked-spy' (known: unrestored-spy,");
    expect(run.stderr).not.toMatch(/^\s+at .*\.js:\d+/m);
  });
});
