// The manifest records how Jest was invoked (its directory, --config, the options that select tests, node flags)
// and the rerun command the reporter prints repeats it: a config in a subfolder found only by --config, tests found
// only by the run's --testMatch, outputs under a subfolder's rootDir. Issue 11 item 4.
import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, removeFixture, runFlakeguard, runJest } from './harness';
import { readManifestJson } from './reporterHelpers';

/** The arguments of the rerun command the reporter printed (`rerun: npx flakeguard rerun …   manifest: …`). */
function printedRerun(stderr: string): string[] {
  const command = /rerun: npx flakeguard (rerun[^\n]*?) {3}/.exec(stderr)?.[1];
  if (!command) throw new Error(`no rerun hint in:\n${stderr}`);
  return command.split(' ');
}

let dir: string;
beforeEach(() => (dir = copyFixture('rerun-invocation')));
afterEach(() => removeFixture(dir));

test("--config in a subfolder and --testMatch: the printed rerun runs the failed test, and Jest's report line is not printed", async () => {
  const run = await runJest(dir, ['--config', 'scripts/jest/jest.config.js', '--testMatch', '**/checks/*.check.js']);
  expect(run.status).toBe(1);
  const manifest = readManifestJson(dir);
  expect(manifest.failed).toEqual([expect.objectContaining({ file: 'checks/once.check.js', titles: ['fails on the first run only'] })]);
  expect(manifest.invocation).toEqual({
    cwd: '.',
    outputDir: '.flakeguard',
    config: 'scripts/jest/jest.config.js',
    options: { testMatch: ['**/checks/*.check.js'] },
    nodeFlags: [],
  });
  const args = printedRerun(run.stderr);
  expect(args).toEqual(['rerun']);

  const rerun = await runFlakeguard(dir, args);
  expect(rerun.stderr).not.toContain('not found');
  expect(rerun.stderr).not.toContain('Test results written to');
  expect(rerun.status).toBe(0);
  expect(readManifestJson(dir)).toMatchObject({ status: 'passed', failed: [], counts: { passed: 1 } });
  // The rerun's own manifest records the same invocation, so the next rerun repeats it again.
  expect(readManifestJson(dir).invocation).toMatchObject({ config: 'scripts/jest/jest.config.js', options: { testMatch: ['**/checks/*.check.js'] } });
});

test('a config in a subfolder without rootDir: the outputs land in its folder, and the printed rerun finds them and the config', async () => {
  const run = await runJest(dir, ['--config', 'sub/jest.config.js']);
  expect(run.status).toBe(1);
  expect(fs.existsSync(path.join(dir, '.flakeguard'))).toBe(false);
  const manifest = readManifestJson(dir, 'sub/.flakeguard/last-run.json');
  expect(manifest.failed).toEqual([expect.objectContaining({ file: '__tests__/once.test.js' })]);
  expect(manifest.invocation).toMatchObject({ cwd: '..', config: 'jest.config.js' });
  const args = printedRerun(run.stderr);
  expect(args).toEqual(['rerun', '--manifest', 'sub/.flakeguard/last-run.json']);

  const rerun = await runFlakeguard(dir, args);
  expect(rerun.stderr).not.toContain('not found');
  expect(rerun.status).toBe(0);
  expect(readManifestJson(dir, 'sub/.flakeguard/last-run.json')).toMatchObject({ status: 'passed', counts: { passed: 1 } });
});

test("flakeguard rerun --config sub/jest.config.js, without --manifest, finds the manifest under that config's rootDir", async () => {
  await runJest(dir, ['--config', 'sub/jest.config.js']);
  const rerun = await runFlakeguard(dir, ['rerun', '--config', 'sub/jest.config.js']);
  expect(rerun.stderr).not.toContain('no manifest here');
  expect(rerun.status).toBe(0);
  expect(readManifestJson(dir, 'sub/.flakeguard/last-run.json')).toMatchObject({ status: 'passed', counts: { passed: 1 } });
});

test("the user's own --config wins over the recorded one", async () => {
  await runJest(dir, ['--config', 'scripts/jest/jest.config.js', '--testMatch', '**/checks/*.check.js']);
  // The sub config's rootDir is sub/: the manifest's checks/once.check.js is outside it there, so it is not found.
  const rerun = await runFlakeguard(dir, ['rerun', '--config', 'sub/jest.config.js']);
  expect(rerun.status).toBe(1);
  expect(rerun.stderr).toMatch(/not found: checks\/once\.check\.js/);
});
