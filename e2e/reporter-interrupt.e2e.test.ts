import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, removeFixture, runFlakeguard } from './harness';
import { attempts, readManifestJson, runJestInterrupted } from './reporterHelpers';

const FILES = [1, 2, 3, 4, 5].map((n) => `__tests__/file-${n}.test.js`);

/** The checkpoint the reporter keeps on disk during a run, once it records `failed` failures (or false). */
const checkpointWith = (dir: string, failed: number) => (): boolean => {
  try {
    return readManifestJson(dir).counts.failed === failed;
  } catch {
    return false; // not written yet
  }
};

/** The reporter's findings directories in `tmp` (a Jest killed by a signal cannot remove its own). */
const findingsDirs = (tmp: string): string[] => fs.readdirSync(tmp).filter((name) => name.startsWith('flakeguard-findings-'));

describe('Ctrl-C (SIGINT) during a run', () => {
  let dir: string;
  let tmp: string;
  beforeAll(() => {
    dir = copyFixture('reporter-files');
    tmp = path.join(dir, '.tmp');
    fs.mkdirSync(tmp);
  });
  afterAll(() => removeFixture(dir));

  test('Jest dies of the signal at once; the manifest on disk says interrupted and names every file without a result', async () => {
    // In band: the failing file (largest) runs first, then file-3 (next largest) waits until interrupted. The
    // signal is sent once the reporter's checkpoint has recorded the failing file (at most a second later).
    const run = await runJestInterrupted(dir, ['--runInBand'], { FIXTURE_HANG: '1', TMPDIR: tmp }, '.hanging', checkpointWith(dir, 1));
    // The process dies of the signal, as without the reporter. No clock needed: file-3 never ends by itself, and a Jest
    // that ignored the signal would be killed by the harness (signal SIGKILL).
    expect(run.signal).toBe('SIGINT');
    const manifest = readManifestJson(dir);
    expect(manifest.status).toBe('interrupted');
    expect(manifest.counts).toEqual({ passed: 1, failed: 1, flaky: 0, skipped: 0, todo: 0, fileErrors: 0, notRun: 5 });
    expect(manifest.notRun.map((entry) => entry.file).sort()).toEqual(FILES);
    expect(findingsDirs(tmp)).toHaveLength(1);
  });

  test("the rerun covers the failed test and every file not run, and sweeps the dead run's findings directory", async () => {
    const run = await runFlakeguard(dir, ['rerun'], { FIXTURE_FIXED: '1', TMPDIR: tmp });
    expect(findingsDirs(tmp)).toEqual([]);
    expect(run.status).toBe(0);
    expect(attempts(dir, 'file-3')).toBe(2);
    expect(attempts(dir, 'file-1')).toBe(1);
    expect(readManifestJson(dir).counts).toEqual({ passed: 6, failed: 0, flaky: 0, skipped: 0, todo: 0, fileErrors: 0, notRun: 0 });
  });
});

describe('Ctrl-C while a test is stuck in a synchronous loop', () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('reporter-files')));
  afterAll(() => removeFixture(dir));

  test('still stops Jest at once, and the manifest written before the test started names every file as not run', async () => {
    // Only file-1…5, in band: file-3 (the largest of them) runs first and never yields to the event loop.
    const run = await runJestInterrupted(dir, ['--runInBand', 'file-\\d'], { FIXTURE_HANG: 'sync' }, '.hanging');
    expect(run.signal).toBe('SIGINT'); // the loop never ends: only the signal can have stopped it
    const manifest = readManifestJson(dir);
    expect(manifest.status).toBe('interrupted');
    expect(manifest.counts).toEqual({ passed: 0, failed: 0, flaky: 0, skipped: 0, todo: 0, fileErrors: 0, notRun: 5 });
    expect(manifest.notRun.map((entry) => entry.file).sort()).toEqual(FILES);
    expect(fs.existsSync(path.join(dir, '.flakeguard', 'history'))).toBe(false); // an interrupted run is no history
  });
});
