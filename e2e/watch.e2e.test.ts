// Watch mode: the runner survives re-runs and a change in the middle of a run (Jest interrupts and starts over).
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { childEnv, copyFixture, JEST_BIN, removeFixture } from './harness';

let dir: string;
beforeAll(() => {
  dir = copyFixture('lanes');
});
afterAll(() => removeFixture(dir));

test('re-runs on change, and a change mid-run interrupts cleanly and starts over', async () => {
  const args = ['--watchAll', '--ci=false', '--maxWorkers=3', '--cacheDirectory', path.join(dir, '.jest-cache'), '--watchPathIgnorePatterns', '\\.timeline', '\\.jest-cache'];
  const child = spawn(process.execPath, [JEST_BIN, ...args], { cwd: dir, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const summaries = () => output.match(/^Tests: .*$/gm) ?? [];
  const waitFor = async (condition: () => boolean, what: string) => {
    for (let waited = 0; waited < 60_000; waited += 100) {
      if (condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}\n${output}`);
  };
  const touch = (name: string) => fs.appendFileSync(path.join(dir, '__tests__', name), '\n// touched\n');
  try {
    await waitFor(() => summaries().length === 1, 'the first run');
    touch('parallel-1.test.js');
    await waitFor(() => summaries().length === 2, 'the re-run after a change');
    // Change a file while the next run is in its first second: Jest interrupts that run and starts again.
    const lanesLines = () => (output.match(/^flakeguard: \d+ parallel/gm) ?? []).length;
    const before = lanesLines();
    touch('parallel-2.test.js');
    await waitFor(() => lanesLines() > before, 'a run to start');
    touch('parallel-3.test.js');
    await waitFor(() => summaries().length >= 3 && /Tests: +13 passed, 13 total\s*\n[\s\S]*Ran all test suites/.test(output.slice(output.lastIndexOf('flakeguard: '))), 'a complete run after the interruption');
    expect(summaries().every((line) => /13 passed, 13 total/.test(line))).toBe(true);
    expect(output).not.toMatch(/CancelRun|Unhandled|UnhandledPromiseRejection|TypeError/);
    expect(child.exitCode).toBeNull();
  } finally {
    child.kill('SIGKILL');
  }
});
