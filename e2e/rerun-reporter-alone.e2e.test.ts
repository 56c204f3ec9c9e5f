// The reporter alone, on Jest's own environment: `flakeguard rerun` still runs exactly the named tests (an anchored
// --testNamePattern of their full names), not every test of their files.
import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, removeFixture, runFlakeguard, runJest } from './harness';
import { readManifestJson } from './reporterHelpers';

let dir: string;
beforeEach(() => {
  dir = copyFixture('packed');
  fs.writeFileSync(path.join(dir, 'jest.config.js'), "module.exports = { transform: {}, reporters: ['default', 'jest-flakeguard/reporter'] };\n");
});
afterEach(() => removeFixture(dir));

test('the failed test reruns alone; its passing neighbour is skipped; no warning', async () => {
  const first = await runJest(dir, ['--ci', '__tests__/once.test.js']);
  expect(first.status).toBe(1);
  expect(readManifestJson(dir).failed).toEqual([expect.objectContaining({ file: '__tests__/once.test.js', titles: ['fails on the first run only'] })]);
  const rerun = await runFlakeguard(dir, ['rerun']);
  expect(rerun.stderr).not.toContain('tests the manifest does not name ran');
  expect(rerun.status).toBe(0);
  expect(readManifestJson(dir)).toMatchObject({ status: 'passed', counts: { passed: 1, failed: 0 } });
});
