import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, removeFixture, runFlakeguard, runJest } from './harness';
import { attempts, readManifestJson } from './reporterHelpers';
import { readHistory, recordRun } from '../io/historyFile';

const FILES = ['failing-file', 'file-1', 'file-2', 'file-3', 'file-4', 'file-5'].map((name) => `__tests__/${name}.test.js`);
const countsOf = (dir: string) =>
  Object.fromEntries(['failing-file passes', 'failing-file fails', 'file-1', 'file-2', 'file-3', 'file-4', 'file-5'].map((n) => [n, attempts(dir, n)]));

describe('--bail leaves files not run; the rerun covers them', () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('reporter-files')));
  afterAll(() => removeFixture(dir));

  test('the manifest names every file the run never reached', async () => {
    // In band, no timings cached: the largest file (the failing one) runs first and --bail stops there.
    const run = await runJest(dir, ['--bail', '--runInBand']);
    expect(run.status).toBe(1);
    const manifest = readManifestJson(dir);
    expect(manifest.status).toBe('failed');
    expect(manifest.counts).toEqual({ passed: 1, failed: 1, flaky: 0, skipped: 0, todo: 0, fileErrors: 0, notRun: 5 });
    expect(manifest.notRun.map((entry) => entry.file).sort()).toEqual(FILES.slice(1));
    expect(manifest.notRun.every((entry) => entry.project === null)).toBe(true);
    // The block still comes out although --bail exits the process right after the reporters.
    expect(run.stderr).toContain('flakeguard: 1 failed · 0 flaky · 5 files not run');
  });

  test('rerun: the failed test and the files not run, nothing else', async () => {
    const before = countsOf(dir);
    const run = await runFlakeguard(dir, ['rerun'], { FIXTURE_FIXED: '1' });
    expect(run.status).toBe(0);
    const after = countsOf(dir);
    expect(after['failing-file passes']).toBe(before['failing-file passes']);
    expect(after['failing-file fails']).toBe(before['failing-file fails']! + 1);
    for (const n of [1, 2, 3, 4, 5]) expect(after[`file-${n}`]).toBe(before[`file-${n}`]! + 1);
    expect(readManifestJson(dir).counts).toEqual({ passed: 6, failed: 0, flaky: 0, skipped: 0, todo: 0, fileErrors: 0, notRun: 0 });
  });
});

describe("--bail with Jest's own runner", () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('reporter-files')));
  afterAll(() => removeFixture(dir));

  test('files it cannot name are counted in a one-line warning, never invented', async () => {
    const run = await runJest(dir, ['--bail', '--runInBand', '--runner', 'jest-runner']);
    expect(run.status).toBe(1);
    expect(readManifestJson(dir)).toMatchObject({ status: 'failed', notRun: [], counts: { failed: 1, notRun: 0 } });
    expect(run.stderr).toContain("flakeguard: 5 test file(s) never ran and cannot be named without runner: 'jest-flakeguard/runner'; a rerun will not cover them");
  });
});

