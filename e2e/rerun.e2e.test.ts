import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, removeFixture, runFlakeguard, runJest, type RunResult } from './harness';
import { attempts, readManifestJson } from './reporterHelpers';
import { latestTitlesByFile } from '../core/history';
import { readHistory } from '../io/historyFile';
import type { Manifest } from '../core/manifest';

const OUTCOMES = '__tests__/outcomes.test.js';

/** The titles of the outcomes file in the latest run of the flake history that mentions it. */
const historyTitles = (dir: string): string[][] => (latestTitlesByFile(readHistory(path.join(dir, '.flakeguard', 'history'))).get(OUTCOMES) ?? []).map((t) => [...t]).sort();

// One fixture copy, steps in order: a failing run, reruns until nothing is left, then the edge cases.
describe('flakeguard rerun', () => {
  let dir: string;
  let first: Manifest;
  let titlesInHistory: string[][];

  beforeAll(async () => {
    dir = copyFixture('reporter-outcomes');
    const run = await runJest(dir, []);
    expect(run.status).toBe(1);
    first = readManifestJson(dir);
    fs.copyFileSync(path.join(dir, '.flakeguard', 'last-run.json'), path.join(dir, 'first-run.json'));
    titlesInHistory = historyTitles(dir);
  });
  afterAll(() => removeFixture(dir));

  test('runs exactly the failed title paths and the file error: not "a › b c", which shares the fullName "a b c"', async () => {
    expect(first.counts).toMatchObject({ failed: 2, fileErrors: 1 });
    const before = { pair: attempts(dir, 'a > b c'), failing: attempts(dir, 'a b > c'), passes: attempts(dir, 'passes'), green: attempts(dir, 'green') };
    const run = await runFlakeguard(dir, ['rerun']);
    expect(run.status).toBe(1); // Jest's: still failing
    expect(run.stderr).toContain('flakeguard rerun: 2 tests and 1 whole file from .flakeguard/last-run.json, in 2 files');
    expect(attempts(dir, 'a b > c')).toBe(before.failing + 3);
    expect(attempts(dir, 'a > b c')).toBe(before.pair);
    expect(attempts(dir, 'passes')).toBe(before.passes);
    expect(attempts(dir, 'green')).toBe(before.green); // a file not named is never loaded
  });

  test('the rerun writes its own manifest; tests left out by the selection are not counted as skipped', () => {
    const manifest = readManifestJson(dir);
    expect(manifest.counts).toEqual({ passed: 0, failed: 2, flaky: 0, skipped: 0, todo: 0, fileErrors: 1, notRun: 0 });
    expect(manifest.failed.map((t) => t.titles)).toEqual([['fails every attempt'], ['a b', 'c']]);
  });

  test('…yet the flake history still knows every test of the file (a quarantine prune must not forget them)', () => {
    expect(titlesInHistory.length).toBeGreaterThan(2);
    expect(historyTitles(dir)).toEqual(titlesInHistory);
  });

  test('once fixed, the rerun passes, and the next one has nothing left', async () => {
    const fixed = await runFlakeguard(dir, ['rerun'], { FIXTURE_FIXED: '1' });
    expect(fixed.status).toBe(0);
    const manifest = readManifestJson(dir);
    expect(manifest.status).toBe('passed');
    expect(manifest.counts).toEqual({ passed: 3, failed: 0, flaky: 0, skipped: 0, todo: 0, fileErrors: 0, notRun: 0 });
    const nothing = await runFlakeguard(dir, ['rerun']);
    expect(nothing.status).toBe(0);
    expect(nothing.stdout.trim()).toBe('flakeguard rerun: nothing to rerun in .flakeguard/last-run.json');
  });

  test('--flaky also reruns the flaky tests; extra Jest args pass through after --', async () => {
    const flakyBefore = attempts(dir, 'flaky');
    const run = await runFlakeguard(dir, ['rerun', '--manifest', 'first-run.json', '--flaky', '--', '--ci'], { FIXTURE_FIXED: '1' });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('flakeguard rerun: 3 tests and 1 whole file from first-run.json');
    expect(attempts(dir, 'flaky')).toBe(flakyBefore + 1);
    expect(readManifestJson(dir).counts.passed).toBe(4);
  });

  test('a project whose environment ignores selections runs whole files: the rerun says so', async () => {
    const pairBefore = attempts(dir, 'a > b c');
    const run = await runFlakeguard(dir, ['rerun', '--manifest', 'first-run.json', '--', '--env=node'], { FIXTURE_FIXED: '1' });
    expect(run.status).toBe(0);
    expect(attempts(dir, 'a > b c')).toBe(pairBefore + 1);
    expect(run.stderr).toContain(
      "flakeguard rerun: tests the manifest does not name ran in __tests__/outcomes.test.js: use testEnvironment 'jest-flakeguard/environment' to run exactly the named ones",
    );
  });

  test('a named test that no longer exists is reported by name, never counted as passing', async () => {
    const stale: Manifest = {
      ...first,
      failed: [
        { project: null, file: OUTCOMES, titles: ['a b', 'renamed since'], attempts: 1, message: 'x' },
        { project: null, file: OUTCOMES, titles: ['fails every attempt'], attempts: 3, message: 'x' },
        { project: null, file: '__tests__/deleted.test.js', titles: ['gone'], attempts: 1, message: 'x' },
      ],
      fileErrors: [{ project: null, file: '__tests__/vanished.test.js', message: 'x' }],
    };
    fs.writeFileSync(path.join(dir, 'stale.json'), JSON.stringify(stale));
    const run = await runFlakeguard(dir, ['rerun', '--manifest', 'stale.json'], { FIXTURE_FIXED: '1' });
    expect(run.status).toBe(1);
    const notFound = run.stderr.split('\n').filter((line) => line.includes('not found'));
    expect(notFound).toEqual([
      'flakeguard rerun: not found: __tests__/vanished.test.js (the file is gone)',
      `flakeguard rerun: not found: ${OUTCOMES} › a b › renamed since (no test with this title path ran: renamed, removed or skipped?)`,
      'flakeguard rerun: not found: __tests__/deleted.test.js › gone (the file is gone)',
    ]);
    // The test that does exist ran and passed, and nothing else in its file did; the missing ones stay failed.
    const manifest = readManifestJson(dir);
    expect(manifest.status).toBe('failed');
    expect(manifest.counts).toMatchObject({ passed: 1, failed: 2, fileErrors: 1, skipped: 0 });
    expect(manifest.failed.map((t) => [t.file, t.titles, t.attempts, t.message])).toEqual([
      [OUTCOMES, ['a b', 'renamed since'], 0, 'not found in the rerun: renamed, removed or skipped? run the full suite to refresh the manifest'],
      ['__tests__/deleted.test.js', ['gone'], 0, 'not found in the rerun: the file is gone; run the full suite to refresh the manifest'],
    ]);
    expect(manifest.fileErrors).toEqual([
      { project: null, file: '__tests__/vanished.test.js', message: 'not found in the rerun: the file is gone; run the full suite to refresh the manifest' },
    ]);
  });

  test("…and the next rerun, of the rerun's own manifest, still names them: never forgotten", async () => {
    const run = await runFlakeguard(dir, ['rerun'], { FIXTURE_FIXED: '1' });
    expect(run.status).toBe(1);
    expect(run.stderr.split('\n').filter((line) => line.includes('not found:'))).toHaveLength(3);
    expect(readManifestJson(dir).counts).toMatchObject({ passed: 0, failed: 2, fileErrors: 1 });
  });

  describe('a manifest it cannot use: one line naming the file and the problem, exit 2, no stack', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['corrupt JSON', '{"schemaVersion": 1, "tool": "jest-flak', /bad\.json: not valid JSON \(/],
      ['another tool', JSON.stringify({ schemaVersion: 1, tool: 'jest-junit', tests: [] }), /bad\.json: not a jest-flakeguard manifest \(its tool is "jest-junit"\)/],
      ['no tool at all', JSON.stringify({ numFailedTests: 1 }), /bad\.json: not a jest-flakeguard manifest \(it has no "tool": "jest-flakeguard"\)/],
      ['another schemaVersion', JSON.stringify({ schemaVersion: 2, tool: 'jest-flakeguard' }), /bad\.json: schemaVersion 2 is not supported \(this jest-flakeguard reads 1\)/],
      [
        'a broken field',
        JSON.stringify({ schemaVersion: 1, tool: 'jest-flakeguard', status: 'failed', counts: {} }),
        /bad\.json: invalid manifest: counts\.passed must be a whole number/,
      ],
    ];
    const oneLineError = (run: RunResult, pattern: RegExp): void => {
      expect(run.status).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^flakeguard rerun: \//);
      expect(lines[0]).toMatch(pattern);
    };

    test.each(cases)('%s', async (_name, contents, pattern) => {
      fs.writeFileSync(path.join(dir, 'bad.json'), contents);
      oneLineError(await runFlakeguard(dir, ['rerun', '--manifest', 'bad.json']), pattern);
    });

    test('a missing manifest', async () => {
      oneLineError(await runFlakeguard(dir, ['rerun', '--manifest', 'nowhere.json']), /nowhere\.json: no manifest here; run Jest with the jest-flakeguard reporter first/);
    });
  });
});

