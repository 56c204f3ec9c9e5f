// How `flakeguard hunt` runs the user's Jest: one run with a JSON report and the hunt's channels, read back as
// per-test outcomes in the order each process ran them; Jest's config facts the hunt needs; CPU stress beside it.

import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FlakeguardError } from '../core/errors';

export type TestOutcome = 'passed' | 'failed';

export interface RanTest {
  /** Absolute path, as Jest reports it. */
  testPath: string;
  titles: string[];
  outcome: TestOutcome;
}

export interface JestRun {
  exitCode: number;
  /** Tests that ran (skipped and todo left out), per file in the order Jest ran them inside the file. */
  files: Array<{ testPath: string; tests: RanTest[]; failedToRun: boolean }>;
  /** The end of Jest's stderr, for a one-line reason when something went wrong. */
  stderrTail: string;
}

interface JestJsonReport {
  testResults?: Array<{
    name?: unknown;
    status?: unknown;
    message?: unknown;
    assertionResults?: Array<{ ancestorTitles?: unknown; title?: unknown; status?: unknown; invocations?: unknown }>;
  }>;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Jest's `--json` report as ran tests; a test that passed only after a retry counts as failed (it flaked). */
export function readJestReport(file: string): JestRun['files'] | null {
  let report: JestJsonReport;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8')) as JestJsonReport;
  } catch {
    return null;
  }
  const files: JestRun['files'] = [];
  for (const result of report.testResults ?? []) {
    if (typeof result.name !== 'string') continue;
    const tests: RanTest[] = [];
    for (const assertion of result.assertionResults ?? []) {
      if (!isStrings(assertion.ancestorTitles) || typeof assertion.title !== 'string') continue;
      if (assertion.status !== 'passed' && assertion.status !== 'failed') continue;
      const retried = typeof assertion.invocations === 'number' && assertion.invocations > 1;
      tests.push({
        testPath: result.name,
        titles: [...assertion.ancestorTitles, assertion.title],
        outcome: assertion.status === 'failed' || retried ? 'failed' : 'passed',
      });
    }
    files.push({ testPath: result.name, tests, failedToRun: result.status === 'failed' && tests.length === 0 });
  }
  return files;
}

export interface SpawnJest {
  jestBin: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Jest's report goes here. */
  reportFile: string;
}

/** Runs Jest with its output kept out of the terminal (the hunt draws its own progress). */
export function runJestForReport(spec: SpawnJest): Promise<JestRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [spec.jestBin, ...spec.args, '--json', '--outputFile', spec.reportFile], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const files = readJestReport(spec.reportFile);
      const exitCode = code ?? (signal ? 130 : 1);
      if (!files) {
        const reason =
          stderr
            .split('\n')
            .map((line) => line.trim())
            .find((line) => /error|cannot|not found|unknown/i.test(line)) ?? `exit ${exitCode}`;
        reject(new FlakeguardError('NOT_FOUND', `Jest wrote no report (exit ${exitCode}): ${reason.slice(0, 300)}`));
        return;
      }
      fs.rmSync(spec.reportFile, { force: true });
      resolve({ exitCode, files, stderrTail: stderr });
    });
  });
}

/** What the hunt needs from Jest's resolved config (`jest --showConfig` with the user's arguments). */
export interface JestFacts {
  rootDir: string;
  /** The `runner` of every project, resolved. */
  runners: string[];
  jestVersion: string;
}

export function jestFacts(jestBin: string, jestArgs: readonly string[], cwd: string): Promise<JestFacts> {
  const jestVersion = (JSON.parse(fs.readFileSync(path.join(path.dirname(jestBin), '..', 'package.json'), 'utf8')) as { version: string }).version;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [jestBin, ...jestArgs, '--showConfig'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', () => {
      const start = out.indexOf('{\n  "configs"');
      try {
        const parsed = JSON.parse(out.slice(start)) as { configs?: Array<{ runner?: unknown }>; globalConfig?: { rootDir?: unknown } };
        const rootDir = parsed.globalConfig?.rootDir;
        if (start >= 0 && typeof rootDir === 'string') {
          const runners = (parsed.configs ?? []).map((config) => (typeof config.runner === 'string' ? config.runner : ''));
          resolve({ rootDir, runners, jestVersion });
          return;
        }
      } catch {
        // not Jest's JSON: fall through
      }
      const reason =
        err
          .split('\n')
          .map((line) => line.trim())
          .find(Boolean) ?? 'no config printed';
      reject(new FlakeguardError('BAD_OPTION', `jest --showConfig failed: ${reason.slice(0, 300)}`));
    });
  });
}

/** `jest --listTests` with the user's arguments: the absolute test paths Jest would run. */
export function listTests(jestBin: string, jestArgs: readonly string[], cwd: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [jestBin, ...jestArgs, '--listTests', '--json'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const start = out.lastIndexOf('\n[') >= 0 ? out.lastIndexOf('\n[') + 1 : out.indexOf('[');
      try {
        const parsed: unknown = JSON.parse(out.slice(start));
        if (isStrings(parsed)) return resolve(parsed);
      } catch {
        // fall through
      }
      reject(new FlakeguardError('BAD_OPTION', 'jest --listTests printed no list of tests'));
    });
  });
}

/** Busy processes beside the tests (Shaker-style CPU contention): one per core, stopped after each run. */
export class CpuStress {
  private children: ChildProcess[] = [];

  start(workers: number = os.availableParallelism()): void {
    for (let i = 0; i < workers; i++) {
      this.children.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    }
  }

  async stop(): Promise<void> {
    const exits = this.children.map(
      (child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()))),
    );
    for (const child of this.children) child.kill('SIGKILL');
    await Promise.all(exits);
    this.children = [];
  }
}
