import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, JEST_BIN, removeFixture, runNode } from './harness';
import { readManifestJson } from './reporterHelpers';

/** `jest --watchAll` for a while, then killed: how many runs it started, and what it printed. */
async function watchFor(dir: string, env: NodeJS.ProcessEnv, ms: number) {
  const run = await runNode(JEST_BIN, ['--cacheDirectory', path.join(dir, '.jest-cache'), '--watchAll'], dir, { FIXTURE_FIXED: '1', ...env }, ms);
  return { runs: run.stderr.split('Ran all test suites').length - 1, stderr: run.stderr };
}

describe('watch mode: writing the manifest must not start another run', () => {
  let dir: string;
  beforeEach(() => (dir = copyFixture('reporter-files')));
  afterEach(() => removeFixture(dir));

  test('outputDir watched by Jest: one run, one warning with the fix, no manifest', async () => {
    const { runs, stderr } = await watchFor(dir, {}, 10_000);
    expect(runs).toBe(1);
    expect(stderr.split('\n').filter((line) => line.startsWith('flakeguard: Jest watches'))).toEqual([
      expect.stringMatching(/^flakeguard: Jest watches \.flakeguard\/last-run\.json .*add watchPathIgnorePatterns: \['<rootDir>\/\.flakeguard\/'\] to the config$/),
    ]);
    expect(fs.existsSync(path.join(dir, '.flakeguard', 'last-run.json'))).toBe(false);
  });

  test('with watchPathIgnorePatterns as the warning says: the manifest is written, and still one run', async () => {
    const { runs, stderr } = await watchFor(dir, { FG_WATCH_IGNORE: '1' }, 10_000);
    expect(runs).toBe(1);
    expect(stderr).not.toContain('flakeguard: Jest watches');
    expect(readManifestJson(dir)).toMatchObject({ status: 'passed', counts: { passed: 7 } });
  });
});