describe('--shard=1/2 and 2/2 merged, then one rerun', () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('reporter-files')));
  afterAll(() => removeFixture(dir));

  test('each shard writes its manifest with its shard; merge adds counts and unites lists', async () => {
    const shard1 = await runJest(dir, ['--shard=1/2'], { FG_OUTPUT_DIR: 'shard-1' });
    const shard2 = await runJest(dir, ['--shard=2/2'], { FG_OUTPUT_DIR: 'shard-2' });
    const one = readManifestJson(dir, 'shard-1/last-run.json');
    const two = readManifestJson(dir, 'shard-2/last-run.json');
    expect([one.shard, two.shard]).toEqual(['1/2', '2/2']);
    expect([shard1.status, shard2.status].sort()).toEqual([0, 1]);
    // Every test ran in exactly one shard.
    expect(one.counts.passed + two.counts.passed).toBe(6);
    expect(one.counts.failed + two.counts.failed).toBe(1);

    const merge = await runFlakeguard(dir, ['merge', 'shard-1/last-run.json', 'shard-2/last-run.json', '-o', 'merged.json']);
    expect(merge.status).toBe(0);
    expect(merge.stdout.trim()).toBe('flakeguard merge: 2 manifests → merged.json: failed; 6 passed, 1 failed, 0 flaky, 0 file errors, 0 not run');
    const merged = readManifestJson(dir, 'merged.json');
    expect(merged).toMatchObject({ status: 'failed', shard: null, counts: { passed: 6, failed: 1, flaky: 0, skipped: 0, todo: 0, fileErrors: 0, notRun: 0 } });
    expect(merged.failed).toEqual([...one.failed, ...two.failed]);
    expect(merged.startedAt <= merged.finishedAt).toBe(true);
  });

  test('one rerun of the merged manifest runs only the failed test', async () => {
    const before = countsOf(dir);
    const run = await runFlakeguard(dir, ['rerun', '--manifest', 'merged.json'], { FIXTURE_FIXED: '1' });
    expect(run.status).toBe(0);
    const after = countsOf(dir);
    expect(after).toEqual({ ...before, 'failing-file fails': before['failing-file fails']! + 1 });
    expect(readManifestJson(dir).counts).toMatchObject({ passed: 1, failed: 0 });
  });

  test('-o - prints the merged manifest on stdout (the summary on stderr); --output= with no path is one line, exit 2', async () => {
    const piped = await runFlakeguard(dir, ['merge', 'shard-1/last-run.json', 'shard-2/last-run.json', '-o', '-']);
    expect(piped.status).toBe(0);
    expect(JSON.parse(piped.stdout)).toEqual(readManifestJson(dir, 'merged.json'));
    expect(piped.stderr.trim()).toMatch(/^flakeguard merge: 2 manifests → stdout: failed; 6 passed, 1 failed/);
    expect(fs.existsSync(path.join(dir, '-'))).toBe(false);
    const empty = await runFlakeguard(dir, ['merge', 'shard-1/last-run.json', '--output=']);
    expect(empty.status).toBe(2);
    expect(empty.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^flakeguard merge: --output needs a value \(see flakeguard merge --help\)$/)]);
  });

  test('merge refuses a file it cannot read: one line, exit 2', async () => {
    fs.writeFileSync(path.join(dir, 'junit.json'), JSON.stringify({ tool: 'jest-junit' }));
    const run = await runFlakeguard(dir, ['merge', 'merged.json', 'junit.json']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^flakeguard merge: \/.*junit\.json: not a jest-flakeguard manifest \(its tool is "jest-junit"\)$/)]);
  });
});

describe('flakeguard merge of flake histories (CI artifacts)', () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('reporter-files')));
  afterAll(() => removeFixture(dir));

  const outcomes = (runId: string, startedAt: string, outcome: 'passed' | 'failed') => ({
    runId,
    startedAt,
    tests: [{ project: null, file: '__tests__/file-1.test.js', titles: ['file 1'], outcome }],
  });

  test('folders and files of histories merge into one, runs deduplicated by id and ordered by time', async () => {
    recordRun(path.join(dir, 'artifacts', 'job-1'), outcomes('run-b', '2026-11-02T00:00:00.000Z', 'failed'));
    recordRun(path.join(dir, 'artifacts', 'job-1'), outcomes('run-a', '2026-11-01T00:00:00.000Z', 'passed'));
    recordRun(path.join(dir, 'artifacts', 'job-2'), outcomes('run-c', '2026-11-03T00:00:00.000Z', 'passed'));
    recordRun(path.join(dir, 'artifacts', 'job-2'), outcomes('run-a', '2026-11-01T00:00:00.000Z', 'passed'));
    const run = await runFlakeguard(dir, ['merge', 'artifacts/job-1', 'artifacts/job-2/history.json.gz', '-o', 'merged']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('flakeguard merge: 2 histories → merged/history.json.gz: 3 runs, 1 tests');
    const merged = readHistory(path.join(dir, 'merged'));
    expect(merged.runs.map((r) => [r.id, r.outcomes])).toEqual([
      ['run-a', 'P'],
      ['run-b', 'F'],
      ['run-c', 'P'],
    ]);
  });

  test('a manifest and a history together: one line, exit 2', async () => {
    expect((await runJest(dir, ['--runInBand'], { FIXTURE_FIXED: '1' })).status).toBe(0);
    recordRun(path.join(dir, 'artifacts', 'job-3'), outcomes('run-d', '2026-11-04T00:00:00.000Z', 'passed'));
    const run = await runFlakeguard(dir, ['merge', '.flakeguard/last-run.json', 'artifacts/job-3']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^flakeguard merge: .*\.flakeguard\/last-run\.json: cannot merge a manifest with flake histories \(artifacts\/job-3\/history\.json\.gz is a history\)/,
      ),
    ]);
  });
});