describe('flakeguard rerun with rootDir in a subfolder', () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('rerun-rootdir')));
  afterAll(() => removeFixture(dir));

  test('the command the reporter prints runs exactly the failed test: files are relative to rootDir, not the cwd', async () => {
    const first = await runJest(dir, []);
    expect(first.status).toBe(1);
    const command = 'npx flakeguard rerun --manifest src/.flakeguard/last-run.json';
    expect(first.stderr).toContain(`rerun: ${command}`);
    expect(readManifestJson(dir, 'src/.flakeguard/last-run.json').failed.map((t) => [t.file, t.titles])).toEqual([['__tests__/math.test.js', ['math', 'fails until fixed']]]);
    const run = await runFlakeguard(dir, command.split(' ').slice(2), { FIXTURE_FIXED: '1' });
    expect(run.stderr).not.toContain('not found');
    expect(run.status).toBe(0);
    expect(attempts(dir, 'fails until fixed')).toBe(2);
    expect(attempts(dir, 'adds')).toBe(1); // not selected
    expect(readManifestJson(dir, 'src/.flakeguard/last-run.json').counts).toMatchObject({ passed: 1, failed: 0 });
  });
});

describe('flakeguard rerun of a file split between the stable and flaky projects (test-level quarantine)', () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('rerun-quarantine')));
  afterAll(() => removeFixture(dir));

  test('the failed stable test is found although the flaky copy of its file skipped it; only its project runs', async () => {
    const first = await runJest(dir, []);
    expect(first.status).toBe(1);
    expect(readManifestJson(dir).failed.map((t) => [t.project, t.titles])).toEqual([['stable', ['cart', 'fails until fixed']]]);
    const quarantined = attempts(dir, 'quarantined');
    const run = await runFlakeguard(dir, ['rerun'], { FIXTURE_FIXED: '1' });
    expect(run.stderr).not.toContain('not found');
    expect(run.status).toBe(0);
    expect(attempts(dir, 'quarantined')).toBe(quarantined); // --selectProjects stable: the flaky project never ran
    const manifest = readManifestJson(dir);
    expect(manifest.status).toBe('passed');
    expect(manifest.counts).toMatchObject({ passed: 1, failed: 0 });
  });
});
