import { copyFixture, removeFixture, runFlakeguard } from './harness';
import { attempts, readManifestJson, runJestInterrupted } from './reporterHelpers';

describe('Ctrl-C (SIGINT) during a run', () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('reporter-files')));
  afterAll(() => removeFixture(dir));

  test('the manifest is written as interrupted, naming the running file and the rest as not run', async () => {
    // In band: the failing file (largest) runs first, then file-3 (next largest) hangs until interrupted.
    const run = await runJestInterrupted(dir, ['--runInBand'], { FIXTURE_HANG: '1' }, '.hanging');
    expect(run.signal).toBe('SIGINT'); // the process still dies of the signal, as without the reporter
    const manifest = readManifestJson(dir);
    expect(manifest.status).toBe('interrupted');
    expect(manifest.counts).toEqual({ passed: 1, failed: 1, flaky: 0, skipped: 0, todo: 0, fileErrors: 0, notRun: 5 });
    expect(manifest.notRun.map((entry) => entry.file).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `__tests__/file-${n}.test.js`));
    expect(run.stderr).toContain('flakeguard: 1 failed · 0 flaky · 5 files not run');
  });

  test('the rerun covers the failed test and every file not run', async () => {
    const run = await runFlakeguard(dir, ['rerun'], { FIXTURE_FIXED: '1' });
    expect(run.status).toBe(0);
    expect(attempts(dir, 'file-3')).toBe(2);
    expect(attempts(dir, 'file-1')).toBe(1);
    expect(readManifestJson(dir).counts).toEqual({ passed: 6, failed: 0, flaky: 0, skipped: 0, todo: 0, fileErrors: 0, notRun: 0 });
  });
});
