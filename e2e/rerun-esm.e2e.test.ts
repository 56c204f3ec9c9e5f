// An ESM project run as `node --experimental-vm-modules jest`: `flakeguard rerun`, started with the same node flag,
// starts Jest with it too, so the test files load in the rerun.
import * as fs from 'fs';
import * as path from 'path';
import { spawn } from 'child_process';
import { childEnv, copyFixture, FLAKEGUARD_BIN, JEST_BIN, removeFixture, runFlakeguard, type RunResult } from './harness';
import { readManifestJson } from './reporterHelpers';

const withVmModules = (script: string, args: string[], cwd: string): Promise<RunResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--experimental-vm-modules', '--no-warnings', script, ...args], { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

let dir: string;
beforeEach(() => (dir = copyFixture('esm')));
afterEach(() => removeFixture(dir));

test('the rerun loads the ESM test file and passes the failed test', async () => {
  const first = await withVmModules(JEST_BIN, ['--ci', '--cacheDirectory', path.join(dir, '.jest-cache'), '--selectProjects', 'stable'], dir);
  expect(first.status).toBe(1);
  expect(readManifestJson(dir).failed).toEqual([expect.objectContaining({ titles: ['fails on the first run only'] })]);
  const rerun = await withVmModules(FLAKEGUARD_BIN, ['rerun'], dir);
  expect(rerun.status).toBe(0);
  expect(readManifestJson(dir)).toMatchObject({ status: 'passed', fileErrors: [], counts: { passed: 1 } });
  expect(fs.existsSync(path.join(dir, '.count-once'))).toBe(true);
});

test("the manifest records the run's node flags: a rerun started without them still loads the ESM test file (item 8)", async () => {
  const first = await withVmModules(JEST_BIN, ['--ci', '--cacheDirectory', path.join(dir, '.jest-cache'), '--selectProjects', 'stable'], dir);
  expect(first.status).toBe(1);
  expect(readManifestJson(dir).invocation?.nodeFlags).toEqual(['--experimental-vm-modules', '--no-warnings']);
  const rerun = await runFlakeguard(dir, ['rerun']);
  expect(rerun.stderr).not.toMatch(/Cannot use import statement|experimental-vm-modules/);
  expect(rerun.status).toBe(0);
  expect(readManifestJson(dir)).toMatchObject({ status: 'passed', fileErrors: [], counts: { passed: 1 } });
});
