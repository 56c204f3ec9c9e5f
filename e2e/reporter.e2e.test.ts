import * as fs from 'fs';
import * as path from 'path';
import { XMLParser } from 'fast-xml-parser';
import { copyFixture, JEST_BIN, removeFixture, runJestJson, type JestJson, type RunResult } from './harness';
import { readManifestJson } from './reporterHelpers';
import type { Manifest } from '../core/manifest';

const OUTCOMES = '__tests__/outcomes.test.js';
/** The version of the Jest the harness drives (30, or 29 in the compat pass). */
const JEST_VERSION = (JSON.parse(fs.readFileSync(path.join(path.dirname(JEST_BIN), '..', 'package.json'), 'utf8')) as { version: string }).version;

describe('reporter on every outcome (workers: --maxWorkers=3, GitHub Actions on)', () => {
  let dir: string;
  let run: RunResult & { json: JestJson };
  let manifest: Manifest;
  let summaryFile: string;

  beforeAll(async () => {
    dir = copyFixture('reporter-outcomes');
    summaryFile = path.join(dir, 'step-summary.md');
    fs.writeFileSync(summaryFile, '# earlier step\n');
    run = await runJestJson(dir, ['--maxWorkers=3'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile });
    manifest = readManifestJson(dir);
  });
  afterAll(() => removeFixture(dir));

  test("Jest's own result is untouched", () => {
    expect(run.status).toBe(1);
    expect(run.json.numFailedTests).toBe(2);
    expect(run.json.numRuntimeErrorTestSuites).toBe(1);
  });

  test('last-run.json has exactly the documented shape and counts', () => {
    expect(Object.keys(manifest)).toEqual([
      'schemaVersion',
      'tool',
      'status',
      'startedAt',
      'finishedAt',
      'jestVersion',
      'shard',
      'seed',
      'counts',
      'failed',
      'flaky',
      'fileErrors',
      'notRun',
      'findings',
      'invocation',
    ]);
    // How Jest was invoked, for the rerun: the options that shape the run (--maxWorkers), not the harness' own.
    expect(manifest.invocation).toEqual({ cwd: '.', outputDir: '.flakeguard', config: null, options: { maxWorkers: '3' }, nodeFlags: [] });
    expect(manifest).toMatchObject({ schemaVersion: 1, tool: 'jest-flakeguard', status: 'failed', jestVersion: JEST_VERSION, shard: null });
    expect(typeof manifest.seed).toBe('number');
    expect(Date.parse(manifest.finishedAt)).toBeGreaterThanOrEqual(Date.parse(manifest.startedAt));
    expect(manifest.counts).toEqual({ passed: 4, failed: 2, flaky: 1, skipped: 1, todo: 1, fileErrors: 1, notRun: 0 });
  });

  test('failed tests by exact title path: of two tests with the fullName "a b c" only the failing one', () => {
    expect(manifest.failed).toEqual([
      { project: null, file: OUTCOMES, titles: ['fails every attempt'], attempts: 3, message: 'Error: expect(received).toBe(expected) // Object.is equality' },
      { project: null, file: OUTCOMES, titles: ['a b', 'c'], attempts: 3, message: 'Error: expect(received).toBe(expected) // Object.is equality' },
    ]);
  });

  test("flaky: passed on retry, with the first failure's first line", () => {
    expect(manifest.flaky).toEqual([
      { project: null, file: OUTCOMES, titles: ['flaky: fails on its first attempt only'], attempts: 2, message: 'Error: expect(received).toBeGreaterThan(expected)' },
    ]);
  });

  test('a file that failed to load is a file error', () => {
    expect(manifest.fileErrors).toEqual([{ project: null, file: '__tests__/broken.test.js', message: 'broken at load: a missing module, say' }]);
    expect(manifest.notRun).toEqual([]);
  });

  test('findings written by a worker reach the manifest and one grouped terminal block', () => {
    // toContainEqual: the real hygiene checks may add findings of their own to this fixture.
    expect(manifest.findings).toContainEqual({
      check: 'leaked-global',
      project: null,
      file: OUTCOMES,
      titles: ['hygiene', 'reports a finding'],
      message: 'fixture: globalThis.fixtureLeak was left behind',
      at: 'outcomes.test.js:3:7',
    });
    expect(run.stderr.split('flakeguard findings:')).toHaveLength(2);
    const block = run.stderr.slice(run.stderr.indexOf('flakeguard findings:')).split('\n');
    expect(block[0]).toMatch(/^flakeguard findings: \d+ findings? in \d+ files?$/);
    const fileAt = block.indexOf(`  file ${OUTCOMES}`);
    const testAt = block.indexOf('    test hygiene › reports a finding', fileAt);
    expect(fileAt).toBeGreaterThan(0);
    expect(testAt).toBeGreaterThan(fileAt);
    expect(block[testAt + 1]).toBe('      leaked-global  fixture: globalThis.fixtureLeak was left behind  (outcomes.test.js:3:7)');
  });

  test("the short block comes after Jest's summary: counts, flaky tests by name, the rerun command", () => {
    const summaryAt = run.stderr.indexOf('\nTests:');
    const blockAt = run.stderr.indexOf('flakeguard: 2 failed');
    expect(summaryAt).toBeGreaterThan(0);
    expect(blockAt).toBeGreaterThan(summaryAt);
    expect(run.stderr.slice(blockAt).split('\n').slice(0, 3)).toEqual([
      'flakeguard: 2 failed · 1 flaky · 1 file error',
      `  flaky  ${OUTCOMES} › flaky: fails on its first attempt only  (passed on attempt 2)`,
      '  rerun: npx flakeguard rerun   manifest: .flakeguard/last-run.json',
    ]);
  });

  test('JUnit: one testcase per test, flakyFailure and rerunFailure, parsed by a real XML parser', () => {
    const xml = fs.readFileSync(path.join(dir, '.flakeguard', 'junit.xml'), 'utf8');
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => ['testsuite', 'testcase', 'flakyFailure', 'rerunFailure'].includes(name),
    });
    const doc = parser.parse(xml, true) as {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed XML tree, read field by field
      testsuites: { tests: string; failures: string; errors: string; skipped: string; testsuite: Array<{ name: string; testcase: Array<Record<string, any>> }> };
    };
    expect(doc.testsuites).toMatchObject({ tests: '10', failures: '2', errors: '1' });
    const cases = new Map(doc.testsuites.testsuite.flatMap((suite) => suite.testcase.map((tc) => [`${suite.name}|${tc.name}`, tc] as const)));
    const of = (name: string) => cases.get(`${OUTCOMES}|${name}`)!;
    expect(of('passes').failure).toBeUndefined();
    expect(of('flaky: fails on its first attempt only').flakyFailure).toHaveLength(1);
    expect(of('flaky: fails on its first attempt only').flakyFailure[0].stackTrace).toContain('toBeGreaterThan');
    expect(of('flaky: fails on its first attempt only').failure).toBeUndefined();
    expect(of('fails every attempt').failure.message).toBe('Error: expect(received).toBe(expected) // Object.is equality');
    expect(of('fails every attempt').rerunFailure).toHaveLength(2);
    expect(of('a b › c').rerunFailure).toHaveLength(2);
    expect(of('a › b c').failure).toBeUndefined();
    expect(of('skipped').skipped).toBeDefined();
    expect(of('todo').skipped).toEqual({ message: 'todo' });
    expect(cases.get('__tests__/broken.test.js|Test suite failed to run')!.error.message).toBe('broken at load: a missing module, say');
  });

  test('GitHub Actions: ::error with file and line for failures, ::warning for flaky, a step summary appended', () => {
    const commands = run.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(commands.filter((line) => line.startsWith('::error '))).toHaveLength(3);
    expect(commands).toContainEqual(
      expect.stringMatching(
        /^::error file=__tests__\/outcomes\.test\.js,line=13,col=19,title=fails every attempt \(failed all 3 attempts\)::Error: expect\(received\)\.toBe\(expected\) \/\/ Object\.is equality%0A/,
      ),
    );
    expect(commands).toContainEqual(expect.stringMatching(/^::error file=__tests__\/outcomes\.test\.js,line=23,col=21,title=a b › c /));
    expect(commands).toContainEqual(expect.stringMatching(/^::error file=__tests__\/broken\.test\.js,title=__tests__\/broken\.test\.js failed to run::broken at load/));
    expect(commands).toContainEqual(
      expect.stringMatching(
        /^::warning file=__tests__\/outcomes\.test\.js,line=8,col=\d+,title=flaky%3A flaky%3A fails on its first attempt only::passed on attempt 2 after 1 failed/,
      ),
    );
    const summary = fs.readFileSync(summaryFile, 'utf8');
    expect(summary.startsWith('# earlier step\n### ❌ jest-flakeguard: failed')).toBe(true);
    expect(summary).toContain('| 4 | 2 | 1 | 1 | 1 | 1 | 0 |');
    expect(summary).toContain('| `__tests__/outcomes.test.js` | `a b › c` | 3 |');
    expect(summary).toContain('`npx flakeguard rerun`');
  });
});

