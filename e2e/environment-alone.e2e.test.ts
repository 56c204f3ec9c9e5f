// The hygiene environment used alone (no jest-flakeguard/reporter): its findings are lines on stderr, and it leaves
// no files behind, however many runs.
import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, removeFixture, runJest } from './harness';

let dir: string;
beforeEach(() => {
  dir = copyFixture('packed');
  fs.writeFileSync(path.join(dir, 'jest.config.js'), "module.exports = { testEnvironment: 'jest-flakeguard/environment', transform: {} };\n");
});
afterEach(() => removeFixture(dir));

test('each finding is one line naming the file, the test and the check; nothing is written, run after run', async () => {
  for (let round = 0; round < 2; round++) {
    const run = await runJest(dir, ['--ci', '__tests__/leak.test.js'], { FLAKEGUARD_FINDINGS_DIR: '' });
    expect(run.status).toBe(0);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('flakeguard: '))).toEqual([
      expect.stringMatching(
        /^flakeguard: __tests__\/leak\.test\.js › leaks a spy: unrestored-spy spy on api\.fetchUser was not restored \(__tests__\/leak\.test\.js:4:\d+\)$/,
      ),
    ]);
  }
  expect(fs.existsSync(path.join(dir, '.flakeguard'))).toBe(false);
});
