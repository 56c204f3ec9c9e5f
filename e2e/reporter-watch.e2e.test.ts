import { execFileSync } from 'child_process';
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

// `jest --watch` on a clean git tree (the usual start): Jest runs no tests and hands the reporter no projects.
describe('watch mode on a clean git tree: no run starts another', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyFixture('reporter-files');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', ...args], { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'fixture');
  });
  afterEach(() => removeFixture(dir));

  test.each([
    ['the reporter alone', "module.exports = { transform: {}, reporters: ['default', 'jest-flakeguard/reporter'] };\n"],
    ['withFlakeguard', "module.exports = require('jest-flakeguard/config').withFlakeguard({ transform: {} });\n"],
  ])('%s: one run, no listener leak', async (_name, config) => {
    fs.writeFileSync(path.join(dir, 'jest.config.js'), config);
    const { runs, stderr } = await watchAllOnce(dir, { FIXTURE_FIXED: '1' }, 4000, '--watch');
    expect(stderr).toContain('No tests found related to files changed');
    expect(runs).toBe(1);
    expect(stderr).not.toContain('MaxListenersExceededWarning');
  });

  test('withFlakeguard: a run with tests writes the manifest, which Jest does not watch', async () => {
    fs.writeFileSync(path.join(dir, 'jest.config.js'), "module.exports = require('jest-flakeguard/config').withFlakeguard({ transform: {} });\n");
    const { runs, stderr } = await watchAllOnce(dir, { FIXTURE_FIXED: '1' }, 4000, '--watchAll');
    expect(runs).toBe(1);
    expect(stderr).not.toContain('flakeguard: Jest watches');
    expect(readManifestJson(dir)).toMatchObject({ status: 'passed' });
  });
});