describe('reporter when everything passes first try, and with an unwritable outputDir', () => {
  let dir: string;

  beforeAll(() => {
    dir = copyFixture('reporter-outcomes');
    // Earlier attempts are counted: the flaky test now passes at once; FIXTURE_FIXED fixes the failing ones.
    fs.mkdirSync(path.join(dir, '.counters'));
    fs.writeFileSync(path.join(dir, '.counters', 'flaky'), '1');
  });
  afterAll(() => removeFixture(dir));

  test('nothing printed after the summary, status passed, no annotations outside GitHub', async () => {
    const run = await runJestJson(dir, [], { FIXTURE_FIXED: '1' });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/^flakeguard: \d+ failed/m);
    expect(run.stderr).not.toContain('npx flakeguard rerun');
    expect(run.stdout).not.toMatch(/^::/m);
    const manifest = readManifestJson(dir);
    expect(manifest.status).toBe('passed');
    expect(manifest.counts).toEqual({ passed: 8, failed: 0, flaky: 0, skipped: 1, todo: 1, fileErrors: 0, notRun: 0 });
  });

  test('an outputDir under a regular file: one warning line (JUnit report in it too), same exit code and results', async () => {
    fs.writeFileSync(path.join(dir, 'blocker'), 'a file, not a directory');
    const run = await runJestJson(dir, [], { FIXTURE_FIXED: '1', FG_OUTPUT_DIR: 'blocker/out' });
    expect(run.status).toBe(0);
    expect(run.json.numPassedTests).toBe(8);
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('flakeguard: cannot'));
    expect(warnings).toEqual([expect.stringMatching(/^flakeguard: cannot write blocker\/out\/last-run\.json \(ENOTDIR.*\); the run's results and exit code are unaffected$/)]);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
