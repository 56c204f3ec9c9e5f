// The command line's conventions, as a user meets them: --version, --help on every command, bare `flakeguard`,
// the one rule for Jest's arguments (`lanes --config X` = `lanes -- --config X`), colour by FORCE_COLOR/NO_COLOR,
// a progress line on stderr while a command waits on Jest.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { childEnv, copyFixture, FLAKEGUARD_BIN, REPO, removeFixture, runFlakeguard, type RunResult } from './harness';

const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/** `flakeguard <args>` on a terminal (util-linux `script` gives it a pty): stdout and stderr arrive together. */
function runInTerminal(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, FLAKEGUARD_BIN, ...args].map(quote).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr: '' }));
  });
}

const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

describe('flakeguard itself', () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('cli-conventions')));
  afterAll(() => removeFixture(dir));

  test('bare flakeguard: usage on stderr, nothing on stdout, exit 2', async () => {
    const run = await runFlakeguard(dir, []);
    expect(run).toMatchObject({ status: 2, stdout: '' });
    expect(run.stderr).toMatch(/^usage: flakeguard <command>/);
  });

  test('--help: usage on stdout, exit 0', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const run = await runFlakeguard(dir, args);
      expect(run).toMatchObject({ status: 0, stderr: '' });
      expect(run.stdout).toMatch(/^usage: flakeguard <command>/);
      expect(run.stdout).toContain('--version');
    }
  });

  test('--version prints the package version', async () => {
    for (const args of [['--version'], ['-v']]) expect(await runFlakeguard(dir, args)).toMatchObject({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  test.each([
    [['lanes', '--help'], 'flakeguard lanes'],
    [['rerun', '--help'], 'flakeguard rerun'],
    [['merge', '--help'], 'flakeguard merge'],
    [['report', '-h'], 'flakeguard report'],
    [['hunt', '--help'], 'flakeguard hunt'],
    [['lint', '--help'], 'flakeguard lint'],
    [['quarantine', '--help'], 'flakeguard quarantine add|list|remove|prune'],
    [['quarantine', 'add', '--help'], 'flakeguard quarantine add'],
    [['quarantine', 'list', '--help'], 'flakeguard quarantine list'],
    [['quarantine', 'prune', '-h'], 'flakeguard quarantine prune'],
    [['help', 'lanes'], 'flakeguard lanes'],
  ])('%j: its usage on stdout, exit 0, nothing handed to Jest', async (args, usage) => {
    const run = await runFlakeguard(dir, args);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toContain(`usage: ${usage}`);
    expect(run.stdout).not.toMatch(/Usage: jest|Documentation: https:\/\/jestjs\.io/);
  });

  test('bare quarantine: its usage on stderr, exit 2', async () => {
    const run = await runFlakeguard(dir, ['quarantine']);
    expect(run).toMatchObject({ status: 2, stdout: '' });
    expect(run.stderr).toContain('usage:');
  });
});

describe("the one rule for Jest's arguments: what the command does not know is Jest's, -- or not", () => {
  let dir: string;
  beforeAll(() => (dir = copyFixture('cli-conventions')));
  afterAll(() => removeFixture(dir));

  const CONFIG = 'configs/jest.lanes.config.js';
  const listed = (stdout: string) => (JSON.parse(stdout) as { files: Array<{ file: string; lane: string }> }).files;

  test('lanes --config X, lanes -- --config X and lanes --json -- --config=X list the same files', async () => {
    const runs = await Promise.all([
      runFlakeguard(dir, ['lanes', '--json', '--config', CONFIG]),
      runFlakeguard(dir, ['lanes', '--json', '--', '--config', CONFIG]),
      runFlakeguard(dir, ['lanes', '--config', CONFIG, '--json']),
    ]);
    for (const run of runs) {
      expect(run.status).toBe(0);
      expect(listed(run.stdout)).toEqual([
        { file: 'tests/parallel.test.js', lane: 'parallel', resources: [] },
        { file: 'tests/serial.test.js', lane: 'serial', resources: [] },
      ]);
    }
    // Without the config Jest's own lookup finds package.json's, which matches nothing.
    const plain = await runFlakeguard(dir, ['lanes', '--json']);
    expect(listed(plain.stdout)).toEqual([]);
  });

  test('on a terminal lanes shows what it waits for, then clears the line; colour is on by default there, off with NO_COLOR', async () => {
    const tty = await runInTerminal(dir, ['lanes', '--config', CONFIG], { FORCE_COLOR: undefined, NO_COLOR: undefined, TERM: 'xterm' });
    expect(tty.status).toBe(0);
    expect(tty.stdout).toContain('\r\x1b[2Kflakeguard lanes: asking Jest for its test files');
    expect(tty.stdout).toContain('\x1b[33mserial');
    const noColour = await runInTerminal(dir, ['lanes', '--config', CONFIG], { FORCE_COLOR: undefined, NO_COLOR: '1', TERM: 'xterm' });
    expect(noColour.stdout).toContain('tests/serial.test.js');
    expect(noColour.stdout).not.toContain('\x1b[33m');
  });

  test('on a terminal rerun shows that it asks Jest for its config, then clears the line', async () => {
    const failed = [{ project: null, file: 'tests/serial.test.js', titles: ['alone'], attempts: 1, message: 'x' }];
    const manifest = {
      schemaVersion: 1,
      tool: 'jest-flakeguard',
      status: 'failed',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
      jestVersion: '30.5.2',
      shard: null,
      seed: 1,
      counts: { passed: 0, failed: 1, flaky: 0, skipped: 0, todo: 0, fileErrors: 0, notRun: 0 },
      failed,
      flaky: [],
      fileErrors: [],
      notRun: [],
      findings: [],
    };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const tty = await runInTerminal(dir, ['rerun', '--manifest', 'manifest.json', '--config', CONFIG], { FORCE_COLOR: undefined, NO_COLOR: '1', TERM: 'xterm' });
    expect(tty.stdout).toContain('\r\x1b[2Kflakeguard rerun: asking Jest for its config');
    expect(tty.stdout).toMatch(/\r\x1b\[2Kflakeguard rerun: 1 test from manifest\.json/);
    expect(tty.status).toBe(0);
    const piped = await runFlakeguard(dir, ['rerun', '--manifest', 'manifest.json', '--config', CONFIG]);
    expect(piped.stderr).not.toContain('asking Jest');
  });

  test('off a terminal: no progress line on stderr, stdout is the listing', async () => {
    const run = await runFlakeguard(dir, ['lanes', '--config', CONFIG]);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^parallel {2}tests\/parallel\.test\.js\nserial {4}tests\/serial\.test\.js\n/);
  });

  test('colour: FORCE_COLOR=1 colours the lanes (stdout is a pipe here); FORCE_COLOR=0 and NO_COLOR do not', async () => {
    const forced = await runFlakeguard(dir, ['lanes', '--config', CONFIG], { FORCE_COLOR: '1', NO_COLOR: '' });
    expect(forced.stdout).toContain('\x1b[33mserial');
    const noColour = await runFlakeguard(dir, ['lanes', '--config', CONFIG], { FORCE_COLOR: undefined, NO_COLOR: '1' });
    expect(noColour.stdout).not.toContain('\x1b[');
    const off = await runFlakeguard(dir, ['lanes', '--config', CONFIG], { FORCE_COLOR: '0', NO_COLOR: '' });
    expect(off.stdout).not.toContain('\x1b[');
  });

  test('an error is one line on stderr, exit 2', async () => {
    const run = await runFlakeguard(dir, ['merge', '--frobnicate']);
    expect(run).toMatchObject({ status: 2, stdout: '' });
    expect(run.stderr).toBe('flakeguard merge: unknown option --frobnicate (see flakeguard merge --help)\n');
  });
});
