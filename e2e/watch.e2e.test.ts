// Watch mode: the runner survives re-runs, and a run that Jest interrupts (here by --bail, which in watch mode
// interrupts the run instead of ending the process) stops cleanly and the next run starts from scratch.
// Jest 30 ignores a file change while a run is in progress, and interrupts on a key only with a TTY; --bail is
// the way to interrupt a run from a spec.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { childEnv, copyFixture, JEST_BIN, removeFixture } from './harness';
import { readTimeline } from './timeline';

let dir: string;
beforeAll(() => {
  dir = copyFixture('lanes');
});
afterAll(() => removeFixture(dir));

test('re-runs on change; a run interrupted by --bail stops cleanly, skips the serial lane, and the next run is whole', async () => {
  const args = [
    '--watchAll',
    '--ci=false',
    '--bail',
    '--maxWorkers=3',
    '--cacheDirectory',
    path.join(dir, '.jest-cache'),
    '--watchPathIgnorePatterns',
    '\\.timeline',
    '\\.jest-cache',
  ];
  const child = spawn(process.execPath, [JEST_BIN, ...args], { cwd: dir, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const summaries = () => output.match(/^Tests: .*$/gm) ?? [];
  const interruptions = () => (output.match(/^Test run was interrupted\.$/gm) ?? []).length;
  const waitFor = async (condition: () => boolean, what: string) => {
    for (let waited = 0; waited < 60_000; waited += 100) {
      if (condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}\n${output}`);
  };
  const write = (name: string, source: string) => fs.writeFileSync(path.join(dir, '__tests__', name), source);
  const touch = (name: string) => fs.appendFileSync(path.join(dir, '__tests__', name), '\n// touched\n');
  try {
    await waitFor(() => summaries().length === 1, 'the first run');
    touch('parallel-1.test.js');
    await waitFor(() => summaries().length === 2, 'the re-run after a change');
    expect(summaries()).toEqual([expect.stringMatching(/13 passed, 13 total/), expect.stringMatching(/13 passed, 13 total/)]);
    expect(interruptions()).toBe(0);

    // A failing file: --bail interrupts the run while the pool is busy.
    const beforeFailing = Date.now();
    write('parallel-0-fails.test.js', "test('fails', () => { expect(1).toBe(2); });\n");
    await waitFor(() => interruptions() === 1, 'the interrupted run');
    const interrupted = output.slice(output.lastIndexOf('flakeguard: '));
    // Cut short: fewer of the 14 files reported than planned.
    const suites = /Test Suites: +1 failed, (?:(\d+) passed, )?(\d+) of 14 total/.exec(interrupted);
    expect(suites).not.toBeNull();
    expect(Number(suites![2])).toBeLessThan(14);
    expect(interrupted).toMatch(/Tests: +1 failed/);
    // The serial lane never started in the interrupted run: its files last ran before the failing file existed.
    const exclusive = readTimeline(dir).filter((entry) => entry.file.startsWith('exclusive-'));
    expect(exclusive).toHaveLength(2);
    expect(exclusive.filter((entry) => entry.start >= beforeFailing)).toEqual([]);

    // Fixed: the next run is whole again.
    write('parallel-0-fails.test.js', "test('passes', () => { expect(1).toBe(1); });\n");
    await waitFor(() => /Tests: +14 passed, 14 total/.test(output.slice(output.lastIndexOf('flakeguard: '))), 'a whole run after the interruption');
    expect(interruptions()).toBe(1);
    expect(output).not.toMatch(/CancelRun|Unhandled|UnhandledPromiseRejection|TypeError/);
    expect(child.exitCode).toBeNull();
  } finally {
    child.kill('SIGKILL');
  }
});
