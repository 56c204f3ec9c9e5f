// withFlakeguard where users put it: a config in a subfolder with a relative rootDir, command-line flags that
// would undo the quarantine, top-level options Jest refuses inside projects, and monorepos.
import * as path from 'path';
import { copyFixture, removeFixture, runJestJson, type JestJson } from './harness';

/** "project file" for every file a run reported, sorted. */
const filesRun = (json: JestJson, dir: string): string[] =>
  json.testResults.map((file) => path.relative(dir, file.name).split(path.sep).join('/')).sort();

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
