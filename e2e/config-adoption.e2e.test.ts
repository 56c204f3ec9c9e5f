// withFlakeguard where users put it: a config in a subfolder with a relative rootDir, command-line flags that
// would undo the quarantine, top-level options Jest refuses inside projects, and monorepos.
import * as path from 'path';
import { copyFixture, removeFixture, runJest, runJestJson, type JestJson } from './harness';

/** "project file" for every file a run reported, sorted. */
const filesRun = (json: JestJson, dir: string): string[] => json.testResults.map((file) => path.relative(dir, file.name).split(path.sep).join('/')).sort();

describe('a config in a subfolder with a relative rootDir, run from the project root', () => {
  let dir: string;
  beforeEach(() => (dir = copyFixture('config-subfolder')));
  afterEach(() => removeFixture(dir));

  test("rootDir is the config's ../.., for both projects; only test files Jest runs can be @flaky", async () => {
    const config = ['--config', 'test/jest/jest.config.js', '--ci'];
    const stable = await runJestJson(dir, [...config, '--selectProjects', 'stable']);
    expect(stable.stderr).not.toMatch(/RangeError|Validation Warning/);
    expect(filesRun(stable.json, dir)).toEqual(['__tests__/ok.test.js']);
    const flaky = await runJestJson(dir, [...config, '--selectProjects', 'flaky']);
    expect(filesRun(flaky.json, dir)).toEqual(['__tests__/quarantined.test.js']);
    expect(flaky.status).toBe(0);
  });
});

describe('top-level options', () => {
  let dir: string;
  beforeEach(() => (dir = copyFixture('config-subfolder')));
  afterEach(() => removeFixture(dir));

  test('verbose, testTimeout and silent stay at the top: no validation warning on either Jest (29 warns about each inside a project), and verbose still applies', async () => {
    const fs = require('fs') as typeof import('fs');
    fs.writeFileSync(
      path.join(dir, 'jest.config.js'),
      "module.exports = require('jest-flakeguard/config').withFlakeguard({ verbose: true, testTimeout: 12345, testPathIgnorePatterns: ['/node_modules/', '<rootDir>/ignored/'] });\n",
    );
    const run = await runJestJson(dir, ['--ci', '--selectProjects', 'stable']);
    expect(run.stderr).not.toContain('Validation Warning');
    expect(run.status).toBe(0);
    // verbose: Jest lists each test by name under its file.
    expect(run.stderr).toMatch(/✓ passes/);
  });
});

describe('the quarantine is a selection no command-line flag undoes', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyFixture('config-subfolder');
    const fs = require('fs') as typeof import('fs');
    fs.rmSync(path.join(dir, 'ignored'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'jest.config.js'), "module.exports = require('jest-flakeguard/config').withFlakeguard({ transform: {} });\n");
  });
  afterEach(() => removeFixture(dir));

  test("--testPathIgnorePatterns replaces the projects' patterns, yet flaky runs only the quarantine and stable never runs it", async () => {
    const flag = ['--ci', '--testPathIgnorePatterns', '/node_modules/'];
    const flaky = await runJestJson(dir, [...flag, '--selectProjects', 'flaky']);
    expect(filesRun(flaky.json, dir)).toEqual(['__tests__/quarantined.test.js']);
    const stable = await runJestJson(dir, [...flag, '--selectProjects', 'stable']);
    expect(filesRun(stable.json, dir)).toEqual(['__tests__/ok.test.js']);
  });
});

describe('a monorepo: packages as projects given by path', () => {
  let dir: string;
  beforeEach(() => (dir = copyFixture('monorepo')));
  afterEach(() => removeFixture(dir));

  test('withFlakeguard in the root splits every package (one calling withFlakeguard itself, one plain)', async () => {
    const stable = await runJestJson(dir, ['--ci', '--selectProjects', 'stable']);
    expect(stable.stderr).not.toContain('Validation Warning');
    expect(filesRun(stable.json, dir)).toEqual(['packages/a/__tests__/a.test.js', 'packages/b/__tests__/b.test.js']);
    const flaky = await runJestJson(dir, ['--ci', '--selectProjects', 'flaky']);
    expect(filesRun(flaky.json, dir)).toEqual(['packages/b/__tests__/b-flaky.test.js']);
  });

  test('a package run alone still gets its split', async () => {
    const stable = await runJestJson(path.join(dir, 'packages', 'a'), ['--ci', '--selectProjects', 'stable']);
    expect(filesRun(stable.json, path.join(dir, 'packages', 'a'))).toEqual(['__tests__/a.test.js']);
  });

  test("a plain root config loading a package's withFlakeguard as its project: one line saying what to do", async () => {
    const run = await runJest(dir, ['--ci'], { FG_PLAIN_ROOT: '1' });
    expect(run.status).not.toBe(0);
    const lines = run.stderr.split('\n').filter((line) => line.includes('jest-flakeguard:'));
    expect(lines).toEqual([
      expect.stringMatching(
        /jest-flakeguard: packages\/a\/jest\.config\.js calls withFlakeguard, but Jest loads it as a project of the config in .*: call withFlakeguard in the root config instead/,
      ),
    ]);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
