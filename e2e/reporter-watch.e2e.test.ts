import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, removeFixture } from './harness';
import { readManifestJson, watchAllOnce } from './reporterHelpers';

describe('watch mode: writing the manifest must not start another run', () => {
  let dir: string;
  beforeEach(() => (dir = copyFixture('reporter-files')));
  afterEach(() => removeFixture(dir));

  test('outputDir watched by Jest: one run, one warning with the fix, no manifest', async () => {
    const { runs, stderr } = await watchAllOnce(dir, { FIXTURE_FIXED: '1' });
    expect(runs).toBe(1);
    expect(stderr.split('\n').filter((line) => line.startsWith('flakeguard: Jest watches'))).toEqual([
      expect.stringMatching(/^flakeguard: Jest watches \.flakeguard\/last-run\.json .*add watchPathIgnorePatterns: \['<rootDir>\/\.flakeguard\/'\] to the config$/),
    ]);
    expect(fs.existsSync(path.join(dir, '.flakeguard', 'last-run.json'))).toBe(false);
  });

  test('with watchPathIgnorePatterns as the warning says: the manifest is written, and still one run', async () => {
    const { runs, stderr } = await watchAllOnce(dir, { FIXTURE_FIXED: '1', FG_WATCH_IGNORE: '1' });
    expect(runs).toBe(1);
    expect(stderr).not.toContain('flakeguard: Jest watches');
    expect(readManifestJson(dir)).toMatchObject({ status: 'passed', counts: { passed: 7 } });
  });
});
